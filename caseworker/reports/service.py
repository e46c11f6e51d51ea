"""What a manager does with the complaint figures: count a report (:func:`report`) and write it
to a file (:func:`export_report`). The dashboard and ``caseworker report`` call these directly
with a :class:`~caseworker.services.context.Context`.

Each call opens its own short unit of work (so a report can be counted on a worker thread while
the window stays responsive) and authorises the acting officer first: the figures are for
complaints managers (every service) and line managers
(:func:`caseworker.services.permissions.figures_refusal`); anyone else is refused with the rule's
words, and nothing is counted or written. :func:`why_not_report` is the same answer, for the app
to enable "Reports…" and say why it is not.

:func:`caseworker.reports.figures.build_report` does the counting itself, on a session.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from caseworker.domain.refusals import Refused
from caseworker.policy.schema import Policy
from caseworker.reports.export import export
from caseworker.reports.figures import Progress, build_report
from caseworker.reports.period import Period
from caseworker.reports.tables import Report
from caseworker.services.context import Context
from caseworker.services.permissions import acting_officer, figures_refusal
from caseworker.services.uow import UnitOfWork


def _authorise(uow: UnitOfWork, doing: str) -> None:
    refusal = figures_refusal(acting_officer(uow), doing)
    if refusal is not None:
        raise refusal


def why_not_report(ctx: Context) -> str | None:
    """Why the person at the keyboard may not count the complaint figures, in the rule's words
    (no "Refused: " in front); ``None`` when they may."""
    try:
        with ctx.unit() as uow:
            _authorise(uow, "count the complaint figures")
    except Refused as refused:
        return str(refused).removeprefix("Refused: ")
    return None


def policies_by_id(ctx: Context) -> dict[str, Policy]:
    """The installed policies by id (the Complaint Handling Code among them is the baseline)."""
    return {policy.id: policy for policy in ctx.policies()}


def councils(ctx: Context) -> list[tuple[str, str]]:
    """(policy id, council) of each council's own policy, by council: whose cases a report may
    be limited to (the baseline code is not a council's)."""
    return sorted(
        ((p.id, p.council_name) for p in ctx.policies() if not p.baseline),
        key=lambda item: item[1].lower(),
    )


def report(
    ctx: Context,
    period: Period,
    *,
    policy_id: str | None = None,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
) -> Report:
    """The figures for ``period`` (one council's cases with ``policy_id``), open actions and
    remedies counted at ``as_of`` (default ``ctx.today()``). Counts only: no personal data."""
    with ctx.unit() as uow:
        _authorise(uow, "count the complaint figures")
        return build_report(
            uow.session,
            period,
            policy_id=policy_id,
            as_of=as_of or ctx.today(),
            policies=policies_by_id(ctx),
            progress=progress,
        )


def export_report(ctx: Context, counted: Report, path: Path | str) -> Path:
    """Write a counted report to ``path`` in the format its extension names; the path written."""
    with ctx.unit() as uow:
        _authorise(uow, "export the complaint figures")
    return export(counted, path)


__all__ = ["councils", "export_report", "policies_by_id", "report", "why_not_report"]
