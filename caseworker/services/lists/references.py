"""The cases by reference, for ``caseworker cases``: what the acting officer may see, nothing more.

The same view rule as the app's list (:func:`caseworker.services.permissions.visible_to`): a
complaints manager sees every case, a line manager their service area's and their own, an
investigating officer their own and those they handled at stage 1, a login linked to no officer
none.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from caseworker.domain.enums import CaseStatus
from caseworker.services import permissions
from caseworker.services.context import Context
from caseworker.storage.models import Case


def case_rows(
    ctx: Context, *, status: str | None = None, limit: int | None = None
) -> Iterator[dict[str, Any]]:
    """``(reference, policy, route, stage, status, outcome, due)`` for each case the acting
    officer may see, by reference, read a few thousand rows at a time (a 250,000-case list never
    sits in memory whole)."""
    with ctx.unit() as uow:
        query = select(
            Case.reference,
            Case.policy_id,
            Case.route,
            Case.stage,
            Case.status,
            Case.outcome,
            Case.respond_by,
        ).order_by(Case.reference)
        visible = permissions.visible(uow)
        if visible is not None:
            query = query.where(visible)
        if status is not None:
            query = query.where(Case.status == CaseStatus(status))
        if limit is not None:
            query = query.limit(limit)
        for reference, policy, route, stage, state, outcome, due in uow.session.execute(
            query.execution_options(yield_per=2000)
        ):
            yield {
                "reference": reference,
                "policy": policy,
                "route": route.value,
                "stage": stage,
                "status": state.value,
                "outcome": outcome.value if outcome is not None else None,
                "due": due.isoformat() if due is not None else None,
            }
