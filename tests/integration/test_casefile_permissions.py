"""Every case-file service refuses an officer without the right, in the rule's own words, and
changes nothing (no audit row, the case's version unmoved) or shows nothing (issue 15).

The team (tests/officers.py): Ann and Bob investigate in Waste, Lee manages Waste, Lyn manages
Housing, Cam is the complaints manager. The case is Ann's, in Waste, at stage 1."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from caseworker.domain.enums import CaseStatus, Channel, RiskDecision, RouteId
from caseworker.domain.refusals import CaseClosed, NotAnOfficer, NotPermitted, Refused, WrongState
from caseworker.policy.loader import get_policy
from caseworker.services import letters
from caseworker.services.cases import casefile, intake
from caseworker.services.cases.intake import NewCase, PersonIn
from caseworker.services.cases.records import refresh_clock
from caseworker.services.context import Context
from caseworker.services.investigation import homevisit
from caseworker.services.investigation import issues as investigation
from caseworker.services.investigation.issues import InterviewIn
from caseworker.services.team.editing import CaseEditor
from caseworker.storage.models import AuditEvent, Case, Complainant, Issue, Officer
from tests.officers import add_team

TODAY = dt.date(2026, 11, 25)
REFERENCE = "CW-2026-00001"
BOB_WORK = (
    f"Refused: Bob Jones (an investigating officer) may not work on {REFERENCE} (an "
    "investigating officer works on their own cases)"
)
BOB_SEE = (
    f"Refused: Bob Jones (an investigating officer) may not see {REFERENCE} (an "
    "investigating officer works on their own cases)"
)
LYN_WORK = (
    f"Refused: Lyn Hart (a line manager) may not work on {REFERENCE} (a line manager works "
    "within their service area)"
)
LYN_SEE = (
    f"Refused: Lyn Hart (a line manager) may not see {REFERENCE} (a line manager works within "
    "their service area)"
)
CLOSED = (
    f"Refused: {REFERENCE} is closed (closed cases are read-only except through re-opening): "
    "re-open it first"
)

COMPLETE = dict(
    address="1 High Street",
    answers={"previous_contact": "None.", "location": "A house.", "lone_working": "Diary."},
    known_risks="None known",
    means_of_contact="Work mobile",
    call_if_concerned="Team leader",
    decision=RiskDecision.PROCEED,
)


def acting(app: Any, login: str) -> Context:
    return app.context(actor=login, today=lambda: TODAY)


@pytest.fixture
def ids(app: Any) -> dict[str, int]:
    return add_team(app)


@pytest.fixture
def case(app: Any, ids: dict[str, int]) -> dict[str, int]:
    """Ann's Waste case, worked on: an issue with a note, an interview read back, a complete
    risk assessment, a letter kept. The ids of each."""
    with app.uow() as uow:
        row = Case(
            reference=REFERENCE,
            policy_id="stockport",
            route=RouteId.CORPORATE,
            stage=1,
            status=CaseStatus.OPEN,
            received=dt.date(2026, 11, 2),
            channel=Channel.EMAIL,
            service_area="Waste",
            summary="Bins missed",
            officer_id=ids["ann"],
            complainant=Complainant(name="Pat Doe", address="1 High Street"),
        )
        row.issues = [Issue(number=1, summary="Missed three weeks running")]
        refresh_clock(row, get_policy("stockport"))
        uow.session.add(row)
        uow.commit()
        case_id, issue_id = row.id, row.issues[0].id
    ann = acting(app, "ann")
    note = investigation.add_note(ann, issue_id, "fact", "The crew log shows the road skipped.")
    interview = investigation.record_interview(
        ann, case_id, InterviewIn("Sam Crew", dt.date(2026, 11, 20), notes="Notes.")
    )
    investigation.read_back_summary(ann, interview, "Summary.")
    assessment = homevisit.start_assessment(ann, case_id)
    homevisit.update_assessment(ann, assessment, **COMPLETE)
    letter = letters.save_letter(ann, case_id, despite="kept as a draft while the case is open").id
    return {
        "case": case_id,
        "issue": issue_id,
        "note": note,
        "interview": interview,
        "assessment": assessment,
        "letter": letter,
    }


def trail(app: Any, case_id: int) -> tuple[int, int]:
    """How many audit rows there are, and the case's version: both stay put when nothing
    changed."""
    with app.uow() as uow:
        rows = uow.session.scalar(select(func.count()).select_from(AuditEvent))
        return rows, uow.session.get(Case, case_id).version


Change = Callable[[Context, dict[str, int]], Any]

CHANGES: dict[str, Change] = {
    "record adjustments": lambda c, i: intake.record_adjustments(c, i["case"], "Large print", None),
    "add an issue": lambda c, i: investigation.add_issue(c, i["case"], "Another point"),
    "change an issue": lambda c, i: investigation.update_issue(c, i["issue"], remedy="Sorry"),
    "set an issue's action": lambda c, i: investigation.update_issue(c, i["issue"], action="Do"),
    "add a note": lambda c, i: investigation.add_note(c, i["issue"], "fact", "A fact"),
    "correct a note": lambda c, i: investigation.correct_note(c, i["note"], kind="evidence"),
    "withdraw a note": lambda c, i: investigation.withdraw_note(c, i["note"], "Wrong point"),
    "record the outcome": lambda c, i: investigation.record_outcome(c, i["case"], "upheld"),
    "change the letter texts": lambda c, i: investigation.update_case_text(
        c, i["case"], understanding="Another view"
    ),
    "record an interview": lambda c, i: investigation.record_interview(
        c, i["case"], InterviewIn("Lee Crew", dt.date(2026, 11, 21))
    ),
    "change an interview": lambda c, i: investigation.update_interview(
        c, i["interview"], notes="Other notes."
    ),
    "read a summary back": lambda c, i: investigation.read_back_summary(
        c, i["interview"], "Another summary."
    ),
    "invite further information": lambda c, i: investigation.invite_further_information(
        c, i["interview"], "More."
    ),
    "take back a step": lambda c, i: investigation.withdraw_interview_step(
        c, i["interview"], "summary"
    ),
    "start a risk assessment": lambda c, i: homevisit.start_assessment(c, i["case"]),
    "change a risk assessment": lambda c, i: homevisit.update_assessment(
        c, i["assessment"], known_risks="A dog."
    ),
    "book a visit": lambda c, i: homevisit.book_visit(c, i["case"], dt.date(2026, 12, 1)),
    "keep a letter": lambda c, i: letters.save_letter(c, i["case"]),
}

READS: dict[str, Change] = {
    "the case file": lambda c, i: casefile.load_case_file(c, i["case"]),
    "the timeline": lambda c, i: casefile.timeline(c, i["case"]),
    "who changed it last": lambda c, i: casefile.last_change(c, i["case"]),
    "its check-out mark": lambda c, i: casefile.checkout_mark(c, i["case"]),
    "the texts a window starts from": lambda c, i: CaseEditor(c, i["case"]),
    "a letter's preview": lambda c, i: letters.preview_letter(c, i["case"]),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_a_colleague_may_change_nothing_on_an_officers_case(
    app: Any, case: dict[str, int], change: str
) -> None:
    before = trail(app, case["case"])
    for login, words in (("bob", BOB_WORK), ("lyn", LYN_WORK)):
        with pytest.raises(NotPermitted) as refused:
            CHANGES[change](acting(app, login), case)
        assert str(refused.value) == words
    assert trail(app, case["case"]) == before


@pytest.mark.parametrize("read", READS, ids=list(READS))
def test_a_colleague_is_shown_nothing_of_an_officers_case(
    app: Any, case: dict[str, int], read: str
) -> None:
    for login, words in (("bob", BOB_SEE), ("lyn", LYN_SEE)):
        with pytest.raises(NotPermitted) as refused:
            READS[read](acting(app, login), case)
        assert str(refused.value) == words
    # Those who may see it do: the officer, her line manager, the complaints manager.
    for login in ("ann", "lee", "cam"):
        READS[read](acting(app, login), case)


def test_a_colleague_gets_no_stored_letter_written_out(
    app: Any, case: dict[str, int], tmp_path: Path
) -> None:
    folder = tmp_path / "letters"
    with pytest.raises(NotPermitted) as refused:
        letters.export_letter(acting(app, "bob"), case["letter"], folder)
    assert str(refused.value) == BOB_SEE
    assert not folder.exists()
    written = letters.export_letter(acting(app, "lee"), case["letter"], folder)
    assert written.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_on_a_closed_case_nobody_changes_anything(
    app: Any, case: dict[str, int], change: str
) -> None:
    with app.uow() as uow:
        uow.session.get(Case, case["case"]).status = CaseStatus.CLOSED
        uow.commit()
    before = trail(app, case["case"])
    for login in ("ann", "cam"):  # her own; the complaints manager: re-open first
        with pytest.raises(CaseClosed) as refused:
            CHANGES[change](acting(app, login), case)
        assert str(refused.value) == CLOSED
    assert trail(app, case["case"]) == before
    assert casefile.load_case_file(acting(app, "ann"), case["case"]).status == CaseStatus.CLOSED


@pytest.mark.no_officer
def test_a_login_that_is_no_officer_records_reads_and_changes_nothing(
    app: Any, case: dict[str, int]
) -> None:
    visitor = acting(app, "visitor")
    before = trail(app, case["case"])
    new = NewCase(
        policy_id="stockport",
        received=dt.date(2026, 11, 23),
        service_area="Waste",
        summary="Bins",
        first_aware=dt.date(2026, 11, 1),
        complainant=PersonIn(name="Ann Example"),
    )
    attempts: list[Callable[[], Any]] = [
        lambda: intake.create_case(visitor, new),
        lambda: intake.service_areas(visitor),
        lambda: intake.default_policy_id(visitor),
        *(lambda change=change: change(visitor, case) for change in CHANGES.values()),
        *(lambda read=read: read(visitor, case) for read in READS.values()),
        lambda: homevisit.approve_assessment(visitor, case["assessment"]),
    ]
    for attempt in attempts:
        with pytest.raises(NotAnOfficer, match="'visitor'"):
            attempt()
    assert trail(app, case["case"]) == before
    with app.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Case)) == 1


def test_only_a_manager_of_the_service_signs_a_risk_assessment_off(
    app: Any, case: dict[str, int]
) -> None:
    before = trail(app, case["case"])
    for login, error, words in (
        (
            "bob",
            NotPermitted,
            "Refused: Bob Jones is not a manager: a line manager or the complaints manager "
            "signs off a risk assessment (Stockport Council: a risk assessment before any "
            "home visit)",
        ),
        (
            "lyn",
            NotPermitted,
            f"Refused: Lyn Hart (a line manager) may not make a manager's decision on "
            f"{REFERENCE} (a line manager works within their service area)",
        ),
    ):
        with pytest.raises(error) as refused:
            homevisit.approve_assessment(acting(app, login), case["assessment"])
        assert str(refused.value) == words
    assert trail(app, case["case"]) == before
    assert homevisit.approve_assessment(acting(app, "lee"), case["assessment"]) == "Lee Line"


def test_at_stage_2_a_line_manager_reads_the_case_but_only_the_complaints_manager_works_on_it(
    app: Any, case: dict[str, int], ids: dict[str, int]
) -> None:
    with app.uow() as uow:
        row = uow.session.get(Case, case["case"])
        row.stage, row.stage1_officer_id, row.officer_id = 2, ids["ann"], ids["cam"]
        uow.commit()
    before = trail(app, case["case"])
    lee = acting(app, "lee")
    assert casefile.load_case_file(lee, case["case"]).stage == 2
    assert casefile.why_read_only(lee, case["case"]) == (
        f"Lee Line (a line manager) may not work on {REFERENCE} (a complaints manager handles "
        "stage 2 and sees everything)"
    )
    for change in ("change an issue", "keep a letter", "record an interview"):
        with pytest.raises(NotPermitted, match="a complaints manager handles stage 2"):
            CHANGES[change](lee, case)
    # Ann handled stage 1: she may read it still, and change nothing.
    assert casefile.load_case_file(acting(app, "ann"), case["case"]).reference == REFERENCE
    with pytest.raises(NotPermitted, match="works on their own cases"):
        CHANGES["change an issue"](acting(app, "ann"), case)
    assert trail(app, case["case"]) == before
    # Stage 1's finding and remedy are kept as they were sent; the stage 2 review has its own.
    with pytest.raises(WrongState, match="the stage 1 finding is kept as it was sent"):
        CHANGES["change an issue"](acting(app, "cam"), case)
    assert trail(app, case["case"]) == before
    investigation.update_issue(acting(app, "cam"), case["issue"], lesson_learnt="Checked weekly")


def test_the_refusals_name_no_more_than_the_rule(app: Any, case: dict[str, int]) -> None:
    """A refused read says who may not see which case and why, and nothing of the case."""
    with pytest.raises(Refused) as refused:
        casefile.load_case_file(acting(app, "bob"), case["case"])
    message = str(refused.value)
    assert "Pat Doe" not in message and "Bins" not in message and "Missed" not in message


def test_every_officer_records_a_complaint(app: Any, ids: dict[str, int]) -> None:
    new = NewCase(
        policy_id="stockport",
        received=dt.date(2026, 11, 23),
        service_area="Waste",
        summary="Bins",
        first_aware=dt.date(2026, 11, 1),
        complainant=PersonIn(name="Ann Example", email="ann@example.com"),
    )
    created = intake.create_case(acting(app, "bob"), new)
    with app.uow() as uow:
        row = uow.session.get(Case, created.id)
        assert (row.reference, row.officer_id) == ("CW-2026-00001", None)
    assert intake.service_areas(acting(app, "bob")) == ["Waste"]
    assert intake.default_policy_id(acting(app, "bob")) == "stockport"
    with app.uow() as uow:
        inactive = uow.session.scalar(select(Officer).where(Officer.login == "ivy"))
        assert inactive is not None and not inactive.active
    with pytest.raises(NotAnOfficer, match="inactive"):
        intake.create_case(acting(app, "ivy"), new)


def test_the_officer_who_recorded_a_case_sees_it_until_it_is_allocated(
    app: Any, ids: dict[str, int]
) -> None:
    """Issue 19: Bob takes a complaint by phone and records it; he can open it (to answer the
    complainant ringing back) but not work on it, until Lee gives it to Ann: then it is gone
    from him. Ann, who did not record it, could not see it before."""
    from caseworker.services.cases.allocation import allocate
    from caseworker.services.lists.caselist import CaseFilter, CaseList, CaseSort

    bob = acting(app, "bob")
    created = intake.create_case(
        bob,
        NewCase(
            policy_id="stockport",
            received=dt.date(2026, 11, 24),
            first_aware=dt.date(2026, 11, 20),
            service_area="Waste",
            summary="Bins missed by phone",
            complainant=PersonIn(name="Pat Caller", phone="0161 496 0001"),
            issues=("Missed twice",),
        ),
    )
    seen = casefile.load_case_file(bob, created.id)
    assert (seen.reference, seen.summary) == (created.reference, "Bins missed by phone")
    assert created.id in {
        r.summary.id for r in CaseList(bob).page(CaseFilter(), CaseSort(), limit=50)
    }
    with pytest.raises(NotPermitted, match="may not work on"):
        investigation.add_note(bob, seen.issues[0].id, "fact", "Rang back.")
    with pytest.raises(NotPermitted, match="may not see"):
        casefile.load_case_file(acting(app, "ann"), created.id)

    allocate(acting(app, "lee"), created.id, ids["ann"])
    with pytest.raises(NotPermitted, match="may not see"):
        casefile.load_case_file(bob, created.id)
    assert created.id not in {
        r.summary.id for r in CaseList(bob).page(CaseFilter(), CaseSort(), limit=50)
    }
    assert casefile.load_case_file(acting(app, "ann"), created.id).reference == created.reference
