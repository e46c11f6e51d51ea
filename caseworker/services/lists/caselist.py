"""The case list: pages of cases for the filters and sort order a person chose, and their count.

Each page is one SQL query (the columns of
:func:`caseworker.services.cases.records.summary_query`, the filters, ``ORDER BY <column>, id``
and ``LIMIT``). Pages after the first continue from the last row
already shown (keyset paging: ``WHERE (<column>, id) > (<last value>, <last id>)``) rather than
skipping rows with ``OFFSET``, so the hundredth page costs what the first does, even with 250,000
cases. The total is a separate ``COUNT`` query, run once when the filters change.

Every query takes ``visible``, the condition :func:`caseworker.services.permissions.visible`
builds for the officer at the keyboard, so the list, its quick views and their counts hold only
the cases that officer may see (none for a login linked to no officer; no condition at all for a
complaints manager). :class:`CaseList` asks for it on every read.

What a person asks for (:class:`CaseFilter`, :class:`CaseSort`, the quick views) and what they
see (:class:`CaseRow`, days left, urgency) are plain data in :mod:`caseworker.domain.caselist`,
imported here so that callers have one place to look. ``today`` is given by the caller (the
:class:`~caseworker.services.context.Context`'s); nothing here reads the clock on the wall but the
start-up recipe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from functools import cache
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    Integer,
    Select,
    String,
    and_,
    any_,
    case,
    column,
    exists,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    tuple_,
)
from sqlalchemy import Enum as SQLEnum
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session, aliased, sessionmaker
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import custom_op
from sqlalchemy.types import TypeEngine

from caseworker.domain import enums
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
    case_row,
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
from caseworker.services.cases.records import summary_query
from caseworker.services.context import Context
from caseworker.services.lists.startpage import StartRecipe, Statement, load_recipe, save_recipe
from caseworker.services.uow import UnitOfWork
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
    "list_page_query",
    "local_time",
    "page_query",
    "quick_view_counts",
    "sort_value",
    "start_recipe",
    "urgency",
    "write_start_recipe",
]

# -- the queries -------------------------------------------------------------------------------


def _due(summary: Select[tuple]) -> ColumnElement:
    return func.coalesce(summary.selected_columns[9], literal(NO_DUE_DATE, Date))


def _sort_columns(summary: Select[*tuple[Any, ...]]) -> dict[SortKey, Any]:
    columns = summary.selected_columns
    return {
        SortKey.REFERENCE: Case.reference,
        SortKey.COMPLAINANT: columns[2],
        SortKey.SERVICE: Case.service_area,
        SortKey.STAGE: Case.stage,
        SortKey.OFFICER: columns[7],
        SortKey.RECEIVED: Case.received,
        SortKey.DUE: _due(summary),
        SortKey.STATUS: Case.status,
    }


def _sort_column(summary: Select[tuple], key: SortKey, filt: CaseFilter, dialect: str):
    """The expression to order by, kept from using an index where that would be slow on SQLite.

    SQLite's planner walks an index in sort order whenever one exists, reading rows until it has
    a page. With a free-text filter that few cases match, that means visiting every case through
    the index (0.8 s for 250,000 cases), where finding the matches in the full-text index and
    sorting them takes a tenth of that. The only index on status also holds the due date, so
    ordering by status and id through it sorts each status's cases whole. The unary ``+`` (a
    no-op) hides the index.

    PostgreSQL's planner weighs this itself, except with the free-text filter: it cannot tell
    how many cases the words match, walked ``ix_cases_received`` testing each case against the
    full-text condition, and took 90 ms for the first page of "Larch" where sorting the 12,499
    matches takes 40 ms. ``received + 0`` (still the date) hides the index there.
    """
    column = _sort_columns(summary)[key]
    texts = bool(filter_words(filt.text))
    if dialect == "postgresql" and texts and key is SortKey.RECEIVED:
        return column + 0
    if dialect != "sqlite":
        return column
    if key is SortKey.STATUS or (
        texts and key in (SortKey.REFERENCE, SortKey.SERVICE, SortKey.RECEIVED)
    ):
        return UnaryExpression(column, operator=custom_op("+"), type_=column.type)
    return column


LIST_FTS_TABLE = "caselist_fts"
"""Migration 0007's full-text index of each case's reference, complainant's name and service
area, on SQLite (rowid = the case id)."""
PG_CASES_TEXT = "reference || ' ' || service_area"
PG_NAME_TEXT = "name"
"""The expressions migration 0007 indexed with ``to_tsvector('simple', …)`` on PostgreSQL."""
_PG_CASES_TEXT_QUALIFIED = "cases.reference || ' ' || cases.service_area"


def _text_condition(text: str, dialect: str) -> ColumnElement[bool] | None:
    """Cases where every word typed starts a word of the reference, the complainant's name or
    the service area ("larch" finds Larchholt; "CW-2026-001" finds CW-2026-00123; on PostgreSQL
    the words are all in the reference and service area, or all in the name), through migration
    0007's full-text index rather than a scan of every case. Punctuation only separates words:
    text with no word in it filters nothing."""
    words = filter_words(text)
    if not words:
        return None
    if dialect == "postgresql":
        return _pg_text_condition(words)
    match = " ".join('"' + word + '"*' for word in words)
    listed = table(LIST_FTS_TABLE, column("rowid"))
    matching = (
        select(listed.c.rowid)
        .where(literal_column(LIST_FTS_TABLE).op("MATCH")(literal(match)))
        .scalar_subquery()
    )
    return Case.id.in_(matching)


def _pg_text_condition(words: list[str]) -> ColumnElement[bool]:
    """Every word in the reference and service area, or every word in the complainant's name."""
    # PostgreSQL's parser reads "CW-2026-00123" as 'cw', '-2026', '-00123' (signed numbers).
    query = " & ".join(f"({w}:* | '-{w}':*)" if w.isdigit() else f"{w}:*" for w in words)
    simple: ColumnElement[Any] = literal_column("'simple'")
    tsquery = func.to_tsquery(simple, literal(query))
    own = func.to_tsvector(simple, literal_column(_PG_CASES_TEXT_QUALIFIED))
    people = table("complainants", column("id"))
    named = select(people.c.id).where(
        func.to_tsvector(simple, literal_column(f"complainants.{PG_NAME_TEXT}")).op("@@")(tsquery)
    )
    # complainant_id = ANY(ARRAY(...)): the matching complainants are looked up once and their
    # cases found through ix_cases_complainant_id, OR-ed in one bitmap with the cases' own
    # index. (An IN or a UNION made the planner scan every case to join them.)
    return or_(
        Case.complainant_id == any_(func.array(named.scalar_subquery())),
        own.op("@@")(tsquery),
    )


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
    status = _status_column(filt, dialect, visible)
    matching = _text_condition(filt.text, dialect)
    if matching is not None:
        where.append(matching)
    if filt.statuses:
        where.append(status.in_(sorted(filt.statuses)))
    if filt.stage is not None:
        where.append(Case.stage == filt.stage)
    if filt.policy_id is not None:
        where.append(Case.policy_id == filt.policy_id)
    if filt.officer_id is not None:
        where.append(Case.officer_id == filt.officer_id)
    where.extend(_view_conditions(filt.view, today=today, login=login, due=due, status=status))
    return where


