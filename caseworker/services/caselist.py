"""The case list: pages of cases for the filters and sort order a person chose, and their count.

Each page is one SQL query (the columns of :func:`caseworker.services.cases.summary_query`, the
filters, ``ORDER BY <column>, id`` and ``LIMIT``). Pages after the first continue from the last row
already shown (keyset paging: ``WHERE (<column>, id) > (<last value>, <last id>)``) rather than
skipping rows with ``OFFSET``, so the hundredth page costs what the first does, even with 250,000
cases. The total is a separate ``COUNT`` query, run once when the filters change.

"Days left" is counted on the policy's working-day clock (weekends, bank holidays and the policy's
closure days do not count) from ``today``, which the caller gives; nothing here reads the clock on
the wall except the default of :class:`CaseList`.

Quick views are the lists an officer goes to first. All but "All cases" show only live cases
(open, or suspended where the clock has stopped):

* My cases: allocated to the officer whose ``login`` is the person at the keyboard;
* Due this week: open, due from today to Sunday;
* Overdue: open, due before today;
* Unallocated: no officer yet;
* Stage 2: at stage 2.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from enum import Enum, StrEnum

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    and_,
    any_,
    case,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    tuple_,
)
from sqlalchemy.orm import Session, aliased, sessionmaker
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from caseworker.domain.enums import CaseStatus
from caseworker.errors import UserError
from caseworker.policy.clock import WorkingCalendar, calendar_for
from caseworker.policy.loader import get_policy
from caseworker.policy.schema import Policy
from caseworker.services.cases import CaseSummary, summary_query
from caseworker.storage.models import Case, Checkout, Officer

LIVE = frozenset({CaseStatus.OPEN, CaseStatus.SUSPENDED})
"""Cases someone still has to work on."""

DUE_SOON_DAYS = 3
"""A case due within this many working days is flagged (amber) before it becomes overdue."""

PAGE_SIZE = 100

_NO_DUE_DATE = dt.date(9999, 12, 31)
"""Stands in for a missing due date so that sorting and paging by due date are total orders."""


class QuickView(StrEnum):
    ALL = "all"
    MINE = "mine"
    DUE_THIS_WEEK = "due-this-week"
    OVERDUE = "overdue"
    UNALLOCATED = "unallocated"
    STAGE_2 = "stage-2"

    @property
    def label(self) -> str:
        return _VIEW_LABELS[self]


_VIEW_LABELS = {
    QuickView.ALL: "All cases",
    QuickView.MINE: "My cases",
    QuickView.DUE_THIS_WEEK: "Due this week",
    QuickView.OVERDUE: "Overdue",
    QuickView.UNALLOCATED: "Unallocated",
    QuickView.STAGE_2: "Stage 2",
}


class SortKey(StrEnum):
    """What the list can be sorted by. Days left sorts as the due date does."""

    REFERENCE = "reference"
    COMPLAINANT = "complainant"
    SERVICE = "service"
    STAGE = "stage"
    OFFICER = "officer"
    RECEIVED = "received"
    DUE = "due"
    STATUS = "status"


class Urgency(Enum):
    """How pressing a case's deadline is, for colouring and wording the list."""

    NONE = "none"  # responded, closed, or no due date
    STOPPED = "stopped"  # suspended: the clock does not run
    ON_TRACK = "on-track"
    DUE_SOON = "due-soon"  # due within DUE_SOON_DAYS working days (today included)
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class CaseFilter:
    """What a person asked to see. Every field narrows the list; the defaults show every case."""

    text: str = ""
    """Words, or the starts of words, of a reference, a complainant's name or a service area."""
    statuses: frozenset[CaseStatus] = frozenset()
    """Empty: any status."""
    stage: int | None = None
    policy_id: str | None = None
    officer_id: int | None = None
    view: QuickView = QuickView.ALL

    @property
    def is_default(self) -> bool:
        return self == CaseFilter()


@dataclass(frozen=True, slots=True)
class CaseSort:
    key: SortKey = SortKey.RECEIVED
    descending: bool = True


