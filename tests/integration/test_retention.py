"""Retention on a real database: which cases are listed, who may purge, what a purge removes and
keeps, the audit trail it leaves, reports unchanged by it, and `caseworker retention`.

Stockport keeps complaints documentation "for up to 3 years only from the date of the complaint
being closed" (3.3): closed on 4 March 2023, a case is kept to the end of 4 March 2026 and listed
from 5 March 2026. The other policies set no period, so their cases are never listed.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from sqlalchemy import func, or_, select, text
from sqlalchemy.exc import DatabaseError

from caseworker.bootstrap import App
from caseworker.cli.main import main
from caseworker.demo import generate_demo
from caseworker.domain.enums import (
    CaseStatus,
    Channel,
    ContactMethod,
    Finding,
    InterviewMethod,
    LetterKind,
    NoteKind,
    Outcome,
    ReferrerRole,
    Role,
    RouteId,
)
from caseworker.domain.lifecycle import OmbudsmanBody
from caseworker.domain.refusals import NotPermitted, Refused
from caseworker.errors import UserError
from caseworker.reports import Period, build_report
from caseworker.services.records.retention import (
    kept_until,
    purge,
    retention_list,
    why_not_purge,
)
from caseworker.storage.audit import PURGED_VALUE
from caseworker.storage.models import (
    Allocation,
    AuditEvent,
    Case,
    CaseSubject,
    Checkout,
    Complainant,
    ContactAttempt,
    ContactRestriction,
    Extension,
    Interview,
    Issue,
    Letter,
    Note,
    Officer,
    OmbudsmanCase,
    Representative,
    RiskAssessment,
    Suspension,
)

D = dt.date
NAME = "Morwenna Quillthorpe"


@pytest.fixture
def officers(app: Any) -> None:
    with app.uow() as uow:
        uow.session.add_all(
            [
                Officer(
                    name="Mary Manager",
                    email="mary@council.example",
                    role=Role.COMPLAINTS_MANAGER,
                    service_area="Complaints",
                    login="manager",
                ),
                Officer(
                    name="Ian Officer",
                    email="ian@council.example",
                    role=Role.INVESTIGATING_OFFICER,
                    service_area="Waste",
                    login="officer",
                ),
            ]
        )
        uow.commit()


def _case(
    session: Any,
    reference: str,
    *,
    policy: str = "stockport",
    closed_on: dt.date | None,
    complainant: Complainant | None = None,
    received: dt.date | None = None,
    **values: Any,
) -> Case:
    case = Case(
        reference=reference,
        policy_id=policy,
        route=RouteId.CORPORATE,
        status=CaseStatus.CLOSED if closed_on else CaseStatus.OPEN,
        received=received or (closed_on or D(2020, 1, 1)) - dt.timedelta(days=30),
        channel=Channel.EMAIL,
        service_area="Waste",
        closed_on=closed_on,
        outcome=Outcome.UPHELD if closed_on else None,
        complainant=complainant or Complainant(name=f"Someone {reference}"),
        **values,
    )
    session.add(case)
    return case


@pytest.fixture
def cases(app: Any, officers: None) -> dict[str, int]:
    """S1 has every kind of record; S2 shares its complainant with the open S3; S4 waits for the
    Ombudsman; W1 is Southampton's (no period); S5 is open."""
    with app.uow() as uow:
        session = uow.session
        person = Complainant(
            name=NAME,
            address="12 Larkspur Road\nNettleford",
            postcode="QA1 2CK",
            email="morwenna@example.com",
            phone="01632 960 123",
            reasonable_adjustments="Large print.",
            vulnerabilities="Recently bereaved.",
        )
        s1 = _case(
            session,
            "CW-2023-00001",
            closed_on=D(2023, 3, 4),
            complainant=person,
            summary="Bins missed at 12 Larkspur Road.",
            referrer_name="Cllr Ulric Wren",
            referrer_role=ReferrerRole.COUNCILLOR,
            referrer_address="Town Hall",
            understanding="You say your bins were missed.",
            steps_taken="I spoke to the crew.",
            evidence_considered="Round sheets.",
            settlement_terms="A refund of £40 and an apology to Mrs Quillthorpe.",
            escalation_reason="I am still unhappy.",
        )
        s1.representative = Representative(
            name="Tabitha Quillthorpe",
            relationship_to_complainant="daughter",
            address="3 Wren Row",
            phone="07700 900 001",
        )
        s1.subjects.append(CaseSubject(name="Crew member Bramblewick"))
        s1.issues.append(
            Issue(
                number=1,
                summary="The bin at 12 Larkspur Road was missed four times.",
                finding=Finding.UPHELD,
                explanation="The round sheets show the house was missed.",
                remedy="An apology and £40 to Mrs Quillthorpe.",
                lesson_learnt="Route changes are checked against the subscriber list.",
                action="Add the house back to the round.",
                action_due=D(2023, 4, 1),
                action_completed=D(2023, 3, 20),
                notes=[
                    Note(
                        kind=NoteKind.HEARSAY,
                        text="Mrs Quillthorpe says the crew laughed.",
                        author="Ian Officer",
                    )
                ],
            )
        )
        s1.interviews.append(
            Interview(
                interviewee="Crew member Bramblewick",
                held_on=D(2023, 2, 1),
                method=InterviewMethod.PHONE,
                notes="Remembers the house.",
            )
        )
        s1.risk_assessments.append(RiskAssessment(address="12 Larkspur Road", known_risks="A dog."))
        s1.contact_attempts.append(
            ContactAttempt(
                at=dt.datetime(2023, 2, 2, 10, tzinfo=dt.UTC),
                method=ContactMethod.PHONE,
                result="Spoke to Mrs Quillthorpe.",
            )
        )
        s1.letters.append(
            Letter(
                kind=LetterKind.OUTCOME,
                stage=1,
                outcome=Outcome.UPHELD,
                filename="CW-2023-00001 Quillthorpe.docx",
                content=b"Dear Mrs Quillthorpe",
                draft={"to": NAME},
                sent_on=D(2023, 3, 4),
            )
        )
        s1.extensions.append(
            Extension(stage=1, new_date=D(2023, 3, 1), reason="Mrs Quillthorpe is in hospital.")
        )
        s1.suspensions.append(
            Suspension(
                start=D(2023, 2, 10), end=D(2023, 2, 12), reason="Court case of Mrs Quillthorpe."
            )
        )
        s1.ombudsman_cases.append(
            OmbudsmanCase(
                body=OmbudsmanBody.LGSCO,
                reference="22 012 345",
                enquiry_on=D(2023, 4, 1),
                decision="Mrs Quillthorpe suffered injustice.",
                decision_on=D(2023, 5, 1),
                remedy_agreed="£100 to Mrs Quillthorpe.",
                remedy_due=D(2023, 6, 1),
                complied_on=D(2023, 5, 20),
            )
        )
        session.flush()
        manager = session.scalar(select(Officer.id).where(Officer.login == "manager"))
        s1.allocations.append(
            Allocation(
                stage=1, officer_id=manager, reason="Mrs Quillthorpe asked for a woman officer."
            )
        )
        session.add(
            ContactRestriction(
                complainant=person,
                case_id=s1.id,
                policy_id="stockport",
                reason="Forty calls in a day.",
                decided_on=D(2023, 3, 1),
                notify_by=D(2023, 3, 8),
                review_on=D(2023, 9, 1),
            )
        )
        shared = Complainant(name="Septimus Marrowgate")
        _case(session, "CW-2022-00002", closed_on=D(2022, 6, 1), complainant=shared)
        _case(session, "CW-2026-00003", closed_on=None, complainant=shared, received=D(2026, 1, 5))
        s4 = _case(session, "CW-2022-00004", closed_on=D(2022, 1, 10))
        s4.ombudsman_cases.append(OmbudsmanCase(body=OmbudsmanBody.LGSCO, enquiry_on=D(2022, 3, 1)))
        _case(session, "CW-2015-00001", policy="southampton", closed_on=D(2015, 5, 5))
        _case(session, "CW-2020-00005", closed_on=None, received=D(2020, 2, 2))
        uow.commit()
        return {c.reference: c.id for c in session.scalars(select(Case))}


