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
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseworker.domain.refusals import Refused
from caseworker.errors import UserError
from caseworker.policy.schema import Policy
from caseworker.reports import labels
from caseworker.reports.export import export
from caseworker.reports.figures import Progress, build_report
from caseworker.reports.period import Period
from caseworker.reports.tables import Report
from caseworker.reports.tsm import TsmFigures, count_tsm
from caseworker.services.context import Context
from caseworker.services.permissions import acting_officer, figures_refusal
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import Case, Issue, OmbudsmanCase

if TYPE_CHECKING:
    # the Word report (python-docx, the charts) only when one is written, not as the app starts
    from caseworker.reports.codereport import Lesson, OmbudsmanDecision


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


def tsm(ctx: Context, period: Period, *, policy_id: str | None = None) -> TsmFigures:
    """The Tenant Satisfaction Measures CH01 and CH02 for ``period`` (see
    :mod:`caseworker.reports.tsm`), for whoever may see the figures."""
    with ctx.unit() as uow:
        _authorise(uow, "count the Tenant Satisfaction Measures")
        return count_tsm(uow.session, period, policies=policies_by_id(ctx), policy_id=policy_id)


def why_not_code_report(ctx: Context) -> str | None:
    """Why the person at the keyboard may not write the Code's annual report (the figures' rule);
    ``None`` when they may."""
    return why_not_report(ctx)


def write_code_annual_report(
    ctx: Context,
    period: Period,
    path: Path | str,
    *,
    policy_id: str | None = None,
    as_of: dt.date | None = None,
) -> Path:
    """Write the Complaint Handling Code's annual complaints performance and service improvement
    report for ``period`` to ``path`` (a .docx; see :mod:`caseworker.reports.codereport`)."""
    target = Path(path)
    if target.suffix.lower() != ".docx":
        raise UserError(f"{target.name}: the annual report is a Word document: name it .docx")
    with ctx.unit() as uow:
        _authorise(uow, "write the annual complaints report")
        counted = build_report(
            uow.session,
            period,
            policy_id=policy_id,
            as_of=as_of or ctx.today(),
            policies=policies_by_id(ctx),
        )
        lessons = _lessons(uow.session, period, policy_id)
        decisions = _decisions(uow.session, period, policy_id)
    from caseworker.reports.codereport import write_code_report

    return write_code_report(counted, lessons, decisions, target)


def _lessons(session: Session, period: Period, policy_id: str | None) -> list[Lesson]:
    query = (
        select(
            Case.service_area,
            Case.reference,
            Issue.lesson_learnt,
            Issue.action,
            Issue.action_due,
            Issue.action_completed,
        )
        .join(Issue, Issue.case_id == Case.id)
        .where(Issue.lesson_learnt != "", Case.closed_on.between(period.start, period.end))
        .order_by(func.lower(Case.service_area), Case.reference, Issue.number)
    )
    if policy_id is not None:
        query = query.where(Case.policy_id == policy_id)
    from caseworker.reports.codereport import Lesson

    return [Lesson(*row) for row in session.execute(query)]


def _decisions(session: Session, period: Period, policy_id: str | None) -> list[OmbudsmanDecision]:
    query = (
        select(OmbudsmanCase, Case.reference, Case.service_area)
        .join(Case, Case.id == OmbudsmanCase.case_id)
        .where(OmbudsmanCase.decision_on.between(period.start, period.end))
        .order_by(OmbudsmanCase.decision_on, Case.reference)
    )
    if policy_id is not None:
        query = query.where(Case.policy_id == policy_id)
    from caseworker.reports.codereport import OmbudsmanDecision

    decided = []
    for row, reference, service in session.execute(query):
        assert row.decision_on is not None
        decided.append(
            OmbudsmanDecision(
                body=labels.OMBUDSMEN.get(row.body, str(row.body)),
                their_reference=row.reference,
                reference=reference,
                service_area=service,
                decided_on=row.decision_on,
                decision=row.decision,
                remedy=row.remedy_agreed,
                remedy_due=row.remedy_due,
                complied_on=row.complied_on,
            )
        )
    return decided


def export_report(ctx: Context, counted: Report, path: Path | str) -> Path:
    """Write a counted report to ``path`` in the format its extension names; the path written."""
    with ctx.unit() as uow:
        _authorise(uow, "export the complaint figures")
    return export(counted, path)


__all__ = [
    "councils",
    "export_report",
    "policies_by_id",
    "report",
    "tsm",
    "why_not_code_report",
    "why_not_report",
    "write_code_annual_report",
]
