"""Unreasonable-behaviour contact restrictions on a complainant (Warwickshire section 10 and
appendix 5).

A manager (the policy's ``rules.contact_restrictions.decided_by``: a line manager for the case's
service area, or a complaints manager) decides restrictions from the policy's list, with the
reasons and a review date. The complainant must be told in writing within the policy's
``notify_within_working_days`` of the decision (Warwickshire: five); a late notification is
recorded and shown as late, not refused, because it has happened. Policies that leave unreasonable
behaviour to a separate policy (Stockport, Stoke, Southampton, seed 002) have no such rule, and a
restriction under them is refused.

Restrictions belong to the complainant, across all their cases; each one is decided on a case,
whose policy sets the deadline and whose id puts the decision in that case's audit trail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from caseworker.domain import rules
from caseworker.domain.enums import ContactMethod, Role
from caseworker.domain.lifecycle import Restriction
from caseworker.domain.refusals import (
    BadDate,
    MissingInformation,
    NotPermitted,
    PolicyForbids,
    Refused,
)
from caseworker.policy.deadlines import working_days_after
from caseworker.policy.loader import get_policy
from caseworker.services.cases.steps import (
    Step,
    authorise_step,
    refuse_if,
    restriction_in_force,
)
from caseworker.services.context import Context
from caseworker.services.permissions import acting_officer
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import ContactRestriction

NEEDS_DETAILS = frozenset({Restriction.SINGLE_POINT_OF_CONTACT, Restriction.ONE_CONTACT_METHOD})
"""Restrictions that mean nothing until the details say who, or which way."""


@dataclass(frozen=True, slots=True)
class RestrictionRow:
    """A contact restriction on a complainant, as decided."""

    id: int
    restrictions: tuple[Restriction, ...]
    details: str
    reason: str
    decided_on: dt.date
    notify_by: dt.date
    notified_on: dt.date | None
    review_on: dt.date
    ended_on: dt.date | None

    @classmethod
    def of(cls, r: ContactRestriction) -> RestrictionRow:
        return cls(
            r.id,
            tuple(Restriction(v) for v in r.restrictions),
            r.details,
            r.reason,
            r.decided_on,
            r.notify_by,
            r.notified_on,
            r.review_on,
            r.ended_on,
        )


def restrict_contact(
    ctx: Context,
    case_id: int,
    *,
    restrictions: Sequence[Restriction],
    reason: str,
    decided_on: dt.date,
    review_on: dt.date | None,
    details: str = "",
) -> RestrictionRow:
    """Record a manager's decision to restrict how the case's complainant may contact us."""
    with ctx.unit() as uow:
        officer, case_row, policy = authorise_step(uow, case_id, Step.RESTRICT_CONTACT)
        rule = policy.rules.contact_restrictions
        assert rule is not None and case_row.complainant_id is not None  # the precondition
        chosen = [Restriction(value) for value in dict.fromkeys(restrictions)]
        if not chosen:
            raise MissingInformation(
                "a contact restriction needs at least one restriction: "
                + ", ".join(r.value for r in Restriction)
            )
        reason = reason.strip()
        if not reason:
            raise MissingInformation(
                "a contact restriction needs the behaviour and evidence it rests on (Warwickshire "
                "section 10: evidence is gathered and presented to the Service Manager)"
            )
        details = details.strip()
        needing = [r.value for r in chosen if r in NEEDS_DETAILS]
        if needing and not details:
            raise MissingInformation(f"say who or which way for: {', '.join(needing)}")
        if review_on is None:
            raise MissingInformation(
                "a contact restriction needs a review date (Warwickshire "
                "section 10: how long the restrictions should last)"
            )
        if review_on <= decided_on:
            raise BadDate(
                f"the review date {review_on.isoformat()} is not after the decision "
                f"({decided_on.isoformat()})"
            )
        days = rule.notify_within_working_days
        notify_by = working_days_after(policy, decided_on, days)
        restriction = ContactRestriction(
            complainant_id=case_row.complainant_id,
            case_id=case_row.id,
            policy_id=policy.id,
            restrictions=[r.value for r in chosen],
            details=details,
            reason=reason,
            decided_by_id=officer.id,
            decided_on=decided_on,
            notify_by=notify_by,
            review_on=review_on,
        )
        uow.session.add(restriction)
        uow.commit()
        return RestrictionRow.of(restriction)


def _restriction(uow: UnitOfWork, restriction_id: int, step: Step) -> ContactRestriction:
    """The restriction, once ``step`` may be taken on it. One whose case is gone (purged) is a
    complaints manager's (they handle what no service area does)."""
    restriction = uow.session.get(ContactRestriction, restriction_id)
    if restriction is None:
        raise Refused(f"there is no contact restriction with id {restriction_id}")
    if restriction.case_id is not None:
        authorise_step(uow, restriction.case_id, step, restriction)
        return restriction
    officer = acting_officer(uow)
    if officer.role != Role.COMPLAINTS_MANAGER:
        raise NotPermitted(
            f"{officer.name} may not change a restriction whose case is gone "
            f"({rules.COMPLAINTS_MANAGER_STAGE_2})"
        )
    refuse_if(restriction_in_force(restriction))
    return restriction