def on(app: Any, day: dt.date, login: str = "manager") -> Any:
    """What the services are given: acting as ``login``, with ``day`` as the real date."""
    return app.context(actor=login, today=lambda: day)


def personal_data(app: Any, case_id: int) -> tuple:
    """What a purge would remove from the case, read back from the database."""
    with app.sessions() as session:
        case = session.get(Case, case_id)
        return (
            case.purged_on,
            case.complainant.name if case.complainant else None,
            case.summary,
            [issue.summary for issue in case.issues],
        )


def test_kept_until_is_the_anniversary() -> None:
    assert kept_until(D(2023, 3, 4), 3) == D(2026, 3, 4)
    assert kept_until(D(2024, 2, 29), 3) == D(2027, 2, 28)


def test_the_list_follows_each_policy(app: Any, cases: dict[str, int]) -> None:
    on_anniversary = retention_list(on(app, D(2026, 3, 4)))
    day_after = retention_list(on(app, D(2026, 3, 5)))
    assert not day_after.ahead
    # Kept to the end of 4 March 2026; CW-2022-00002 (closed 1 June 2022) is due on both days.
    assert on_anniversary.references() == ["CW-2022-00002"]
    assert day_after.references() == ["CW-2022-00002", "CW-2023-00001"]
    s1 = day_after.due[1]
    assert (s1.closed_on, s1.kept_until, s1.years, s1.council) == (
        D(2023, 3, 4),
        D(2026, 3, 4),
        3,
        "Stockport Council",
    )
    # Held back: the Ombudsman has not decided CW-2022-00004.
    assert [(c.reference, c.held) for c in day_after.held] == [
        ("CW-2022-00004", "the Ombudsman's enquiry or an agreed remedy is still open")
    ]
    # Southampton sets no period: its 2015 case is never listed. Open cases never are.
    assert "Southampton City Council" in day_after.policies_without_period
    assert "CW-2015-00001" not in day_after.references()
    assert "CW-2020-00005" not in day_after.references()


