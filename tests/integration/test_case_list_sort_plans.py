"""Every sort of the case list walks an index a page at a time (migration 0012), and the sort
keys the database keeps on each case (due date, complainant's and officer's names) follow every
change: plans and behaviour, on SQLite and PostgreSQL, never a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import event, select, text

from caseworker.bootstrap import open_app
from caseworker.domain.enums import CaseStatus, Channel, Role, RouteId
from caseworker.services.lists.caselist import (
    CaseFilter,
    CaseList,
    CaseSort,
    QuickView,
    SortKey,
    count_query,
    first_page_query,
    list_page_query,
    quick_view_counts_query,
)
from caseworker.storage.models import Case, Complainant, Officer

TODAY = dt.date(2026, 11, 25)
SORT_INDEX = {
    SortKey.REFERENCE: "ix_cases_sort_reference",
    SortKey.COMPLAINANT: "ix_cases_sort_complainant",
    SortKey.SERVICE: "ix_cases_sort_service",
    SortKey.STAGE: "ix_cases_sort_stage",
    SortKey.OFFICER: "ix_cases_sort_officer",
    SortKey.RECEIVED: "ix_cases_sort_received",
    SortKey.DUE: "ix_cases_sort_due",
    SortKey.STATUS: "ix_cases_sort_status",
}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def app(request, tmp_path) -> Iterator:  # noqa: ANN001
    url = (
        request.getfixturevalue("pg_url")
        if request.param == "postgresql"
        else f"sqlite:///{tmp_path / 'sorted.sqlite'}"
    )
    opened = open_app(url, actor="tester")
    with opened.uow() as uow:
        ann = Officer(
            name="Ann Able",
            email="ann@example.org",
            role=Role.INVESTIGATING_OFFICER,
            service_area="Parking",
        )
        uow.session.add(ann)
        for n, (name, due) in enumerate(
            [("Priya Shah", dt.date(2026, 12, 1)), ("Tom Parker", None), (None, None)]
        ):
            uow.session.add(
                Case(
                    reference=f"CW-2026-0{n:04d}",
                    policy_id="stockport",
                    route=RouteId.CORPORATE,
                    status=CaseStatus.OPEN,
                    received=dt.date(2026, 11, 2 + n),
                    channel=Channel.EMAIL,
                    service_area="Parking",
                    complainant=Complainant(name=name) if name else None,
                    anonymous=name is None,
                    officer=ann if n == 0 else None,
                    respond_by=due,
                )
            )
        uow.commit()
    yield opened
    opened.close()


def keys(app) -> list[tuple]:  # noqa: ANN001
    with app.engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                select(
                    Case.reference, Case.complainant_key, Case.officer_key, Case.due_key
                ).order_by(Case.reference)
            )
        ]


def test_the_sort_keys_follow_cases_complainants_and_officers(app) -> None:  # noqa: ANN001
    never = dt.date(9999, 12, 31)
    assert keys(app) == [
        ("CW-2026-00000", "Priya Shah", "Ann Able", dt.date(2026, 12, 1)),
        ("CW-2026-00001", "Tom Parker", "", never),
        ("CW-2026-00002", "", "", never),
    ]
    with app.uow() as uow:
        session = uow.session
        first, second, third = session.scalars(select(Case).order_by(Case.reference)).all()
        ann = session.scalars(select(Officer).where(Officer.name == "Ann Able")).one()
        first.complainant.name = "Priya Shah-Jones"  # a name corrected
        ann.name = "Ann Able-Baker"
        second.officer = ann  # allocated
        second.acknowledge_by = dt.date(2026, 11, 30)  # a clock set
        first.respond_by = None
        third.complainant = Complainant(name="Zed Zander")
        uow.commit()
    assert keys(app) == [
        ("CW-2026-00000", "Priya Shah-Jones", "Ann Able-Baker", never),
        ("CW-2026-00001", "Tom Parker", "Ann Able-Baker", dt.date(2026, 11, 30)),
        ("CW-2026-00002", "Zed Zander", "", never),
    ]
    # and the list sorts by them
    cases = CaseList(app.context(today=lambda: TODAY))
    by_name = cases.page(CaseFilter(), CaseSort(SortKey.COMPLAINANT, True))
    assert [r.summary.complainant for r in by_name] == [
        "Zed Zander",
        "Tom Parker",
        "Priya Shah-Jones",
    ]
    by_due = cases.page(CaseFilter(), CaseSort(SortKey.DUE, False))
    assert [r.summary.reference for r in by_due] == [
        "CW-2026-00001",
        "CW-2026-00000",
        "CW-2026-00002",
    ]


def plan(app, query) -> str:  # noqa: ANN001
    """The database's plan of ``query``, one string (with the values written in)."""
    sql = str(query.compile(app.engine, compile_kwargs={"literal_binds": True}))
    with app.engine.connect() as connection:
        if app.engine.dialect.name == "sqlite":
            rows = connection.execute(text(f"EXPLAIN QUERY PLAN {sql}"))
            return " | ".join(str(r[-1]) for r in rows)
        # Three cases: a scan and a sort cost nothing, so only ask whether the index can give
        # the order at all (the planner takes it at scale: docs/performance.md).
        connection.execute(text("SET LOCAL enable_sort = off"))
        return " | ".join(str(r[0]) for r in connection.execute(text(f"EXPLAIN {sql}")))


