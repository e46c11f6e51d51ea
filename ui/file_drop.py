"""Files dragged from the desktop onto a widget: one small event filter any window can install.

``FileDrop.install(widget, on_drop)`` makes ``widget`` accept drags carrying local files and calls
``on_drop(paths, position)`` (``position`` in the widget's coordinates) just after they are
dropped.
Drags of anything else (text, links to web pages) are left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QTextEdit, QWidget

OnDrop = Callable[[list[Path], QPoint], None]


def local_files(mime: QMimeData | None) -> list[Path]:
    """The local files a drag carries (none if it carries anything else)."""
    if mime is None or not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class FileDrop(QObject):
    def __init__(
        self, widget: QWidget, on_drop: OnDrop, accepts: Callable[[list[Path]], bool] | None = None
    ) -> None:
        super().__init__(widget)
        self._on_drop = on_drop
        self._accepts = accepts or (lambda paths: bool(paths))

    @classmethod
    def install(
        cls,
        widget: QWidget,
        on_drop: OnDrop,
        accepts: Callable[[list[Path]], bool] | None = None,
        *,
        text_fields: bool = False,
    ) -> FileDrop:
        """Accept file drops on ``widget`` (and on its children that do not take drops
        themselves). With ``text_fields``, files dropped on the text fields already inside it are
        taken too, instead of the field pasting their paths as text (a drag of text still goes
        to the field)."""
        handler = cls(widget, on_drop, accepts)
        widget.setAcceptDrops(True)
        widget.installEventFilter(handler)
        if text_fields:
            handler.take_text_fields(widget)
        return handler

    def take_text_fields(self, widget: QWidget) -> None:
        """Take files dropped on the text fields inside ``widget`` (made after :meth:`install`:
        a case window's tab, made when first shown)."""
        for field in widget.findChildren(QLineEdit):
            field.installEventFilter(self)
        for area in widget.findChildren(QPlainTextEdit) + widget.findChildren(QTextEdit):
            area.viewport().installEventFilter(self)  # drops land on the viewport

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, QDragEnterEvent | QDragMoveEvent)
            if self._accepts(local_files(event.mimeData())):
                event.acceptProposedAction()
                return True
            event.ignore()
            return False
        if kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            paths = local_files(event.mimeData())
            if not self._accepts(paths):
                event.ignore()
                return False
            event.acceptProposedAction()
            position = event.position().toPoint()
            # After the drop returns, so the program the files came from is not kept waiting
            # while they are stored.
            QTimer.singleShot(0, self, lambda: self._on_drop(paths, position))
            return True
        return False
