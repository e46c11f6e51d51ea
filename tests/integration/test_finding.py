"""Finding, as the screens ask for it (one function each, given the Context): search hits with
who and where, Today lines with the complainant and the tab to open, previous complaints, and a
plain reason when the login is no officer's."""

from __future__ import annotations

import datetime as dt

import pytest

from caseworker.domain.enums import CaseStatus, NoteKind, Outcome, Role
from caseworker.domain.finding import SECTION_OF_MATCH
from caseworker.services.cases.intake import NewCase, PersonIn, create_case
from caseworker.services.lists.today import today_list
from caseworker.services.search.fulltext import search
from caseworker.services.search.previous import previous_for_case
from caseworker.storage.models import Case, Note, Officer

TODAY = dt.date(2026, 11, 27)


def save(app, name: str, email: str, received: dt.date) -> int:  # noqa: ANN001
    return create_case(
        app.context(today=lambda: received),
        NewCase(
            policy_id="stockport",
            received=received,
            service_area="Highways",
            summary="Pothole on Larkspur Avenue",
            first_aware=received - dt.timedelta(days=5),
            complainant=PersonIn(name=name, email=email, postcode="QQ1 1AA"),
            issues=("The pothole was not filled.",),
        ),
    ).id


def test_search_hits_carry_the_complainant_status_and_section(app) -> None:  # noqa: ANN001
    check_search_hits(app)


@pytest.mark.postgres
def test_search_hits_and_today_on_postgresql(pg_url) -> None:  # noqa: ANN001
    from caseworker.bootstrap import open_app
    from caseworker.services.officers import link_to_complaints_manager

    app = open_app(pg_url, actor="tester")
    try:
        link_to_complaints_manager(app.context())  # cases are recorded by an officer
        check_search_hits(app)
        check_today(app)
    finally:
        app.close()


def check_search_hits(app) -> None:  # noqa: ANN001
    first = save(app, "Ann Example", "ann@example.org", dt.date(2026, 11, 2))
    with app.uow() as uow:
        case = uow.session.get(Case, first)
        case.status, case.outcome = CaseStatus.CLOSED, Outcome.UPHELD
        case.issues[0].notes.append(
            Note(kind=NoteKind.FACT, text="The gully was blocked", author="tester")
        )
        uow.commit()
    ctx = app.context(actor="tester", today=lambda: TODAY)
    [hit] = search(ctx, "gully")
    assert (hit.case_id, hit.complainant, hit.status, hit.outcome) == (
        first,
        "Ann Example",
        CaseStatus.CLOSED,
        Outcome.UPHELD,
    )
    assert [(m.kind, m.section) for m in hit.matches] == [("note", "issues")]
    assert search(ctx, "   ") == []
    assert search(app.context(actor="visitor"), "gully") == []  # a login linked to no officer
    assert set(SECTION_OF_MATCH.values()) <= {
        "overview",
        "issues",
        "interviews",
        "letters",
        "documents",
    }


def test_today_for_an_officer_and_for_a_login_that_is_not_one(app) -> None:  # noqa: ANN001
    check_today(app)


def check_today(app) -> None:  # noqa: ANN001
    with app.uow() as uow:
        olive = Officer(
            name="Olive Officer",
            email="olive@example.gov.uk",
            login="olive",
            role=Role.INVESTIGATING_OFFICER,
            service_area="Highways",
        )
        uow.session.add(olive)
        uow.commit()
        olive_id = olive.id
    case_id = save(app, "Ann New", "ann@example.org", dt.date(2026, 11, 23))
    with app.uow() as uow:
        uow.session.get(Case, case_id).officer_id = olive_id
        uow.commit()

    today = today_list(app.context(actor="olive", today=lambda: TODAY))
    assert today.officer == "Olive Officer" and today.day == TODAY and not today.problem
    [line] = today.lines
    assert (line.case_id, line.complainant, line.section, line.opens_at) == (
        case_id,
        "Ann New",
        "acknowledgement",
        "letters",
    )

    nobody = today_list(app.context(actor="visitor", today=lambda: TODAY))
    assert nobody.officer is None and nobody.lines == []
    assert nobody.problem.startswith(
        "Your login 'visitor' is not linked to an officer record, so no case is shown to you"
    )
    assert "caseworker officers --set-login <your email> --login visitor" in nobody.problem


def test_previous_complaints_of_a_case(app) -> None:  # noqa: ANN001
    first = save(app, "Ann Example", "ann@example.org", dt.date(2026, 11, 2))
    second = save(app, "Ann Example", "ann@example.org", dt.date(2026, 11, 20))
    found = previous_for_case(app.context(actor="tester", today=lambda: TODAY), second)
    assert [c.case_id for c in found.cases] == [first]
    assert found.likely_duplicate is not None and found.likely_duplicate.case_id == first