def _status_column(filt: CaseFilter, dialect: str, visible: Visible) -> Any:
    """``cases.status``, kept from its index on SQLite for an officer who sees only some cases.

    SQLite's planner (no statistics) reads "open" cases through ``ix_cases_status_respond_by``
    whenever a status is asked for, then tests each against what the officer may see: every
    open case (about 55,000 of 250,000) for an investigating officer's Overdue or Due this week
    (100-300 ms). Hidden behind a unary ``+`` (a no-op), the status leaves the planner the
    indexes of what the officer may see (their few thousand cases: under 10 ms). Not for the
    Stage 2 view, whose own index (stage, status, received) holds it, nor for a complaints
    manager, who sees every case."""
    if dialect != "sqlite" or visible is None or filt.view is QuickView.STAGE_2:
        return Case.status
    return UnaryExpression(Case.status.expression, operator=custom_op("+"), type_=Case.status.type)


def _view_conditions(
    view: QuickView,
    *,
    today: dt.date,
    login: str | None,
    due: ColumnElement[Any],
    status: Any = Case.status,
) -> list[ColumnElement[bool]]:
    if view is QuickView.ALL:
        return []
    if view is QuickView.DUE_THIS_WEEK:
        return [status == CaseStatus.OPEN, due >= today, due <= end_of_week(today)]
    if view is QuickView.OVERDUE:
        return [status == CaseStatus.OPEN, due < today]
    live = status.in_(sorted(LIVE))
    if view is QuickView.MINE:
        mine = select(Officer.id).where(Officer.login == (login or "")).scalar_subquery()
        return [live, Case.officer_id == mine]
    if view is QuickView.UNALLOCATED:
        return [live, Case.officer_id.is_(None)]
    if view is QuickView.STAGE_2:
        return [live, Case.stage == 2]
    raise ValueError(f"unknown quick view {view!r}")


