"""Ombudsman involvement: the Local Government and Social Care Ombudsman or the Housing
Ombudsman (for the council as landlord) asks about a case, decides, and may agree a remedy the
council then complies with.

A complaints manager records it (they handle stage 2, after which the Ombudsman comes), on a
closed case too: the Ombudsman comes in once the council's process is exhausted. The body
defaults to the Ombudsman the case's route names in its policy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker.domain.lifecycle import OmbudsmanBody
from caseworker.domain.refusals import BadDate, MissingInformation, Refused
from caseworker.services.cases.steps import Step, authorise_step
from caseworker.services.context import Context
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import Case, OmbudsmanCase


@dataclass(frozen=True, slots=True)
class OmbudsmanRecord:
    """One Ombudsman's involvement in a case, as recorded."""

    id: int
    body: OmbudsmanBody
    reference: str
    enquiry_on: dt.date
    decision: str
    decision_on: dt.date | None
    remedy_agreed: str
    remedy_due: dt.date | None
    complied_on: dt.date | None

    @classmethod
    def of(cls, o: OmbudsmanCase) -> OmbudsmanRecord:
        return cls(
            o.id,
            o.body,
            o.reference,
            o.enquiry_on,
            o.decision,
            o.decision_on,
            o.remedy_agreed,
            o.remedy_due,
            o.complied_on,
        )


def record_ombudsman_enquiry(
    ctx: Context,
    case_id: int,
    *,
    enquiry_on: dt.date,
    reference: str = "",
    body: OmbudsmanBody | None = None,
) -> OmbudsmanRecord:
    """The Ombudsman's first enquiry about the case."""
    with ctx.unit() as uow:
        _, case_row, policy = authorise_step(uow, case_id, Step.OMBUDSMAN)
        if body is None:
            body = OmbudsmanBody(policy.route(case_row.route).ombudsman)
        if enquiry_on < case_row.received:
            raise BadDate(
                f"the enquiry date {enquiry_on.isoformat()} is before "
                f"{case_row.reference} was received ({case_row.received.isoformat()})"
            )
        involvement = OmbudsmanCase(
            body=OmbudsmanBody(body), reference=reference.strip(), enquiry_on=enquiry_on
        )
        case_row.ombudsman_cases.append(involvement)
        uow.commit()
        return OmbudsmanRecord.of(involvement)


def _involvement(uow: UnitOfWork, ombudsman_case_id: int, step: Step) -> OmbudsmanCase:
    """The Ombudsman record, once ``step`` may be taken on it."""
    involvement = uow.session.get(OmbudsmanCase, ombudsman_case_id)
    if involvement is None:
        raise Refused(f"there is no Ombudsman record with id {ombudsman_case_id}")
    authorise_step(uow, involvement.case_id, step, involvement)
    return involvement


def record_ombudsman_decision(
    ctx: Context,
    ombudsman_case_id: int,
    *,
    decision: str,
    decided_on: dt.date,
    remedy_agreed: str = "",
    remedy_due: dt.date | None = None,
) -> OmbudsmanRecord:
    """The Ombudsman's decision, in its words, and any remedy the council agreed."""
    with ctx.unit() as uow:
        involvement = _involvement(uow, ombudsman_case_id, Step.OMBUDSMAN_DECISION)
        decision = decision.strip()
        if not decision:
            raise MissingInformation("record what the Ombudsman decided")
        if decided_on < involvement.enquiry_on:
            raise BadDate(
                f"the decision date {decided_on.isoformat()} is before the enquiry "
                f"({involvement.enquiry_on.isoformat()})"
            )
        remedy_agreed = remedy_agreed.strip()
        if remedy_due is not None and not remedy_agreed:
            raise MissingInformation("a remedy due date needs the remedy agreed")
        if remedy_due is not None and remedy_due < decided_on:
            raise BadDate(
                f"the remedy due date {remedy_due.isoformat()} is before the decision "
                f"({decided_on.isoformat()})"
            )
        involvement.decision = decision
        involvement.decision_on = decided_on
        involvement.remedy_agreed = remedy_agreed
        involvement.remedy_due = remedy_due
        uow.commit()
        return OmbudsmanRecord.of(involvement)


def record_remedy_complied(
    ctx: Context, ombudsman_case_id: int, *, complied_on: dt.date
) -> OmbudsmanRecord:
    """The date the council did what it agreed with the Ombudsman."""
    with ctx.unit() as uow:
        involvement = _involvement(uow, ombudsman_case_id, Step.REMEDY_COMPLIED)
        assert involvement.decision_on is not None  # a remedy was agreed: the precondition
        if complied_on < involvement.decision_on:
            raise BadDate(
                f"the compliance date {complied_on.isoformat()} is before the decision "
                f"({involvement.decision_on.isoformat()})"
            )
        involvement.complied_on = complied_on
        uow.commit()
        return OmbudsmanRecord.of(involvement)


@dataclass(frozen=True, slots=True)
class OmbudsmanRow:
    id: int
    case_id: int
    reference: str
    body: OmbudsmanBody
    ombudsman_reference: str
    enquiry_on: dt.date
    decision_on: dt.date | None
    remedy_due: dt.date | None
    complied_on: dt.date | None


def open_ombudsman_cases(session: Session) -> list[OmbudsmanRow]:
    """Ombudsman cases still waiting for a decision, or for the agreed remedy to be done."""
    rows = session.execute(
        select(
            OmbudsmanCase.id,
            Case.id,
            Case.reference,
            OmbudsmanCase.body,
            OmbudsmanCase.reference,
            OmbudsmanCase.enquiry_on,
            OmbudsmanCase.decision_on,
            OmbudsmanCase.remedy_due,
            OmbudsmanCase.complied_on,
        )
        .join(Case, Case.id == OmbudsmanCase.case_id)
        .where(
            (OmbudsmanCase.decision_on.is_(None))
            | ((OmbudsmanCase.remedy_agreed != "") & OmbudsmanCase.complied_on.is_(None))
        )
        .order_by(OmbudsmanCase.enquiry_on, OmbudsmanCase.id)
    )
    return [OmbudsmanRow(*row) for row in rows]
