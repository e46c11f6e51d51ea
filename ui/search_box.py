"""The search-everything box, on its own: the main window puts it in its toolbar as it opens,
and the results page (:class:`caseworker_ui.search.SearchPanel`) is built when it is first
needed."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit

HINT = (
    "Type a reference, a name, an address or postcode, or words from an issue, a note, an "
    "interview, a letter or an email. Every word must appear."
)


class SearchBox(QLineEdit):
    """The search box: Escape clears it; Down moves into the results."""

    escaped = Signal()
    down = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.clear()
            self.escaped.emit()
            return
        if event.key() == Qt.Key.Key_Down:
            self.down.emit()
            return
        super().keyPressEvent(event)


def make_search_box() -> SearchBox:
    box = SearchBox()
    box.setObjectName("searchEverything")
    box.setAccessibleName("Search everything")
    box.setAccessibleDescription(HINT)
    box.setPlaceholderText("Search everything: names, addresses, issues, notes, letters… (Ctrl+K)")
    box.setClearButtonEnabled(True)
    box.setMinimumWidth(box.fontMetrics().horizontalAdvance("x" * 50))
    box.setMaximumWidth(box.fontMetrics().horizontalAdvance("x" * 90))
    return box