def test_only_a_complaints_manager_may_purge(app: Any, cases: dict[str, int]) -> None:
    before = personal_data(app, cases["CW-2023-00001"])
    assert before == (
        None,
        NAME,
        "Bins missed at 12 Larkspur Road.",
        ["The bin at 12 Larkspur Road was missed four times."],
    )
    with pytest.raises(NotPermitted) as refused:
        purge(on(app, D(2026, 3, 5), "officer"), ["CW-2023-00001"])
    assert str(refused.value) == (
        "Refused: Ian Officer may not purge cases under the retention policy (only a "
        "complaints manager may confirm a purge: it cannot be undone)"
    )
    assert personal_data(app, cases["CW-2023-00001"]) == before
    # The app asks the same rule to enable its Purge button and say why it is not.
    assert why_not_purge(on(app, D(2026, 3, 5), "officer")) == str(refused.value).removeprefix(
        "Refused: "
    )
    assert why_not_purge(on(app, D(2026, 3, 5))) is None


def test_only_managers_see_the_retention_list(app: Any, cases: dict[str, int]) -> None:
    with pytest.raises(NotPermitted) as refused:
        retention_list(on(app, D(2026, 3, 5), "officer"))
    assert str(refused.value) == (
        "Refused: Ian Officer (an investigating officer) may not see the retention list "
        "(reports and the retention list are for managers: a complaints manager for every "
        "service, or a line manager)"
    )
    with app.uow() as uow:
        uow.session.add(
            Officer(
                name="Lee Line",
                email="lee@council.example",
                role=Role.LINE_MANAGER,
                service_area="Waste",
                login="lee",
            )
        )
        uow.commit()
    listed = retention_list(on(app, D(2026, 3, 5), "lee"))
    assert listed.references() == ["CW-2022-00002", "CW-2023-00001"]
    assert why_not_purge(on(app, D(2026, 3, 5), "lee")) == (
        "Lee Line may not purge cases under the retention policy (only a complaints manager "
        "may confirm a purge: it cannot be undone)"
    )