def _raw_due() -> ColumnElement:
    return func.coalesce(Case.respond_by, Case.acknowledge_by)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def count_cases(
    session: Session,
    filt: CaseFilter,
    *,
    today: dt.date,
    login: str | None = None,
    visible: Visible = None,
) -> int:
    """How many of the cases ``visible`` allows ``filt`` matches."""
    query = count_query(filt, today=today, login=login, dialect=_dialect(session), visible=visible)
    return int(session.execute(query).scalar_one())


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
    return select(func.count(Case.id)).select_from(Case).where(*where)


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
) -> Select[tuple]:
    """The one query for a page: the rows after ``after`` (None: the first page); ``only``:
    just those of these cases that the filter matches; ``visible``: of the cases the officer
    may see."""
    summary = summary_query()
    column = _sort_column(summary, sort.key, filt, dialect)
    query = summary.where(
        *_conditions(
            filt, today=today, login=login, due=_raw_due(), dialect=dialect, visible=visible
        )
    )
    if only is not None:
        query = query.where(Case.id.in_(sorted(only)))
    if after is not None:
        key = tuple_(column, Case.id)
        last = tuple_(literal(sort_value(sort.key, after), column.type), literal(after.id))
        query = query.where(key < last if sort.descending else key > last)
    if sort.descending:
        query = query.order_by(column.desc(), Case.id.desc())
    else:
        query = query.order_by(column.asc(), Case.id.asc())
    return query.limit(limit)


def list_page_query(filt: CaseFilter, sort: CaseSort, **given: Any) -> Select[tuple]:
    """The statement :func:`case_page` sends: :func:`page_query` (same arguments) with each
    case's open checkout joined in."""
    return _with_checkouts(page_query(filt, sort, **given))


def case_page(
    session: Session,
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
    calendar_of = calendar or _default_calendar
    query = list_page_query(
        filt,
        sort,
        today=today,
        login=login,
        after=after,
        limit=limit,
        dialect=_dialect(session),
        only=only,
        visible=visible,
    )
    return [case_row(values, today, calendar_of) for values in session.execute(query)]


@cache
def _checkout_joins() -> tuple[Any, Any, Any]:
    """The latest open checkout of each case, the checkout and its officer, as aliases built
    once: building them for each page took 2 ms, more than the page's own query on PostgreSQL."""
    latest = (
        select(Checkout.case_id, func.max(Checkout.id).label("checkout_id"))
        .where(Checkout.checked_in_at.is_(None))
        .group_by(Checkout.case_id)
        .subquery()
    )
    return latest, aliased(Checkout), aliased(Officer)


def _with_checkouts(query: Select[tuple]) -> Select[tuple]:
    """The page query with each case's open checkout, if any (who, machine, since, their
    name), joined in: still one statement per page. The open checkouts are few; at most one per
    case is joined (the latest), so no case appears twice."""
    latest, checkout, person = _checkout_joins()
    return (
        query.outerjoin(latest, latest.c.case_id == Case.id)
        .outerjoin(checkout, checkout.id == latest.c.checkout_id)
        .outerjoin(person, person.login == checkout.checked_out_by)
        .add_columns(
            checkout.checked_out_by, checkout.machine, checkout.checked_out_at, person.name
        )
    )


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
            select(Officer.login, Officer.name).where(Officer.login.in_(sorted(logins)))
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
    session: Session, *, today: dt.date, login: str | None = None, visible: Visible = None
) -> dict[QuickView, int]:
    """How many cases each quick view holds (of those ``visible`` allows), in one query."""
    due = _raw_due()
    sums = []
    for view in QuickView:
        conditions = _view_conditions(view, today=today, login=login, due=due)
        condition = and_(*conditions) if conditions else literal(True)
        sums.append(func.coalesce(func.sum(case((condition, 1), else_=0)), 0))
    query = select(*sums).select_from(Case)
    if visible is not None:
        query = query.where(visible)
    values = session.execute(query).one()
    return {view: int(value) for view, value in zip(QuickView, values, strict=True)}


def officer_for_login(session: Session, login: str) -> OfficerChoice | None:
    """The officer record of the person signed in as ``login``, if there is one."""
    row = session.execute(
        select(Officer.id, Officer.name, Officer.active).where(Officer.login == login)
    ).one_or_none()
    return OfficerChoice(*row) if row else None


