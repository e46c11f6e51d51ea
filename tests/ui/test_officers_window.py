"""Officers in the app (issue 19): a complaints manager adds a colleague, links their login,
corrects their details and deactivates them, by keys, through the same core functions as
``caseworker officers``; a line manager sees the team and why they may not change it."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from caseworker.domain.enums import Role
from caseworker.services import officers
from caseworker.storage.models import AuditEvent, Officer
from caseworker_ui.managers.officers import OfficersWindow


def team(app) -> dict[str, tuple]:
    with app.uow() as uow:
        return {
            o.email: (o.name, o.role, o.service_area, o.login, o.active)
            for o in uow.session.scalars(select(Officer))
        }


@pytest.fixture
def window(qtbot, desk):
    shown = OfficersWindow(desk)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    shown.activateWindow()
    qtbot.waitUntil(shown.isActiveWindow)
    yield shown
    shown.close()


def press(qtbot, button: Any) -> None:
    """A button pressed from the keyboard: Tab to it, Space."""
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


def type_into(qtbot, edit: Any, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def test_a_complaints_manager_adds_links_corrects_and_deactivates(qtbot, app, desk, window):
    press(qtbot, window.new_button)
    assert window.name_edit.hasFocus()
    qtbot.keyClicks(window.name_edit, "Lyn Hart")
    type_into(qtbot, window.email_edit, "lyn@council.example")
    window.role_combo.setFocus()
    qtbot.keyClick(window.role_combo, Qt.Key.Key_Down)  # line manager
    type_into(qtbot, window.area_edit, "Housing")
    type_into(qtbot, window.login_edit, "lhart")
    qtbot.keyClick(window.login_edit, Qt.Key.Key_Return)  # Enter saves the form
    assert team(app)["lyn@council.example"] == (
        "Lyn Hart",
        Role.LINE_MANAGER,
        "Housing",
        "lhart",
        True,
    )
    assert window.message.text() == "Saved: Lyn Hart."
    assert window.name_edit.text() == "Lyn Hart"  # the saved officer stays chosen
    assert window.isVisible()

    # Corrected and deactivated: each change audited under the complaints manager's login.
    type_into(qtbot, window.area_edit, "Housing Repairs")
    window.active_check.setFocus()
    qtbot.keyClick(window.active_check, Qt.Key.Key_Space)
    press(qtbot, window.save_button)
    assert team(app)["lyn@council.example"][2:] == ("Housing Repairs", "lhart", False)
    with app.uow() as uow:
        fields = set(
            uow.session.scalars(
                select(AuditEvent.field).where(
                    AuditEvent.entity == "officers", AuditEvent.actor == desk.actor
                )
            )
        )
    assert {"service_area", "active"} <= fields


def test_a_mistake_is_refused_with_nothing_changed(qtbot, app, window):
    before = team(app)
    press(qtbot, window.new_button)
    qtbot.keyClicks(window.name_edit, "No Email")
    type_into(qtbot, window.email_edit, "not-an-address")
    type_into(qtbot, window.area_edit, "Housing")
    qtbot.keyClick(window.area_edit, Qt.Key.Key_Return)
    assert window.message.text() == "Not saved: 'not-an-address' is not an email address"
    assert window.name_edit.text() == "No Email"  # typed work kept
    assert team(app) == before


def test_a_line_manager_sees_the_team_read_only(qtbot, app, desk):
    officers.add_officer(
        desk,
        name="Lee Line",
        email="lee@council.example",
        role="line-manager",
        service_area="Waste",
        login="lee",
    )
    with app.uow() as uow:
        count = uow.session.scalar(select(func.count()).select_from(Officer))
    shown = OfficersWindow(desk.acting_as("lee"))
    qtbot.addWidget(shown)
    assert shown.model.rowCount() == count
    assert not shown.save_button.isEnabled() and not shown.new_button.isEnabled()
    assert "only a complaints manager" in shown.message.text() or "may not" in shown.message.text()


def test_only_a_complaints_manager_corrects_details(app, desk):
    from caseworker.domain.refusals import NotPermitted

    officers.add_officer(
        desk,
        name="Lee Line",
        email="lee@council.example",
        role="line-manager",
        service_area="Waste",
        login="lee",
    )
    before = team(app)
    with pytest.raises(NotPermitted, match="Lee Line"):
        officers.set_details(desk.acting_as("lee"), "lee@council.example", service_area="All")
    assert team(app) == before
    officers.set_details(desk, "lee@council.example", name="Lee Lyne", new_email="ll@c.example")
    assert team(app)["ll@c.example"][:3] == ("Lee Lyne", Role.LINE_MANAGER, "Waste")


def test_esc_asks_before_throwing_away_typed_changes(qtbot, window, monkeypatch):
    asked: list[str] = []
    answer = [False]

    def ask(_parent, what="this form"):
        asked.append(what)
        return answer[0]

    monkeypatch.setattr("caseworker_ui.discard.ask_discard", ask)
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # nothing typed: closes without asking
    assert asked == [] and not window.isVisible()
    window.show()
    qtbot.waitExposed(window)
    window.name_edit.setFocus()
    qtbot.keyClicks(window.name_edit, " Jr")
    qtbot.keyClick(window.name_edit, Qt.Key.Key_Escape)  # kept: still open, the text too
    assert asked == ["the changes to this officer"]
    assert window.isVisible() and window.name_edit.text().endswith(" Jr")
    answer[0] = True
    qtbot.keyClick(window.name_edit, Qt.Key.Key_Escape)
    assert not window.isVisible()


@pytest.mark.parametrize("answer", ["keep", "discard", "save"])
def test_choosing_another_officer_asks_about_typed_changes(
    qtbot, app, desk, real_questions, answer
):
    """Typed changes to one officer, then Down in the list to the next: Save, Discard, or keep
    editing (the first officer stays chosen, the text as typed), answered by keys."""
    from tests.ui.keys import ESC, alt, answer_box

    officers.add_officer(
        desk,
        name="Ann Able",
        email="ann@council.example",
        role="line-manager",
        service_area="Waste",
    )
    shown = OfficersWindow(desk)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    shown.activateWindow()
    qtbot.waitUntil(shown.isActiveWindow)
    first = shown.model.officer_at(0)
    second = shown.model.officer_at(1)
    assert first is not None and second is not None
    assert shown.name_edit.text() == first.name
    qtbot.keyClick(shown, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # Alt+N: the name
    assert shown.name_edit.hasFocus()
    qtbot.keyClick(shown.name_edit, Qt.Key.Key_End)  # the access key selected it all
    qtbot.keyClicks(shown.name_edit, " Jr")
    before = team(app)
    asked: list[str] = []
    keys = {"keep": [ESC], "discard": [alt("d")], "save": [alt("s")]}[answer]
    answer_box(keys, asked)
    shown.table.setFocus()
    qtbot.keyClick(shown.table, Qt.Key.Key_Down)
    assert asked == [f"You have changed {first.name}'s record. Save the changes first?"]
    if answer == "keep":
        assert shown.table.currentIndex().row() == 0
        assert shown.name_edit.text() == first.name + " Jr"
        assert team(app) == before
    else:
        assert shown.table.currentIndex().row() == 1
        assert shown.name_edit.text() == second.name
        saved = team(app)[first.email][0]
        assert saved == (first.name + " Jr" if answer == "save" else first.name)
    shown._shown = shown._form_values()  # nothing left to ask about as the test ends
