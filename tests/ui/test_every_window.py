"""Issue 19, items 4 and 5 and accessibility, over every top-level window: the case list, a case
file (each tab), New case, Reports and Allocation.

* unique access keys: among what is on screen at once (a case file's tab at a time), no two
  controls answer the same Alt+letter, and every labelled field has one (its label's);
* every interactive control has an accessible name, read through Qt's accessibility tree
  (``QAccessible``), as a screen reader would;
* each window fits a 1366×768 screen at 100% and a 1920×1080 screen at 150% (1280×720 logical
  pixels), less a taskbar;
* Reports and Allocation close with Esc and with Ctrl+W.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from caseworker.services.context import Context
from caseworker_ui.case_window import CaseWindow
from caseworker_ui.dialogs.new_case import NewCaseDialog
from caseworker_ui.managers.allocation import AllocationWindow
from caseworker_ui.reports.dashboard import ReportsWindow
from tests.ui.conftest import LOGIN, TODAY
from tests.ui.keys import activate, show_tab

SCREENS = {"1366×768 at 100%": (1366, 768 - 40), "1920×1080 at 150%": (1280, 720 - 40)}
"""Logical pixels a window may take, less a taskbar."""


@pytest.fixture
def ctx(app, some_cases) -> Context:
    return app.context(actor=LOGIN, today=lambda: TODAY)


def shown(qtbot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&])", text.replace("&&", ""))
    return found[1].lower() if found else None


def access_keys(window: QWidget) -> dict[str, list[str]]:
    """Alt+letter → the visible controls that answer it."""
    keys: dict[str, list[str]] = defaultdict(list)

    def visible(widget: QWidget) -> bool:
        return widget.isVisibleTo(window) and widget.window() is window

    for label in window.findChildren(QLabel):
        if visible(label) and label.buddy() is not None and (key := mnemonic(label.text())):
            keys[key].append(f"label {label.text()!r}")
    for button in window.findChildren(QAbstractButton):
        if visible(button) and (key := mnemonic(button.text())):
            keys[key].append(f"button {button.text()!r}")
    for box in window.findChildren(QGroupBox):  # checkable: ticks it; else: its first field
        if visible(box) and (key := mnemonic(box.title())):
            keys[key].append(f"group {box.title()!r}")
    for tabs in window.findChildren(QTabWidget):
        if visible(tabs):
            for index in range(tabs.count()):
                if key := mnemonic(tabs.tabText(index)):
                    keys[key].append(f"tab {tabs.tabText(index)!r}")
    menu_bar = getattr(window, "menuBar", None)
    if menu_bar is not None and window.findChild(
        QWidget, "", Qt.FindChildOption.FindDirectChildrenOnly
    ):
        for action in window.menuBar().actions():
            if key := mnemonic(action.text()):
                keys[key].append(f"menu {action.text()!r}")
    return keys


EDITABLE = (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox)


def unkeyed(window: QWidget) -> list[str]:
    """Labels of fields one types into or chooses from that have no access key: the field can
    only be reached by Tab (or the mouse)."""
    found = []
    for label in window.findChildren(QLabel):
        field = label.buddy()
        if field is None or not label.isVisibleTo(window) or label.window() is not window:
            continue
        if not isinstance(field, EDITABLE) or getattr(field, "isReadOnly", lambda: False)():
            continue  # a value shown, a list or a table: not a field typed into
        if mnemonic(label.text()) is None and not _in_keyed_section(field):
            found.append(label.text())
    return found


def _in_keyed_section(field: QWidget) -> bool:
    """The field is in a group box with an access key (New case's numbered sections, Alt+1…7:
    the section's first field, then Tab): that form has more fields than letters."""
    parent = field.parentWidget()
    while parent is not None:
        if isinstance(parent, QGroupBox) and mnemonic(parent.title()):
            return True
        parent = parent.parentWidget()
    return False


BY_TAB_ONLY = {
    "a case file Issues and notes": [
        "Show:",
        "Action (for officers):",
        "The action as the complainant reads it:",
    ],
}
"""Labelled fields reached by Tab alone: a point's tab has more fields than the letters the
window's tabs and menus leave free. Each follows a field that has a key (the notes list's filter
follows "Add point"; the two actions follow the lesson learnt)."""


def duplicates(window: QWidget) -> dict[str, list[str]]:
    return {key: who for key, who in access_keys(window).items() if len(who) > 1}


INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
)