def test_no_case_is_purged_before_its_retention_date(app: Any, cases: dict[str, int]) -> None:
    """Closed last month, kept 3 years: looking ahead to 2099 lists it, nothing purges it."""
    with app.uow() as uow:
        recent = _case(
            uow.session,
            "CW-2026-00099",
            closed_on=D(2026, 2, 4),
            complainant=Complainant(name="Rosalind Fernhollow"),
            summary="A recent complaint.",
        )
        uow.commit()
        recent_id = recent.id
    today = on(app, D(2026, 3, 5))
    ahead = retention_list(today, on=D(2099, 12, 31))
    assert ahead.ahead and ahead.today == D(2099, 12, 31)
    listed = {case.reference: case for case in ahead.due}
    assert (listed["CW-2026-00099"].kept_until, listed["CW-2026-00099"].due_on) == (
        D(2029, 2, 4),
        D(2029, 2, 5),
    )
    before = personal_data(app, recent_id)
    with pytest.raises(Refused) as refused:
        purge(today, ["CW-2026-00099"])
    assert str(refused.value) == (
        "Refused: nothing was purged: CW-2026-00099 is not due: closed on 2026-02-04, it is "
        "kept until 2029-02-04 (3 years, policy stockport)"
    )
    with pytest.raises(Refused, match="CW-2026-00099 is not due"):  # not even with others due
        purge(today, ahead.references())
    assert (
        personal_data(app, recent_id)
        == before
        == (
            None,
            "Rosalind Fernhollow",
            "A recent complaint.",
            [],
        )
    )
    assert _purged(app) == []
    with pytest.raises(UserError, match="looks ahead to what will become due, not back"):
        retention_list(today, on=D(2026, 3, 4))
    # On its own date it still is not due; the day after, it is.
    with pytest.raises(Refused, match="kept until 2029-02-04"):
        purge(on(app, D(2029, 2, 4)), ["CW-2026-00099"])
    assert purge(on(app, D(2029, 2, 5)), ["CW-2026-00099"]).references == ["CW-2026-00099"]


def test_one_reference_not_due_refuses_the_whole_request(app: Any, cases: dict[str, int]) -> None:
    with pytest.raises(Refused) as refused:
        purge(
            on(app, D(2026, 3, 5)),
            ["CW-2023-00001", "CW-2020-00005", "CW-2022-00004", "CW-2015-00001", "CW-1999-00001"],
        )
    message = str(refused.value)
    assert message.startswith("Refused: nothing was purged: ")
    assert "CW-2020-00005 is not due: it is not closed" in message
    assert "CW-2022-00004 is held back: the Ombudsman's enquiry" in message
    assert "CW-2015-00001 is not due: its policy (southampton) sets no retention period" in message
    assert "CW-1999-00001 is not due: there is no case with this reference" in message
    with pytest.raises(Refused, match="kept until 2026-03-04"):
        purge(on(app, D(2026, 3, 4)), ["CW-2023-00001"])
    with pytest.raises(Refused, match="no cases were confirmed"):
        purge(on(app, D(2026, 3, 5)), [" "])
    with app.sessions() as session:
        assert session.scalar(select(func.count()).where(Case.purged_on.is_not(None))) == 0