@pytest.mark.parametrize("key", list(SortKey))
@pytest.mark.parametrize("descending", [False, True])
def test_each_sort_walks_its_index_first_page_and_later_ones(app, key, descending) -> None:  # noqa: ANN001
    """No sort of the whole list: a page after the first starts in the index where the last
    ended (keyset), so page 51 costs what page 1 does."""
    cases = CaseList(app.context(today=lambda: TODAY))
    sort = CaseSort(key, descending)
    [first, *_] = cases.page(CaseFilter(), sort, limit=1)
    for after in (None, first.summary):
        query = list_page_query(CaseFilter(), sort, today=TODAY, after=after)
        shown = plan(app, query)
        assert SORT_INDEX[key] in shown, shown
        if app.engine.dialect.name == "sqlite":
            assert "TEMP B-TREE FOR ORDER BY" not in shown, shown
        else:
            assert not [line for line in shown.split(" | ") if "Sort " in line], shown


@pytest.mark.parametrize("key", list(SortKey))
def test_a_first_page_carries_its_count_and_still_walks_its_index(app, key) -> None:  # noqa: ANN001
    """After a change of filter or sort the list sends one statement: the first page, with the
    count of every match as a subquery the database answers once (not once per row), and the
    page's plan is the page's own (its sort's index, no sort of every case)."""
    query = first_page_query(CaseFilter(), CaseSort(key, True), today=TODAY)
    shown = plan(app, query)
    assert SORT_INDEX[key] in shown, shown
    if app.engine.dialect.name == "sqlite":
        assert "TEMP B-TREE FOR ORDER BY" not in shown and "CORRELATED" not in shown, shown
    else:
        assert not [line for line in shown.split(" | ") if "Sort " in line], shown
        assert "SubPlan" not in shown, shown  # an InitPlan: once
    cases = CaseList(app.context(today=lambda: TODAY))
    statements: list[str] = []

    def sent(conn, cursor, statement, *args) -> None:  # noqa: ANN001
        statements.append(statement)

    event.listen(app.engine, "before_cursor_execute", sent)
    try:
        rows, total = cases.page_and_count(CaseFilter(), CaseSort(key, True), limit=2)
        assert (len(rows), total) == (2, 3)
        rows, total = cases.page_and_count(CaseFilter(view=QuickView.UNALLOCATED), CaseSort())
        assert ([r.summary.reference for r in rows], total) == (
            ["CW-2026-00002", "CW-2026-00001"],
            2,
        )
    finally:
        event.remove(app.engine, "before_cursor_execute", sent)
    assert len([s for s in statements if "FROM cases" in s]) == 2, statements


def test_overdue_and_due_this_week_count_from_the_open_cases_due_index(app) -> None:  # noqa: ANN001
    for view in (QuickView.OVERDUE, QuickView.DUE_THIS_WEEK):
        shown = plan(app, count_query(CaseFilter(view=view), today=TODAY))
        # a partial index of the open cases (on three cases PostgreSQL may take 0018's, which
        # holds the due date too)
        assert "ix_cases_open_due" in shown or "ix_cases_open_received" in shown, shown
    cases = CaseList(app.context(today=lambda: TODAY))
    assert cases.count(CaseFilter(view=QuickView.DUE_THIS_WEEK)) == 0
    assert cases.count(CaseFilter(view=QuickView.OVERDUE)) == 0
    late = CaseList(app.context(today=lambda: dt.date(2026, 12, 2)))
    assert [
        r.summary.reference for r in late.page(CaseFilter(view=QuickView.OVERDUE), CaseSort())
    ] == ["CW-2026-00000"]


def test_the_count_is_a_plain_count(app) -> None:  # noqa: ANN001
    sql = str(count_query(CaseFilter(), today=TODAY).compile(app.engine))
    assert "count(*)" in sql and "count(cases.id)" not in sql