def local_time(at: dt.datetime) -> dt.datetime:
    """A stored time (UTC; SQLite gives it back without a zone) on this computer's clock."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone()


@dataclass(frozen=True, slots=True)
class CheckoutMark:
    """A case checked out for offline work: colleagues see who has it, where and since when."""

    by: str
    """The officer's name (their login if no officer record has it)."""
    machine: str
    since: dt.datetime

    @property
    def short(self) -> str:
        return f"checked out to {self.by}"

    def describe(self) -> str:
        where = f" ({self.machine})" if self.machine else ""
        when = local_time(self.since)
        since = f"{when.day} {when:%b %Y, %H:%M}"
        return (f"Checked out to {self.by}'s laptop{where} since {since} for offline work. "
                "Changes saved here meanwhile are compared with theirs, case by case, when it "
                "is checked in.")


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One row of the list: the case's summary and its working days left."""

    summary: CaseSummary
    days_left: int | None
    """Working days to the due date (0: due today; negative: that many working days late);
    ``None`` where the clock does not run (suspended, responded, closed) or there is no due
    date."""
    checkout: CheckoutMark | None = None
    """Set while the case is checked out to someone's offline copy."""

    @property
    def urgency(self) -> Urgency:
        return urgency(self.summary.status, self.days_left)

    @property
    def days_left_text(self) -> str:
        return days_left_text(self.summary.status, self.days_left)


@dataclass(frozen=True, slots=True)
class OfficerChoice:
    id: int
    name: str
    active: bool


@dataclass(frozen=True, slots=True)
class FilterChoices:
    """What the filter lists offer."""

    officers: list[OfficerChoice] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)
    policy_titles: dict[str, str] = field(default_factory=dict)
    """"Council: title" of each installed policy in ``policies``."""
    stages: list[int] = field(default_factory=lambda: [1, 2, 3])
    statuses: list[CaseStatus] = field(default_factory=lambda: list(CaseStatus))


# -- the clock ---------------------------------------------------------------------------------


def days_left(calendar: WorkingCalendar, today: dt.date, due: dt.date) -> int:
    """Working days from ``today`` to ``due``: 0 when due today, negative when late.

    A case due on Friday is one working day late on the Saturday and Sunday after it, not
    "due today", and two working days late on the Monday.
    """
    if due >= today:
        return calendar.working_days_between(today, due)
    return -max(1, calendar.working_days_between(due, today))


def urgency(status: CaseStatus, days: int | None) -> Urgency:
    if status is CaseStatus.SUSPENDED:
        return Urgency.STOPPED
    if status is not CaseStatus.OPEN or days is None:
        return Urgency.NONE
    if days < 0:
        return Urgency.OVERDUE
    if days <= DUE_SOON_DAYS:
        return Urgency.DUE_SOON
    return Urgency.ON_TRACK


def days_left_text(status: CaseStatus, days: int | None) -> str:
    """Words that say what the colour says: "3 days late", "Due today", "1 day left"."""
    if status is CaseStatus.SUSPENDED:
        return "Clock stopped"
    if status is not CaseStatus.OPEN or days is None:
        return ""
    if days < 0:
        return f"{-days} day{'s' if days != -1 else ''} late"
    if days == 0:
        return "Due today"
    return f"{days} day{'s' if days != 1 else ''} left"


def end_of_week(today: dt.date) -> dt.date:
    """The Sunday of ``today``'s week (Monday to Sunday)."""
    return today + dt.timedelta(days=6 - today.weekday())


# -- the queries -------------------------------------------------------------------------------


def _due(summary: Select[tuple]) -> ColumnElement:
    return func.coalesce(summary.selected_columns[9], literal(_NO_DUE_DATE, Date))


def _sort_columns(summary: Select[tuple]) -> dict[SortKey, ColumnElement]:
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


def _sort_value(key: SortKey, row: CaseSummary) -> object:
    if key is SortKey.DUE:
        return row.due or _NO_DUE_DATE
    return {
        SortKey.REFERENCE: row.reference,
        SortKey.COMPLAINANT: row.complainant,
        SortKey.SERVICE: row.service_area,
        SortKey.STAGE: row.stage,
        SortKey.OFFICER: row.officer,
        SortKey.RECEIVED: row.received,
        SortKey.STATUS: row.status,
    }[key]


sort_value = _sort_value
"""The value a row sorts by (to tell whether a changed row has moved)."""


LIST_FTS_TABLE = "caselist_fts"
"""Migration 0007's full-text index of each case's reference, complainant's name and service
area, on SQLite (rowid = the case id)."""
PG_CASES_TEXT = "reference || ' ' || service_area"
PG_NAME_TEXT = "name"
"""The expressions migration 0007 indexed with ``to_tsvector('simple', …)`` on PostgreSQL."""
_PG_CASES_TEXT_QUALIFIED = "cases.reference || ' ' || cases.service_area"

_WORD = re.compile(r"\w+", re.UNICODE)


