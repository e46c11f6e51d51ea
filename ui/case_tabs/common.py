"""Small pieces the case file tabs and dialogs share: optional dates, message bars, labels."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QWidget,
)

from caseworker.errors import UserError
from caseworker_ui.date_field import NOT_SET, DateField, date_field, to_date, to_qdate

__all__ = ["NOT_SET", "to_date", "to_qdate"]  # kept here for the tabs and dialogs that use them
from caseworker_ui.models.case_list import format_date


def date_edit(day: dt.date, name: str, accessible: str) -> DateField:
    """A date that must be given (see :class:`~caseworker_ui.date_field.DateField`)."""
    return date_field(day, name, accessible)


def optional_date_edit(
    name: str,
    accessible: str,
    empty_text: str = "Not given",
    *,
    today: Callable[[], dt.date] | None = None,
) -> DateField:
    """A date that may be "not given" (an empty field saying so); "today", typed or as the
    calendar's first day, is ``today`` (the core's) or the tab's or dialog's."""
    return date_field(None, name, accessible, optional=True, empty_text=empty_text, today=today)


def read_optional(edit: DateField) -> dt.date | None:
    """The date given, None when not given; text that is no date is refused in words."""
    return edit.value()


def write_optional(edit: DateField, day: dt.date | None) -> None:
    edit.set_value(day)


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


T = TypeVar("T")


def despite_failing_checks(parent: QWidget, doing: str, attempt: Callable[[str], T]) -> T:
    """``attempt("")``; where the core refuses because the letter's checks fail, ask the officer
    why it is ``doing`` ("sent") as it is (through ui/discard, so tests answer) and try again with
    that reason, which the core keeps and audits. No reason given: the refusal stands."""
    import caseworker_ui.discard as ask  # looked up here, so a test can answer
    from caseworker.domain.refusals import LetterChecksFail

    try:
        return attempt("")
    except LetterChecksFail as refused:
        gaps = refused.gaps or (reason(refused),)
        count = len(gaps)
        why, accepted = ask.ask_reason(
            parent,
            f"Letter {doing} although it fails its checks",
            f"The letter lacks {count} thing{'s' if count != 1 else ''} the policy or "
            f"Appendix A requires (first: {gaps[0]}).\nWhy is it {doing} as it is? "
            "The reason is kept with the letter.",
        )
        if not accepted or not why.strip():
            raise
        return attempt(why)
