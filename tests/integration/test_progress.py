"""What the Progress and Next stage tabs ask the core: which steps apply to a case now (and why
the others do not), where the case stands, and the step functions they call. No Qt."""

from __future__ import annotations

import datetime as dt
import zipfile
from typing import Any

import pytest

from caseworker.domain.enums import (
    CaseStatus,
    Channel,
    ContactMethod,
    Outcome,
    Role,
    RouteId,
    SendMethod,
)
from caseworker.domain.lifecycle import EscalationDecision
from caseworker.policy.loader import get_policy
from caseworker.services.cases import escalation, lifecycle
from caseworker.services.cases.progress import Progress, progress_of
from caseworker.services.cases.records import refresh_clock
from caseworker.services.cases.steps import Step
from caseworker.services.context import Context
from caseworker.services.records.filepack import export_file_pack
from caseworker.storage.models import Case, Complainant, Issue, Officer

D = dt.date


@pytest.fixture
def officers(app: Any) -> dict[str, int]:
    with app.uow() as uow:
        for login, name, role in (
            ("ann", "Ann Smith", Role.INVESTIGATING_OFFICER),
            ("lee", "Lee Line", Role.LINE_MANAGER),
            ("cam", "Cam Chief", Role.COMPLAINTS_MANAGER),
        ):
            uow.session.add(
                Officer(
                    name=name,
                    email=f"{login}@council.example",
                    role=role,
                    service_area="Highways",
                    login=login,
                )
            )
        uow.commit()
        return {o.login: o.id for o in uow.session.query(Officer)}


def new_case(app: Any, officer: int, policy: str = "warwickshire", **values: Any) -> int:
    with app.uow() as uow:
        row = Case(
            reference=f"CW-2026-{uow.session.query(Case).count() + 1:05d}",
            policy_id=policy,
            route=RouteId.CORPORATE,
            received=D(2026, 11, 2),
            stage=1,
            status=values.pop("status", CaseStatus.OPEN),
            channel=Channel.EMAIL,
            service_area="Highways",
            officer_id=officer,
            complainant=values.pop(
                "complainant", Complainant(name="Pat Doe", address="1 High Street")
            ),
            **values,
        )
        row.issues.append(Issue(number=1, summary="The pothole was not repaired"))
        refresh_clock(row, get_policy(policy))
        uow.session.add(row)
        uow.commit()
        return row.id


def as_(app: Any, login: str) -> Context:
    return app.context(actor=login, today=lambda: D(2026, 11, 25))


def progress(app: Any, login: str, case_id: int) -> Progress:
    return progress_of(as_(app, login), case_id)


def test_steps_the_policy_has_no_rule_for_are_not_offered(app: Any, officers: dict) -> None:
    case_id = new_case(app, officers["ann"], policy="stockport")
    not_open = progress(app, "cam", case_id).not_open
    assert not_open[Step.SUSPEND].startswith("policy stockport has no suspension rule")
    assert not_open[Step.DISCONTINUE] == (
        "policy stockport has no discontinuation rule (rules.discontinuation): a complaint "
        "cannot be discontinued under it"
    )
    assert "separate policy" in not_open[Step.RESTRICT_CONTACT]
    assert Step.EXTEND not in not_open and Step.CONTACT_ATTEMPT not in not_open


def test_managers_steps_name_who_decides_and_state_decides_the_rest(
    app: Any, officers: dict
) -> None:
    case_id = new_case(app, officers["ann"])
    ann = progress(app, "ann", case_id)
    assert "a manager decides this" in ann.not_open[Step.SUSPEND]
    assert "complaints manager decides" in ann.not_open[Step.DECIDE_ESCALATION]
    assert not {Step.EXTEND, Step.CONTACT_ATTEMPT, Step.WITHDRAW} & set(ann.not_open)
    assert "a manager decides this" in ann.not_open[Step.RESUME]
    assert progress(app, "lee", case_id).not_open[Step.RESUME] == "CW-2026-00001 is not suspended"

    lifecycle.suspend(as_(app, "lee"), case_id, start=D(2026, 11, 4), ground="Grievance")
    now = progress(app, "lee", case_id)
    assert (now.status, now.suspended, now.respond_by) == (CaseStatus.SUSPENDED, True, None)
    assert Step.RESUME not in now.not_open
    assert now.not_open[Step.EXTEND] == (
        "CW-2026-00001 has been suspended since 2026-11-04: resume it before extending it"
    )
    assert now.not_open[Step.SUSPEND] == (
        "CW-2026-00001 has been suspended since 2026-11-04: resume it before suspending it again"
    )