def test_a_purge_removes_personal_data_and_keeps_the_counts(
    app: Any, cases: dict[str, int]
) -> None:
    with app.sessions() as session:
        events_before = session.scalar(select(func.count()).select_from(AuditEvent))
        report_before = build_report(session, Period.year(2023), as_of=D(2026, 3, 5)).figures()
    # Before its purge, a case's trail cannot be scrubbed either.
    with app.engine.begin() as connection, pytest.raises(DatabaseError, match="append-only"):
        connection.execute(
            text("UPDATE audit_events SET new_value = :marker WHERE case_id = :case"),
            {"marker": PURGED_VALUE, "case": cases["CW-2023-00001"]},
        )
    result = purge(on(app, D(2026, 3, 5)), ["CW-2023-00001", "CW-2022-00002"])
    assert result.references == ["CW-2023-00001", "CW-2022-00002"]
    assert result.complainants_removed == 1  # Septimus Marrowgate still has CW-2026-00003

    s1 = cases["CW-2023-00001"]
    with app.sessions() as session:
        marrowgate = session.scalar(
            select(Complainant.id).where(Complainant.name == "Septimus Marrowgate")
        )
        case = session.get(Case, s1)
        assert (case.purged_on, case.purged_by, case.adjustments_made) == (
            D(2026, 3, 5),
            "manager",
            True,
        )
        assert case.complainant_id is None
        for name in (
            "summary",
            "referrer_name",
            "referrer_address",
            "understanding",
            "steps_taken",
            "evidence_considered",
            "escalation_reason",
        ):
            assert getattr(case, name) == "", name
        assert case.settlement_terms == (
            "Removed under the retention policy; it was an apology and a financial remedy."
        )
        # Kept: what reports count.
        assert (
            case.reference,
            case.received,
            case.closed_on,
            case.outcome,
            case.channel,
            case.service_area,
            case.referrer_role,
        ) == (
            "CW-2023-00001",
            D(2023, 2, 2),
            D(2023, 3, 4),
            Outcome.UPHELD,
            Channel.EMAIL,
            "Waste",
            ReferrerRole.COUNCILLOR,
        )
        issue = session.scalars(select(Issue).where(Issue.case_id == s1)).one()
        assert (issue.number, issue.finding, issue.action_due, issue.action_completed) == (
            1,
            Finding.UPHELD,
            D(2023, 4, 1),
            D(2023, 3, 20),
        )
        assert (
            issue.summary
            == issue.lesson_learnt
            == issue.action
            == "Removed under the retention policy."
        )
        assert issue.explanation == ""
        assert issue.remedy == (
            "Removed under the retention policy; it was an apology and a financial remedy."
        )
        for model in (Note, Interview, RiskAssessment, ContactAttempt, Representative, CaseSubject):
            column = Note.issue_id if model is Note else model.case_id
            key = issue.id if model is Note else s1
            assert session.scalar(select(func.count()).where(column == key)) == 0, model
        letter = session.scalars(select(Letter).where(Letter.case_id == s1)).one()
        assert (letter.content, letter.draft, letter.filename, letter.kind, letter.sent_on) == (
            None,
            None,
            "",
            LetterKind.OUTCOME,
            D(2023, 3, 4),
        )
        assert (
            session.scalars(select(Extension.reason).where(Extension.case_id == s1)).one()
            == "Removed under the retention policy."
        )
        assert (
            session.scalars(select(Suspension.reason).where(Suspension.case_id == s1)).one()
            == "Removed under the retention policy."
        )
        assert (
            session.scalars(select(Allocation.reason).where(Allocation.case_id == s1)).one() == ""
        )
        ombudsman = session.scalars(select(OmbudsmanCase).where(OmbudsmanCase.case_id == s1)).one()
        assert (
            ombudsman.reference,
            ombudsman.decision,
            ombudsman.remedy_agreed,
            ombudsman.complied_on,
        ) == (
            "",
            "Removed under the retention policy.",
            "Removed under the retention policy.",
            D(2023, 5, 20),
        )
        # The complainant and the contact restrictions on them are gone; the shared one stays.
        assert session.scalar(select(func.count()).where(Complainant.name == NAME)) == 0
        assert session.scalar(select(func.count()).select_from(ContactRestriction)) == 0
        assert (
            session.scalar(select(func.count()).where(Complainant.name == "Septimus Marrowgate"))
            == 1
        )
        # Nothing left in the case's records names anyone.
        for table in (
            "cases",
            "issues",
            "letters",
            "extensions",
            "suspensions",
            "allocations",
            "ombudsman_cases",
        ):
            rows = session.execute(text(f"SELECT * FROM {table}")).all()
            assert not any("Quillthorpe" in str(row) or "Larkspur" in str(row) for row in rows), (
                table
            )

        # One audit event per case, naming who confirmed it, and no other event: the removed
        # values are not copied into the trail.
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.id > events_before).order_by(AuditEvent.id)
        ).all()
        assert [(e.case_id, e.action, e.actor, e.entity, e.field) for e in events] == [
            (s1, "purge", "manager", "cases", "retention"),
            (cases["CW-2022-00002"], "purge", "manager", "cases", "retention"),
        ]
        assert events[0].new_value == (
            "personal data and documents purged under the retention policy of Stockport "
            "Council: closed on 2023-03-04, kept 3 years to 2026-03-04; confirmed by Mary "
            "Manager (manager)"
        )
        # The trail made before keeps who, when and which field, and no personal value: the
        # complainant's creation row, the notes, the case's free text are the marker now.
        for who in (NAME, "Quillthorpe", "Larkspur", "morwenna@example.com", "01632 960 123"):
            assert (
                session.scalar(
                    select(func.count()).where(
                        or_(AuditEvent.new_value.contains(who), AuditEvent.old_value.contains(who))
                    )
                )
                == 0
            ), who
        scrubbed = session.scalars(
            select(AuditEvent).where(
                AuditEvent.entity == "complainants", AuditEvent.action == "create"
            )
        ).all()
        values = {e.new_value for e in scrubbed}
        assert {e.actor for e in scrubbed} == {"tester"}
        assert PURGED_VALUE in values  # Mrs Quillthorpe's
        assert any("Someone CW-2020-00005" in (v or "") for v in values)  # not purged
        # The case's dates and outcome stay in its rows; the shared complainant's stay whole.
        assert (
            session.scalar(
                select(func.count()).where(
                    AuditEvent.entity == "complainants",
                    AuditEvent.entity_id == marrowgate,
                    AuditEvent.new_value.contains("Septimus Marrowgate"),
                )
            )
            == 1
        )
        report_after = build_report(session, Period.year(2023), as_of=D(2026, 3, 5)).figures()
    assert report_after == report_before

    # Purged cases leave the list; the audit trail still refuses changes.
    assert "CW-2023-00001" not in retention_list(on(app, D(2030, 1, 1))).references()
    with app.engine.begin() as connection, pytest.raises(DatabaseError):
        connection.execute(text("DELETE FROM audit_events"))
    # After it, only values may become the marker: nothing else in its rows changes.
    with app.engine.begin() as connection, pytest.raises(DatabaseError, match="append-only"):
        connection.execute(
            text("UPDATE audit_events SET actor = 'someone' WHERE case_id = :case"), {"case": s1}
        )


