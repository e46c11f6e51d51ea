"""Every lifecycle and stage 2 step, taken through its one function with a Context:

* an officer without the right is refused in the rule's own words, and nothing is changed (the
  case and everything under it read back as they were, no audit row, no file written); the
  officer with the right then takes the same step;
* wherever the Progress and Next stage tabs are told a step does not apply
  (``Progress.not_open``), the step's function refuses with exactly those words, and changes
  nothing: the enabling and the refusal are one rule (:mod:`caseworker.services.cases.steps`).

Cases are Warwickshire's unless said (it has suspension, discontinuation, re-opening grounds and
contact restrictions), received Monday 5 October 2026, in Waste, handled by Ann Smith. The team is
:data:`tests.officers.TEAM`: Ann and Bob investigate in Waste, Lee manages Waste, Cam is the
complaints manager.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from caseworker.domain import rules
from caseworker.domain.enums import (
    CaseStatus,
    Channel,
    ContactMethod,
    Finding,
    Outcome,
    ReferrerRole,
    RouteId,
    SendMethod,
)
from caseworker.domain.lifecycle import Restriction
from caseworker.domain.refusals import CaseClosed, NotPermitted, Refused
from caseworker.policy.loader import get_policy
from caseworker.services.cases import actions, escalation, lifecycle, ombudsman, restrictions
from caseworker.services.cases.progress import progress_of
from caseworker.services.cases.records import refresh_clock
from caseworker.services.cases.steps import Step, words
from caseworker.services.context import Context
from caseworker.services.investigation import stage2
from caseworker.services.records.filepack import export_file_pack
from caseworker.storage.models import AuditEvent, Case, Complainant, ContactRestriction, Issue
from tests.officers import TEAM, add_team

D = dt.date
RECEIVED = D(2026, 10, 5)
TODAY = D(2026, 11, 25)
GROUND = get_policy("warwickshire").rules.reopening.grounds[0]


@pytest.fixture
def ids(app: Any) -> dict[str, int]:
    return add_team(app)


def as_(app: Any, login: str) -> Context:
    return app.context(actor=login, today=lambda: TODAY)


def new_case(app: Any, ids: dict[str, int], *, policy: str = "warwickshire", **values: Any) -> int:
    with app.uow() as uow:
        anonymous = values.pop("anonymous", False)
        row = Case(
            reference=f"CW-2026-{uow.session.query(Case).count() + 1:05d}",
            policy_id=policy,
            route=values.pop("route", RouteId.CORPORATE),
            received=RECEIVED,
            channel=Channel.EMAIL,
            service_area="Waste",
            officer_id=values.pop("officer_id", ids["ann"]),
            stage=values.pop("stage", 1),
            status=values.pop("status", CaseStatus.OPEN),
            complainant=None if anonymous else Complainant(name="Pat Doe", address="1 High St"),
            anonymous=anonymous,
            **values,
        )
        row.issues.append(Issue(number=1, summary="The bin was missed"))
        refresh_clock(row, get_policy(policy))
        uow.session.add(row)
        uow.commit()
        return row.id


@dataclass
class Refs:
    """The records of a case a step on one record acts on (the first of each kind)."""

    issue: int | None
    ombudsman: int | None
    restriction: int | None


def refs(app: Any, case_id: int) -> Refs:
    with app.uow() as uow:
        row = uow.session.get(Case, case_id)
        assert row is not None
        restriction = uow.session.scalar(
            select(ContactRestriction.id)
            .where(ContactRestriction.case_id == case_id)
            .order_by(ContactRestriction.id)
        )
        return Refs(
            row.issues[0].id if row.issues else None,
            row.ombudsman_cases[0].id if row.ombudsman_cases else None,
            restriction,
        )


def snapshot(app: Any, case_id: int) -> tuple[list[tuple[str, dict]], int]:
    """The case and every row under it, column by column, and how many audit rows it has."""
    with app.uow() as uow:
        row = uow.session.get(Case, case_id)
        assert row is not None
        rows: list[Any] = [row]
        for relation in (
            row.issues,
            row.extensions,
            row.suspensions,
            row.contact_attempts,
            row.ombudsman_cases,
            row.allocations,
            row.letters,
        ):
            rows += list(relation)
        rows += list(
            uow.session.scalars(
                select(ContactRestriction).where(ContactRestriction.case_id == case_id)
            )
        )
        events = uow.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.case_id == case_id)
        )
        return [
            (type(r).__name__, {c.key: getattr(r, c.key) for c in r.__table__.columns})
            for r in rows
        ], events


# -- each step, as the tabs (and a command) take it, with inputs the rules accept -------------

NO_RECORD = object()
"""What taking a step on a record gives where the case has no such record (it cannot be taken)."""

Take = Callable[[Context, int, Refs, Path], object]
"""Take the step on the case (a record of it, from ``Refs``; a folder for the file pack)."""

TAKE: dict[Step, Take | None] = {
    Step.ACKNOWLEDGE: lambda c, case, r, _: lifecycle.acknowledge(c, case, on=D(2026, 10, 6)),
    Step.RESPONSE_SENT: lambda c, case, r, _: lifecycle.record_response_sent(
        c, case, sent_on=D(2026, 10, 16), method=SendMethod.EMAIL, outcome=Outcome.NOT_UPHELD
    ),
    Step.EXTEND: lambda c, case, r, _: lifecycle.extend(
        c,
        case,
        new_date=D(2026, 10, 26),
        reason="Waiting for the crew's records",
        told_on=D(2026, 10, 9),
        told_method=ContactMethod.EMAIL,
    ),
    Step.SUSPEND: lambda c, case, r, _: lifecycle.suspend(
        c, case, start=D(2026, 10, 9), ground="Court proceedings"
    ),
    Step.RESUME: lambda c, case, r, _: lifecycle.resume(c, case, resumed_on=D(2026, 10, 19)),
    Step.CONTACT_ATTEMPT: lambda c, case, r, _: lifecycle.record_contact_attempt(
        c, case, at=dt.datetime(2026, 10, 8, 10, tzinfo=dt.UTC), method=ContactMethod.PHONE
    ),
    Step.DISCONTINUE: lambda c, case, r, _: lifecycle.discontinue(c, case, on=D(2026, 10, 19)),
    Step.REFUSE: lambda c, case, r, _: lifecycle.refuse(
        c, case, reasons="Parking fines have their own appeal.", route="Appeal the notice."
    ),
    Step.WITHDRAW: lambda c, case, r, _: lifecycle.withdraw(
        c, case, on=D(2026, 10, 12), method=ContactMethod.PHONE
    ),
    Step.CLOSE: lambda c, case, r, _: lifecycle.close_case(
        c, case, on=D(2026, 10, 6), outcome=Outcome.REFUSED
    ),
    Step.REOPEN: lambda c, case, r, _: lifecycle.reopen(
        c, case, on=D(2026, 11, 20), reason="The withdrawal was misread", ground=GROUND
    ),
    Step.MEMBER_ENQUIRY: lambda c, case, r, _: lifecycle.record_member_enquiry(
        c, case, name="Cllr Jo Bloggs", role=ReferrerRole.COUNCILLOR, enquiry=False
    ),
    Step.RESTRICT_CONTACT: lambda c, case, r, _: restrictions.restrict_contact(
        c,
        case,
        restrictions=[Restriction.LEGAL_ACTION],
        reason="Forty abusive calls in a week",
        decided_on=D(2026, 10, 20),
        review_on=D(2027, 1, 20),
    ),
    Step.RESTRICTION_NOTIFIED: lambda c, case, r, _: (
        restrictions.record_restriction_notified(
            c, r.restriction, on=D(2026, 10, 21), method=ContactMethod.LETTER
        )
        if r.restriction
        else NO_RECORD
    ),
    Step.REVIEW_RESTRICTION: lambda c, case, r, _: (
        restrictions.review_restriction(
            c, r.restriction, reviewed_on=D(2026, 11, 2), end=True, reason="Calls stopped"
        )
        if r.restriction
        else NO_RECORD
    ),
    Step.LOG_ESCALATION: lambda c, case, r, _: escalation.log_escalation_request(
        c, case, requested_on=D(2026, 10, 20), reason="My point was missed"
    ),
    Step.DECIDE_ESCALATION: lambda c, case, r, _: escalation.accept_escalation(
        c, case, decided_on=D(2026, 10, 22)
    ),
    Step.OMBUDSMAN: lambda c, case, r, _: ombudsman.record_ombudsman_enquiry(
        c, case, enquiry_on=D(2026, 11, 2), reference="26 000 111"
    ),
    Step.OMBUDSMAN_DECISION: lambda c, case, r, _: (
        ombudsman.record_ombudsman_decision(
            c,
            r.ombudsman,
            decision="Fault causing injustice",
            decided_on=D(2026, 11, 9),
            remedy_agreed="Apologise",
        )
        if r.ombudsman
        else NO_RECORD
    ),
    Step.REMEDY_COMPLIED: lambda c, case, r, _: (
        ombudsman.record_remedy_complied(c, r.ombudsman, complied_on=D(2026, 11, 20))
        if r.ombudsman
        else NO_RECORD
    ),
    Step.SET_ACTION: lambda c, case, r, _: actions.set_action(
        c, r.issue, action="Add the street to the round", due=D(2026, 11, 30)
    ),
    Step.COMPLETE_ACTION: lambda c, case, r, _: actions.complete_action(
        c, r.issue, completed_on=D(2026, 11, 16)
    ),
    Step.REOPEN_ACTION: lambda c, case, r, _: actions.reopen_action(c, r.issue),
    Step.EXPORT_FILE: lambda c, case, r, folder: export_file_pack(c, case, folder),
    Step.STAGE2_FINDING: lambda c, case, r, _: stage2.record_stage2_finding(
        c,
        r.issue,
        finding=Finding.UPHELD,
        explanation="The round sheet left the street off",
        remedy="The street is back on the round",
    ),
}
"""Each step's function (on the case's first record of the kind, for a step on a record)."""

OTHER_WAYS: dict[Step, Take] = {
    Step.DECIDE_ESCALATION: lambda c, case, r, _: escalation.refuse_escalation(
        c, case, decided_on=D(2026, 10, 22), reasons="No new information"
    ),
    Step.SET_ACTION: lambda c, case, r, _: actions.clear_action(c, r.issue),
}
"""Steps with a second function under the same rule (refusing a request; clearing an action)."""


def test_every_step_has_a_function() -> None:
    assert set(TAKE) == set(Step)


# -- the states each step is taken from ---------------------------------------------------------


def answered(app: Any, ids: dict, **values: Any) -> int:
    """Stage 1 answered by email on Friday 16 October."""
    values = {
        "response_sent": D(2026, 10, 16),
        "response_method": SendMethod.EMAIL,
        "status": CaseStatus.RESPONDED,
        "outcome": Outcome.NOT_UPHELD,
        **values,
    }
    return new_case(app, ids, **values)


def refused_case(app: Any, ids: dict[str, int]) -> int:
    """A new case a manager has decided not to take on, with the reasons (so it may close)."""
    case_id = new_case(app, ids)
    lifecycle.refuse(as_(app, "lee"), case_id, reasons="A parking fine.", route="Appeal it.")
    return case_id


def closed(app: Any, ids: dict, **values: Any) -> int:
    return answered(app, ids, status=CaseStatus.CLOSED, closed_on=D(2026, 10, 20), **values)


def take(app: Any, login: str, step: Step, case_id: int, tmp_path: Path) -> object:
    return TAKE[step](as_(app, login), case_id, refs(app, case_id), tmp_path)  # type: ignore[misc]


def with_suspension(app: Any, ids: dict) -> int:
    case_id = new_case(app, ids)
    lifecycle.suspend(as_(app, "lee"), case_id, start=D(2026, 10, 9), ground="Grievance")
    return case_id


def with_three_attempts(app: Any, ids: dict) -> int:
    case_id = new_case(app, ids)
    for day, method in ((6, ContactMethod.PHONE), (7, ContactMethod.EMAIL), (8, "letter")):
        lifecycle.record_contact_attempt(
            as_(app, "ann"),
            case_id,
            at=dt.datetime(2026, 10, day, 10, tzinfo=dt.UTC),
            method=ContactMethod(method),
        )
    return case_id


def with_restriction(app: Any, ids: dict) -> int:
    case_id = new_case(app, ids)
    take(app, "lee", Step.RESTRICT_CONTACT, case_id, Path())
    return case_id


def with_request(app: Any, ids: dict) -> int:
    case_id = answered(app, ids)
    take(app, "ann", Step.LOG_ESCALATION, case_id, Path())
    return case_id


def with_enquiry(app: Any, ids: dict) -> int:
    case_id = closed(app, ids)
    take(app, "cam", Step.OMBUDSMAN, case_id, Path())
    return case_id


def with_remedy(app: Any, ids: dict) -> int:
    case_id = with_enquiry(app, ids)
    take(app, "cam", Step.OMBUDSMAN_DECISION, case_id, Path())
    return case_id


def at_stage_two(app: Any, ids: dict) -> int:
    """Stage 2 accepted (Warwickshire's corporate route): waiting for its review; Ann handled
    stage 1."""
    case_id = with_request(app, ids)
    take(app, "cam", Step.DECIDE_ESCALATION, case_id, Path())
    return case_id


def with_action(app: Any, ids: dict) -> int:
    case_id = answered(app, ids)
    take(app, "ann", Step.SET_ACTION, case_id, Path())
    return case_id


def with_completed_action(app: Any, ids: dict) -> int:
    case_id = with_action(app, ids)
    take(app, "ann", Step.COMPLETE_ACTION, case_id, Path())
    return case_id


def _not_own(step_doing: str) -> str:
    return (
        f"Refused: Bob Jones (an investigating officer) may not {step_doing} CW-2026-00001 "
        f"({rules.OWN_CASES})"
    )


def _not_a_manager(step_doing: str) -> str:
    return (
        f"Refused: Ann Smith (an investigating officer) may not {step_doing} CW-2026-00001 "
        f"({rules.MANAGER_DECIDES})"
    )


def _not_lee(step_doing: str, rule: str) -> str:
    return f"Refused: Lee Line (a line manager) may not {step_doing} CW-2026-00001 ({rule})"


# step, how the case is made, who may not (and the refusal), who may
REFUSED_TO: list[tuple[Step, Callable[[Any, dict], int], str, str, str]] = [
    (Step.ACKNOWLEDGE, new_case, "bob", _not_own("work on"), "ann"),
    (Step.RESPONSE_SENT, new_case, "bob", _not_own("work on"), "ann"),
    (Step.EXTEND, new_case, "bob", _not_own("work on"), "ann"),
    (Step.SUSPEND, new_case, "ann", _not_a_manager("make a manager's decision on"), "lee"),
    (Step.RESUME, with_suspension, "ann", _not_a_manager("make a manager's decision on"), "lee"),
    (Step.CONTACT_ATTEMPT, new_case, "bob", _not_own("work on"), "ann"),
    (
        Step.DISCONTINUE,
        with_three_attempts,
        "ann",
        _not_a_manager("make a manager's decision on"),
        "lee",
    ),
    (Step.REFUSE, new_case, "ann", _not_a_manager("make a manager's decision on"), "lee"),
    (Step.WITHDRAW, new_case, "bob", _not_own("work on"), "ann"),
    (Step.CLOSE, refused_case, "bob", _not_own("work on"), "ann"),
    (Step.REOPEN, closed, "ann", _not_a_manager("re-open"), "lee"),
    (Step.MEMBER_ENQUIRY, new_case, "bob", _not_own("work on"), "ann"),
    (
        Step.RESTRICT_CONTACT,
        new_case,
        "ann",
        _not_a_manager("restrict the complainant's contact on"),
        "lee",
    ),
    (
        Step.RESTRICTION_NOTIFIED,
        with_restriction,
        "ann",
        _not_a_manager("restrict the complainant's contact on"),
        "lee",
    ),
    (
        Step.REVIEW_RESTRICTION,
        with_restriction,
        "ann",
        _not_a_manager("restrict the complainant's contact on"),
        "cam",
    ),
    (Step.LOG_ESCALATION, answered, "bob", _not_own("log an escalation request on"), "ann"),
    (
        Step.DECIDE_ESCALATION,
        with_request,
        "lee",
        _not_lee("decide the escalation request on", rules.ESCALATION_DECIDED_BY),
        "cam",
    ),
    (
        Step.OMBUDSMAN,
        closed,
        "lee",
        _not_lee("record Ombudsman involvement on", rules.COMPLAINTS_MANAGER_STAGE_2),
        "cam",
    ),
    (
        Step.OMBUDSMAN_DECISION,
        with_enquiry,
        "lee",
        _not_lee("record Ombudsman involvement on", rules.COMPLAINTS_MANAGER_STAGE_2),
        "cam",
    ),
    (
        Step.REMEDY_COMPLIED,
        with_remedy,
        "lee",
        _not_lee("record Ombudsman involvement on", rules.COMPLAINTS_MANAGER_STAGE_2),
        "cam",
    ),
    (Step.SET_ACTION, new_case, "bob", _not_own("work on"), "ann"),
    (Step.COMPLETE_ACTION, with_action, "bob", _not_own("complete actions on"), "ann"),
    (Step.REOPEN_ACTION, with_completed_action, "bob", _not_own("complete actions on"), "ann"),
    (Step.EXPORT_FILE, new_case, "ann", _not_a_manager("export the file of"), "lee"),
    (
        Step.STAGE2_FINDING,
        at_stage_two,
        "lee",
        _not_lee("record stage 2 findings on", rules.COMPLAINTS_MANAGER_STAGE_2),
        "cam",
    ),
]


def test_every_step_is_refused_to_someone() -> None:
    assert {row[0] for row in REFUSED_TO} == set(Step)
    assert {row[2] for row in REFUSED_TO} | {row[4] for row in REFUSED_TO} <= set(TEAM)


@pytest.mark.parametrize(
    ("step", "make", "login", "refusal", "allowed"),
    REFUSED_TO,
    ids=[row[0].value for row in REFUSED_TO],
)
def test_an_officer_without_the_right_is_refused_and_nothing_changes(
    app: Any,
    ids: dict,
    tmp_path: Path,
    step: Step,
    make: Callable[[Any, dict], int],
    login: str,
    refusal: str,
    allowed: str,
) -> None:
    case_id = make(app, ids)
    before = snapshot(app, case_id)
    folder = tmp_path / "pack"
    ways = [TAKE[step], *([OTHER_WAYS[step]] if step in OTHER_WAYS else [])]
    for way in ways:
        with pytest.raises(NotPermitted) as refused:
            way(as_(app, login), case_id, refs(app, case_id), folder)  # type: ignore[misc]
        assert str(refused.value) == refusal
        assert snapshot(app, case_id) == before
        assert not folder.exists()
    # The tabs say the same (or, to an officer who may not even see the case, show nothing),
    # and the officer with the right takes the step.
    try:
        assert progress_of(as_(app, login), case_id).not_open[step] == words(refused.value)
    except NotPermitted as unseen:
        assert str(unseen).startswith(
            f"Refused: {TEAM[login][0]} (an investigating officer) may not see CW-2026-00001"
        )
    assert step not in progress_of(as_(app, allowed), case_id).not_open
    TAKE[step](as_(app, allowed), case_id, refs(app, case_id), folder)  # type: ignore[misc]
    after = snapshot(app, case_id)
    if step == Step.EXPORT_FILE:
        assert after == before and sorted(p.name for p in folder.iterdir()) == [
            "CW-2026-00001-file.docx",
            "CW-2026-00001-file.zip",
        ]
    else:
        assert after != before
        assert after[1] > before[1]  # recorded in the audit trail


# -- the tabs' "why not" is the step's refusal --------------------------------------------------


def stockport(app: Any, ids: dict) -> int:
    return new_case(app, ids, policy="stockport")


def member_enquiry(app: Any, ids: dict) -> int:
    return new_case(app, ids, policy="stockport", route=RouteId.MEMBER_ENQUIRY)


def acknowledged(app: Any, ids: dict) -> int:
    return new_case(app, ids, acknowledged=D(2026, 10, 6))


def withdrawn(app: Any, ids: dict) -> int:
    case_id = new_case(app, ids)
    take(app, "ann", Step.WITHDRAW, case_id, Path())
    return case_id


def last_stage(app: Any, ids: dict) -> int:
    """At Warwickshire's stage 2 (its corporate route's last), answered; Ann handled stage 1, so
    she may read it but not work on it."""
    return answered(
        app,
        ids,
        stage=2,
        escalation_requested=D(2026, 10, 5),
        officer_id=None,
        stage1_officer_id=ids["ann"],
    )


def sent_how_unknown(app: Any, ids: dict) -> int:
    return new_case(app, ids, response_sent=D(2026, 10, 16), status=CaseStatus.RESPONDED)


def anonymous(app: Any, ids: dict) -> int:
    return new_case(app, ids, anonymous=True)


def ended_restriction(app: Any, ids: dict) -> int:
    case_id = with_restriction(app, ids)
    take(app, "lee", Step.REVIEW_RESTRICTION, case_id, Path())
    return case_id


def remedy_complied(app: Any, ids: dict) -> int:
    case_id = with_remedy(app, ids)
    take(app, "cam", Step.REMEDY_COMPLIED, case_id, Path())
    return case_id


SITUATIONS: list[Callable[[Any, dict], int]] = [
    new_case,
    acknowledged,
    with_suspension,
    answered,
    with_request,
    last_stage,
    at_stage_two,
    sent_how_unknown,
    withdrawn,
    closed,
    stockport,
    member_enquiry,
    anonymous,
    with_restriction,
    ended_restriction,
    with_enquiry,
    with_remedy,
    remedy_complied,
    with_action,
    with_completed_action,
]


def test_what_the_tabs_say_is_not_open_is_what_the_step_refuses(
    app: Any, ids: dict, tmp_path: Path
) -> None:
    compared: dict[Step, set[str]] = {step: set() for step in Step}
    for situation in SITUATIONS:
        case_id = situation(app, ids)
        before = snapshot(app, case_id)
        for login in ("ann", "bob", "lee", "cam"):
            try:
                not_open = progress_of(as_(app, login), case_id).not_open
            except NotPermitted:  # Bob may not see Ann's case: the tabs show nothing to do
                continue
            for step, why in not_open.items():
                for way in [TAKE[step], *([OTHER_WAYS[step]] if step in OTHER_WAYS else [])]:
                    folder = tmp_path / f"{situation.__name__}-{login}-{step.value}"
                    try:
                        taken = way(as_(app, login), case_id, refs(app, case_id), folder)  # type: ignore[misc]
                    except Refused as refusal:
                        assert words(refusal) == why, (situation.__name__, login, step)
                        kind = (
                            "right" if isinstance(refusal, NotPermitted | CaseClosed) else "state"
                        )
                        compared[step].add(kind)
                        continue
                    # Only a step on a record the case does not have cannot be taken at all.
                    assert taken is NO_RECORD, (situation.__name__, login, step, why)
                assert not folder.exists()
            assert snapshot(app, case_id) == before, (situation.__name__, login)
    assert {step for step, kinds in compared.items() if "right" in kinds} == set(Step)
    # Every precondition on the case's state was met, and refused in the same words, except the
    # decision that needs an Ombudsman enquiry (without one there is no record to decide on) and
    # a restriction's own state (ended), which is the record's, not the case's.
    with_state = {step for step, kinds in compared.items() if "state" in kinds}
    assert with_state == {
        Step.ACKNOWLEDGE,
        Step.RESPONSE_SENT,
        Step.EXTEND,
        Step.SUSPEND,
        Step.RESUME,
        Step.DISCONTINUE,
        Step.REFUSE,
        Step.WITHDRAW,
        Step.REOPEN,
        Step.RESTRICT_CONTACT,
        Step.LOG_ESCALATION,
        Step.DECIDE_ESCALATION,
        Step.REMEDY_COMPLIED,
        Step.COMPLETE_ACTION,
        Step.STAGE2_FINDING,
    }


def test_the_words_of_the_state_refusals(app: Any, ids: dict) -> None:
    """What a disabled button says, for the states the tab shows most."""
    said = {}
    for situation in SITUATIONS:
        found = progress_of(as_(app, "cam"), situation(app, ids))
        said[situation.__name__] = (found.reference, found.not_open)

    def why(situation: str, step: Step) -> str:
        reference, not_open = said[situation]
        return not_open[step].replace(reference, "REF")

    assert why("acknowledged", Step.ACKNOWLEDGE) == "REF was already acknowledged on 2026-10-06"
    assert why("answered", Step.RESPONSE_SENT) == (
        "the stage 1 response to REF was sent on 2026-10-16: it is recorded already"
    )
    assert why("answered", Step.EXTEND) == (
        "the stage 1 response to REF was sent on 2026-10-16: nothing to extend"
    )
    assert why("answered", Step.SUSPEND) == (
        "the stage 1 response to REF was already sent: there is no investigation to suspend"
    )
    assert why("with_suspension", Step.RESPONSE_SENT) == (
        "REF has been suspended since 2026-10-09: resume it before sending the response"
    )
    assert why("with_request", Step.LOG_ESCALATION) == (
        "REF already has a request for stage 2 from 2026-10-20 waiting for a decision"
    )
    assert why("last_stage", Step.LOG_ESCALATION) == (
        "REF is at stage 2, the last stage of the corporate route in policy warwickshire: a "
        "complainant still dissatisfied goes to the Ombudsman"
    )
    assert why("last_stage", Step.EXTEND) == (
        "policy warwickshire stage 2 allows no extension (extension_days = 0)"
    )
    assert why("new_case", Step.LOG_ESCALATION) == (
        f"REF has no stage 1 response sent yet ({rules.COMPLETED_STAGE_FIRST})"
    )
    assert why("sent_how_unknown", Step.LOG_ESCALATION) == (
        "how the stage 1 response to REF was sent is not recorded: it decides when the "
        "response was deemed received"
    )
    assert why("withdrawn", Step.DISCONTINUE) == "REF is already withdrawn"
    assert why("withdrawn", Step.WITHDRAW) == "REF is already withdrawn"
    assert why("new_case", Step.REOPEN) == (
        "REF is not closed, withdrawn or discontinued: there is nothing to re-open"
    )
    assert why("new_case", Step.DECIDE_ESCALATION) == (
        "REF has no request for the next stage waiting for a decision"
    )
    assert why("stockport", Step.SUSPEND) == (
        "policy stockport has no suspension rule (rules.suspension): its clock cannot be "
        f"stopped ({rules.SUSPENSION_RULE})"
    )
    assert why("stockport", Step.RESTRICT_CONTACT) == (
        "policy stockport sets no unreasonable-behaviour contact restrictions "
        "(rules.contact_restrictions): they are decided under the council's separate policy"
    )
    assert why("anonymous", Step.RESTRICT_CONTACT) == "REF has no complainant to restrict"
    assert why("closed", Step.OMBUDSMAN_DECISION) == "no Ombudsman enquiry is recorded on REF"
    assert why("with_enquiry", Step.REMEDY_COMPLIED) == (
        "no remedy has been agreed with the Ombudsman to comply with"
    )
    assert why("remedy_complied", Step.REMEDY_COMPLIED) == (
        "every remedy agreed with the Ombudsman on REF was complied with"
    )
    assert why("new_case", Step.COMPLETE_ACTION) == "REF has no action to complete"
    assert why("with_completed_action", Step.COMPLETE_ACTION) == (
        "every action on REF has been completed"
    )
    assert why("new_case", Step.STAGE2_FINDING) == (
        "REF is at stage 1: stage 2 findings are recorded once the request for stage 2 has "
        "been accepted"
    )
    assert why("last_stage", Step.STAGE2_FINDING) == (
        "the stage 2 response to REF was sent on 2026-10-16: its findings are kept as they "
        "were sent"
    )
    assert Step.STAGE2_FINDING not in said["at_stage_two"][1]
    assert why("closed", Step.ACKNOWLEDGE) == (
        f"REF is closed ({rules.CLOSED_READ_ONLY}): re-open it first"
    )


def test_one_action_done_leaves_the_other_to_complete(app: Any, ids: dict) -> None:
    """The step applies while one promised action is outstanding; each action's own row says
    whether it can be marked done."""
    case_id = with_completed_action(app, ids)
    with app.uow() as uow:
        row = uow.session.get(Case, case_id)
        assert row is not None
        row.issues.append(Issue(number=2, summary="Rude crew", action="Apologise"))
        uow.commit()
    found = progress_of(as_(app, "ann"), case_id)
    assert Step.COMPLETE_ACTION not in found.not_open
    first, second = found.actions
    assert first.not_completable == (
        "the action on issue 1 of CW-2026-00001 was completed on 2026-11-16"
    )
    assert second.not_completable is None
    with pytest.raises(Refused) as refused:
        actions.complete_action(as_(app, "ann"), first.issue_id, completed_on=TODAY)
    assert words(refused.value) == first.not_completable
    actions.complete_action(as_(app, "ann"), second.issue_id, completed_on=TODAY)
    assert progress_of(as_(app, "ann"), case_id).actions[1].completed_on == TODAY


def test_refusing_a_complaint_needs_its_reasons_and_where_it_goes_and_changes_nothing_else(
    app: Any, ids: dict
) -> None:
    """A complaint not taken on: Warwickshire gives no Ombudsman with a refusal, so the route
    instead is required as well as the reasons; refused, nothing changes."""
    from caseworker.domain.refusals import MissingInformation, WrongState

    case_id = new_case(app, ids)
    before = snapshot(app, case_id)
    lee = as_(app, "lee")
    with pytest.raises(WrongState, match="no reasons recorded for not taking it on"):
        lifecycle.close_case(lee, case_id, on=TODAY, outcome=Outcome.REFUSED)
    with pytest.raises(MissingInformation, match="needs the reasons"):
        lifecycle.refuse(lee, case_id, reasons="  ", route="Appeal the notice.")
    with pytest.raises(MissingInformation, match="needs where the complaint goes instead"):
        lifecycle.refuse(lee, case_id, reasons="Parking fines have their own appeal.")
    assert snapshot(app, case_id) == before
    lifecycle.refuse(
        lee, case_id, reasons=" Parking fines have their own appeal. ", route="Appeal it."
    )
    with app.uow() as uow:
        row = uow.session.get(Case, case_id)
        assert row is not None
        assert (row.outcome, row.refusal_reasons, row.refusal_route) == (
            Outcome.REFUSED,
            "Parking fines have their own appeal.",
            "Appeal it.",
        )
    assert snapshot(app, case_id)[1] > before[1]  # audited
    lifecycle.close_case(lee, case_id, on=TODAY)  # with its reasons, it closes as refused
    with app.uow() as uow:
        row = uow.session.get(Case, case_id)
        assert row is not None and (row.status, row.outcome) == (CaseStatus.CLOSED, Outcome.REFUSED)
    # Stockport, too, tells the complainant where to go; a later stage is never "refused" here.
    later = last_stage(app, ids)
    with pytest.raises(WrongState, match="a complaint is refused at stage 1"):
        lifecycle.refuse(as_(app, "cam"), later, reasons="No.", route="Elsewhere.")