def test_the_quick_view_counts_are_one_statement_each_view_from_its_own_index(app) -> None:  # noqa: ANN001
    """The counts by the quick views' names are one statement whose counts are each view's own
    (the list's count for it), answered from that view's index: not one pass over every case,
    which a complaints manager's start and every colleague's change paid (0.2 s at 250,000)."""
    shown = plan(app, quick_view_counts_query(today=TODAY))
    lines = shown.split(" | ")
    if app.engine.dialect.name == "sqlite":
        reads = [
            line for line in lines if line.split()[:2] in (["SCAN", "cases"], ["SEARCH", "cases"])
        ]
        # All cases: the smallest index read alone; every other view a search of an index
        assert [line.split()[0] for line in reads] == ["SCAN"] + ["SEARCH"] * 5, shown
        assert "USING COVERING INDEX" in reads[0] and "TEMP" not in shown, shown
    else:
        reads = [line for line in lines if " on cases" in line and "Scan" in line]
        assert len(reads) == 6 and "SubPlan" not in shown, shown  # each count once
        assert len([line for line in reads if "Seq Scan" in line]) <= 1, shown  # All cases's
        assert len([line for line in reads if "Index" in line]) >= 5, shown
    late = CaseList(app.context(today=lambda: dt.date(2026, 12, 2)))
    statements: list[str] = []

    def sent(conn, cursor, statement, *args) -> None:  # noqa: ANN001
        statements.append(statement)

    event.listen(app.engine, "before_cursor_execute", sent)
    try:
        counts = late.view_counts()
    finally:
        event.remove(app.engine, "before_cursor_execute", sent)
    assert len([s for s in statements if "FROM cases" in s]) == 1, statements
    assert counts == {view: late.count(CaseFilter(view=view)) for view in QuickView}
    assert counts == {
        QuickView.ALL: 3,
        QuickView.MINE: 0,  # the tester is no officer
        QuickView.DUE_THIS_WEEK: 0,
        QuickView.OVERDUE: 1,  # Priya Shah's, due on 1 December
        QuickView.UNALLOCATED: 2,
        QuickView.STAGE_2: 0,
    }


def plan_as_sent(app, query) -> str:  # noqa: ANN001
    """The plan of ``query`` as the app sends it, with its bound parameters (SQLite)."""
    compiled = query.compile(app.engine)
    params = tuple(compiled.params[name] for name in compiled.positiontup)
    with app.engine.connect() as connection:
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", params)
        return " | ".join(str(r[-1]) for r in rows)


@pytest.mark.parametrize(
    ("view", "index"),
    [
        (QuickView.OVERDUE, "ix_cases_open_received"),
        (QuickView.STAGE_2, "ix_cases_live_stage"),
        (QuickView.UNALLOCATED, "ix_cases_live_unallocated"),
    ],
)
def test_overdue_stage_2_and_unallocated_pages_walk_their_partial_index_newest_first(
    app,  # noqa: ANN001
    view,  # noqa: ANN001
    index,  # noqa: ANN001
) -> None:
    """The page is the first rows of the view's partial index (migrations 0018, 0027), not every
    matching case read and sorted; the statuses are written into the statement, as the index's
    condition is, so that the database can prove the index holds every case the view wants."""
    query = list_page_query(CaseFilter(view=view), CaseSort(), today=TODAY)
    assert "status = 'open'" in str(query.compile(app.engine)) or "IN ('open', 'suspended')" in str(
        query.compile(app.engine)
    )
    if app.engine.dialect.name == "sqlite":
        shown = plan_as_sent(app, query)
        assert index in shown and "TEMP B-TREE FOR ORDER BY" not in shown, shown
    else:
        shown = plan(app, query)
        assert index in shown, shown
        assert not [line for line in shown.split(" | ") if "Sort " in line], shown
    # and the same cases as before: the stage 2 ones live, the overdue ones open and late
    late = CaseList(app.context(today=lambda: dt.date(2026, 12, 2)))
    with app.uow() as uow:
        uow.session.execute(
            Case.__table__.update()
            .where(Case.reference == "CW-2026-00001")
            .values(stage=2, status=CaseStatus.SUSPENDED)
        )
        uow.commit()
    expected = {
        QuickView.OVERDUE: ["CW-2026-00000"],
        QuickView.STAGE_2: ["CW-2026-00001"],
        QuickView.UNALLOCATED: ["CW-2026-00002", "CW-2026-00001"],
    }
    shown_refs = [r.summary.reference for r in late.page(CaseFilter(view=view), CaseSort())]
    assert shown_refs == expected[view]
    assert late.count(CaseFilter(view=view)) == len(expected[view])


