"""The number of homes the council owns as landlord, kept with its date: the denominator of the
Tenant Satisfaction Measure CH01 (complaints per 1,000 homes; :mod:`caseworker.reports.tsm`).

A complaints manager records it (:data:`~caseworker.domain.rules.HOMES_SET_BY_COMPLAINTS_MANAGER`)
from the app's Reports window or ``caseworker homes --set``; anyone who may see the figures may
read it. Each figure is a new row, audited like every other change, and never edited: a report
for an earlier year keeps the figure that held then (the latest recorded on or before the year's
last day).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker.domain import rules
from caseworker.domain.refusals import Refused
from caseworker.errors import UserError
from caseworker.services.context import Context
from caseworker.services.permissions import (
    acting_officer,
    figures_refusal,
    require_complaints_manager,
)
from caseworker.storage.models import HomesOwned

MOST_HOMES = 10_000_000
"""More homes than any English landlord owns: a figure above it is a typing slip."""


@dataclass(frozen=True)
class HomesFigure:
    homes: int
    as_at: dt.date
    source: str
    recorded_by: str


def why_not_record_homes(ctx: Context) -> str | None:
    """Why the person at the keyboard may not record the number of homes (the app disables the
    control and says this); ``None`` when they may."""
    try:
        with ctx.unit() as uow:
            require_complaints_manager(
                acting_officer(uow),
                "record the number of homes the council owns",
                rules.HOMES_SET_BY_COMPLAINTS_MANAGER,
            )
    except Refused as refused:
        return str(refused).removeprefix("Refused: ")
    return None


def check_homes(homes: int, as_at: dt.date, *, today: dt.date) -> None:
    """Refuse a figure that cannot be right, saying which and why."""
    if homes < 0:
        raise UserError(f"the number of homes cannot be negative ({homes})")
    if homes > MOST_HOMES:
        raise UserError(f"{homes:,} homes is more than any landlord owns: check the figure")
    if as_at > today:
        raise UserError(
            f"the number of homes is as at a day that has not come ({as_at.isoformat()}); "
            f"today is {today.isoformat()}"
        )


def record_homes(ctx: Context, *, homes: int, as_at: dt.date, source: str = "") -> HomesFigure:
    """Record that the council owned ``homes`` homes on ``as_at`` (audited)."""
    with ctx.unit() as uow:
        require_complaints_manager(
            acting_officer(uow),
            "record the number of homes the council owns",
            rules.HOMES_SET_BY_COMPLAINTS_MANAGER,
        )
        check_homes(homes, as_at, today=ctx.today())
        row = HomesOwned(homes=homes, as_at=as_at, source=source.strip(), recorded_by=uow.actor)
        uow.session.add(row)
        uow.commit()
        return HomesFigure(homes, as_at, row.source, uow.actor)


def homes_at(session: Session, day: dt.date) -> HomesFigure | None:
    """The figure that held on ``day``: the latest as at that day or before (of two recorded
    for the same date, the later recorded). ``None`` when none had been recorded."""
    row = session.scalars(
        select(HomesOwned)
        .where(HomesOwned.as_at <= day)
        .order_by(HomesOwned.as_at.desc(), HomesOwned.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return HomesFigure(row.homes, row.as_at, row.source, row.recorded_by)


def homes_history(ctx: Context) -> list[HomesFigure]:
    """Every figure recorded, newest date first (for anyone who may see the figures)."""
    with ctx.unit() as uow:
        refusal = figures_refusal(acting_officer(uow), "see the number of homes the council owns")
        if refusal is not None:
            raise refusal
        rows = uow.session.scalars(
            select(HomesOwned).order_by(HomesOwned.as_at.desc(), HomesOwned.id.desc())
        ).all()
        return [HomesFigure(r.homes, r.as_at, r.source, r.recorded_by) for r in rows]


__all__ = [
    "HomesFigure",
    "check_homes",
    "homes_at",
    "homes_history",
    "record_homes",
    "why_not_record_homes",
]
