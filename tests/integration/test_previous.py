"""Previous complaints: the same person (email; postcode with the name spelt differently), the
same address, with outcomes; a likely duplicate flagged at intake."""

from __future__ import annotations

import datetime as dt

import pytest

from caseworker.domain.enums import CaseStatus, Outcome
from caseworker.services.cases.intake import NewCase, PersonIn, create_case
from caseworker.services.search.previous import (
    name_ratio,
    normal_postcode,
    previous_for_case,
    previous_for_draft,
)
from caseworker.storage.models import Case

TODAY = dt.date(2026, 11, 25)


def draft(
    name: str,
    *,
    email: str = "",
    postcode: str = "",
    address: str = "",
    service: str = "Waste and recycling",
    received: dt.date = dt.date(2026, 11, 23),
) -> NewCase:
    return NewCase(
        policy_id="stockport",
        received=received,
        service_area=service,
        summary="A complaint",
        first_aware=received - dt.timedelta(days=10),
        complainant=PersonIn(name=name, email=email, postcode=postcode, address=address),
        issues=("Something went wrong.",),
    )


def save(app, new: NewCase) -> int:  # noqa: ANN001
    return create_case(app.context(today=lambda: TODAY), new).id


def test_names_and_postcodes_are_normalised() -> None:
    assert name_ratio("Ann  O'Neill", "ann oneill") >= 0.85
    assert name_ratio("Example, Ann", "Ann Example") == 1.0
    assert name_ratio("Ann Example", "Bob Sample") < 0.85
    assert normal_postcode(" qq1 1aa ") == normal_postcode("QQ11AA")


def test_previous_complaints_of_a_person_and_an_address(app) -> None:  # noqa: ANN001
    old = save(
        app,
        draft(
            "Ann O'Neill",
            email="Ann@Example.org",
            postcode="QQ1 1AA",
            address="1 High Street",
            service="Highways",
            received=dt.date(2026, 3, 2),
        ),
    )
    with app.uow() as uow:
        case = uow.session.get(Case, old)
        case.status, case.outcome = CaseStatus.CLOSED, Outcome.PARTIALLY_UPHELD
        uow.commit()
    by_postcode = save(
        app,
        draft(
            "Anne ONeill", postcode="qq11aa", address="1 High Street", received=dt.date(2026, 10, 1)
        ),
    )
    neighbour = save(
        app,
        draft(
            "Carl Other", postcode="QQ1 1AA", address="1, High Street", received=dt.date(2026, 9, 1)
        ),
    )
    save(app, draft("Ann Example", postcode="ZZ9 9ZZ", address="9 Far Road"))  # unrelated

    found = previous_for_draft(
        app.context(),
        draft(
            "ann o neill",
            email="ann@example.org",
            postcode="QQ1 1AA",
            address="1 High Street",
            service="Waste and recycling",
        ),
    )
    by_id = {c.case_id: c for c in found.cases}
    assert set(by_id) == {old, by_postcode, neighbour}
    assert "same email" in by_id[old].reasons and by_id[old].outcome == Outcome.PARTIALLY_UPHELD
    assert (
        by_id[by_postcode].same_person
        and "same postcode, similar name" in by_id[by_postcode].reasons
    )
    assert not by_id[neighbour].same_person
    assert by_id[neighbour].reasons == ("same address", "same service")
    assert [c.case_id for c in found.same_person] == [by_postcode, old]  # newest first
    # the October case is open, same person, same service, but 53 days before: not a duplicate
    assert found.likely_duplicate is None

    opened = previous_for_case(app.context(), by_postcode)
    assert by_postcode not in {c.case_id for c in opened.cases}
    assert old in {c.case_id for c in opened.cases}


def test_a_likely_duplicate_is_flagged_before_saving(app) -> None:  # noqa: ANN001
    first = save(
        app,
        draft(
            "Bob Sample",
            email="bob@example.org",
            postcode="QQ2 2BB",
            received=dt.date(2026, 11, 10),
        ),
    )
    ctx = app.context()
    again = previous_for_draft(
        ctx, draft("Bob Sample", email="BOB@example.org", received=dt.date(2026, 11, 23))
    )
    other_service = previous_for_draft(
        ctx, draft("Bob Sample", email="bob@example.org", service="Parking")
    )
    anonymous = previous_for_draft(
        ctx, NewCase(policy_id="stockport", received=TODAY, anonymous=True)
    )
    assert again.likely_duplicate is not None and again.likely_duplicate.case_id == first
    assert "same service" in again.likely_duplicate.reasons
    assert other_service.likely_duplicate is None and other_service.cases
    assert anonymous.cases == []


def test_an_officer_is_shown_and_flagged_only_the_cases_they_may_see(app) -> None:  # noqa: ANN001
    from caseworker.domain.refusals import NotPermitted
    from tests.officers import add_team

    ids = add_team(app)
    colleagues = save(
        app,
        draft(
            "Bob Sample", email="bob@example.org", service="Waste", received=dt.date(2026, 11, 10)
        ),
    )
    with app.uow() as uow:
        uow.session.get(Case, colleagues).officer_id = ids["bob"]
        uow.commit()
    again = draft(
        "Bob Sample", email="bob@example.org", service="Waste", received=dt.date(2026, 11, 23)
    )
    ann = app.context(actor="ann")  # an investigating officer: Bob's case is not hers
    assert previous_for_draft(ann, again).cases == []
    assert previous_for_draft(ann, again).likely_duplicate is None
    with pytest.raises(NotPermitted, match="Ann Smith .* may not see"):
        previous_for_case(ann, colleagues)
    for login in ("bob", "lee", "tester"):  # his own; his manager's area (Waste); everyone's
        seen = previous_for_draft(app.context(actor=login), again)
        assert [c.case_id for c in seen.cases] == [colleagues], login
        assert seen.likely_duplicate is not None
    assert previous_for_draft(app.context(actor="visitor"), again).cases == []
