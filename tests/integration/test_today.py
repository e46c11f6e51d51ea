"""Today: the officer's list of what needs doing now, each line naming the case and the section
to open."""

from __future__ import annotations

import datetime as dt

from caseworker.domain.enums import ContactMethod, Role
from caseworker.services.cases.intake import NewCase, PersonIn, create_case
from caseworker.services.lists.today import today_list
from caseworker.storage.models import (
    Case,
    ContactAttempt,
    Extension,
    Officer,
    RiskAssessment,
)

TODAY = dt.date(2026, 11, 27)  # a Friday


def save(app, name: str, received: dt.date, officer_id: int | None) -> int:  # noqa: ANN001
    """A Highways case received on ``received``, given to ``officer_id``."""
    created = create_case(
        app.context(today=lambda: received),
        NewCase(
            policy_id="stockport",
            received=received,
            service_area="Highways",
            summary="Pothole",
            first_aware=received - dt.timedelta(days=5),
            complainant=PersonIn(name=name, address="1 High Street", postcode="QQ1 1AA"),
            issues=("The pothole was not filled.",),
        ),
    )
    with app.uow() as uow:
        uow.session.get(Case, created.id).officer_id = officer_id
        uow.commit()
    return created.id


def officers(app) -> tuple[int, int]:  # noqa: ANN001
    with app.uow() as uow:
        me = Officer(
            name="Olive Officer",
            email="olive@example.gov.uk",
            login="olive",
            role=Role.INVESTIGATING_OFFICER,
            service_area="Highways",
        )
        other = Officer(
            name="Other Officer",
            email="other@example.gov.uk",
            login="otto",
            role=Role.INVESTIGATING_OFFICER,
            service_area="Highways",
        )
        uow.session.add_all([me, other])
        uow.commit()
        return me.id, other.id


def test_the_officers_day(app) -> None:  # noqa: ANN001
    me, other = officers(app)
    new = save(app, "Ann New", dt.date(2026, 11, 23), me)  # acknowledge by 30 Nov
    quiet = save(app, "Bob Quiet", dt.date(2026, 11, 2), me)  # respond by 30 Nov
    fine = save(app, "Cat Fine", dt.date(2026, 11, 16), me)
    elsewhere = save(app, "Dan Elsewhere", dt.date(2026, 11, 23), other)
    with app.uow() as uow:
        s = uow.session
        s.get(Case, quiet).acknowledged = dt.date(2026, 11, 3)
        s.get(Case, fine).acknowledged = dt.date(2026, 11, 17)
        s.add(
            ContactAttempt(
                case_id=fine,
                at=dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC),
                method=ContactMethod.PHONE,
                result="Spoke to Cat",
            )
        )
        s.add(
            Extension(
                case_id=quiet,
                stage=1,
                new_date=dt.date(2026, 12, 14),
                reason="Waiting for the contractor's records",
            )
        )
        issue = s.get(Case, quiet).issues[0]
        issue.action, issue.action_due = "Fill the pothole", dt.date(2026, 11, 26)
        s.add(RiskAssessment(case_id=quiet, visit_on=dt.date(2026, 12, 1), address="1 High Street"))
        s.add(RiskAssessment(case_id=fine, visit_on=dt.date(2026, 11, 20)))  # visit past
        uow.commit()

    today = today_list(app.context(actor="olive", today=lambda: TODAY))
    assert today.officer == "Olive Officer" and today.day == TODAY
    items = today.lines
    lines = {(i.case_id, i.section) for i in items}
    assert lines == {
        (new, "acknowledgement"),
        (quiet, "response"),
        (quiet, "contact"),
        (quiet, "extensions"),
        (quiet, "actions"),
        (quiet, "risk-assessment"),
    }
    by_section = {i.section: i for i in items if i.case_id == quiet}
    assert by_section["actions"].overdue and "Fill the pothole" in by_section["actions"].text
    assert "since Tue 3 Nov 2026" in by_section["contact"].text
    assert "decision" in by_section["risk-assessment"].text
    assert all(i.reference.startswith("CW-") for i in items)
    assert items[0].due <= items[-1].due  # most urgent first
    assert {i.complainant for i in items} == {"Ann New", "Bob Quiet"}

    longer = today_list(app.context(actor="olive", today=lambda: TODAY), update_every=20)
    assert (quiet, "contact") not in {(i.case_id, i.section) for i in longer.lines}
    other_day = today_list(app.context(actor="otto", today=lambda: TODAY))  # his one case
    assert {line.case_id for line in other_day.lines} <= {elsewhere}
    with app.uow() as uow:
        uow.session.get(Officer, other).active = False
        uow.commit()
    gone = today_list(app.context(actor="otto", today=lambda: TODAY))
    assert gone.officer is None and gone.lines == []
    assert "officer record (login 'otto') is inactive, so no case is shown to you" in gone.problem


