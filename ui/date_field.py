"""The one date field of the app: type a date, or pick it from a calendar, by keyboard.

A :class:`DateField` is a line edit (one Tab stop) that takes what people type, ``3/12``,
``3 Dec 2026``, ``2026-12-03``, ``today``, read by the core
(:func:`caseworker.domain.dates.read_date`: this module does no date arithmetic), and shows it
back as ``3 Dec 2026`` when the field is left or Enter pressed. Alt+Down or F4 (or the calendar
button inside the field) opens a calendar: the arrow keys move the day there, Enter picks it,
Esc closes it. The arrow keys never change the date in the field itself.

An *optional* date may be "not given": the field is then empty with "Not given" as its grey
placeholder, so typing a date replaces nothing; Delete on a selected date, or clearing the text,
makes it "not given" again.

Text that is no date, or a date out of the field's bounds, stays as typed (nothing is lost), and
the field says what is wrong in words: a warning sign inside it, its tooltip and its accessible
description, and the form that reads it (:meth:`DateField.value`) is refused with the same
sentence.

The methods named as :class:`~PySide6.QtWidgets.QDateEdit`'s (``date``, ``setDate``,
``dateChanged``, ``setMinimumDate``…) work as they do there, with :data:`NOT_SET` standing for
"not given", so forms and tests written for a date edit keep working.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QIcon, QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QLineEdit,
    QSizePolicy,
    QStyle,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.dates import EXAMPLES, DateNotRead, read_date, show_date

NOT_SET = QDate(1900, 1, 1)
"""What :meth:`DateField.date` gives for an optional date that is not given."""


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def to_date(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class CalendarPopup(QWidget):
    """The calendar a date field opens: Enter (or a click) picks the day, Esc closes."""

    picked = Signal(QDate)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("datePopup")
        self.calendar = QCalendarWidget(self)
        self.calendar.setObjectName("dateCalendar")
        self.calendar.setAccessibleName("Calendar: arrow keys move the day, Enter picks it")
        self.calendar.setGridVisible(True)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.addWidget(self.calendar)
        self.calendar.activated.connect(self._pick)
        self.calendar.clicked.connect(self._pick)

    def _pick(self, day: QDate) -> None:
        self.picked.emit(day)
        self.close()

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            event.accept()  # Esc closes the calendar, not the form the field is on
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)


class DateField(QLineEdit):
    dateChanged = Signal(QDate)  # noqa: N815  (named as QDateEdit's)
    """The date the field holds changed (to :data:`NOT_SET` when it is no longer given)."""
    problem_changed = Signal(str)
    """What is wrong with the typed text ("" once it reads as a date again)."""

    def __init__(
        self,
        day: dt.date | None = None,
        *,
        optional: bool = False,
        empty_text: str = "Not given",
        today: Callable[[], dt.date] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.optional = optional
        self.empty_text = empty_text if optional else ""
        self.today = today
        self._value: dt.date | None = day
        self._earliest: dt.date | None = None
        self._latest: dt.date | None = None
        self._problem = ""
        self.popup: CalendarPopup | None = None
        if optional:
            self.setPlaceholderText(empty_text)
        self.setToolTip(f"Type a date ({EXAMPLES}); Alt+Down or F4 opens a calendar")
        self.setAccessibleDescription(self._description())
        self.calendar_action = QAction(
            self._icon(QStyle.StandardPixmap.SP_FileDialogDetailedView), "Calendar (Alt+Down)", self
        )
        self.calendar_action.triggered.connect(self.open_calendar)
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        self.warning_action = QAction(
            self._icon(QStyle.StandardPixmap.SP_MessageBoxWarning), "", self
        )
        # Shown (added to the field) only while the text is no date: a hidden action's icon
        # would still take its place, greyed, beside a good date.
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("30 Sep 2026") + 70)
        self.editingFinished.connect(self.commit)
        self._show_value()

    def _icon(self, which: QStyle.StandardPixmap) -> QIcon:
        return self.style().standardIcon(which)

    def _description(self) -> str:
        empty = " Clear it (Delete) if not given." if self.optional else ""
        return f"Type a date such as {EXAMPLES}; Alt+Down opens a calendar.{empty}"

    # -- the value -----------------------------------------------------------------------------

    def value(self) -> dt.date | None:
        """The date given (None: not given). Reads what was typed first; text that is no date
        raises :class:`~caseworker.domain.dates.DateNotRead` saying what is wrong."""
        self.commit()
        if self._problem:
            raise DateNotRead(self._problem)
        return self._value

    def set_value(self, day: dt.date | None) -> None:
        """Show ``day`` (None: not given, on an optional field)."""
        if day is None and not self.optional:
            return
        self._set_problem("")
        changed = day != self._value
        self._value = day
        self._show_value()
        if changed:
            self.dateChanged.emit(self.date())

    @property
    def problem(self) -> str:
        return self._problem

    def _what(self) -> str:
        name = self.accessibleName() or "the date"
        return name[:1].lower() + name[1:]

    def commit(self) -> None:
        """Read the typed text (the field was left, or Enter pressed)."""
        text = self.text().strip()
        if text == show_date(self._value) and not self._problem:
            return
        if not text and self.optional:
            self.set_value(None)
            return
        try:
            day = read_date(
                text,
                today=self._today(),
                earliest=self._earliest,
                latest=self._latest,
                what=self._what(),
            )
        except DateNotRead as refused:
            self._set_problem(str(refused))
            return
        self.set_value(day)

    def _set_problem(self, problem: str) -> None:
        if problem == self._problem:
            return
        self._problem = problem
        if problem:
            self.addAction(self.warning_action, QLineEdit.ActionPosition.LeadingPosition)
        else:
            self.removeAction(self.warning_action)
        self.warning_action.setToolTip(problem)
        self.warning_action.setText(problem)
        self.setAccessibleDescription(f"Not a date: {problem}" if problem else self._description())
        if problem and self.isVisible():
            QToolTip.showText(self.mapToGlobal(QPoint(0, self.height())), problem, self)
        self.problem_changed.emit(problem)

    def _show_value(self) -> None:
        self.setText(show_date(self._value))

    def _today(self) -> dt.date:
        """The core's today: given, or that of the tab or dialog the field is on (its ``desk``)."""
        if self.today is not None:
            return self.today()
        widget = self.parentWidget()
        while widget is not None:
            context = getattr(widget, "desk", None) or getattr(widget, "_desk", None)
            if context is not None and callable(getattr(context, "today", None)):
                return context.today()
            widget = widget.parentWidget()
        return self._value or dt.date.today()

    # -- QDateEdit's names ---------------------------------------------------------------------

    def date(self) -> QDate:
        return NOT_SET if self._value is None else to_qdate(self._value)

    def setDate(self, day: QDate) -> None:  # noqa: N802
        self.set_value(None if day == NOT_SET or not day.isValid() else to_date(day))

    def setMinimumDate(self, day: QDate) -> None:  # noqa: N802
        self._earliest = None if day == NOT_SET else to_date(day)

    def setMaximumDate(self, day: QDate) -> None:  # noqa: N802
        self._latest = to_date(day)

    def minimumDate(self) -> QDate:  # noqa: N802
        return NOT_SET if self._earliest is None else to_qdate(self._earliest)

    def maximumDate(self) -> QDate:  # noqa: N802
        return QDate(9999, 12, 31) if self._latest is None else to_qdate(self._latest)

    def specialValueText(self) -> str:  # noqa: N802
        return self.empty_text

    # -- keys ----------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key, mods = event.key(), event.modifiers()
        if key == Qt.Key.Key_F4 or (
            key == Qt.Key.Key_Down and mods & Qt.KeyboardModifier.AltModifier
        ):
            self.open_calendar()
            return
        if (
            self.optional
            and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and self.text()
            and self.selectedText() == self.text()
        ):
            self.set_value(None)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.commit()  # then the dialog's default button, as usual
        super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:  # noqa: N802
        super().focusInEvent(event)
        if event.reason() in (
            Qt.FocusReason.TabFocusReason,
            Qt.FocusReason.BacktabFocusReason,
            Qt.FocusReason.ShortcutFocusReason,
        ):
            self.selectAll()  # typing replaces the date, as in any other field

    def open_calendar(self) -> None:
        if self.isReadOnly() or not self.isEnabled():
            return
        self.commit()
        if self.popup is None:
            self.popup = CalendarPopup(self)
            self.popup.picked.connect(self._picked)
        start = self._value or self._today()
        calendar = self.popup.calendar
        calendar.setMinimumDate(to_qdate(self._earliest) if self._earliest else QDate(1900, 1, 2))
        calendar.setMaximumDate(to_qdate(self._latest) if self._latest else QDate(9999, 12, 31))
        calendar.setSelectedDate(to_qdate(start))
        self.popup.adjustSize()
        self.popup.move(self._popup_position())
        self.popup.show()
        calendar.setFocus()

    def _popup_position(self) -> QPoint:
        below = self.mapToGlobal(QPoint(0, self.height()))
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None and below.y() + self.popup.height() > screen.bottom():
            below = self.mapToGlobal(QPoint(0, -self.popup.height()))
        return below

    def _picked(self, day: QDate) -> None:
        self.setDate(day)
        self.setFocus(Qt.FocusReason.PopupFocusReason)


def date_field(
    day: dt.date | None,
    name: str,
    accessible: str,
    *,
    optional: bool = False,
    empty_text: str = "Not given",
    today: Callable[[], dt.date] | None = None,
) -> DateField:
    field = DateField(day, optional=optional, empty_text=empty_text, today=today)
    field.setObjectName(name)
    field.setAccessibleName(accessible)
    return field