def filter_words(text: str) -> list[str]:
    """The words of a free-text filter, lower case; punctuation only separates them."""
    return [word.lower() for word in _WORD.findall(text)]


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
    simple = literal_column("'simple'")
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


def _conditions(
    filt: CaseFilter, *, today: dt.date, login: str | None, due: ColumnElement, dialect: str
) -> list[ColumnElement[bool]]:
    """The WHERE terms for ``filt``."""
    where: list[ColumnElement[bool]] = []
    matching = _text_condition(filt.text, dialect)
    if matching is not None:
        where.append(matching)
    if filt.statuses:
        where.append(Case.status.in_(sorted(filt.statuses)))
    if filt.stage is not None:
        where.append(Case.stage == filt.stage)
    if filt.policy_id is not None:
        where.append(Case.policy_id == filt.policy_id)
    if filt.officer_id is not None:
        where.append(Case.officer_id == filt.officer_id)
    where.extend(_view_conditions(filt.view, today=today, login=login, due=due))
    return where


def _view_conditions(
    view: QuickView, *, today: dt.date, login: str | None, due: ColumnElement
) -> list[ColumnElement[bool]]:
    if view is QuickView.ALL:
        return []
    if view is QuickView.DUE_THIS_WEEK:
        return [Case.status == CaseStatus.OPEN, due >= today, due <= end_of_week(today)]
    if view is QuickView.OVERDUE:
        return [Case.status == CaseStatus.OPEN, due < today]
    live = Case.status.in_(sorted(LIVE))
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
    session: Session, filt: CaseFilter, *, today: dt.date, login: str | None = None
) -> int:
    """How many cases ``filt`` matches."""
    query = count_query(filt, today=today, login=login, dialect=_dialect(session))
    return int(session.execute(query).scalar_one())


def count_query(
    filt: CaseFilter, *, today: dt.date, login: str | None = None, dialect: str = "sqlite"
) -> Select[tuple[int]]:
    """The one query counting the cases ``filt`` matches."""
    return (
        select(func.count(Case.id))
        .select_from(Case)
        .where(*_conditions(filt, today=today, login=login, due=_raw_due(), dialect=dialect))
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
) -> Select[tuple]:
    """The one query for a page: the rows after ``after`` (None: the first page); ``only``:
    just those of these cases that the filter matches."""
    summary = summary_query()
    column = _sort_column(summary, sort.key, filt, dialect)
    query = summary.where(
        *_conditions(filt, today=today, login=login, due=_raw_due(), dialect=dialect)
    )
    if only is not None:
        query = query.where(Case.id.in_(sorted(only)))
    if after is not None:
        key = tuple_(column, Case.id)
        last = tuple_(literal(_sort_value(sort.key, after), column.type), literal(after.id))
        query = query.where(key < last if sort.descending else key > last)
    if sort.descending:
        query = query.order_by(column.desc(), Case.id.desc())
    else:
        query = query.order_by(column.asc(), Case.id.asc())
    return query.limit(limit)


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
) -> list[CaseRow]:
    """Up to ``limit`` rows of the list, continuing after the row ``after`` (``only``: just
    these cases, where the filter matches them).

    ``calendar(policy_id)`` gives each policy's working-day calendar (see
    :class:`PolicyCalendars`); without it, weekends and England and Wales bank holidays only.
    """
    calendar_of = calendar or _default_calendar
    query = _with_checkouts(page_query(
        filt, sort, today=today, login=login, after=after, limit=limit, dialect=_dialect(session),
        only=only,
    ))
    rows = []
    width = len(CaseSummary.__dataclass_fields__)
    for values in session.execute(query):
        summary = CaseSummary(*values[:width])
        days = None
        if summary.due is not None and summary.status is CaseStatus.OPEN:
            days = days_left(calendar_of(summary.policy_id), today, summary.due)
        by, machine, since, name = values[width:]
        mark = CheckoutMark(name or by, machine, since) if since is not None else None
        rows.append(CaseRow(summary, days, mark))
    return rows


def _with_checkouts(query: Select[tuple]) -> Select[tuple]:
    """The page query with each case's open checkout, if any (who, machine, since, their
    name), joined in: still one statement per page. The open checkouts are few; at most one per
    case is joined (the latest), so no case appears twice."""
    latest = (select(Checkout.case_id, func.max(Checkout.id).label("checkout_id"))
              .where(Checkout.checked_in_at.is_(None)).group_by(Checkout.case_id).subquery())
    checkout = aliased(Checkout)
    person = aliased(Officer)
    return (query.outerjoin(latest, latest.c.case_id == Case.id)
            .outerjoin(checkout, checkout.id == latest.c.checkout_id)
            .outerjoin(person, person.login == checkout.checked_out_by)
            .add_columns(checkout.checked_out_by, checkout.machine, checkout.checked_out_at,
                         person.name))


