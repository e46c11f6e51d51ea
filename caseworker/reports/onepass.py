"""Several grouped counts over the same cases in one statement that reads those cases once.

The yearly report counts the period's cases many ways (received by route and service, closed by
outcome, responses by start date, the Code's and the Regulator's measures...): each a ``GROUP BY``
of its own, but all over the cases with some date in the period. Run one by one, each statement
scanned the cases table (or walked an index to a third of it) again; :func:`count_parts` reads
them once on SQLite. On PostgreSQL it runs a statement for each condition the parts count under
(the parts of the same condition as ``GROUPING SETS``), with its planner's statistics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    cast,
    func,
    literal_column,
    null,
    select,
    true,
    tuple_,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter, ColumnClause
from sqlalchemy.sql.util import ClauseAdapter
from sqlalchemy.types import NullType

from caseworker.storage.models import Case


@dataclass(frozen=True)
class Part:
    """One grouped count of :func:`count_parts`: ``keys`` (grouped by) then ``counts``, over the
    cases ``where`` selects, written as over ``cases``, optionally joined to one more table:
    ``join`` for many rows of it per case (a case's issues), ``outer_join`` for at most one
    (the complainant)."""

    name: str
    keys: tuple[Any, ...]
    counts: tuple[Any, ...]
    where: tuple[ColumnElement[bool], ...]
    join: tuple[Any, Any] | None = None
    outer_join: tuple[Any, Any] | None = None


def count_parts(
    session: Session, cases: ColumnElement[bool], parts: list[Part]
) -> dict[str, list[Any]]:
    """Run several grouped counts over the same cases in one statement, reading those cases
    once: ``cases`` selects them into a common table expression (only the columns the parts
    use), each part becomes one ``SELECT ... GROUP BY`` over it, and the parts are joined by
    ``UNION ALL`` after a first column naming the part (a column a part does not use is a
    NULL of the column's type). A common table expression used several times is worked out
    once. Returns each part's rows (its keys, then its counts) by name, the database's values
    turned into Python's (a date, an enumeration) as the part's own expressions would be.

    On PostgreSQL the parts counting the same cases are one statement (:func:`_each_on_its_own`).
    """

    def sql(expression: Any) -> Any:
        clause = getattr(expression, "__clause_element__", None)
        return clause() if clause is not None else expression

    if session.get_bind().dialect.name == "postgresql":
        return _each_on_its_own(session, cases, parts, sql)

    # A table a part joins at most one row of (``outer_join``) is joined in the common table
    # expression itself, where the database can see how many cases there are, not in the part.
    to_one: list[tuple[Any, Any]] = []
    for part in parts:
        if part.outer_join is not None and all(
            getattr(part.outer_join[0], "__table__", part.outer_join[0]) is not table
            for table, _ in to_one
        ):
            table = getattr(part.outer_join[0], "__table__", part.outer_join[0])  # a model's
            to_one.append((table, sql(part.outer_join[1])))
    tables = [Case.__table__, *(table for table, _ in to_one)]
    used = {Case.id.expression}

    def columns_of(expression: Any, among: list[Any]) -> set[Any]:
        return {
            element
            for element in visitors.iterate(sql(expression))
            if isinstance(element, ColumnClause) and any(element.table is t for t in among)
        }

    for part in parts:
        for expression in (*part.keys, *part.counts, *part.where):
            used |= columns_of(expression, tables)
        for _, on in filter(None, (part.join, part.outer_join)):
            used |= columns_of(on, [Case.__table__])  # the cases' side of the join
    columns = [column for table in tables for column in table.columns if column in used]
    source: Any = Case.__table__
    for table, on in to_one:
        source = source.outerjoin(table, on)
    chosen = select(*columns).select_from(source).where(cases).cte("period_cases")
    adapter = ClauseAdapter(chosen)

    def adapt(expression: Any) -> Any:
        """The expression over the chosen cases (an ORM attribute as its column)."""
        return adapter.traverse(sql(expression))

    adapted = []
    for part in parts:
        adapted.append([adapt(expression) for expression in (*part.keys, *part.counts)])

    # The parts share the statement's columns: each column holds values of one kind of SQL type
    # (PostgreSQL's UNION wants that), and each part takes the next free column of each kind.
    dialect = session.get_bind().dialect
    kinds: list[tuple[str, Any]] = []  # the statement's columns after the first: kind, SQL type
    places: list[list[int]] = []  # where each part's values are
    for expressions in adapted:
        taken: dict[str, int] = {}
        place = []
        for expression in expressions:
            kind = _kind(expression.type, dialect)
            seen = taken.get(kind, 0)
            taken[kind] = seen + 1
            columns_of_kind = [n for n, (k, _) in enumerate(kinds) if k == kind]
            if seen >= len(columns_of_kind):
                kinds.append((kind, expression.type))
                columns_of_kind.append(len(kinds) - 1)
            place.append(columns_of_kind[seen])
        places.append(place)
    statements = []
    for number, part in enumerate(parts):
        row: list[Any] = [literal_column(str(number)).label("part")]
        own = dict(zip(places[number], adapted[number], strict=True))
        for column, (_, sql_type) in enumerate(kinds):
            value = own[column] if column in own else cast(null(), sql_type)
            row.append(type_coerce(value, NullType()).label(f"c{column}"))
        rows_of: Any = chosen
        if part.join is not None:
            rows_of = rows_of.join(part.join[0], adapt(part.join[1]))
        statements.append(
            select(*row)
            .select_from(rows_of)
            .where(*(adapt(condition) for condition in part.where))
            .group_by(*adapted[number][: len(part.keys)])
        )
    readers = [
        [
            (column + 1, expression.type.dialect_impl(dialect).result_processor(dialect, None))
            for column, expression in zip(places[number], adapted[number], strict=True)
        ]
        for number in range(len(parts))
    ]
    found: dict[str, list[Any]] = {part.name: [] for part in parts}
    # Each part's values taken from a row at once, and only the columns that need it turned
    # into Python's values (40,000 rows at 250,000 cases: a generator per row was 0.2 s).
    plans: list[tuple[list[Any], Any, list[tuple[int, Any]]]] = []
    for number, part in enumerate(parts):
        wanted = [column for column, _ in readers[number]]
        converts = [
            (index, convert)
            for index, (_, convert) in enumerate(readers[number])
            if convert is not None
        ]
        plans.append((found[part.name], _taker(wanted), converts))
    for result in session.execute(union_all(*statements)).all():
        into, take, converts = plans[int(result[0])]
        values = take(result)
        if converts:
            changed = list(values)
            for index, convert in converts:
                if changed[index] is not None:
                    changed[index] = convert(changed[index])
            values = tuple(changed)
        into.append(values)
    return found


def _taker(columns: list[int]) -> Any:
    """A function taking a row's ``columns`` as a tuple."""
    if len(columns) == 1:
        at = columns[0]
        return lambda row: (row[at],)
    return itemgetter(*columns)


def _each_on_its_own(
    session: Session, cases: ColumnElement[bool], parts: list[Part], sql: Any
) -> dict[str, list[Any]]:
    """PostgreSQL: a statement over ``cases`` for each condition the parts count under
    (:func:`_same_condition`), its parts' groups the ``GROUPING SETS`` of one ``GROUP BY``.

    Not the one statement of SQLite: PostgreSQL plans a common table expression's rows blind
    (606 expected of the 76,608 of a year at 250,000 cases), so it sorted to group where it
    hashes; its own scans of the cases are parallel; and one statement costs more than
    ``jit_above_cost``, so the server compiles it first (0.35-0.8 s of the report, issue 20,
    docs/performance.md)."""
    dialect = session.get_bind().dialect
    found: dict[str, list[Any]] = {}
    for same in _same_condition(parts, dialect, sql).values():
        found.update(_grouped_together(session, cases, same, sql, dialect))
    return found


def _same_condition(parts: list[Part], dialect: Any, sql: Any) -> dict[str, list[Part]]:
    """The parts by the condition they count under (its SQL with its values), so that parts
    counting the same cases read them once: the received cases by route and by day, the
    closed ones by outcome and by day, the responses by start and by sending date. A part
    joining many rows per case (``join``) is counted on its own."""
    by_condition: dict[str, list[Part]] = {}
    for number, part in enumerate(parts):
        if part.join is not None:
            by_condition[f"part {number}"] = [part]
            continue
        condition = and_(*(sql(where) for where in part.where)) if part.where else true()
        text = str(condition.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        by_condition.setdefault(text, []).append(part)
    return by_condition


def _grouped_together(
    session: Session, cases: ColumnElement[bool], parts: list[Part], sql: Any, dialect: Any
) -> dict[str, list[Any]]:
    """One statement for ``parts`` counting the same cases: a ``GROUP BY`` of each one's keys
    (one part), or their ``GROUPING SETS``, each row's set told by ``GROUPING()`` of every key."""
    source: Any = Case.__table__
    joined: list[Any] = []
    for part in parts:
        for join in (part.join, part.outer_join):
            if join is not None and not any(join[0] is table for table in joined):
                joined.append(join[0])
                on = sql(join[1])
                source = (
                    source.join(join[0], on) if join is part.join else source.outerjoin(join[0], on)
                )
    keys = [[sql(key) for key in part.keys] for part in parts]
    counts = [[sql(count) for count in part.counts] for part in parts]
    statement = (
        select(*(value for own in zip(keys, counts, strict=True) for value in (*own[0], *own[1])))
        .select_from(source)
        .where(cases, *(sql(condition) for condition in parts[0].where))
    )
    if len(parts) == 1:
        rows = session.execute(statement.group_by(*keys[0]))
        return {parts[0].name: [tuple(row) for row in rows]}
    # Each distinct key once (the same SQL with the same parameters: the same key to the
    # server), and for each part the bits of GROUPING() that say a row is of its set.
    distinct: dict[tuple[str, tuple[int, ...]], Any] = {}
    for own in keys:
        for key in own:
            distinct.setdefault(_identity(key, dialect), key)
    every = list(distinct)
    chunks = [every[at : at + 30] for at in range(0, len(every), 30)]  # GROUPING takes 31
    sets: list[tuple[int, ...]] = []
    for own in keys:
        mine = {_identity(key, dialect) for key in own}
        sets.append(
            tuple(
                sum(1 << (len(chunk) - 1 - at) for at, key in enumerate(chunk) if key not in mine)
                for chunk in chunks
            )
        )
    statement = statement.add_columns(
        *(func.grouping(*(distinct[key] for key in chunk)) for chunk in chunks)
    ).group_by(func.grouping_sets(*(tuple_(*own) for own in keys)))
    found: dict[str, list[Any]] = {part.name: [] for part in parts}
    places = []
    at = 0
    for own_keys, own_counts in zip(keys, counts, strict=True):
        places.append((at, at + len(own_keys) + len(own_counts)))
        at = places[-1][1]
    for row in session.execute(statement):
        of_set = tuple(row[at:])
        for part, which, (begin, end) in zip(parts, sets, places, strict=True):
            if which == of_set:
                found[part.name].append(tuple(row[begin:end]))
    return found


def _identity(expression: Any, dialect: Any) -> tuple[str, tuple[int, ...]]:
    """What makes two expressions one to the server: their SQL and their parameters (the same
    parameter object is sent once)."""
    parameters = tuple(
        id(element)
        for element in visitors.iterate(expression)
        if isinstance(element, BindParameter)
    )
    return str(expression.compile(dialect=dialect)), parameters


def _kind(sql_type: Any, dialect: Any) -> str:
    """The kind of SQL type a column of the statement holds: its name without a length."""
    if isinstance(sql_type, NullType):
        return f"untyped {id(sql_type)}"  # a column of its own
    return re.sub(r"\(.*\)", "", str(sql_type.compile(dialect=dialect)))


__all__ = ["Part", "count_parts"]
