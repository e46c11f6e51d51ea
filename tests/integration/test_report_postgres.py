"""Reports and retention on PostgreSQL: the same figures as on SQLite for the same demo, and a
purge that leaves them unchanged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from caseworker.bootstrap import open_app
from caseworker.demo import generate_demo
from caseworker.domain.enums import Role
from caseworker.reports import Period, build_report
from caseworker.services.records.retention import purge, retention_list
from caseworker.storage.models import Officer

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
