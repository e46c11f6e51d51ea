"""The pages that list work grouped under headings (search results by case, Today by kind of
work): the read-only tree they show, and the plain-words page shown instead when it is empty."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)


class EmptyPage(QFrame):
    """Where a list would be, a message in plain words: framed and filled like the list."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)
        self.label = QLabel()
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.label.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.label.setFont(font)
        column = QVBoxLayout(self)
        column.setContentsMargins(40, 20, 40, 20)
        column.addStretch(1)
        column.addWidget(self.label)
        column.addStretch(2)

    def text(self) -> str:
        return self.label.text()


class GroupedTree(QTreeView):
    """A read-only tree of groups and their lines, chosen a row at a time. ``widths`` gives each
    sized column a typical longest text and the room around it; ``stretch`` takes what is left."""

    def __init__(
        self,
        model: QAbstractItemModel,
        *,
        name: str,
        accessible: str,
        widths: Mapping[int, tuple[str, int]],
        stretch: int,
        uniform_rows: bool = True,
    ) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setAccessibleName(accessible)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setExpandsOnDoubleClick(False)  # a double-click opens the line's case
        self.setUniformRowHeights(uniform_rows)
        header = self.header()
        header.setStretchLastSection(False)
        metrics = self.fontMetrics()
        for column, (sample, room) in widths.items():
            header.resizeSection(column, metrics.horizontalAdvance(sample) + room)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def body_with_empty_page(tree: QTreeView, empty_name: str) -> tuple[QStackedWidget, EmptyPage]:
    """The tree, and the page that says why it is empty, in one stack (the tree shown first)."""
    empty = EmptyPage(empty_name)
    body = QStackedWidget()
    body.addWidget(tree)
    body.addWidget(empty)
    return body, empty