def unnamed(window: QWidget) -> list[str]:
    """Interactive controls whose accessible name, as the accessibility tree gives it, is empty."""
    missing = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or not widget.isVisibleTo(window):
            continue
        if widget.window() is not window or not widget.isEnabled():
            continue
        parent = widget.parentWidget()
        if isinstance(widget, QLineEdit) and isinstance(parent, (QComboBox, QAbstractSpinBox)):
            continue  # read out as its combo box or spin box
        if isinstance(widget, QHeaderView):
            continue  # a table's header: read out with the table
        if (
            type(widget).__name__ in ("QToolButton",)
            and not widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            continue  # a scroll bar's or tab bar's arrow: no Tab stop, not a control of ours
        interface = QAccessible.queryAccessibleInterface(widget)
        name = interface.text(QAccessible.Text.Name) if interface is not None else ""
        if not name.strip():
            missing.append(f"{type(widget).__name__} {widget.objectName() or '(no object name)'}")
    return missing


def each_view(window: QWidget):
    """The window, then (a case file) each of its tabs in turn."""
    tabs = window.findChild(QTabWidget, "caseTabs")
    if tabs is None:
        yield "", window
        return
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        yield tabs.tabText(index).replace("&", ""), window


def windows(qtbot, ctx: Context, window, case_id: int):
    from caseworker_ui.dialogs.interview import InterviewDialog
    from caseworker_ui.managers.officers import OfficersWindow

    yield "the case list", window
    yield "a case file", shown(qtbot, CaseWindow(ctx, case_id))
    yield "New case", shown(qtbot, NewCaseDialog(ctx))
    yield "Record an interview", shown(qtbot, InterviewDialog(TODAY))
    yield "Officers", shown(qtbot, OfficersWindow(ctx))
    yield "Reports", shown(qtbot, ReportsWindow(ctx))
    yield "Allocation", shown(qtbot, AllocationWindow(ctx))


@pytest.fixture
def case_id(app, ctx) -> int:
    """Jo's case, worked on so that every tab shows its fields: a point, an interview, a risk
    assessment."""
    from sqlalchemy import select

    from caseworker.services.investigation import homevisit
    from caseworker.services.investigation import issues as investigation
    from caseworker.services.investigation.issues import InterviewIn
    from caseworker.storage.models import Case, Issue

    with app.uow() as uow:
        case = uow.session.scalar(select(Case).where(Case.reference == "CW-2026-00002"))
        case.issues = [Issue(number=1, summary="The repair was not done.")]
        uow.commit()
        found = case.id
    investigation.record_interview(ctx, found, InterviewIn("Sam Driver", TODAY))
    homevisit.start_assessment(ctx, found)
    return found


def test_every_labelled_field_has_an_access_key(qtbot, ctx, window, case_id):
    found = {}
    for name, top in windows(qtbot, ctx, window, case_id):
        for part, _ in each_view(top):
            where = f"{name} {part}".strip()
            if missing := [m for m in unkeyed(top) if m not in BY_TAB_ONLY.get(where, [])]:
                found[where] = missing
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())


def test_access_keys_are_unique_on_every_window(qtbot, ctx, window, case_id):
    found = {}
    for name, top in windows(qtbot, ctx, window, case_id):
        for part, _ in each_view(top):
            if clash := duplicates(top):
                found[f"{name} {part}".strip()] = clash
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())


def test_every_control_has_an_accessible_name(qtbot, ctx, window, case_id):
    found = {}
    for name, top in windows(qtbot, ctx, window, case_id):
        for part, _ in each_view(top):
            if missing := unnamed(top):
                found[f"{name} {part}".strip()] = missing
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())


@pytest.mark.parametrize("screen", SCREENS)
def test_every_window_fits_the_screen(qtbot, ctx, window, case_id, screen):
    width, height = SCREENS[screen]
    too_big = {}
    for name, top in windows(qtbot, ctx, window, case_id):
        for part, _ in each_view(top):
            hint = top.minimumSizeHint().expandedTo(top.minimumSize())
            if hint.width() > width or hint.height() > height:
                too_big[f"{name} {part}".strip()] = (hint.width(), hint.height())
    assert too_big == {}


