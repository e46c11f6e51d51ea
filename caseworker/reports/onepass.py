"""Several grouped counts over the same cases in one statement that reads those cases once.

The yearly report counts the period's cases many ways (received by route and service, closed by
outcome, responses by start date, the Code's and the Regulator's measures...): each a ``GROUP BY``
of its own, but all over the cases with some date in the period. Run one by one, each statement
scanned the cases table (or walked an index to a third of it) again; :func:`count_parts` reads
them once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, ColumnElement, cast, literal_column, null, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql import visitors
from sqlalchemy.sql.util import ClauseAdapter

from caseworker.storage.models import Case


@dataclass(frozen=True)
class Part:
    """One grouped count of :func:`count_parts`: ``keys`` (grouped by) then ``counts``, over the
    cases ``where`` selects, written as over ``cases`` (optionally joined to one more table)."""

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
    ``UNION ALL``, each in columns of its own (the other parts' are NULL, cast to the column's type
    for PostgreSQL's ``UNION``) after a first column
    naming the part. A common table expression used several times is worked out once, by
    SQLite and PostgreSQL alike. Returns each part's rows (its keys, then its counts) by name.
    """
    table = Case.__table__
    used = {Case.id.expression}
    for part in parts:
        joins = [on for _, on in filter(None, (part.join, part.outer_join))]
        for expression in (*part.keys, *part.counts, *part.where, *joins):
            clause = getattr(expression, "__clause_element__", None)
            expression = clause() if clause is not None else expression
            used.update(
                element
                for element in visitors.iterate(expression)
                if isinstance(element, Column) and element.table is table
            )
    columns = [column for column in table.columns if column in used]
    chosen = select(*columns).where(cases).cte("period_cases")
    adapter = ClauseAdapter(chosen)

    def adapt(expression: Any) -> Any:
        """The expression over the chosen cases (an ORM attribute as its column)."""
        clause = getattr(expression, "__clause_element__", None)
        return adapter.traverse(clause() if clause is not None else expression)

    adapted = []
    for part in parts:
        adapted.append(([adapt(key) for key in part.keys], [adapt(count) for count in part.counts]))
    statements = []
    for number, part in enumerate(parts):
        row: list[Any] = [literal_column(str(number)).label("part")]
        for other, (keys, counts) in enumerate(adapted):
            for place, expression in enumerate((*keys, *counts)):
                own = expression if other == number else cast(null(), expression.type)
                row.append(own.label(f"p{other}_{place}"))
        source: Any = chosen
        if part.join is not None:
            source = source.join(part.join[0], adapt(part.join[1]))
        if part.outer_join is not None:
            source = source.outerjoin(part.outer_join[0], adapt(part.outer_join[1]))
        statements.append(
            select(*row)
            .select_from(source)
            .where(*(adapt(condition) for condition in part.where))
            .group_by(*adapted[number][0])
        )
    found: dict[str, list[Any]] = {part.name: [] for part in parts}
    starts = []
    at = 1
    for keys, counts in adapted:
        starts.append(at)
        at += len(keys) + len(counts)
    for result in session.execute(union_all(*statements)):
        number = result[0]
        size = len(adapted[number][0]) + len(adapted[number][1])
        found[parts[number].name].append(tuple(result[starts[number] : starts[number] + size]))
    return found


__all__ = ["Part", "count_parts"]