def filter_choices(session: Session) -> FilterChoices:
    """The officers (by name) and the policies in use, for the filter lists."""
    officers = [
        OfficerChoice(*row)
        for row in session.execute(
            select(Officer.id, Officer.name, Officer.active).order_by(Officer.name, Officer.id)
        )
    ]
    policies = list(
        session.execute(select(Case.policy_id).distinct().order_by(Case.policy_id)).scalars()
    )
    titles = {}
    for policy_id in policies:
        try:
            policy = get_policy(policy_id)
        except UserError:
            continue
        titles[policy_id] = f"{policy.council_name}: {policy.title}"
    return FilterChoices(officers=officers, policies=policies, policy_titles=titles)


# -- the start-up page -------------------------------------------------------------------------


def start_recipe(dialect: Dialect, *, viewer: Visible = None) -> StartRecipe:
    """What the app needs to read the list's first page at its next start before loading this
    module (see :mod:`caseworker.services.lists.startpage`): this module's own statements for
    the list as it opens (every case the officer may see, newest first), compiled for
    ``dialect``, how to read each column, and each installed policy's closure days with the
    stamp of the files they came from. ``viewer``: the condition :func:`viewer_condition`
    makes for the officer at the keyboard (what they may see, while they are still who they
    were).

    Raises ValueError if the statements came to depend on the day (a parameter that is not a
    plain number or text): they could not be kept then."""
    from caseworker import __version__
    from caseworker.policy.files import policy_files_stamp
    from caseworker.policy.loader import installed_policies
    from caseworker.storage.revisions import head_revision

    stamp = policy_files_stamp()  # before reading them: an edit in between shows next time
    try:
        policies = installed_policies()
    except UserError:  # a broken policy file: PolicyCalendars counts weekends and holidays only
        policies = {}
    closure_days = {
        policy_id: [day.isoformat() for day in policy.clock.closure_days]
        for policy_id, policy in sorted(policies.items())
    }
    today = dt.date.today()
    page = list_page_query(
        CaseFilter(), CaseSort(), today=today, dialect=dialect.name, visible=viewer
    )
    count = count_query(CaseFilter(), today=today, dialect=dialect.name, visible=viewer)
    return StartRecipe(
        dialect=dialect.name,
        version=__version__,
        revision=head_revision(),
        page=_statement(page, dialect),
        count=_statement(count, dialect),
        columns=[_column_kind(column.type) for column in page.selected_columns],
        policy_files=stamp,
        closure_days=closure_days,
    )


def viewer_condition(uow: UnitOfWork, dialect: str) -> ColumnElement[bool]:
    """What the officer of ``uow``'s login may see, for a statement kept until the next start:
    :func:`caseworker.services.permissions.visible`, and only while an officer record still has
    this login, id, role, service area and is active. Anything else by then (a new role, a
    record made inactive, the login given to someone else) and the start-up page is empty: the
    list reads the cases the ordinary way once the app has loaded, so a kept statement can cost
    a moment's wait, never a case shown that may not be. (The statement is kept in the cache
    folder of the account that ran the app, whose login it is.)"""
    officer = permissions.viewer(uow)
    if officer is None or not officer.active:
        return false()
    same = aliased(Officer, name="viewer")
    still = [
        same.id == officer.id,
        same.login == uow.actor,
        same.active.is_(True),
        same.role == literal(officer.role.value, String),
        same.service_area == officer.service_area,
    ]
    guard = exists().where(*still)
    sees = permissions.visible(uow)
    return guard if sees is None else and_(guard, sees)


def write_start_recipe(ctx: Context) -> bool:
    """Keep :func:`start_recipe` for the database and the officer of ``ctx`` when it differs
    from the one kept (a first start, a new version, edited policy files, another officer or
    role); whether it was written."""
    with ctx.unit() as uow:
        dialect = uow.session.get_bind().dialect
        viewer = viewer_condition(uow, dialect.name)
    recipe = start_recipe(dialect, viewer=viewer)
    if load_recipe(dialect.name) == recipe:
        return False
    return save_recipe(recipe)


