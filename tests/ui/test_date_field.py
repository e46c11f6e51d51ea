"""The one date field (issue 19, item 2), driven by keys: typed dates read by the core, an
optional date typed over cleanly, one Tab stop, arrow keys that change nothing, the calendar
from Alt+Down and F4, a refusal in words, and an extension that starts after the due date."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from caseworker.domain.dates import DateNotRead
from caseworker_ui.date_field import NOT_SET, DateField, date_field
from tests.ui.test_progress_tab import new_case, open_window  # noqa: F401  (a fixture)

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def form(qtbot):
    """A line edit, a required date, an optional date and another line edit, in that order."""
    holder = QWidget()
    column = QVBoxLayout(holder)
    before, after = QLineEdit(), QLineEdit()
    required = date_field(dt.date(2026, 11, 2), "received", "Date received", today=lambda: TODAY)
    optional = date_field(
        None, "firstAware", "Date first aware", optional=True, today=lambda: TODAY
    )
    for widget in (before, required, optional, after):
        column.addWidget(widget)
    qtbot.addWidget(holder)
    holder.show()
    qtbot.waitExposed(holder)
    return holder, before, required, optional, after


def type_into(qtbot, field: DateField, text: str) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("3/12", dt.date(2026, 12, 3)),
        ("3 Dec 2026", dt.date(2026, 12, 3)),
        ("2026-12-03", dt.date(2026, 12, 3)),
        ("today", TODAY),
    ],
)
def test_typed_dates_are_read_and_shown_back(form, qtbot, typed, meant):
    _, _, required, _, _ = form
    changes = []
    required.dateChanged.connect(changes.append)
    type_into(qtbot, required, typed)
    assert required.value() == meant
    assert required.text() == f"{meant.day} {meant:%b %Y}"
    assert len(changes) == 1 and required.problem == ""


def test_an_optional_date_is_typed_over_cleanly_and_cleared_with_delete(form, qtbot):
    _, before, _, optional, _ = form
    assert (optional.text(), optional.placeholderText(), optional.value()) == (
        "",
        "Not given",
        None,
    )
    before.setFocus()
    qtbot.keyClick(before, Qt.Key.Key_Tab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is optional
    qtbot.keyClicks(optional, "10 Nov 2026")  # not "Not given10 Nov 2026"
    qtbot.keyClick(optional, Qt.Key.Key_Tab)
    assert optional.value() == dt.date(2026, 11, 10)
    optional.setFocus()
    optional.selectAll()
    qtbot.keyClick(optional, Qt.Key.Key_Delete)
    assert (optional.text(), optional.date()) == ("", NOT_SET)


def test_a_date_is_one_tab_stop_and_arrow_keys_change_nothing(form, qtbot):
    _, before, required, optional, after = form
    before.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is before)
    seen = []
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == [required, optional, after]
    required.setFocus()
    for key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
        qtbot.keyClick(required, key)
    assert required.value() == dt.date(2026, 11, 2)


@pytest.mark.parametrize(
    ("key", "modifier"),
    [
        (Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_F4, Qt.KeyboardModifier.NoModifier),
    ],
)
def test_the_calendar_opens_from_the_keyboard_and_enter_picks_a_day(form, qtbot, key, modifier):
    _, _, required, _, _ = form
    required.setFocus()
    qtbot.keyClick(required, key, modifier)
    popup = required.popup
    assert popup is not None and popup.isVisible()
    calendar = popup.calendar
    qtbot.waitUntil(
        lambda: (
            QApplication.focusWidget() is calendar.focusWidget()
            or calendar.hasFocus()
            or calendar.isAncestorOf(QApplication.focusWidget())
        )
    )
    target = QApplication.focusWidget()
    qtbot.keyClick(target, Qt.Key.Key_Right)  # 2 Nov → 3 Nov
    qtbot.keyClick(target, Qt.Key.Key_Down)  # → 10 Nov
    qtbot.keyClick(target, Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert required.value() == dt.date(2026, 11, 10)

    qtbot.keyClick(required, Qt.Key.Key_F4)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    assert not popup.isVisible()
    assert required.value() == dt.date(2026, 11, 10)  # Esc picked nothing


def test_text_that_is_no_date_is_kept_and_refused_in_words(form, qtbot):
    _, _, required, _, after = form
    required.setMaximumDate(required.date().fromString("2026-11-25", "yyyy-MM-dd"))
    type_into(qtbot, required, "31/11")
    assert required.text() == "31/11"  # what was typed is kept
    assert required.problem == '"31/11" is not a date: there is no such day'
    assert required.warning_action in required.actions()  # the warning sign in the field
    assert "no such day" in required.accessibleDescription()
    with pytest.raises(DateNotRead, match="no such day"):
        required.value()
    type_into(qtbot, required, "3 Dec 2026")
    assert required.problem == "date received cannot be after 25 Nov 2026: 3 Dec 2026"
    type_into(qtbot, required, "24/11")
    assert (required.problem, required.value()) == ("", dt.date(2026, 11, 24))
    assert required.warning_action not in required.actions()


def test_an_extension_starts_after_the_current_response_date(qtbot, desk, open_window):  # noqa: F811
    # Warwickshire stage 1: respond by Monday 16 November; no later than Monday 14 December.
    window = open_window(new_case(desk, "warwickshire", dt.date(2026, 11, 2)))
    panel = window.progress.panel
    panel.buttons["extend"].setFocus()
    qtbot.keyClick(panel.buttons["extend"], Qt.Key.Key_Space)
    new_date = panel.forms["extend"].fields["new_date"]
    assert new_date.value() == dt.date(2026, 12, 14)