def test_reports_over_past_periods_are_the_same_after_a_purge(app: Any, officers: None) -> None:
    """A demo of 900 cases made in mid-2025, purged as if it were 2029 (every closed Stockport
    case is past its 3 years): every figure of every report over 2024 and 2025 is unchanged."""
    generate_demo(app.engine, 900, seed=5, today=D(2025, 6, 30))
    with app.uow() as uow:  # the demo makes no Ombudsman records or letters: add some
        stockport = uow.session.scalars(
            select(Case)
            .where(Case.policy_id == "stockport", Case.status == CaseStatus.CLOSED)
            .limit(4)
        ).all()
        for number, case in enumerate(stockport):
            case.ombudsman_cases.append(
                OmbudsmanCase(
                    body=OmbudsmanBody.LGSCO,
                    reference=f"24 00{number}",
                    enquiry_on=case.closed_on,
                    decision="Fault.",
                    decision_on=case.closed_on + dt.timedelta(days=30),
                    remedy_agreed="£50." if number % 2 else "",
                    remedy_due=case.closed_on + dt.timedelta(days=60) if number % 2 else None,
                    complied_on=case.closed_on + dt.timedelta(days=40) if number % 2 else None,
                )
            )
            case.letters.append(
                Letter(
                    kind=LetterKind.OUTCOME,
                    stage=case.stage,
                    content=b"letter",
                    sent_on=case.closed_on,
                )
            )
        uow.commit()
    periods = [
        Period.year(2024),
        Period.year(2025),
        Period.quarter(2025, 1),
        Period(D(2024, 6, 15), D(2025, 6, 30)),
    ]
    today = D(2029, 1, 1)

    def figures() -> list[dict[str, object]]:
        with app.sessions() as session:
            return [
                build_report(session, period, as_of=D(2025, 6, 30)).figures() for period in periods
            ] + [
                build_report(
                    session, Period.year(2025), as_of=D(2025, 6, 30), policy_id="stockport"
                ).figures()
            ]

    before = figures()
    due = retention_list(on(app, today))
    assert len(due.due) > 80
    assert {case.policy_id for case in due.due} == {"stockport"}
    result = purge(on(app, today), due.references())
    assert result.count == len(due.due)
    assert figures() == before
    with app.sessions() as session:
        assert (
            session.scalar(
                select(func.count()).where(
                    Case.policy_id == "stockport",
                    Case.status == CaseStatus.CLOSED,
                    Case.complainant_id.is_not(None),
                )
            )
            == 0
        )


# -- caseworker retention ---------------------------------------------------------------------


