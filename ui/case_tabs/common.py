"""Small pieces the case file tabs and dialogs share: optional dates, message bars, labels."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QFrame,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QWidget,
)

from caseworker.errors import UserError
from caseworker_ui.models.case_list import format_date

NOT_SET = QDate(1900, 1, 1)
"""The minimum date of an optional date edit, shown as "Not set"."""


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def to_date(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


def date_edit(day: dt.date, name: str, accessible: str) -> QDateEdit:
    edit = QDateEdit(to_qdate(day))
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    edit.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("30 Sep 2026") + 60)
    return edit


class OptionalDateEdit(QDateEdit):
    """A date edit that can say "Not set". Starting to choose a date (a click, the arrow keys)
    starts from today rather than from the "not set" date in 1900; Delete clears it again.

    "Today" is the core's (:meth:`caseworker.services.context.Context.today`): given as
    ``today``, or else that of the tab or dialog the edit is on (its ``desk``)."""

    today: Callable[[], dt.date] | None = None

    def _today(self) -> dt.date | None:
        if self.today is not None:
            return self.today()
        widget = self.parentWidget()
        while widget is not None:
            context = getattr(widget, "desk", None) or getattr(widget, "_desk", None)
            if context is not None and callable(getattr(context, "today", None)):
                return context.today()
            widget = widget.parentWidget()
        return None

    def _start(self) -> None:
        if self.date() == NOT_SET:
            today = self._today()
            if today is not None:
                self.setDate(min(to_qdate(today), self.maximumDate()))

    def mousePressEvent(self, event) -> None:  # noqa: N802
        self._start()
        super().mousePressEvent(event)

    def stepBy(self, steps: int) -> None:  # noqa: N802
        if self.date() == NOT_SET:
            self._start()
            return
        super().stepBy(steps)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and (
            self.lineEdit().selectedText() == self.text()
        ):
            self.setDate(NOT_SET)
            return
        super().keyPressEvent(event)


def optional_date_edit(
    name: str,
    accessible: str,
    empty_text: str = "Not set",
    *,
    today: Callable[[], dt.date] | None = None,
) -> QDateEdit:
    """A date edit that can also say "Not set" (its minimum date); choosing a date starts from
    ``today`` (the core's date: see :class:`OptionalDateEdit`)."""
    edit = OptionalDateEdit(NOT_SET)
    edit.today = today
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    edit.setAccessibleDescription("Delete clears the date")
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    edit.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("30 Sep 2026") + 60)
    edit.setMinimumDate(NOT_SET)
    edit.setSpecialValueText(empty_text)
    edit.setDate(NOT_SET)
    return edit


def read_optional(edit: QDateEdit) -> dt.date | None:
    day = edit.date()
    return None if day == NOT_SET else to_date(day)


def write_optional(edit: QDateEdit, day: dt.date | None) -> None:
    edit.setDate(NOT_SET if day is None else to_qdate(day))


def text_edit(
    name: str, accessible: str, *, lines: int = 3, placeholder: str = ""
) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    edit.setTabChangesFocus(True)  # Tab moves on, as in every other field
    edit.setPlaceholderText(placeholder)
    # As tall as the lines asked for (in the font in use, so a large font gets a taller box);
    # longer text scrolls inside.
    margins = edit.contentsMargins()
    height = (
        edit.fontMetrics().lineSpacing() * lines
        + 2 * edit.document().documentMargin()
        + margins.top()
        + margins.bottom()
        + 4
    )
    edit.setFixedHeight(int(height))
    edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return edit


def set_plain(edit: QPlainTextEdit, text: str) -> None:
    """Replace the text without announcing a change (so it is not saved back)."""
    if edit.toPlainText() == text:
        return
    edit.blockSignals(True)
    edit.setPlainText(text)
    edit.blockSignals(False)


def value_label(name: str = "") -> QLabel:
    """A read-only value in a form: wraps, can be selected and copied."""
    label = QLabel()
    if name:
        label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return label


def form() -> QFormLayout:
    """A form that wraps its rows when the window is narrow or the font large."""
    layout = QFormLayout()
    layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    layout.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return layout


def add_row(layout: QFormLayout, text: str, field: QWidget) -> QLabel:
    """A labelled row whose label is the field's buddy (Alt+letter) and accessible name."""
    label = QLabel(text)
    label.setBuddy(field)
    # Short labels stay on one line (a wrapped label beside a one-line field gets clipped);
    # long ones, the risk assessment's questions, wrap beside their taller boxes.
    label.setWordWrap(len(text) > 32)
    if not field.accessibleName():
        field.setAccessibleName(text.replace("&", "").rstrip(":"))
    layout.addRow(label, field)
    return label


class MessageBar(QFrame):
    """A coloured strip that says what went wrong (or right) in words, not colour alone."""

    STYLES = {
        "error": ("#f8d7da", "#842029"),
        "warning": ("#fff3cd", "#664d03"),
        "info": ("#cfe2ff", "#084298"),
        "ok": ("#d1e7dd", "#0f5132"),
    }

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        from PySide6.QtWidgets import QVBoxLayout

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label)
        self.kind = ""
        self.hide()

    def show_message(self, text: str, kind: str = "error") -> None:
        background, foreground = self.STYLES[kind]
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, background)
        palette.setColor(QPalette.ColorRole.WindowText, foreground)
        self.setPalette(palette)
        self.label.setPalette(palette)
        self.label.setText(text)
        self.setAccessibleName(text)
        self.kind = kind
        self.show()

    def clear(self) -> None:
        self.label.clear()
        self.kind = ""
        self.hide()

    def text(self) -> str:
        return self.label.text() if self.isVisibleTo(self.parentWidget() or self) else ""


def reason(error: Exception) -> str:
    """What to tell a person about a failed action: a refusal's own words, else the first line
    of the error (a database's message without SQL)."""
    if isinstance(error, UserError):
        text = str(error)
        return text.removeprefix("Refused: ")
    lines = str(getattr(error, "orig", None) or error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def date_text(day: dt.date | None, empty: str = "—") -> str:
    return format_date(day) if day is not None else empty