def _statement(query: Select[*tuple[Any, ...]], dialect: Dialect) -> Statement:
    """``query`` compiled for the start-up page: for SQLite's ``?`` or, on PostgreSQL, libpq's
    ``$1``, ``$2``… (:mod:`caseworker.storage.libpq`), with its parameters in order."""
    if dialect.name == "postgresql" and dialect.paramstyle != "numeric_dollar":
        numbered = type(dialect)(paramstyle="numeric_dollar")  # type: ignore[call-arg]
        numbered.server_version_info = dialect.server_version_info
        dialect = numbered
    compiled = query.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    params = dict(compiled.params)
    for name, value in params.items():
        if value is not None and type(value) not in (str, int, float, bool):
            raise ValueError(
                f"the start-up page's statement has a parameter {name} = "
                f"{value!r}: it depends on more than the database"
            )
    if compiled.positiontup is None:
        raise ValueError(
            f"the {dialect.name} statement was not compiled with positional parameters"
        )
    return Statement(str(compiled), [params[name] for name in compiled.positiontup])


def _column_kind(column_type: TypeEngine) -> str:
    """How :mod:`caseworker.services.lists.startpage` reads a column of this type."""
    if isinstance(column_type, SQLEnum) and column_type.enum_class is not None:
        name = column_type.enum_class.__name__
        if getattr(enums, name, None) is column_type.enum_class:
            return f"enum:{name}"
    elif isinstance(column_type, Boolean):
        return "bool"
    elif isinstance(column_type, DateTime):
        return "datetime"
    elif isinstance(column_type, Date):
        return "date"
    elif isinstance(column_type, Integer):
        return "int"
    elif isinstance(column_type, String):
        return "str"
    raise ValueError(f"the start-up page cannot read a column of type {column_type!r}")


# -- for the officer at the keyboard ----------------------------------------------------------


class CaseList:
    """The case list as the officer of a :class:`~caseworker.services.context.Context` sees it:
    each read opens its own short unit of work and asks the database only for the cases that
    officer may see (:func:`caseworker.services.permissions.visible`: a login linked to no
    officer sees none). The desktop app's list model holds one of these.
    """

    def __init__(
        self, ctx: Context, *, calendar: Callable[[str], WorkingCalendar] | None = None
    ) -> None:
        """``calendar(policy_id)``: each policy's working-day calendar; by default the
        context's policies' (:class:`PolicyCalendars`)."""
        self.ctx = ctx
        self._calendar = calendar if calendar is not None else PolicyCalendars(ctx.policy)

    @property
    def login(self) -> str:
        return self.ctx.actor

    def today(self) -> dt.date:
        return self.ctx.today()

    @property
    def sessions(self) -> sessionmaker[Session]:
        """The session factory, for other screens opened on the same database."""
        return self.ctx.sessions

    def count(self, filt: CaseFilter) -> int:
        with self.ctx.unit() as uow:
            return count_cases(
                uow.session,
                filt,
                today=self.today(),
                login=self.login,
                visible=permissions.visible(uow),
            )

    def page(
        self,
        filt: CaseFilter,
        sort: CaseSort,
        *,
        after: CaseSummary | None = None,
        limit: int = PAGE_SIZE,
    ) -> list[CaseRow]:
        with self.ctx.unit() as uow:
            return case_page(
                uow.session,
                filt,
                sort,
                today=self.today(),
                login=self.login,
                after=after,
                limit=limit,
                calendar=self._calendar,
                visible=permissions.visible(uow),
            )

    def rows(self, filt: CaseFilter, sort: CaseSort, case_ids: Collection[int]) -> list[CaseRow]:
        """The rows of just these cases, as the list shows them, where ``filt`` matches them and
        the officer may see them (to update a few rows in place when colleagues change them)."""
        if not case_ids:
            return []
        with self.ctx.unit() as uow:
            return case_page(
                uow.session,
                filt,
                sort,
                today=self.today(),
                login=self.login,
                limit=len(case_ids),
                calendar=self._calendar,
                only=case_ids,
                visible=permissions.visible(uow),
            )

    def view_counts(self) -> dict[QuickView, int]:
        with self.ctx.unit() as uow:
            return quick_view_counts(
                uow.session, today=self.today(), login=self.login, visible=permissions.visible(uow)
            )

    def choices(self) -> FilterChoices:
        with self.ctx.unit() as uow:
            return filter_choices(uow.session)

    def my_officer(self) -> OfficerChoice | None:
        with self.ctx.unit() as uow:
            return officer_for_login(uow.session, self.login)

    def nothing_shown(self) -> str | None:
        """Why the list shows this login no case at all, in the rule's words (a login linked to
        no officer, an inactive officer record); None when it shows what the officer may see."""
        with self.ctx.unit() as uow:
            return permissions.why_nothing_visible(uow.actor, permissions.viewer(uow))