@pytest.fixture
def cli(
    app: Any,
    cases: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Any:
    """Run `caseworker retention ...` as the manager on 5 March 2026 (the command's real date:
    its Context's clock); returns (exit status, out, err)."""
    monkeypatch.setattr("caseworker.bootstrap.current_login", lambda: "manager")
    real_context = App.context

    def on_5_march(self: App, **kwargs: Any) -> Any:
        return real_context(self, **{"today": lambda: D(2026, 3, 5), **kwargs})

    monkeypatch.setattr(App, "context", on_5_march)

    def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        status = main(["--db", app.url, "retention", *args])
        out, err = capsys.readouterr()
        return status, out, err

    return run


def _purged(app: Any) -> list[str]:
    with app.sessions() as session:
        return list(
            session.scalars(
                select(Case.reference).where(Case.purged_on.is_not(None)).order_by(Case.reference)
            )
        )


def test_the_list_shows_references_and_dates_only(cli: Any) -> None:
    status, out, _ = cli("--list")
    assert status == 0
    assert "2 closed case(s) past their retention period on 2026-03-05:" in out
    assert "CW-2023-00001    2023-03-04  2026-03-04  Stockport Council (3 years)" in out
    assert "CW-2022-00004" in out and "Held back although due (1):" in out
    assert "Quillthorpe" not in out and "Larkspur" not in out


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ("--purge",),
            "",
            "nothing purged: --purge removes personal data for good, so it needs "
            "the cases you checked: --confirm REF,REF (see --list), or "
            "--confirm-all-listed and the number of cases typed",
        ),
        (
            ("--purge", "--confirm-all-listed", "--count", "3"),
            "",
            "nothing purged: 2 case(s) are listed, and the number confirmed was 3",
        ),
        (("--purge", "--confirm-all-listed"), "", "the number confirmed was not given"),
        (("--purge", "--confirm-all-listed"), "yes\n", "the number confirmed was not given"),
        (("--purge", "--confirm", "CW-2023-00001", "--confirm-all-listed"), "", "not both"),
        (
            ("--purge", "--confirm", "CW-2023-00001,CW-2020-00005"),
            "",
            "nothing was purged: CW-2020-00005 is not due: it is not closed",
        ),
        (("--list", "--confirm", "CW-2023-00001"), "", "go with --purge, not --list"),
    ],
)
def test_nothing_is_purged_without_a_clear_confirmation(
    app: Any, cli: Any, args: tuple, stdin: str, message: str
) -> None:
    status, _, err = cli(*args, stdin=stdin)
    assert status == 2
    assert message in err
    assert _purged(app) == []


def test_purging_the_confirmed_references(app: Any, cli: Any) -> None:
    status, out, _ = cli("--purge", "--confirm", "CW-2023-00001")
    assert status == 0
    assert "purged 1 case(s), confirmed by manager: CW-2023-00001" in out
    assert _purged(app) == ["CW-2023-00001"]


def test_purging_all_listed_with_the_number_typed(app: Any, cli: Any) -> None:
    status, out, _ = cli("--purge", "--confirm-all-listed", stdin="2\n")
    assert status == 0
    assert "purged 2 case(s)" in out
    assert _purged(app) == ["CW-2022-00002", "CW-2023-00001"]


def test_a_date_given_to_the_command_never_purges_early(app: Any, cli: Any) -> None:
    """`retention --purge --confirm REF --today 2099-12-31` on a case closed last month."""
    with app.uow() as uow:
        recent = _case(
            uow.session,
            "CW-2026-00099",
            closed_on=D(2026, 2, 4),
            complainant=Complainant(name="Rosalind Fernhollow"),
            summary="A recent complaint.",
        )
        uow.commit()
        recent_id = recent.id
    before = personal_data(app, recent_id)
    status, out, err = cli("--purge", "--confirm", "CW-2026-00099", "--today", "2099-12-31")
    assert status == 2
    assert (
        "nothing purged: --today only looks ahead with --list (what will become due by then); "
        "a purge counts from the real date, so no case is purged before its retention date"
    ) in err
    status, _, err = cli("--purge", "--confirm-all-listed", "--count", "3", "--today", "2099-12-31")
    assert status == 2 and "--today only looks ahead with --list" in err
    status, _, err = cli("--purge", "--confirm", "CW-2026-00099")
    assert status == 2
    assert (
        "nothing was purged: CW-2026-00099 is not due: closed on 2026-02-04, it is kept until "
        "2029-02-04 (3 years, policy stockport)"
    ) in err
    assert personal_data(app, recent_id) == before
    assert before[:3] == (None, "Rosalind Fernhollow", "A recent complaint.")
    assert _purged(app) == []
    with app.sessions() as session:
        assert not session.scalars(select(AuditEvent).where(AuditEvent.action == "purge")).all()
    # Looking ahead lists it, with the day it becomes due.
    status, out, _ = cli("--list", "--today", "2099-12-31")
    assert status == 0
    assert "3 closed case(s) will be past their retention period by 2099-12-31" in out
    assert "CW-2026-00099    2026-02-04  2029-02-04" in out
    status, _, err = cli("--list", "--today", "2026-03-01")
    assert status == 2 and "not back: 2026-03-01 is before today (2026-03-05)" in err