@pytest.mark.postgres
def test_a_page_in_the_last_stage_of_the_order_still_walks_the_index(pg_url) -> None:  # noqa: ANN001
    """PostgreSQL judges a keyset condition such as ``(stage, id) < (1, 1234)`` by its first
    column alone: ``stage < 1``, one row. With the complainants' and officers' names joined in,
    that made it hash the joins and sort every remaining case for a page in the last stage of
    the order (2.4 s at 250,000 cases); the names are the sort keys kept on the case, so the
    page is ``cases`` alone (and the open checkouts) and walks ``ix_cases_sort_stage`` however
    few rows the planner expects. The planner as it is: statistics gathered, nothing switched."""
    opened = open_app(pg_url, actor="tester")
    try:
        with opened.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO officers (name, email, role, service_area, active) "
                    "SELECT 'Officer ' || n, 'officer' || n || '@example.org', "
                    "'investigating-officer', 'Parking', true FROM generate_series(1, 60) n"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO officers (name, email, role, service_area, login, active) "
                    "VALUES ('Tess Tester', 'tess@example.org', 'complaints-manager', 'Parking', "
                    "'tester', true)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO complainants (name, address, postcode, email, phone, "
                    "reasonable_adjustments, vulnerabilities) "
                    "SELECT 'Person ' || n, '', '', '', '', '', '' FROM generate_series(1, 5000) n"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO cases (reference, policy_id, route, stage, status, received, "
                    "channel, service_area, summary, anonymous, time_limit_waived_by, "
                    "complainant_id, referrer_name, referrer_address, officer_id, created_at, "
                    "updated_at, version) "
                    "SELECT 'CW-2026-' || lpad(n::text, 5, '0'), 'stockport', 'corporate', "
                    "CASE WHEN n % 10 = 0 THEN 2 ELSE 1 END, 'closed', "
                    "DATE '2026-01-01' + n % 300, 'email', 'Parking', '', false, '', n, '', '', "
                    "(SELECT min(id) FROM officers) + n % 60, now(), now(), 1 "
                    "FROM generate_series(1, 5000) n"
                )
            )
        with opened.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("ANALYZE"))
        cases = CaseList(opened.context(today=lambda: TODAY))
        sort = CaseSort(SortKey.STAGE, True)
        shown = cases.page(CaseFilter(), sort, limit=600)  # 500 at stage 2, then stage 1
        last = shown[-1].summary
        assert last.stage == 1
        query = list_page_query(CaseFilter(), sort, today=TODAY, after=last)
        sql = str(query.compile(opened.engine, compile_kwargs={"literal_binds": True}))
        with opened.engine.connect() as connection:
            lines = [str(r[0]) for r in connection.execute(text(f"EXPLAIN {sql}"))]
        assert "ix_cases_sort_stage" in " | ".join(lines), lines
        assert not [line for line in lines if "Sort " in line], lines
        # the names shown are the people's
        page = cases.page(CaseFilter(), sort, after=last)
        assert len(page) == 100 and page[0].summary.complainant.startswith("Person ")
        assert page[0].summary.officer.startswith("Officer ")
    finally:
        opened.close()


def test_the_new_case_forms_service_areas_take_one_look_into_the_index_each(app) -> None:  # noqa: ANN001
    """The service areas offered on the new-case form: the least one, then each the least after
    the last, a look into ix_cases_sort_service apiece, where SELECT DISTINCT walked every
    case's entry (25 ms on PostgreSQL at 250,000 cases, growing with them)."""
    from caseworker.services.cases import intake

    with app.uow() as uow:
        cases = uow.session.scalars(select(Case).order_by(Case.reference))
        for case, area in zip(cases, ["Waste", "Housing", ""], strict=True):
            case.service_area = area  # the third has none: not offered
        uow.commit()
    assert intake.service_areas(app.context(today=lambda: TODAY)) == ["Housing", "Waste"]

    sql = str(intake.service_areas_query().compile(app.engine))
    with app.engine.connect() as connection:
        if app.engine.dialect.name == "sqlite":
            found = " | ".join(
                str(r[-1]) for r in connection.execute(text(f"EXPLAIN QUERY PLAN {sql}"))
            )
            assert "SCAN cases" not in found, found
            assert "ix_cases_sort_service (service_area>?)" in found, found
        else:  # a handful of rows: only ask whether the index can answer each look
            connection.execute(text("SET LOCAL enable_seqscan = off"))
            rows = connection.execute(text(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}"))
            found = " | ".join(str(r[0]) for r in rows)
            assert "Index Only Scan using ix_cases_sort_service" in found, found
            assert "service_area > " in found and "Seq Scan" not in found, found
