"""Contact steps start on the complainant's preferred way where the case has the details for it
(issue 19): the core decides (lifecycle.default_contact_method), the Progress tab shows it."""

from __future__ import annotations

import datetime as dt

import pytest

from caseworker.domain.enums import ContactMethod
from caseworker.services.cases import intake
from caseworker.services.cases.intake import NewCase, PersonIn
from caseworker.services.cases.progress import progress_of
from caseworker_ui.case_window import CaseWindow


def new_case(desk, person: PersonIn) -> int:
    return intake.create_case(
        desk,
        NewCase(
            policy_id="warwickshire",
            received=dt.date(2026, 11, 2),
            service_area="Highways",
            summary="The pothole outside my house was not repaired.",
            first_aware=dt.date(2026, 10, 30),
            complainant=person,
            issues=("Nobody came to repair the pothole.",),
        ),
    ).id


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        (PersonIn(name="A", phone="0161 000 0000", preferred_contact=ContactMethod.PHONE), "phone"),
        (PersonIn(name="B", address="1 High St", preferred_contact=ContactMethod.PHONE), "letter"),
        (
            PersonIn(name="C", email="c@example.com", preferred_contact=ContactMethod.LETTER),
            "email",
        ),
        (PersonIn(name="D", email="d@example.com", phone="0161 000 0001"), "email"),
        (PersonIn(name="E", phone="0161 000 0002"), "phone"),
    ],
)
def test_the_core_chooses_the_way_that_can_reach_them(desk, person, expected):
    assert progress_of(desk, new_case(desk, person)).contact_method == ContactMethod(expected)


def test_the_attempt_form_starts_on_the_phone_for_someone_without_email(qtbot, desk):
    case_id = new_case(
        desk, PersonIn(name="Priya Shah", phone="0161 000 0000", preferred_contact="phone")
    )
    window = CaseWindow(desk, case_id)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentWidget(window.progress)
    forms = window.progress.panel.forms
    assert forms["attempt"].value("method") == ContactMethod.PHONE
    assert forms["extend"].value("told_method") == ContactMethod.PHONE
    window.close()
