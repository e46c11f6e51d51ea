"""Issue 19: a line manager's allocation by key presses only: Manage ▸ Allocate cases… from the
case list, the waiting case and an officer chosen with the arrow keys, a reason typed, Alt+A to
allocate; the officer read back from the core and from its audit trail."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu
from sqlalchemy import select

from caseworker.bootstrap import open_app
from caseworker.storage.models import AuditEvent, Case
from tests.integration.test_managers_work import new_case
from tests.officers import add_team
from tests.ui.keys import activate

ALT = Qt.KeyboardModifier.AltModifier


def key(qtbot: Any, k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier):
    widget = QApplication.activePopupWidget() or QApplication.focusWidget()
    assert widget is not None, "nothing has the focus"
    qtbot.keyClick(widget, k, modifier)
    if modifier == ALT:
        qtbot.wait(150)  # an access key on a button "animates" its click


def test_a_line_managers_allocation_by_keys(qtbot: Any, app: Any) -> None:
    from caseworker_ui.app import main_window

    ids = add_team(app)
    first = new_case(app)  # Waste, stage 1, waiting for an officer
    opened = open_app(app.url, actor="lee", upgrade=False)
    try:
        window = main_window(opened)
        qtbot.addWidget(window)
        window.resize(1366, 728)
        window.show()
        activate(qtbot, window)

        key(qtbot, Qt.Key.Key_M, ALT)  # the Manage menu
        qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
        key(qtbot, Qt.Key.Key_A)  # Allocate cases…
        qtbot.waitUntil(lambda: getattr(window, "allocation_window", None) is not None)
        shown = window.allocation_window
        activate(qtbot, shown)
        qtbot.waitUntil(lambda: not shown.loading)  # "Reading the cases waiting…" meanwhile

        key(qtbot, Qt.Key.Key_W, ALT)  # Waiting for an officer
        assert QApplication.focusWidget() is shown.queue_table
        key(qtbot, Qt.Key.Key_Home)
        assert shown.case is not None and shown.case.id == first
        assert shown.case_label.text().startswith("CW-2026-00001")

        key(qtbot, Qt.Key.Key_L, ALT)  # Officers' load
        assert QApplication.focusWidget() is shown.loads_table
        key(qtbot, Qt.Key.Key_Home)
        for _ in range(shown.load_model.rowCount()):
            if shown.chosen_officer_id() == ids["bob"]:
                break
            key(qtbot, Qt.Key.Key_Down)
        assert shown.chosen_officer_id() == ids["bob"]
        assert shown.officer_label.text().startswith("Bob Jones")

        key(qtbot, Qt.Key.Key_R, ALT)  # Reason
        assert QApplication.focusWidget() is shown.reason_edit
        qtbot.keyClicks(shown.reason_edit, "Bob knows the round")
        assert shown.allocate_button.isEnabled()
        key(qtbot, Qt.Key.Key_A, ALT)  # Allocate
        qtbot.waitUntil(lambda: shown.message_bar.text() == "Allocated CW-2026-00001 to Bob Jones")

        with app.uow() as uow:
            assert uow.session.get(Case, first).officer_id == ids["bob"]
            events = uow.session.scalars(
                select(AuditEvent).where(
                    AuditEvent.case_id == first, AuditEvent.field == "officer_id"
                )
            ).all()
            assert [(e.actor, e.new_value) for e in events] == [("lee", str(ids["bob"]))]

        # Now held by Bob, the button offers to reallocate, with an access key of its own.
        assert shown.allocate_button.text() == "Re&allocate"
        key(qtbot, Qt.Key.Key_Escape)  # Esc closes the window; the case list is back
        assert not shown.isVisible()
        shown.close()
        window.close()
    finally:
        opened.close()