def record_restriction_notified(
    ctx: Context, restriction_id: int, *, on: dt.date, method: ContactMethod
) -> bool:
    """Record that the complainant was told, in writing; returns whether it was late."""
    with ctx.unit() as uow:
        restriction = _restriction(uow, restriction_id, Step.RESTRICTION_NOTIFIED)
        method = ContactMethod(method)
        days = get_policy(restriction.policy_id).rules.contact_restrictions
        rule_text = rules.RESTRICTION_RULE.format(
            days=days.notify_within_working_days if days else 5
        )
        if method not in rules.WRITTEN_METHODS:
            raise PolicyForbids(
                f"restrictions are notified in writing: by {method.value} is not in "
                f"writing ({rule_text})"
            )
        if on < restriction.decided_on:
            raise BadDate(
                f"the notification date {on.isoformat()} is before the decision "
                f"({restriction.decided_on.isoformat()})"
            )
        restriction.notified_on = on
        restriction.notified_method = method
        uow.commit()
        return on > restriction.notify_by


def review_restriction(
    ctx: Context,
    restriction_id: int,
    *,
    reviewed_on: dt.date,
    next_review_on: dt.date | None = None,
    end: bool = False,
    reason: str = "",
) -> RestrictionRow:
    """Review: keep the restrictions until a later review date, or end them (with a reason)."""
    with ctx.unit() as uow:
        restriction = _restriction(uow, restriction_id, Step.REVIEW_RESTRICTION)
        if reviewed_on < restriction.decided_on:
            raise BadDate(
                f"the review date {reviewed_on.isoformat()} is before the decision "
                f"({restriction.decided_on.isoformat()})"
            )
        if end:
            if not reason.strip():
                raise MissingInformation("ending a contact restriction needs a reason")
            restriction.ended_on = reviewed_on
            restriction.end_reason = reason.strip()
        else:
            if next_review_on is None or next_review_on <= reviewed_on:
                raise MissingInformation(
                    "keeping a contact restriction needs the next review date, after this review"
                )
            restriction.review_on = next_review_on
        restriction.reviewed_on = reviewed_on
        uow.commit()
        return RestrictionRow.of(restriction)


def active_restrictions(
    session: Session, complainant_id: int, *, today: dt.date
) -> list[ContactRestriction]:
    """Restrictions in force on the complainant (shown to every officer who handles them)."""
    return list(
        session.execute(
            select(ContactRestriction)
            .where(
                ContactRestriction.complainant_id == complainant_id,
                ContactRestriction.decided_on <= today,
                or_(ContactRestriction.ended_on.is_(None), ContactRestriction.ended_on > today),
            )
            .order_by(ContactRestriction.decided_on, ContactRestriction.id)
        ).scalars()
    )


@dataclass(frozen=True, slots=True)
class RestrictionDue:
    restriction_id: int
    complainant_id: int
    what: str
    """'notify' (not yet told in writing) or 'review' (review date reached)."""
    due: dt.date
    overdue: bool


def restrictions_due(session: Session, *, today: dt.date) -> list[RestrictionDue]:
    """Restrictions still to be notified, and those due for review by ``today``."""
    found: list[RestrictionDue] = []
    rows = session.execute(
        select(ContactRestriction)
        .where(ContactRestriction.ended_on.is_(None))
        .order_by(ContactRestriction.id)
    ).scalars()
    for row in rows:
        if row.notified_on is None:
            found.append(
                RestrictionDue(
                    row.id, row.complainant_id, "notify", row.notify_by, today > row.notify_by
                )
            )
        if row.review_on <= today:
            found.append(
                RestrictionDue(
                    row.id, row.complainant_id, "review", row.review_on, today > row.review_on
                )
            )
    return sorted(found, key=lambda due: (due.due, due.restriction_id, due.what))
