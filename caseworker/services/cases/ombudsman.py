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
from caseworker.domain.refusals import BadDate, MissingInformation, Refused, WrongState
from caseworker.services.permissions import Action, authorise, policy_of
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import Case, OmbudsmanCase


def record_ombudsman_enquiry(
    uow: UnitOfWork,
    case_id: int,
    *,
    enquiry_on: dt.date,
    reference: str = "",
    body: OmbudsmanBody | None = None,
) -> OmbudsmanCase:
    """The Ombudsman's first enquiry about the case."""
    _, case_row = authorise(uow, case_id, Action.OMBUDSMAN)
    if body is None:
        body = OmbudsmanBody(policy_of(case_row).route(case_row.route).ombudsman)
    if enquiry_on < case_row.received:
        raise BadDate(
            f"the enquiry date {enquiry_on.isoformat()} is before "
            f"{case_row.reference} was received ({case_row.received.isoformat()})"
        )
    involvement = OmbudsmanCase(
        body=OmbudsmanBody(body), reference=reference.strip(), enquiry_on=enquiry_on
    )
    case_row.ombudsman_cases.append(involvement)
    uow.session.flush()
    return involvement


def _load(uow: UnitOfWork, ombudsman_case_id: int) -> OmbudsmanCase:
    involvement = uow.session.get(OmbudsmanCase, ombudsman_case_id)
    if involvement is None:
        raise Refused(f"there is no Ombudsman record with id {ombudsman_case_id}")
    authorise(uow, involvement.case_id, Action.OMBUDSMAN)
    return involvement


def record_ombudsman_decision(
    uow: UnitOfWork,
    ombudsman_case_id: int,
    *,
    decision: str,
    decided_on: dt.date,
    remedy_agreed: str = "",
    remedy_due: dt.date | None = None,
) -> OmbudsmanCase:
    """The Ombudsman's decision, in its words, and any remedy the council agreed."""
    involvement = _load(uow, ombudsman_case_id)
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
    uow.session.flush()
    return involvement


def record_remedy_complied(
    uow: UnitOfWork, ombudsman_case_id: int, *, complied_on: dt.date
) -> OmbudsmanCase:
    """The date the council did what it agreed with the Ombudsman."""
    involvement = _load(uow, ombudsman_case_id)
    if involvement.decision_on is None or not involvement.remedy_agreed:
        raise WrongState("no remedy has been agreed with the Ombudsman to comply with")
    if involvement.complied_on is not None:
        raise WrongState(f"the remedy was complied with on {involvement.complied_on.isoformat()}")
    if complied_on < involvement.decision_on:
        raise BadDate(
            f"the compliance date {complied_on.isoformat()} is before the decision "
            f"({involvement.decision_on.isoformat()})"
        )
    involvement.complied_on = complied_on
    uow.session.flush()
    return involvement


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