def checkout_marks(session: Session, case_ids: Collection[int] | None = None
                   ) -> dict[int, CheckoutMark]:
    """The cases (of ``case_ids``, or all) checked out for offline work now, by case id, with
    the name of who has each (one query for the checkouts, one for the names)."""
    from caseworker.services.offline import checked_out

    infos = checked_out(session.connection(), case_ids)
    if not infos:
        return {}
    logins = {info.checked_out_by for info in infos.values()}
    names = dict(session.execute(
        select(Officer.login, Officer.name).where(Officer.login.in_(sorted(logins)))).all())
    return {case_id: CheckoutMark(names.get(info.checked_out_by) or info.checked_out_by,
                                  info.machine, info.checked_out_at)
            for case_id, info in infos.items()}


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
    session: Session, *, today: dt.date, login: str | None = None
) -> dict[QuickView, int]:
    """How many cases each quick view holds, in one query."""
    due = _raw_due()
    sums = []
    for view in QuickView:
        conditions = _view_conditions(view, today=today, login=login, due=due)
        condition = and_(*conditions) if conditions else literal(True)
        sums.append(func.coalesce(func.sum(case((condition, 1), else_=0)), 0))
    values = session.execute(select(*sums).select_from(Case)).one()
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
        titles[policy_id] = f"{policy.council}: {policy.title}"
    return FilterChoices(officers=officers, policies=policies, policy_titles=titles)


# -- bound to a database -----------------------------------------------------------------------


class CaseList:
    """The case list's queries bound to one database and the person at the keyboard.

    The desktop app's list model holds one of these; each call opens a short read-only session.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        login: str | None,
        today: Callable[[], dt.date] = dt.date.today,
        calendar: Callable[[str], WorkingCalendar] | None = None,
    ) -> None:
        """``calendar(policy_id)``: each policy's working-day calendar; by default the installed
        policies' (:class:`PolicyCalendars`)."""
        self._sessions = sessions
        self.login = login
        self._today = today
        self._calendar = calendar if calendar is not None else PolicyCalendars()

    def today(self) -> dt.date:
        return self._today()

    @property
    def sessions(self) -> sessionmaker[Session]:
        """The session factory, for other screens opened on the same database."""
        return self._sessions

    def count(self, filt: CaseFilter) -> int:
        with self._sessions() as session:
            return count_cases(session, filt, today=self.today(), login=self.login)

    def page(
        self,
        filt: CaseFilter,
        sort: CaseSort,
        *,
        after: CaseSummary | None = None,
        limit: int = PAGE_SIZE,
    ) -> list[CaseRow]:
        with self._sessions() as session:
            return case_page(
                session,
                filt,
                sort,
                today=self.today(),
                login=self.login,
                after=after,
                limit=limit,
                calendar=self._calendar,
            )

    def rows(self, filt: CaseFilter, sort: CaseSort, case_ids: Collection[int]) -> list[CaseRow]:
        """The rows of just these cases, as the list shows them, where ``filt`` matches them
        (to update a few rows in place when colleagues change them)."""
        if not case_ids:
            return []
        with self._sessions() as session:
            return case_page(session, filt, sort, today=self.today(), login=self.login,
                             limit=len(case_ids), calendar=self._calendar, only=case_ids)

    def view_counts(self) -> dict[QuickView, int]:
        with self._sessions() as session:
            return quick_view_counts(session, today=self.today(), login=self.login)

    def choices(self) -> FilterChoices:
        with self._sessions() as session:
            return filter_choices(session)

    def my_officer(self) -> OfficerChoice | None:
        if not self.login:
            return None
        with self._sessions() as session:
            return officer_for_login(session, self.login)


def describe_database(url: str) -> str:
    """A short name for a database URL, for a window title: a SQLite file's name, else
    ``host/database`` (never the password)."""
    scheme, _, rest = url.partition("://")
    if scheme.startswith("sqlite"):
        path = rest[1:] if rest.startswith("/") else rest
        if not path or path == ":memory:":
            return "in-memory database"
        return path.replace("\\", "/").rsplit("/", 1)[-1]
    location = rest.rsplit("@", 1)[-1].split("?", 1)[0]
    return location or url