def test_attempts_still_needed_count_new_methods(app: Any, officers: dict) -> None:
    # The complainant has an email address, a phone number and a postal address: three methods.
    reachable = Complainant(
        name="Pat Doe", address="1 High Street", email="pat@example.com", phone="01632 960001"
    )
    case_id = new_case(app, officers["ann"], complainant=reachable)
    ann = as_(app, "ann")
    assert progress_of(ann, case_id).attempts_needed == 3
    for hour in (9, 15):  # two phone calls: two attempts, one method
        lifecycle.record_contact_attempt(
            ann,
            case_id,
            at=dt.datetime(2026, 11, 9, hour, tzinfo=dt.UTC),
            method=ContactMethod.PHONE,
        )
    found = progress_of(ann, case_id)
    assert found.attempts_needed == 2
    assert found.discontinuation_shortfall == (
        "2 unanswered contact attempts by 1 different method (phone)"
    )
    lifecycle.record_contact_attempt(
        ann, case_id, at=dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC), method=ContactMethod.EMAIL
    )
    lifecycle.record_contact_attempt(
        ann, case_id, at=dt.datetime(2026, 11, 11, 9, tzinfo=dt.UTC), method=ContactMethod.LETTER
    )
    assert progress_of(ann, case_id).attempts_needed == 0


def test_a_closed_case_offers_only_what_happens_after_closure(app: Any, officers: dict) -> None:
    case_id = new_case(
        app,
        officers["ann"],
        status=CaseStatus.CLOSED,
        closed_on=D(2026, 11, 20),
        outcome=Outcome.NOT_UPHELD,
        response_sent=D(2026, 11, 16),
        response_method=SendMethod.EMAIL,
    )
    found = progress(app, "cam", case_id)
    assert set(Step) - set(found.not_open) == {
        Step.REOPEN,
        Step.LOG_ESCALATION,
        Step.OMBUDSMAN,
        Step.REOPEN_ACTION,
        Step.RESTRICT_CONTACT,
        Step.RESTRICTION_NOTIFIED,
        Step.REVIEW_RESTRICTION,
        Step.EXPORT_FILE,
    }
    # Completing an action is allowed after closure too, but this case promised none.
    assert found.not_open[Step.COMPLETE_ACTION] == "CW-2026-00001 has no action to complete"
    assert found.not_open[Step.OMBUDSMAN_DECISION] == (
        "no Ombudsman enquiry is recorded on CW-2026-00001"
    )
    assert "re-open it first" in found.not_open[Step.EXTEND]
    assert found.closure_blockers == ()


def test_the_accepted_request_stays_shown_at_the_new_stage(app: Any, officers: dict) -> None:
    case_id = new_case(
        app,
        officers["ann"],
        response_sent=D(2026, 11, 16),
        response_method=SendMethod.SECOND_CLASS,
        status=CaseStatus.RESPONDED,
    )
    cam = as_(app, "cam")
    # Second class post on Monday 16 November is received Thursday 19 November; 20 days on.
    before = progress_of(cam, case_id).escalation
    assert (before.deemed_received, before.escalate_by, before.next_stage) == (
        D(2026, 11, 19),
        D(2026, 12, 9),
        2,
    )
    found = escalation.log_escalation_request(
        cam, case_id, requested_on=D(2026, 11, 20), reason="My main point was missed"
    )
    assert not found.late and found.decide_by == D(2026, 12, 4)
    assert progress_of(cam, case_id).escalation.requested_stage == 2
    escalation.accept_escalation(cam, case_id, decided_on=D(2026, 11, 23))
    after = progress_of(cam, case_id)
    assert (after.stage, after.stage_started) == (2, D(2026, 11, 20))
    assert (after.escalation.requested_on, after.escalation.decision) == (
        D(2026, 11, 20),
        EscalationDecision.ACCEPTED,
    )
    assert after.escalation.requested_stage == 2
    assert after.escalation.next_stage is None  # stage 2 is Warwickshire's last corporate stage
    assert after.not_open[Step.LOG_ESCALATION].startswith("CW-2026-00001 is at stage 2, the last")


def test_the_file_pack_is_written_to_the_folder(app: Any, officers: dict, tmp_path) -> None:
    case_id = new_case(app, officers["ann"])
    written = export_file_pack(as_(app, "cam"), case_id, tmp_path / "pack")
    assert written.document.read_bytes()[:2] == b"PK"
    with zipfile.ZipFile(written.archive) as archive:
        assert "CW-2026-00001-file.docx" in archive.namelist()