def test_today_names_the_officers_cases_by_a_condition_not_a_list_of_ids(app) -> None:  # noqa: ANN001
    """The busiest officer holds thousands of cases: Today's statements carry the same few
    parameters whether they hold three or thirty (issue 20: ~20,000 bound parameters a call)."""
    from sqlalchemy import event

    me, _ = officers(app)

    def parameters_sent(cases: int) -> int:
        for n in range(cases):
            save(app, f"Person {n}", dt.date(2026, 11, 2 + n % 20), me)
        sent: list[int] = []

        def keep(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
            sent.append(len(parameters or ()))

        event.listen(app.engine, "before_cursor_execute", keep)
        try:
            today = today_list(app.context(actor="olive", today=lambda: TODAY))
        finally:
            event.remove(app.engine, "before_cursor_execute", keep)
        assert today.lines  # something to do
        return max(sent)

    few = parameters_sent(3)
    assert parameters_sent(27) == few < 20


def test_acknowledgements_and_responses_coming_due_this_week_are_shown(app) -> None:  # noqa: ANN001
    me, _ = officers(app)
    thursday = save(app, "Ann Thursday", dt.date(2026, 11, 2), me)
    next_week = save(app, "Bob Later", dt.date(2026, 11, 2), me)
    to_acknowledge = save(app, "Cat Friday", dt.date(2026, 11, 26), me)
    with app.uow() as uow:
        s = uow.session
        for case_id, respond_by in (
            (thursday, dt.date(2026, 12, 3)),
            (next_week, dt.date(2026, 12, 7)),
        ):
            s.get(Case, case_id).acknowledged = dt.date(2026, 11, 3)
            s.get(Case, case_id).respond_by = respond_by  # 4 and 6 working days from Friday
        s.get(Case, to_acknowledge).acknowledge_by = dt.date(2026, 12, 4)  # 5 working days
        uow.commit()
    lines = today_list(app.context(actor="olive", today=lambda: TODAY)).lines
    shown = {(line.case_id, line.section): line.text for line in lines if line.section != "contact"}
    assert shown == {
        (thursday, "response"): "Respond by Thu 3 Dec 2026",
        (to_acknowledge, "acknowledgement"): "Acknowledge by Fri 4 Dec 2026",
    }


def test_a_letter_to_arrange_in_braille_is_a_duty_until_recorded_arranged(app) -> None:  # noqa: ANN001
    """Braille asked for (in the officers' note): the case file says so, a kept letter is a
    Today duty for its officer until its copy is recorded as arranged (once, audited)."""
    import pytest
    from sqlalchemy import func, select

    from caseworker.domain.refusals import Refused
    from caseworker.services import letters
    from caseworker.services.cases.casefile import load_case_file
    from caseworker.storage.models import AuditEvent, Letter

    me, _ = officers(app)
    case_id = save(app, "Ann Braille", dt.date(2026, 11, 2), me)
    with app.uow() as uow:
        case = uow.session.get(Case, case_id)
        case.complainant.reasonable_adjustments = "Blind: letters in Braille, please."
        uow.commit()
    olive = app.context(actor="olive", today=lambda: TODAY)
    assert load_case_file(olive, case_id).formats.startswith(
        "Letters in Braille: arrange a copy of each letter"
    )
    saved = letters.save_letter(olive, case_id, despite="Interim letter")
    duties = [line for line in today_list(olive).lines if line.section == "formats"]
    assert {line.opens_at for line in duties} == {"letters"}
    assert "Braille copy of the outcome letter to arrange" in [line.text for line in duties]
    with app.uow() as uow:
        assert uow.session.get(Letter, saved.id).formats == "Braille"
        events = uow.session.scalar(select(func.count()).select_from(AuditEvent))
    letters.record_formats_arranged(olive, saved.id)
    assert "Braille copy of the outcome letter to arrange" not in [
        line.text for line in today_list(olive).lines
    ]
    with app.uow() as uow:
        assert uow.session.get(Letter, saved.id).formats_arranged == TODAY
        assert uow.session.scalar(select(func.count()).select_from(AuditEvent)) > events
    with pytest.raises(Refused, match="were recorded as arranged on 2026-11-27"):
        letters.record_formats_arranged(olive, saved.id)


def test_todays_record_statements_read_the_officers_cases_and_open_actions_from_indexes(
    app,  # noqa: ANN001
) -> None:
    """Migration 0029: the officer's cases not purged, which each record's statement names in a
    subquery, are the officer index alone (it holds the purge date), and the issues with an open
    action are found by their own index, not by reading every issue of the officer's cases. The
    plans SQLite makes with the app's fixed statistics (PostgreSQL plans by its own statistics,
    which a test's few rows do not give: docs/performance.md has its figures at 250,000 cases)."""
    from sqlalchemy import event

    me, _ = officers(app)
    for n in range(3):
        save(app, f"Person {n}", dt.date(2026, 11, 2 + n), me)
    sent: list[tuple[str, tuple]] = []

    def keep(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        sent.append((statement, tuple(parameters or ())))

    event.listen(app.engine, "before_cursor_execute", keep)
    try:
        assert today_list(app.context(actor="olive", today=lambda: TODAY)).lines
    finally:
        event.remove(app.engine, "before_cursor_execute", keep)
    plans = {}
    with app.engine.connect() as connection:
        for statement, parameters in sent:
            if " IN (SELECT cases.id FROM cases" in " ".join(statement.split()):
                table = statement.split("FROM", 1)[1].split()[0]
                rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
                plans[table] = " | ".join(str(row[-1]) for row in rows)
    assert set(plans) == {"extensions", "issues", "risk_assessments", "letters"}
    for table, plan in plans.items():
        assert "ix_cases_officer_status (officer_id=? AND status=? AND purged_on=?)" in plan, (
            table,
            plan,
        )
    assert "ix_issues_open_actions" in plans["issues"], plans["issues"]
