"""The case list: pages of cases for the filters and sort order a person chose, and their count.

Each page is one SQL query of the cases alone (their own columns, the names and due date kept
on them by migration 0012; the filters, ``ORDER BY <column>, id`` and ``LIMIT``), with each
case's open checkout joined in. Pages after the first continue from the last row
already shown (keyset paging: ``WHERE (<column>, id) > (<last value>, <last id>)``) rather than
skipping rows with ``OFFSET``, so the hundredth page costs what the first does, even with 250,000
cases. The first page after the filters change carries the total as a ``COUNT`` subquery: one
statement for both (:func:`first_page_query`).

Every query takes ``visible``, the condition :func:`caseworker.services.permissions.visible`
builds for the officer at the keyboard, so the list, its quick views and their counts hold only
the cases that officer may see (none for a login linked to no officer; no condition at all for a
complaints manager). :class:`CaseList` reads the officer once per list and builds it for every
read. The list reads columns, not objects, on a connection of its own
(:meth:`~caseworker.services.context.Context.reading`): no session, no unit of work.

What a person asks for (:class:`CaseFilter`, :class:`CaseSort`, the quick views) and what they
see (:class:`CaseRow`, days left, urgency) are plain data in :mod:`caseworker.domain.caselist`,
imported here so that callers have one place to look. ``today`` is given by the caller (the
:class:`~caseworker.services.context.Context`'s); nothing here reads the clock on the wall but the
start-up recipe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    tuple_,
)
from sqlalchemy.orm import Session, sessionmaker

from caseworker.domain.caselist import (
    DUE_SOON_DAYS,
    LIVE,
    NO_DUE_DATE,
    PAGE_SIZE,
    CaseFilter,
    CaseRow,
    CaseSort,
    CaseSummary,
    CheckoutMark,
    FilterChoices,
    OfficerChoice,
    QuickView,
    SortKey,
    Urgency,
    case_rows,
    days_left,
    days_left_text,
    end_of_week,
    filter_words,
    local_time,
    sort_value,
    urgency,
)
from caseworker.domain.enums import CaseStatus
from caseworker.errors import UserError
from caseworker.policy.clock import WorkingCalendar, calendar_for
from caseworker.policy.loader import get_policy
from caseworker.policy.schema import Policy
from caseworker.services import permissions
from caseworker.services.context import Context
from caseworker.storage.location import describe_database  # noqa: F401  (found here)
from caseworker.storage.models import Case, Checkout, Officer

__all__ = [
    "DUE_SOON_DAYS",
    "LIVE",
    "NO_DUE_DATE",
    "PAGE_SIZE",
    "CaseFilter",
    "CaseList",
    "CaseRow",
    "CaseSort",
    "CaseSummary",
    "CheckoutMark",
    "FilterChoices",
    "OfficerChoice",
    "PolicyCalendars",
    "QuickView",
    "SortKey",
    "Urgency",
    "case_page",
    "count_cases",
    "count_query",
    "days_left",
    "days_left_text",
    "describe_database",
    "end_of_week",
    "filter_choices",
    "filter_words",
    "first_page_query",
    "list_page_query",
    "local_time",
    "page_query",
    "quick_view_counts",
    "quick_view_counts_query",
    "sort_value",
    "status_literal",
    "urgency",
]

# -- the queries -------------------------------------------------------------------------------


_cases = Case.__table__.c
"""The columns of ``cases``, as the table's own (Core) columns: the list's statements are
columns, not objects, and built from the table they cost SQLAlchemy less to build, key for its
compiled cache and read results of than the ORM's attributes (which it annotates afresh in every
statement)."""
_officers = Officer.__table__.c


_SORT_COLUMNS: dict[SortKey, Any] = {
    SortKey.REFERENCE: _cases.reference,
    SortKey.COMPLAINANT: _cases.complainant_key,
    SortKey.SERVICE: _cases.service_area,
    SortKey.STAGE: _cases.stage,
    SortKey.OFFICER: _cases.officer_key,
    SortKey.RECEIVED: _cases.received,
    SortKey.DUE: _cases.due_key,
    SortKey.STATUS: _cases.status,
}
"""What each sort orders by: a column of ``cases`` with an index ``(column, id)``, so that each
page is a walk of that index from where the last one ended (migration 0012 keeps the
complainant's and officer's names and the due date on the case for this)."""

_ORDER_BY = {
    (key, descending): (column.desc(), _cases.id.desc())
    if descending
    else (column.asc(), _cases.id.asc())
    for key, column in _SORT_COLUMNS.items()
    for descending in (False, True)
}
"""``ORDER BY <column>, id`` of each sort, one way or the other."""


LIST_FTS_TABLE = "caselist_fts"
"""Migration 0007's full-text index of each case's reference, complainant's name and service
area, on SQLite (rowid = the case id)."""
PG_LIST_TEXT = "cases.reference || ' ' || cases.service_area || ' ' || cases.complainant_key"
"""The expression migration 0031 indexed with ``to_tsvector('simple', …)`` on PostgreSQL: the
case's reference, service area and complainant's name (kept on the case by 0012's triggers)."""


def _text_condition(text: str, dialect: str) -> ColumnElement[bool] | None:
    """Cases where every word typed starts a word of the reference, the complainant's name or
    the service area ("larch" finds Larchholt; "CW-2026-001" finds CW-2026-00123; "parker
    housing" finds Tom Parker's housing complaint), through a full-text index of the three
    (migration 0007's on SQLite, 0031's on PostgreSQL) rather than a scan of every case.
    Punctuation only separates words: text with no word in it filters nothing."""
    words = filter_words(text)
    if not words:
        return None
    if dialect == "postgresql":
        # PostgreSQL's parser reads "CW-2026-00123" as 'cw', '-2026', '-00123' (signed numbers).
        query = " & ".join(f"({w}:* | '-{w}':*)" if w.isdigit() else f"{w}:*" for w in words)
        simple: ColumnElement[Any] = literal_column("'simple'")
        # One condition on the case's own row: the planner reads from the index's statistics
        # how common the words are, and walks the list's order for a common one or takes a rare
        # one's few cases from the index.
        listed = func.to_tsvector(simple, literal_column(PG_LIST_TEXT))
        return listed.op("@@")(func.to_tsquery(simple, literal(query)))
    match = " ".join('"' + word + '"*' for word in words)
    listed_fts = table(LIST_FTS_TABLE, column("rowid"))
    matching = (
        select(listed_fts.c.rowid)
        .where(literal_column(LIST_FTS_TABLE).op("MATCH")(literal(match)))
        .scalar_subquery()
    )
    return _cases.id.in_(matching)


Visible = ColumnElement[bool] | None
"""What the officer at the keyboard may see (:func:`caseworker.services.permissions.visible`):
``None`` for every case."""


def _conditions(
    filt: CaseFilter,
    *,
    today: dt.date,
    login: str | None,
    due: ColumnElement,
    dialect: str,
    visible: Visible = None,
) -> list[ColumnElement[bool]]:
    """The WHERE terms for ``filt``, within what the officer may see."""
    where: list[ColumnElement[bool]] = [] if visible is None else [visible]
    matching = _text_condition(filt.text, dialect)
    if matching is not None:
        where.append(matching)
    if filt.statuses:
        where.append(_cases.status.in_(sorted(filt.statuses)))
    if filt.stage is not None:
        where.append(_cases.stage == filt.stage)
    if filt.policy_id is not None:
        where.append(_cases.policy_id == filt.policy_id)
    if filt.officer_id is not None:
        where.append(_cases.officer_id == filt.officer_id)
    where.extend(_view_conditions(filt.view, today=today, login=login, due=due))
    return where


def _view_conditions(
    view: QuickView, *, today: dt.date, login: str | None, due: ColumnElement[Any]
) -> list[ColumnElement[bool]]:
    if view is QuickView.ALL:
        return []
    if view is QuickView.DUE_THIS_WEEK:
        return [_IS_OPEN, due >= today, due <= end_of_week(today)]
    if view is QuickView.OVERDUE:
        return [_IS_OPEN, due < today]
    if view is QuickView.MINE:
        mine = select(_officers.id).where(_officers.login == (login or "")).scalar_subquery()
        return [_IS_LIVE, _cases.officer_id == mine]
    if view is QuickView.UNALLOCATED:
        return [_IS_LIVE, _IS_UNALLOCATED]
    if view is QuickView.STAGE_2:
        return [_IS_LIVE, _IS_STAGE_2]
    raise ValueError(f"unknown quick view {view!r}")


def status_literal(status: CaseStatus) -> ColumnElement[Any]:
    """``status`` as a literal in the SQL (a fixed word of the app's, never user input): how a
    statement names a status for the database to match it to a partial index's condition."""
    return literal_column(f"'{status.value}'")


# The quick views' fixed conditions, built once. The statuses are written into the statement,
# not bound: only then can the database use the partial indexes of the open and the live cases
# (ix_cases_open_due, ix_cases_open_received, ix_cases_live_stage; migrations 0012 and 0018).
_IS_OPEN = _cases.status == status_literal(CaseStatus.OPEN)
_IS_LIVE = _cases.status.in_([status_literal(s) for s in sorted(LIVE)])
_IS_UNALLOCATED = _cases.officer_id.is_(None)
_IS_STAGE_2 = _cases.stage == 2


def _raw_due() -> Any:
    """When a case is due, as kept on it (:data:`NO_DUE_DATE` for never: never this week, never
    overdue), through ``ix_cases_open_due`` for the open cases."""
    return _cases.due_key


Reader = Session | Connection
"""Where a list reads: a session's connection, or a connection of its own
(:meth:`caseworker.services.context.Context.reading`)."""


def _connection(reader: Reader) -> Connection:
    return reader if isinstance(reader, Connection) else reader.connection()


def count_cases(
    session: Reader,
    filt: CaseFilter,
    *,
    today: dt.date,
    login: str | None = None,
    visible: Visible = None,
) -> int:
    """How many of the cases ``visible`` allows ``filt`` matches."""
    connection = _connection(session)
    query = count_query(
        filt, today=today, login=login, dialect=connection.dialect.name, visible=visible
    )
    return int(connection.execute(query).scalar_one())


def count_query(
    filt: CaseFilter,
    *,
    today: dt.date,
    login: str | None = None,
    dialect: str = "sqlite",
    visible: Visible = None,
) -> Select[int]:
    """The one query counting the cases ``filt`` matches (of those ``visible`` allows)."""
    where = _conditions(
        filt, today=today, login=login, due=_raw_due(), dialect=dialect, visible=visible
    )
    return _counted(where)


def _counted(where: list[ColumnElement[bool]]) -> Select[int]:
    return _count_all().where(*where)


@cache
def _count_all() -> Select[int]:
    """``SELECT count(*) FROM cases``, built once (a statement is immutable)."""
    return select(func.count()).select_from(Case.__table__)


@cache
def _summary_columns() -> Select[tuple]:
    """The list's columns (:class:`CaseSummary`'s), all of them on ``cases``: the complainant's
    and the officer's names are the sort keys migration 0012 keeps there (their names, '' for
    none), and the due date is its ``due_key`` with :data:`NO_DUE_DATE` read as none. So a page
    joins no other table to show a row, and a page sorted in memory (a quick view whose index
    does not give the order) sorts the cases alone. Built once: a statement is immutable."""
    return select(
        _cases.id,
        _cases.reference,
        _cases.complainant_key,
        _cases.service_area,
        _cases.policy_id,
        _cases.route,
        _cases.stage,
        _cases.officer_key,
        _cases.received,
        func.nullif(
            _cases.due_key, literal(NO_DUE_DATE, _cases.due_key.type), type_=_cases.due_key.type
        ),
        _cases.status,
        _cases.outcome,
    )


@cache
def _list_columns() -> Select[tuple]:
    """:func:`_summary_columns` with each case's open checkout, if any (who, machine, since,
    their name), joined in: still one statement per page. The open checkouts are few; at most
    one per case is joined (the latest), so no case appears twice. Built once."""
    checkouts = Checkout.__table__.c
    person = Officer.__table__.alias("checkout_officer")  # not the My cases view's officers
    latest = (
        select(checkouts.case_id, func.max(checkouts.id).label("checkout_id"))
        .where(checkouts.checked_in_at.is_(None))
        .group_by(checkouts.case_id)
        .subquery()
    )
    joined = (
        Case.__table__.outerjoin(latest, latest.c.case_id == _cases.id)
        .outerjoin(Checkout.__table__, checkouts.id == latest.c.checkout_id)
        .outerjoin(person, person.c.login == checkouts.checked_out_by)
    )
    return (
        _summary_columns()
        .add_columns(
            checkouts.checked_out_by, checkouts.machine, checkouts.checked_out_at, person.c.name
        )
        .select_from(joined)
    )


def page_query(
    filt: CaseFilter,
    sort: CaseSort,
    *,
    today: dt.date,
    login: str | None = None,
    after: CaseSummary | None = None,
    limit: int = PAGE_SIZE,
    dialect: str = "sqlite",
    only: Collection[int] | None = None,
    visible: Visible = None,
    columns: Select[tuple] | None = None,
) -> Select[tuple]:
    """The one query for a page: the rows after ``after`` (None: the first page); ``only``:
    just those of these cases that the filter matches; ``visible``: of the cases the officer
    may see; ``columns``: the statement to narrow (the list's columns without checkouts by
    default)."""
    where = _conditions(
        filt, today=today, login=login, due=_raw_due(), dialect=dialect, visible=visible
    )
    if only is not None:
        where.append(_cases.id.in_(sorted(only)))
    return _paged(columns if columns is not None else _summary_columns(), where, sort, after, limit)


def _paged(
    columns: Select[tuple],
    where: list[ColumnElement[bool]],
    sort: CaseSort,
    after: CaseSummary | None,
    limit: int,
) -> Select[tuple]:
    column = _SORT_COLUMNS[sort.key]
    query = columns.where(*where)
    if after is not None:
        key = tuple_(column, _cases.id)
        last = tuple_(literal(sort_value(sort.key, after), column.type), literal(after.id))
        query = query.where(key < last if sort.descending else key > last)
    return query.order_by(*_ORDER_BY[sort.key, sort.descending]).limit(limit)


def list_page_query(filt: CaseFilter, sort: CaseSort, **given: Any) -> Select[tuple]:
    """The statement :func:`case_page` sends: :func:`page_query` (same arguments) with each
    case's open checkout joined in."""
    return page_query(filt, sort, columns=_list_columns(), **given)


def first_page_query(
    filt: CaseFilter,
    sort: CaseSort,
    *,
    today: dt.date,
    login: str | None = None,
    limit: int = PAGE_SIZE,
    dialect: str = "sqlite",
    visible: Visible = None,
) -> Select[tuple]:
    """The statement :meth:`CaseList.page_and_count` sends: the first page
    (:func:`list_page_query`) with, as a last column, how many cases match in all
    (:func:`count_query`, as a subquery the database answers once). One statement and one
    round trip for what the list shows after a change of filter or sort, its conditions built
    once for both."""
    where = _conditions(
        filt, today=today, login=login, due=_raw_due(), dialect=dialect, visible=visible
    )
    # correlate(None): the count is of every match, not of the page's row (both read cases).
    total = _counted(where).correlate(None).scalar_subquery()
    return _paged(_list_columns(), where, sort, None, limit).add_columns(total)


def case_page(
    session: Reader,
    filt: CaseFilter,
    sort: CaseSort,
    *,
    today: dt.date,
    login: str | None = None,
    after: CaseSummary | None = None,
    limit: int = PAGE_SIZE,
    calendar: Callable[[str], WorkingCalendar] | None = None,
    only: Collection[int] | None = None,
    visible: Visible = None,
) -> list[CaseRow]:
    """Up to ``limit`` rows of the list, continuing after the row ``after`` (``only``: just
    these cases, where the filter matches them; ``visible``: of the cases the officer may see).

    ``calendar(policy_id)`` gives each policy's working-day calendar (see
    :class:`PolicyCalendars`); without it, weekends and England and Wales bank holidays only.
    """
    connection = _connection(session)
    query = list_page_query(
        filt,
        sort,
        today=today,
        login=login,
        after=after,
        limit=limit,
        dialect=connection.dialect.name,
        only=only,
        visible=visible,
    )
    # On a connection: the page is columns, not objects, so the ORM's result handling
    # (identity map, entity loading) has nothing to do but cost time on every page.
    return _case_rows(connection.execute(query).all(), today, calendar)


def _case_rows(
    results: Sequence[Sequence[Any]],
    today: dt.date,
    calendar: Callable[[str], WorkingCalendar] | None,
) -> list[CaseRow]:
    return case_rows(results, today, calendar or _default_calendar)


def checkout_marks(
    session: Session, case_ids: Collection[int] | None = None
) -> dict[int, CheckoutMark]:
    """The cases (of ``case_ids``, or all) checked out for offline work now, by case id, with
    the name of who has each (one query for the checkouts, one for the names)."""
    from caseworker.services.team.offline import checked_out

    infos = checked_out(session.connection(), case_ids)
    if not infos:
        return {}
    logins = {info.checked_out_by for info in infos.values()}
    names = dict(
        session.execute(
            select(_officers.login, _officers.name).where(_officers.login.in_(sorted(logins)))
        ).all()
    )
    return {
        case_id: CheckoutMark(
            names.get(info.checked_out_by) or info.checked_out_by, info.machine, info.checked_out_at
        )
        for case_id, info in infos.items()
    }


class PolicyCalendars:
    """``calendars(policy_id)``: the working-day calendar of an installed policy, looked up once.

    A case whose policy is not installed (or whose file no longer loads) is counted on weekends
    and bank holidays alone rather than hiding the whole list behind an error.
    """

    def __init__(self, get_policy: Callable[[str], Policy] | None = None) -> None:
        self._get_policy = get_policy
        self._calendars: dict[str, WorkingCalendar] = {}

    def __call__(self, policy_id: str) -> WorkingCalendar:
        calendar = self._calendars.get(policy_id)
        if calendar is None:
            try:
                policy = self._policy(policy_id)
                calendar = calendar_for(policy.clock.closure_days)
            except UserError:
                calendar = calendar_for(())
            self._calendars[policy_id] = calendar
        return calendar

    def _policy(self, policy_id: str) -> Policy:
        return (self._get_policy or get_policy)(policy_id)


def _default_calendar(policy_id: str) -> WorkingCalendar:
    return calendar_for(())


def quick_view_counts(
    session: Reader, *, today: dt.date, login: str | None = None, visible: Visible = None
) -> dict[QuickView, int]:
    """How many cases each quick view holds (of those ``visible`` allows), in one statement
    (:func:`quick_view_counts_query`)."""
    connection = _connection(session)
    query = quick_view_counts_query(
        today=today, login=login, dialect=connection.dialect.name, visible=visible
    )
    values = connection.execute(query).one()
    return {view: int(value) for view, value in zip(QuickView, values, strict=True)}


def quick_view_counts_query(
    *,
    today: dt.date,
    login: str | None = None,
    dialect: str = "sqlite",
    visible: Visible = None,
) -> Select[tuple]:
    """The quick views' counts, one column each in :class:`QuickView`'s order: each the count
    that view's list shows (:func:`count_query`) as a subquery, so that each is answered from
    that view's own index, not by one pass over every case (3 ms where the pass took 0.2 s for
    a complaints manager at 250,000 cases on SQLite)."""
    return select(
        *(
            count_query(
                CaseFilter(view=view), today=today, login=login, dialect=dialect, visible=visible
            ).scalar_subquery()
            for view in QuickView
        )
    )


def officer_for_login(session: Session, login: str) -> OfficerChoice | None:
    """The officer record of the person signed in as ``login``, if there is one."""
    row = session.execute(
        select(_officers.id, _officers.name, _officers.active).where(_officers.login == login)
    ).one_or_none()
    return OfficerChoice(*row) if row else None


def filter_choices(session: Session, policies: Collection[Policy]) -> FilterChoices:
    """The officers (by name, from the officers table) and ``policies`` (those installed), for
    the filter lists: no scan of the cases."""
    officers = [
        OfficerChoice(*row)
        for row in session.execute(
            select(_officers.id, _officers.name, _officers.active).order_by(
                _officers.name, _officers.id
            )
        )
    ]
    ids = sorted(policy.id for policy in policies)
    titles = {policy.id: f"{policy.council_name}: {policy.title}" for policy in policies}
    return FilterChoices(officers=officers, policies=ids, policy_titles=titles)


# -- for the officer at the keyboard ----------------------------------------------------------


class CaseList:
    """The case list as the officer of a :class:`~caseworker.services.context.Context` sees it:
    each read is one statement on a connection of its own (:meth:`Context.reading
    <caseworker.services.context.Context.reading>`) and asks the database only for the cases that
    officer may see (:func:`caseworker.services.permissions.visible`: a login linked to no
    officer sees none). The desktop app's list model holds one of these.
    """

    def __init__(
        self,
        ctx: Context,
        *,
        calendar: Callable[[str], WorkingCalendar] | None = None,
        viewer: permissions.Viewer | None = None,
    ) -> None:
        """``calendar(policy_id)``: each policy's working-day calendar; by default the
        context's policies' (:class:`PolicyCalendars`). ``viewer``: the context's officer,
        where the caller has just read them (the app's sign-in), so that the list does not
        read them again; only an active officer is taken."""
        self.ctx = ctx
        self._calendar = calendar if calendar is not None else PolicyCalendars(ctx.policy)
        self._viewer = viewer if viewer is not None and viewer.active else None

    def _visible(self, connection: Connection) -> Visible:
        """What the officer may see (:func:`caseworker.services.permissions.visible_to`), their
        officer record read once per list rather than for every page and count. Only an active
        officer's record is kept: a login linked to no officer, or an inactive one, is asked
        for again each time (it sees nothing until that is put right). A change of the
        officer's own role or service area shows in a list made after it (the next start); on
        PostgreSQL row-level security applies the current one regardless."""
        officer = self._viewer
        if officer is None:
            with self.ctx.unit() as uow:
                officer = permissions.viewer(uow)
            if officer is not None and officer.active:
                self._viewer = officer
        return permissions.visible_to(connection, officer)

    @property
    def login(self) -> str:
        return self.ctx.actor

    def today(self) -> dt.date:
        return self.ctx.today()

    @property
    def sessions(self) -> sessionmaker[Session]:
        """The session factory, for other screens opened on the same database."""
        return self.ctx.sessions

    # Each read is columns on one connection (Context.reading): no session, no unit of work.

    def count(self, filt: CaseFilter) -> int:
        with self.ctx.reading() as connection:
            return count_cases(
                connection,
                filt,
                today=self.today(),
                login=self.login,
                visible=self._visible(connection),
            )

    def page(
        self,
        filt: CaseFilter,
        sort: CaseSort,
        *,
        after: CaseSummary | None = None,
        limit: int = PAGE_SIZE,
    ) -> list[CaseRow]:
        with self.ctx.reading() as connection:
            return case_page(
                connection,
                filt,
                sort,
                today=self.today(),
                login=self.login,
                after=after,
                limit=limit,
                calendar=self._calendar,
                visible=self._visible(connection),
            )

    def page_and_count(
        self, filt: CaseFilter, sort: CaseSort, *, limit: int = PAGE_SIZE
    ) -> tuple[list[CaseRow], int]:
        """The first page and how many cases match in all, as the list shows them after a
        change of filter or sort: one statement (:func:`first_page_query`, so the two agree)
        and one look at what the officer may see."""
        with self.ctx.reading() as connection:
            today = self.today()
            query = first_page_query(
                filt,
                sort,
                today=today,
                login=self.login,
                limit=limit,
                dialect=connection.dialect.name,
                visible=self._visible(connection),
            )
            results = connection.execute(query).all()
        total = results[0][-1] if results else 0
        return _case_rows(results, today, self._calendar), int(total)

    def rows(self, filt: CaseFilter, sort: CaseSort, case_ids: Collection[int]) -> list[CaseRow]:
        """The rows of just these cases, as the list shows them, where ``filt`` matches them and
        the officer may see them (to update a few rows in place when colleagues change them)."""
        if not case_ids:
            return []
        with self.ctx.reading() as connection:
            return case_page(
                connection,
                filt,
                sort,
                today=self.today(),
                login=self.login,
                limit=len(case_ids),
                calendar=self._calendar,
                only=case_ids,
                visible=self._visible(connection),
            )

    def view_counts(self) -> dict[QuickView, int]:
        with self.ctx.reading() as connection:
            return quick_view_counts(
                connection, today=self.today(), login=self.login, visible=self._visible(connection)
            )

    def choices(self) -> FilterChoices:
        with self.ctx.unit() as uow:
            return filter_choices(uow.session, self.ctx.policies())

    def my_officer(self) -> OfficerChoice | None:
        with self.ctx.unit() as uow:
            return officer_for_login(uow.session, self.login)

    def nothing_shown(self) -> str | None:
        """Why the list shows this login no case at all, in the rule's words (a login linked to
        no officer, an inactive officer record); None when it shows what the officer may see."""
        with self.ctx.unit() as uow:
            return permissions.why_nothing_visible(uow.actor, permissions.viewer(uow))