def test_a_login_that_is_not_a_manager_purges_nothing(
    app: Any, cli: Any, cases: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("caseworker.bootstrap.current_login", lambda: "officer")
    before = personal_data(app, cases["CW-2023-00001"])
    status, _, err = cli("--purge", "--confirm-all-listed", "--count", "2")
    assert status == 2
    assert (
        "Ian Officer may not purge cases under the retention policy (only a complaints manager "
        "may confirm a purge: it cannot be undone)"
    ) in err
    status, _, err = cli("--purge", "--confirm", "CW-2023-00001")
    assert status == 2 and "Ian Officer may not purge cases" in err
    assert _purged(app) == []
    assert personal_data(app, cases["CW-2023-00001"]) == before
    status, _, err = cli("--list")
    assert status == 2
    assert "Ian Officer (an investigating officer) may not see the retention list" in err


# -- the migration ----------------------------------------------------------------------------


def test_migration_0004_keeps_every_record_down_and_up(app: Any, cases: dict[str, int]) -> None:
    from alembic import command

    from caseworker.storage.database import alembic_config, migrate

    tables = ("cases", "issues", "notes", "letters", "interviews", "complainants", "audit_events")

    def counts() -> dict[str, int]:
        with app.engine.connect() as connection:
            return {
                t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in tables
            }

    before = counts()
    config = alembic_config(app.engine)
    with app.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
    assert counts() == before
    migrate(app.engine)
    assert counts() == before


def test_a_purge_removes_the_case_documents_and_correspondence(
    app: Any, cases: dict[str, int]
) -> None:
    from caseworker.services.evidence.documents import add_document
    from caseworker.storage.models import Correspondence, Document

    case_id = cases["CW-2023-00001"]
    with app.uow() as uow:
        mail = Correspondence(case_id=case_id, sender="complainant@example.org")
        uow.session.add(mail)
        uow.session.flush()
        add_document(
            uow.session,
            case_id,
            "photo of the bin.jpg",
            b"\xff\xd8 jpeg",
            correspondence_id=mail.id,
        )
        add_document(uow.session, case_id, "notes.pdf", b"%PDF-1.7")
        uow.commit()
    purge(on(app, D(2026, 3, 5)), ["CW-2023-00001"])
    with app.sessions() as session:
        for model in (Document, Correspondence):
            left = session.scalar(
                select(func.count()).select_from(model).where(model.case_id == case_id)
            )
            assert left == 0, model.__tablename__


def test_a_purged_complainant_leaves_no_trace_in_the_database_file(
    app: Any, cases: dict[str, int], tmp_path: Any
) -> None:
    """The raw SQLite file and its write-ahead log, read byte by byte after the purge: the
    complainant's name, email and phone, and the words of the notes, are nowhere, not in the
    audit trail, the full-text indexes or freed pages."""
    from caseworker.services.search.fulltext import search  # noqa: F401  (the index is live)

    with app.uow() as uow:  # an old offline checkout keeps a copy of the case's records
        uow.session.add(
            Checkout(
                case_id=cases["CW-2023-00001"],
                copy_id="0" * 36,
                checked_out_by="officer",
                base_version=1,
                base={"complainants": {"1": {"name": NAME, "phone": "01632 960 123"}}},
                checked_in_at=dt.datetime(2023, 2, 3, tzinfo=dt.UTC),
            )
        )
        uow.commit()
    database = tmp_path / "test.sqlite"
    wal = tmp_path / "test.sqlite-wal"
    traces = [NAME, "morwenna@example.com", "01632 960 123", "Larkspur", "crew laughed"]
    before = database.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert any(trace.encode() in before for trace in traces)  # the test can fail

    purge(on(app, D(2026, 3, 5)), ["CW-2023-00001"])

    with app.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    raw = database.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    for trace in traces:
        for form in (trace, trace.lower(), trace.upper()):
            assert form.encode() not in raw, form
            assert form.encode("utf-16-le") not in raw, form
    # What the other complainant's case needs is still there and found.
    assert b"Septimus Marrowgate" in raw
