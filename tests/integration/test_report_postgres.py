"""Reports and retention on PostgreSQL: the same figures as on SQLite for the same demo, and a
purge that leaves them unchanged."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from caseworker.bootstrap import open_app
from caseworker.demo import generate_demo
from caseworker.domain.enums import Role
from caseworker.reports import Period, build_report
from caseworker.reports.figures import STAGE_START
from caseworker.services.records.retention import purge, retention_list
from caseworker.storage.models import Case, Officer

pytestmark = pytest.mark.postgres
TODAY = dt.date(2025, 6, 30)
PERIODS = (Period.year(2024), Period.quarter(2025, 1), Period.financial_year(2024))


def _demo(url: str) -> object:
    app = open_app(url, actor="tester")
    generate_demo(app.engine, 700, seed=9, today=TODAY)
    with app.uow() as uow:
        uow.session.add(
            Officer(
                name="Mary Manager",
                email="mary@council.example",
                role=Role.COMPLAINTS_MANAGER,
                service_area="Complaints",
                login="manager",
            )
        )
        uow.commit()
    return app


def _figures(app: object) -> list[dict[str, object]]:
    with app.sessions() as session:  # type: ignore[attr-defined]
        return [build_report(session, period, as_of=TODAY).figures() for period in PERIODS]


def test_postgresql_counts_as_sqlite_does_and_a_purge_changes_nothing(
    pg_url: str, tmp_path: Path
) -> None:
    postgres = _demo(pg_url)
    sqlite = _demo(f"sqlite:///{tmp_path / 'same.sqlite'}")
    try:
        on_postgres = _figures(postgres)
        assert on_postgres == _figures(sqlite)
        assert on_postgres[0]["headlines"][0][1] > 100  # complaints received in 2024

        in_2029 = postgres.context(  # type: ignore[attr-defined]
            actor="manager", today=lambda: dt.date(2029, 1, 1)
        )
        due = retention_list(in_2029)
        assert due.due
        result = purge(in_2029, due.references())
        assert result.count == len(due.due)
        assert _figures(postgres) == on_postgres
        with postgres.sessions() as session:  # type: ignore[attr-defined]
            assert session.scalar(select(Officer.name).where(Officer.login == "manager"))
    finally:
        postgres.close()  # type: ignore[attr-defined]
        sqlite.close()  # type: ignore[attr-defined]


def test_postgresql_counts_the_same_cases_once_and_lowers_each_remedy_once(pg_url: str) -> None:
    """The report's shape on PostgreSQL (issue 20, docs/performance.md): the counts over the
    same cases (received by route and by day, closed by outcome and by day, the responses by
    start and by sending date) are one statement each, ``GROUPING SETS``; every other count
    over the period's cases is a statement of its own, so no more of them read the cases than
    that; each remedy's text is lowered once (not once for each word of each kind); and the
    audit trail's stage 1 dates are read through their partial index and the day each stage
    began has statistics (migration 0025)."""
    from sqlalchemy import event

    app = open_app(pg_url, actor="tester")
    try:
        generate_demo(app.engine, 300, seed=9, today=TODAY)
        sent: list[tuple[str, object]] = []

        @event.listens_for(app.engine, "before_cursor_execute")
        def keep(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
            sent.append((statement, parameters))

        with app.sessions() as session:
            counted = build_report(session, PERIODS[0], as_of=TODAY)
        event.remove(app.engine, "before_cursor_execute", keep)
        assert counted.headline("Complaints received").value

        reading_cases = [sql for sql, _ in sent if re.search(r"\b(FROM|JOIN) cases\b", sql)]
        together = [sql for sql in reading_cases if "GROUPING SETS" in sql]
        assert len(together) == 3, together
        # received and its days, closed and its days, responses both ways: 3; requests, stages
        # begun, the Code's responses and acknowledgements, CH01's two counts, CH02's
        # responses: 7; the issues, the Ombudsman and the trail of escalated cases: 3
        assert len(reading_cases) <= 13, [" ".join(sql.split())[:80] for sql in reading_cases]

        issues = [sql for sql in reading_cases if "issues.remedy" in sql]
        assert len(issues) == 1
        assert "GROUP BY cases.service_area, issues.finding, lower(issues.remedy)" in issues[0]
        assert not re.search(r"lower\([^)]*\) LIKE", issues[0]), issues[0]  # no lower() a word

        trail = [(sql, params) for sql, params in sent if "audit_events" in sql]
        assert len(trail) == 1
        with app.engine.connect() as connection:
            plan = "\n".join(
                row[0] for row in connection.exec_driver_sql("EXPLAIN " + trail[0][0], trail[0][1])
            )
        assert "ix_audit_events_case_dates" in plan, plan

        # The day each stage began has statistics (migration 0025), so the planner expects
        # about as many stages begun in the year as there are, not 0.5% of the cases.
        year = PERIODS[0]
        begun = (
            select(func.count()).select_from(Case).where(STAGE_START.between(year.start, year.end))
        )
        with app.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE cases")
            actual = connection.execute(begun).scalar_one()
            sql = str(begun.compile(app.engine, compile_kwargs={"literal_binds": True}))
            explained = connection.exec_driver_sql("EXPLAIN (FORMAT JSON) " + sql).scalar_one()
        expected = explained[0]["Plan"]["Plans"][0]["Plan Rows"]
        assert actual > 50 and expected > actual / 2, (expected, actual)
    finally:
        app.close()
