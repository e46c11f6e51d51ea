"""Issue 19, item 1: what an officer typed on a point is still shown when they come back to it.

Driven by keys only: the finding chosen with the arrow keys, the explanation and remedy typed,
then Down and Up in the list of points. The window must show what the database holds, in the
editor and in the list, without F5."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from caseworker.services.cases import casefile
from caseworker.services.investigation import issues as investigation
from tests.ui.test_case_window import case_id, desk, window  # noqa: F401  (fixtures)


def focus(qtbot, widget) -> None:
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def test_a_point_keeps_its_finding_after_switching_points(window, qtbot, desk, case_id):  # noqa: F811
    investigation.add_issue(desk, case_id, "The warden was rude.")
    window.reload()
    tab = window.issues
    window.tabs.setCurrentWidget(tab)
    focus(qtbot, tab.issue_list)
    assert tab.heading.text() == "Issue 1"

    focus(qtbot, tab.finding_combo)
    qtbot.keyClick(tab.finding_combo, Qt.Key.Key_Down)  # No finding yet → Upheld
    assert tab.finding_combo.currentText() == "Upheld"
    qtbot.keyClicks(tab.text_edits["explanation"], "The bay allows loading.")
    qtbot.keyClicks(tab.text_edits["remedy"], "Ticket cancelled.")

    focus(qtbot, tab.issue_list)
    qtbot.keyClick(tab.issue_list, Qt.Key.Key_Down)
    assert tab.heading.text() == "Issue 2"
    assert tab.finding_combo.currentText() == "No finding yet"
    assert tab.text_edits["explanation"].toPlainText() == ""
    qtbot.keyClick(tab.issue_list, Qt.Key.Key_Up)
    assert tab.heading.text() == "Issue 1"

    # What the database holds...
    stored = casefile.load_case_file(desk, case_id).issues[0]
    assert (stored.finding.value, stored.explanation, stored.remedy) == (
        "upheld",
        "The bay allows loading.",
        "Ticket cancelled.",
    )
    # ...is what the officer sees, in the editor and in the list.
    assert tab.finding_combo.currentText() == "Upheld"
    assert tab.text_edits["explanation"].toPlainText() == "The bay allows loading."
    assert tab.text_edits["remedy"].toPlainText() == "Ticket cancelled."
    first = tab.issues_model.index(0).data()
    assert "Upheld" in first and "No finding yet" not in first
    assert tab.issue_list.currentIndex().row() == 0