def test_the_case_windows_key_buttons_can_be_seen_at_1366_by_768(qtbot, ctx, case_id):
    top = shown(qtbot, CaseWindow(ctx, case_id))
    top.resize(*SCREENS["1366×768 at 100%"])
    top.tabs.setCurrentWidget(top.issues)
    qtbot.wait(50)
    for button in (top.issues.add_issue_button,):
        assert not button.visibleRegion().isEmpty(), button.text()
    top.tabs.setCurrentWidget(top.letters)
    qtbot.wait(50)
    opener = top.letters.open_button
    assert not opener.visibleRegion().isEmpty()
    assert not top.save_state.visibleRegion().isEmpty() or top.save_state.text() == ""
    assert top.statusBar().geometry().bottom() <= top.height()


@pytest.mark.parametrize("make", [ReportsWindow, AllocationWindow])
@pytest.mark.parametrize("keys", ["Esc", "Ctrl+W"])
def test_reports_and_allocation_close_with_esc_and_ctrl_w(qtbot, ctx, make, keys):
    top = shown(qtbot, make(ctx))
    activate(qtbot, top)
    if keys == "Esc":
        qtbot.keyClick(top, Qt.Key.Key_Escape)
    else:
        qtbot.keyClick(top, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert not top.isVisible()


def test_the_walks_can_fail(qtbot):
    """The checks above find what they look for: a window with two Alt+S, an unnamed box."""
    top = QWidget()
    first, second = QLabel("&Summary"), QLabel("&Service")
    first.setBuddy(QLineEdit(top))
    second.setBuddy(QLineEdit(top))
    first.setParent(top)
    second.setParent(top)
    QLineEdit(top).setObjectName("nameless")
    third = QLabel("Postcode:", top)
    third.setBuddy(QLineEdit(top))
    shown(qtbot, top)
    assert "s" in duplicates(top)
    assert unnamed(top) == ["QLineEdit nameless"]
    assert unkeyed(top) == ["Postcode:"]
    assert dt.date(2026, 11, 25) == TODAY


def test_access_keys_stay_unique_with_each_step_form_open(qtbot, ctx, case_id):
    from caseworker_ui.case_tabs.steps import StepPanel

    top = shown(qtbot, CaseWindow(ctx, case_id))
    found = {}
    for tab in (top.progress, top.stage2):
        top.tabs.setCurrentWidget(tab)
        for panel in tab.findChildren(StepPanel):
            for key in panel.forms:
                panel.open(key)
                if clash := duplicates(top):
                    found[key] = clash
                panel.close_form()
    assert found == {}


def test_every_step_button_has_an_access_key(qtbot, ctx, case_id):
    """Each step on Progress and Next stage answers its own Alt+letter, and that letter opens
    that step's form."""
    from caseworker_ui.case_tabs.steps import StepPanel

    top = shown(qtbot, CaseWindow(ctx, case_id))
    without = []
    for tab in (top.progress, top.stage2):
        show_tab(qtbot, top, tab)  # its widgets are made when it is first shown
        assert tab.findChildren(StepPanel)
        for panel in tab.findChildren(StepPanel):
            without += [b.text() for b in panel.buttons.values() if mnemonic(b.text()) is None]
    assert without == []


def test_a_new_case_field_without_a_letter_is_its_sections_number_then_tab(qtbot, ctx):
    """New case has more fields than letters: Alt+5 goes to "Someone acting for them", Space
    ticks it and goes on to the representative's name; Shift+Tab reaches their title."""
    form = shown(qtbot, NewCaseDialog(ctx))
    activate(qtbot, form)
    qtbot.keyClick(form, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)
    assert form.focusWidget() is form.rep_check
    qtbot.keyClick(form.rep_check, Qt.Key.Key_Space)
    assert form.focusWidget() is form.rep_name_edit
    qtbot.keyClick(form.rep_name_edit, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert form.rep_title_combo.isAncestorOf(form.focusWidget()) or (
        form.focusWidget() is form.rep_title_combo
    )
    qtbot.keyClick(form, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    assert form.focusWidget() is form.anonymous_check
