"""The case list's queries, against a real (migrated) SQLite database with hand-made cases."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from sqlalchemy import event

from caseworker.domain.enums import CaseStatus, Channel, Role, RouteId
from caseworker.policy.clock import calendar_for
from caseworker.services.lists.caselist import (
    CaseFilter,
    CaseList,
    CaseSort,
    QuickView,
    SortKey,
    Urgency,
    days_left,
    days_left_text,
    describe_database,
    end_of_week,
)
from caseworker.storage.models import Case, Complainant, Officer

TODAY = dt.date(2026, 11, 25)  # a Wednesday
D = dt.date
RECEIVED = D(2026, 11, 2)
DUE = D(2026, 11, 30)
ALL = CaseFilter()
NEWEST_FIRST = CaseSort()

_numbers = itertools.count(1)


def add_officer(
    app,
    name: str,
    login: str | None = None,
    active: bool = True,
    role: Role = Role.INVESTIGATING_OFFICER,
) -> int:
    with app.uow() as uow:
        officer = Officer(
            name=name,
            email=f"{name.lower().replace(' ', '.')}@council.example",
            role=role,
            service_area="Customer services",
            login=login,
            active=active,
        )
        uow.session.add(officer)
        uow.commit()
        return officer.id


def add_case(
    app,
    *,
    complainant: str | None = "Ann Example",
    service: str = "Waste and recycling",
    received: dt.date = RECEIVED,
    due: dt.date | None = DUE,
    status: CaseStatus = CaseStatus.OPEN,
    stage: int = 1,
    officer_id: int | None = None,
    policy_id: str = "stockport",
    reference: str | None = None,
) -> int:
    with app.uow() as uow:
        person = Complainant(name=complainant) if complainant is not None else None
        case = Case(
            reference=reference or f"CW-2026-{next(_numbers):05d}",
            policy_id=policy_id,
            route=RouteId.CORPORATE,
            stage=stage,
            status=status,
            received=received,
            channel=Channel.EMAIL,
            service_area=service,
            complainant=person,
            anonymous=person is None,
            officer_id=officer_id,
            respond_by=due,
        )
        uow.session.add(case)
        uow.commit()
        return case.id


@pytest.fixture
def jo(app) -> int:
    """Jo Bloggs, signed in as 'jbloggs': a complaints manager, who sees every case."""
    return add_officer(app, "Jo Bloggs", login="jbloggs", role=Role.COMPLAINTS_MANAGER)


@pytest.fixture
def cases(app, jo) -> CaseList:
    return CaseList(app.context(actor="jbloggs", today=lambda: TODAY))


def refs(rows) -> list[str]:
    return [row.summary.reference for row in rows]


def everything(cases: CaseList, filt: CaseFilter = ALL, sort: CaseSort = NEWEST_FIRST):
    return cases.page(filt, sort, limit=10_000)


# -- the clock ---------------------------------------------------------------------------------


def test_days_left_counts_working_days_only():
    calendar = calendar_for(())
    assert days_left(calendar, TODAY, TODAY) == 0
    assert days_left(calendar, TODAY, D(2026, 11, 30)) == 3  # Thu, Fri, Mon
    assert days_left(calendar, TODAY, D(2026, 11, 23)) == -2  # Tue, Wed
    # Christmas Day and Boxing Day (substitute Monday 28th) are bank holidays in 2026.
    assert days_left(calendar, D(2026, 12, 24), D(2026, 12, 29)) == 1


def test_a_case_due_friday_is_late_at_the_weekend_not_due_today():
    calendar = calendar_for(())
    assert days_left(calendar, D(2026, 11, 28), D(2026, 11, 27)) == -1  # Saturday
    assert days_left(calendar, D(2026, 11, 29), D(2026, 11, 27)) == -1  # Sunday
    assert days_left(calendar, D(2026, 11, 30), D(2026, 11, 27)) == -1  # Monday
    assert days_left(calendar, D(2026, 12, 1), D(2026, 11, 27)) == -2


def test_days_left_words_do_not_rely_on_colour():
    assert days_left_text(CaseStatus.OPEN, -3) == "3 days late"
    assert days_left_text(CaseStatus.OPEN, -1) == "1 day late"
    assert days_left_text(CaseStatus.OPEN, 0) == "Due today"
    assert days_left_text(CaseStatus.OPEN, 1) == "1 day left"
    assert days_left_text(CaseStatus.OPEN, 12) == "12 days left"
    assert days_left_text(CaseStatus.SUSPENDED, None) == "Clock stopped"
    assert days_left_text(CaseStatus.CLOSED, None) == ""


def test_end_of_week_is_sunday():
    assert end_of_week(TODAY) == D(2026, 11, 29)
    assert end_of_week(D(2026, 11, 29)) == D(2026, 11, 29)
    assert end_of_week(D(2026, 11, 30)) == D(2026, 12, 6)


# -- pages -------------------------------------------------------------------------------------


def test_an_empty_database_has_an_empty_list(cases):
    assert cases.count(CaseFilter()) == 0
    assert cases.page(CaseFilter(), CaseSort()) == []
    assert set(cases.view_counts().values()) == {0}


def test_rows_carry_the_summary_and_days_left(app, cases, jo):
    officer = jo
    add_case(
        app,
        reference="CW-2026-00001",
        complainant="Ann Example",
        officer_id=officer,
        due=D(2026, 11, 30),
    )
    add_case(app, reference="CW-2026-00002", complainant=None, due=D(2026, 11, 23))
    add_case(app, reference="CW-2026-00003", status=CaseStatus.CLOSED, due=D(2026, 10, 1))
    add_case(app, reference="CW-2026-00004", status=CaseStatus.SUSPENDED, due=D(2026, 12, 1))
    add_case(app, reference="CW-2026-00005", due=D(2027, 1, 29))

    rows = {row.summary.reference: row for row in everything(cases)}

    first = rows["CW-2026-00001"]
    assert first.summary.complainant == "Ann Example"
    assert first.summary.officer == "Jo Bloggs"
    assert (first.days_left, first.urgency, first.days_left_text) == (
        3,
        Urgency.DUE_SOON,
        "3 days left",
    )
    late = rows["CW-2026-00002"]
    assert late.summary.complainant == ""  # anonymous
    assert (late.days_left, late.urgency, late.days_left_text) == (
        -2,
        Urgency.OVERDUE,
        "2 days late",
    )
    assert (rows["CW-2026-00003"].days_left, rows["CW-2026-00003"].urgency) == (None, Urgency.NONE)
    assert rows["CW-2026-00004"].urgency is Urgency.STOPPED
    assert rows["CW-2026-00005"].urgency is Urgency.ON_TRACK


def test_days_left_uses_the_policy_calendar(app):
    add_case(app, due=D(2026, 11, 30), policy_id="closes-thursday")
    add_case(app, due=D(2026, 11, 30), policy_id="stockport")
    closures = {"closes-thursday": calendar_for([D(2026, 11, 26)])}
    cases = CaseList(
        app.context(today=lambda: TODAY),
        calendar=lambda policy_id: closures.get(policy_id, calendar_for(())),
    )
    rows = {row.summary.policy_id: row.days_left for row in everything(cases)}
    assert rows == {"closes-thursday": 2, "stockport": 3}


def test_policy_calendars_use_each_policys_closure_days_once():
    from types import SimpleNamespace

    from caseworker.errors import UserError
    from caseworker.services.lists.caselist import PolicyCalendars

    asked = []

    def get_policy(policy_id):
        asked.append(policy_id)
        if policy_id == "gone":
            raise UserError("unknown policy 'gone'")
        return SimpleNamespace(clock=SimpleNamespace(closure_days=[D(2026, 12, 29)]))

    calendars = PolicyCalendars(get_policy)
    assert not calendars("stockport").is_working_day(D(2026, 12, 29))
    assert calendars("gone").is_working_day(D(2026, 12, 29))  # weekends and bank holidays only
    calendars("stockport")
    calendars("gone")
    assert asked == ["stockport", "gone"]


def test_the_installed_policies_give_the_calendars_by_default(app):
    add_case(app, due=D(2026, 11, 30), policy_id="stockport")
    add_case(app, due=D(2026, 11, 30), policy_id="no-such-policy")
    cases = CaseList(app.context(today=lambda: TODAY))
    assert [row.days_left for row in everything(cases)] == [3, 3]


def test_each_page_is_one_sql_statement(app, cases):
    """One statement reads the page's cases; besides it, only the officer record of the login
    (for what they may see), once for the list, not for every page."""
    for _ in range(7):
        add_case(app)
    statements = []
    event.listen(app.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    first = cases.page(CaseFilter(text="ann"), CaseSort(SortKey.OFFICER), limit=3)
    cases.page(CaseFilter(text="ann"), CaseSort(SortKey.OFFICER), after=first[-1].summary, limit=3)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len([s for s in selects if "FROM cases" in s]) == 2
    assert len(selects) == 3
    assert "FROM officers" in selects[0]


def test_a_first_page_and_its_count_are_one_statement(app, cases):
    """What the list asks for after a change of filter: the page and the count in one
    statement (so the two agree; the same answer as asking for each), the count of every match
    whether the page is full, short or empty."""
    for _ in range(5):
        add_case(app)
    add_case(app, complainant="Bea Other")
    begins: list[object] = []
    event.listen(app.engine, "begin", lambda connection: begins.append(connection))
    statements: list[str] = []
    event.listen(app.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))

    rows, total = cases.page_and_count(ALL, NEWEST_FIRST, limit=4)
    assert (refs(rows), total) == (refs(cases.page(ALL, NEWEST_FIRST, limit=4)), 6)
    assert total == cases.count(ALL)
    statements.clear()
    begins.clear()
    rows, total = cases.page_and_count(CaseFilter(text="ann"), NEWEST_FIRST, limit=4)
    assert len(rows) == 4 and total == 5
    assert len(begins) == 1
    assert len(statements) == 1
    assert statements[0].startswith("SELECT cases.id") and "(SELECT count(*)" in statements[0]
    rows, total = cases.page_and_count(CaseFilter(text="bea"), NEWEST_FIRST, limit=4)
    assert (len(rows), total) == (1, 1)
    assert cases.page_and_count(CaseFilter(text="nobody"), NEWEST_FIRST) == ([], 0)


def test_what_a_first_page_and_its_count_cost_besides_the_database(app, cases):
    """The list's reads pay for nothing they do not need (issue 20): after the first, a page
    and its count are one statement that SQLAlchemy's compiled cache already holds, on a
    connection with no session (no unit of work, no actor named for the audit trail), reading
    the cases alone (the kept names of migration 0012: no join of complainants or officers)."""
    from sqlalchemy.orm import Session

    for _ in range(3):
        add_case(app)
    cases.page(ALL, NEWEST_FIRST)  # the officer's record, read once for the list
    sessions: list[object] = []

    def begun(session, transaction, connection) -> None:  # noqa: ANN001
        sessions.append(session)

    sent: list[tuple[str, bool]] = []

    def keep(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        sent.append((statement, context.cache_hit == context.dialect.CACHE_HIT))

    event.listen(app.engine, "before_cursor_execute", keep)
    event.listen(Session, "after_begin", begun)
    try:
        for view in QuickView:
            cases.page_and_count(CaseFilter(view=view), NEWEST_FIRST)  # compiled
            sent.clear()
            rows, total = cases.page_and_count(CaseFilter(view=view), NEWEST_FIRST)
            assert (len(sent), total) == (1, len(rows)), view
            statement, cached = sent[0]
            assert cached, view
            # besides the open checkouts (their subquery, the checkout, its officer's name)
            joined = re.findall(r"JOIN (\w+(?: AS \w+)?)", statement)
            assert joined == ["checkouts", "officers AS checkout_officer"], view
        assert not sessions
    finally:
        event.remove(Session, "after_begin", begun)
        event.remove(app.engine, "before_cursor_execute", keep)


def test_a_login_linked_later_is_shown_its_cases_without_a_new_list(app, jo):
    """Only an active officer's record is kept by the list: a login linked to no officer yet is
    looked up again, so once a complaints manager links it the same list shows the cases."""
    add_case(app)
    later = CaseList(app.context(actor="newcomer", today=lambda: TODAY))
    assert later.page_and_count(ALL, NEWEST_FIRST) == ([], 0)
    add_officer(app, "New Comer", login="newcomer", role=Role.COMPLAINTS_MANAGER)
    rows, total = later.page_and_count(ALL, NEWEST_FIRST)
    assert (len(rows), total) == (1, 1)


def test_a_complaints_manager_s_list_has_no_condition_the_others_an_indexed_one(app, jo):
    """What an officer may see costs a complaints manager nothing: their statements are the
    list's own; an investigating officer's and a line manager's add one ``OR`` of the columns
    ``officer_id``, ``stage1_officer_id`` and ``service_area`` (each indexed)."""
    from caseworker.services.lists.caselist import count_query, list_page_query

    add_officer(app, "Ivo Inquirer", login="ivo")
    add_officer(app, "Lin Manager", login="lin", role=Role.LINE_MANAGER)
    add_case(app, service="Customer services")
    statements: list[str] = []
    event.listen(app.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))

    def sent(login: str) -> list[str]:
        statements.clear()
        listed = CaseList(app.context(actor=login, today=lambda: TODAY))
        listed.page(ALL, NEWEST_FIRST)
        listed.count(ALL)
        listed.view_counts()
        skip = ("min(service_area)", "max(cases.updated_at)")  # the areas, kept per change
        return [s for s in statements if "FROM cases" in s and not any(k in s for k in skip)]

    plain = [
        str(q.compile(app.engine))
        for q in (
            list_page_query(ALL, NEWEST_FIRST, today=TODAY, login="jbloggs"),
            count_query(ALL, today=TODAY, login="jbloggs"),
        )
    ]
    manager = sent("jbloggs")
    assert manager[:2] == plain
    assert not [s for s in manager if "stage1_officer_id" in s]
    for login in ("ivo", "lin"):
        for statement in sent(login):
            assert "cases.officer_id = ? OR cases.stage1_officer_id = ?" in statement, login
    assert "cases.service_area IN (" in sent("lin")[0]

    # SQLite, with no statistics, would read every open case through the status index for an
    # officer's Overdue and test each: their own cases' indexes instead.
    from sqlalchemy import text

    from caseworker.services import permissions

    overdue = CaseFilter(view=QuickView.OVERDUE)
    with app.context(actor="ivo").unit() as uow:
        query = list_page_query(
            overdue, NEWEST_FIRST, today=TODAY, visible=permissions.visible(uow)
        )
        sql = str(query.compile(app.engine, compile_kwargs={"literal_binds": True}))
        plan = " | ".join(r[-1] for r in uow.session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
    # Since migration 0018 the planner may instead walk the open cases newest first
    # (ix_cases_open_received, stopping at a page), testing whose each is: 26 ms for an officer
    # with 2,333 cases at 250,000 (docs/performance.md); never the status index.
    assert "ix_cases_status_respond_by" not in plan, plan
    assert "ix_cases_stage1_officer_id" in plan or "ix_cases_open_received" in plan, plan


@pytest.mark.parametrize("key", list(SortKey))
@pytest.mark.parametrize("descending", [False, True])
def test_keyset_pages_join_up_to_the_whole_sorted_list(app, cases, key, descending):
    """Many ties (same service, stage, officer...) so that paging must break them by id."""
    officers = [add_officer(app, "Zed Adams"), add_officer(app, "Amy Young"), None]
    statuses = [CaseStatus.OPEN, CaseStatus.CLOSED, CaseStatus.SUSPENDED]
    for n in range(23):
        add_case(
            app,
            complainant=["Bob", "ann", None, "Cat"][n % 4],
            service=["Parking", "Housing"][n % 2],
            received=D(2026, 10, 1) + dt.timedelta(days=n % 5),
            due=None if n % 6 == 0 else D(2026, 11, 20) + dt.timedelta(days=n % 4),
            status=statuses[n % 3],
            stage=1 + n % 2,
            officer_id=officers[n % 3],
        )
    sort = CaseSort(key, descending)
    whole = everything(cases, sort=sort)
    assert len(whole) == 23

    paged, after = [], None
    while True:
        page = cases.page(CaseFilter(), sort, after=after, limit=4)
        paged.extend(page)
        if len(page) < 4:
            break
        after = page[-1].summary
    assert refs(paged) == refs(whole)

    def value(row):
        s = row.summary
        return {
            SortKey.REFERENCE: s.reference,
            SortKey.COMPLAINANT: s.complainant,
            SortKey.SERVICE: s.service_area,
            SortKey.STAGE: s.stage,
            SortKey.OFFICER: s.officer,
            SortKey.RECEIVED: s.received,
            SortKey.DUE: s.due or D(9999, 12, 31),
            SortKey.STATUS: s.status.value,
        }[key]

    expected = sorted(whole, key=lambda row: (value(row), row.summary.id), reverse=descending)
    assert refs(whole) == refs(expected)


# -- filters -----------------------------------------------------------------------------------


def test_free_text_matches_reference_name_or_service_in_any_case(app, cases):
    add_case(app, reference="CW-2026-00417", complainant="Priya Shah", service="Parking")
    add_case(app, reference="CW-2026-00418", complainant="Tom Parker", service="Housing")
    add_case(app, reference="CW-2026-00500", complainant="Li Wei", service="Council tax")
    add_case(app, reference="CW-2026-00501", complainant=None, service="100% recycling_bins")

    def found(text):
        filt = CaseFilter(text=text)
        rows = refs(everything(cases, filt, CaseSort(SortKey.REFERENCE, False)))
        assert cases.count(filt) == len(rows)
        return rows

    assert found("00417") == ["CW-2026-00417"]
    assert found("CW-2026-004") == ["CW-2026-00417", "CW-2026-00418"]
    assert found("cw-2026-00500") == ["CW-2026-00500"]
    assert found("PARK") == ["CW-2026-00417", "CW-2026-00418"]
    assert found("  council tax ") == ["CW-2026-00500"]
    assert found("shah priya") == ["CW-2026-00417"]  # the words, in any order
    assert found("recyc") == ["CW-2026-00501"]  # the start of a word...
    assert found("ecycling") == []  # ...not the middle of one (the full-text index's words)
    assert found("_b") == ["CW-2026-00501"]
    assert len(found("%")) == 4  # punctuation only separates words: nothing to filter by
    assert found("nobody") == []
    assert len(found("")) == 4


def test_status_stage_policy_and_officer_filters_combine(app, cases, jo):
    sam = add_officer(app, "Sam Patel")
    add_case(app, reference="CW-2026-00001", officer_id=jo, stage=1)
    add_case(app, reference="CW-2026-00002", officer_id=jo, stage=2, status=CaseStatus.CLOSED)
    add_case(app, reference="CW-2026-00003", officer_id=sam, stage=2, policy_id="southampton")
    add_case(app, reference="CW-2026-00004", status=CaseStatus.SUSPENDED)

    def found(**kwargs):
        filt = CaseFilter(**kwargs)
        rows = sorted(refs(everything(cases, filt)))
        assert cases.count(filt) == len(rows)
        return rows

    assert found(statuses=frozenset({CaseStatus.OPEN})) == ["CW-2026-00001", "CW-2026-00003"]
    assert found(statuses=frozenset({CaseStatus.OPEN, CaseStatus.SUSPENDED})) == [
        "CW-2026-00001",
        "CW-2026-00003",
        "CW-2026-00004",
    ]
    assert found(stage=2) == ["CW-2026-00002", "CW-2026-00003"]
    assert found(policy_id="southampton") == ["CW-2026-00003"]
    assert found(officer_id=jo) == ["CW-2026-00001", "CW-2026-00002"]
    assert found(officer_id=jo, stage=2) == ["CW-2026-00002"]
    assert found(officer_id=jo, stage=2, statuses=frozenset({CaseStatus.OPEN})) == []


def test_quick_views(app, cases, jo):
    me = jo
    other = add_officer(app, "Sam Patel", login="spatel")
    add_case(app, reference="CW-2026-00001", officer_id=me, due=D(2026, 11, 25))  # due today
    add_case(app, reference="CW-2026-00002", officer_id=me, due=D(2026, 11, 24))  # overdue
    add_case(
        app, reference="CW-2026-00003", officer_id=me, due=D(2026, 11, 20), status=CaseStatus.CLOSED
    )  # closed: in no quick view but All
    add_case(app, reference="CW-2026-00004", officer_id=other, due=D(2026, 11, 29), stage=2)
    add_case(app, reference="CW-2026-00005", due=D(2026, 11, 30))  # next week, unallocated
    add_case(
        app, reference="CW-2026-00006", due=D(2026, 11, 1), status=CaseStatus.SUSPENDED, stage=2
    )

    expected = {
        QuickView.ALL: [
            "CW-2026-00001",
            "CW-2026-00002",
            "CW-2026-00003",
            "CW-2026-00004",
            "CW-2026-00005",
            "CW-2026-00006",
        ],
        QuickView.MINE: ["CW-2026-00001", "CW-2026-00002"],
        QuickView.DUE_THIS_WEEK: ["CW-2026-00001", "CW-2026-00004"],
        QuickView.OVERDUE: ["CW-2026-00002"],
        QuickView.UNALLOCATED: ["CW-2026-00005", "CW-2026-00006"],
        QuickView.STAGE_2: ["CW-2026-00004", "CW-2026-00006"],
    }
    counts = cases.view_counts()
    for view, references in expected.items():
        filt = CaseFilter(view=view)
        assert sorted(refs(everything(cases, filt))) == references, view
        assert cases.count(filt) == len(references) == counts[view], view

    assert [
        row.days_left_text for row in everything(cases, CaseFilter(view=QuickView.OVERDUE))
    ] == ["1 day late"]


def test_someone_with_no_officer_record_is_shown_no_case_and_told_why(app, jo):
    add_case(app, officer_id=jo)
    add_case(app)
    stranger = CaseList(app.context(actor="visitor", today=lambda: TODAY))
    assert stranger.my_officer() is None
    for view in QuickView:
        assert stranger.count(CaseFilter(view=view)) == 0
        assert stranger.page(CaseFilter(view=view), NEWEST_FIRST) == []
    assert set(stranger.view_counts().values()) == {0}
    assert stranger.nothing_shown() == (
        "Your login 'visitor' is not linked to an officer record, so no case is shown to you "
        "and you cannot change any. A complaints manager links it to your officer record with: "
        "caseworker officers --set-login <your email> --login visitor"
    )
    jos = CaseList(app.context(actor="jbloggs"))
    assert jos.my_officer().name == "Jo Bloggs" and jos.nothing_shown() is None
    assert jos.count(ALL) == 2


@pytest.mark.no_officer
def test_filter_choices(app):
    cases = CaseList(app.context(actor="visitor", today=lambda: TODAY))
    add_officer(app, "Sam Patel")
    add_officer(app, "Amy Young", active=False)
    choices = cases.choices()
    assert [(o.name, o.active) for o in choices.officers] == [
        ("Amy Young", False),
        ("Sam Patel", True),
    ]
    # every installed policy, from the policy files: no scan of the cases
    installed = sorted(policy.id for policy in app.context().policies())
    assert choices.policies == installed and {"southampton", "stockport"} <= set(installed)
    assert choices.policy_titles["stockport"] == (
        "Stockport Council: Corporate Complaints Policy & Procedure"
    )
    assert choices.stages == [1, 2, 3]


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("sqlite:////home/jo/.local/share/Caseworker/caseworker.sqlite", "caseworker.sqlite"),
        ("sqlite:///C:\\Users\\jo\\cases.sqlite", "cases.sqlite"),
        ("sqlite://", "in-memory database"),
        (
            "postgresql+psycopg://jo:secret@db.council.example:5432/complaints",
            "db.council.example:5432/complaints",
        ),
    ],
)
def test_describe_database_never_shows_a_password(url, label):
    assert describe_database(url) == label
