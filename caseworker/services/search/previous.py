"""Previous complaints: when a case is created or opened, the other cases from the same person and
about the same address or service, with their outcomes (Appendix A: be aware of previous
complaints; Stoke: recurring issues), and a likely duplicate flagged at intake before saving.

The same person is matched on any of: the same email address; the same postcode and a similar
name (case, spaces and punctuation ignored; difflib ratio, either word order). Candidates are
found only through the indexed email and postcode columns, so it stays quick on a large database.

Only the cases the acting officer may see are shown (or flagged as a likely duplicate):
:func:`caseworker.services.permissions.visible`, in the query. Opening a case's previous
complaints first asks whether the officer may see that case.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from caseworker.domain.enums import CaseStatus, Outcome
from caseworker.services import permissions
from caseworker.services.cases.intake import NewCase
from caseworker.services.context import Context
from caseworker.services.permissions import Action
from caseworker.storage.models import Case, Complainant

NAME_RATIO = 0.85
"""How alike two names at the same postcode must be to be taken as the same person."""
DUPLICATE_DAYS = 30
"""An open case from the same person about the same service received within this many days of
the new one is flagged as a likely duplicate."""
MAX_CANDIDATES = 500


@dataclass(frozen=True)
class Person:
    name: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""


@dataclass(frozen=True)
class PreviousCase:
    case_id: int
    reference: str
    received: dt.date
    status: CaseStatus
    outcome: Outcome | None
    service_area: str
    complainant: str
    reasons: tuple[str, ...]
    """Why it is shown: 'same email', 'same postcode, similar name', 'same address', ..."""
    same_person: bool
    same_service: bool


@dataclass
class Previous:
    cases: list[PreviousCase] = field(default_factory=list)
    likely_duplicate: PreviousCase | None = None

    @property
    def same_person(self) -> list[PreviousCase]:
        return [c for c in self.cases if c.same_person]

    @property
    def same_address(self) -> list[PreviousCase]:
        return [c for c in self.cases if not c.same_person]


def normal_name(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", name.casefold()).split())


def normal_postcode(postcode: str) -> str:
    return re.sub(r"\s+", "", postcode).upper()


def _postcode_forms(postcode: str) -> set[str]:
    compact = normal_postcode(postcode)
    if not compact:
        return set()
    forms = {compact, postcode.strip().upper()}
    if len(compact) > 3:
        forms.add(f"{compact[:-3]} {compact[-3:]}")
    return forms


def first_line(address: str) -> str:
    """The start of an address (house and street), punctuation and case ignored: the first three
    words, so that "1, High Street" and "1 High Street, Stockport" compare."""
    return " ".join(normal_name(address).split()[:3])


def name_ratio(a: str, b: str) -> float:
    a, b = normal_name(a), normal_name(b)
    if not a or not b:
        return 0.0
    straight = SequenceMatcher(None, a, b).ratio()
    ordered = SequenceMatcher(
        None, " ".join(sorted(a.split())), " ".join(sorted(b.split()))
    ).ratio()
    return max(straight, ordered)


def _reasons(person: Person, other: Complainant) -> tuple[list[str], bool]:
    reasons: list[str] = []
    same_person = False
    if person.email and other.email and person.email.strip().casefold() == other.email.casefold():
        reasons.append("same email")
        same_person = True
    same_postcode = bool(person.postcode) and (
        normal_postcode(person.postcode) == normal_postcode(other.postcode)
    )
    ratio = name_ratio(person.name, other.name)
    if same_postcode and ratio >= NAME_RATIO:
        reasons.append(
            "same postcode, same name" if ratio == 1.0 else "same postcode, similar name"
        )
        same_person = True
    same_address = (
        bool(first_line(person.address))
        and same_postcode
        and (first_line(person.address) == first_line(other.address))
    )
    if same_address:
        reasons.append("same address")
    return reasons, same_person


def find_previous(
    session: Session,
    person: Person,
    *,
    service_area: str = "",
    received: dt.date | None = None,
    exclude_case_id: int | None = None,
    visible: ColumnElement[bool] | None,
) -> Previous:
    """Other cases from ``person`` or about their address, of those ``visible`` allows (``None``:
    every case), newest first; a likely duplicate is an open case from the same person about the
    same service within :data:`DUPLICATE_DAYS`."""
    conditions = []
    email = person.email.strip()
    if email:
        conditions.append(Complainant.email.in_({email, email.lower()}))
    forms = _postcode_forms(person.postcode)
    if forms:
        conditions.append(Complainant.postcode.in_(forms))
    if not conditions:
        return Previous()
    candidates = session.scalars(
        select(Complainant).where(or_(*conditions)).limit(MAX_CANDIDATES)
    ).all()
    matched: dict[int, tuple[list[str], bool, str]] = {}
    for other in candidates:
        reasons, same_person = _reasons(person, other)
        if reasons:
            matched[other.id] = (reasons, same_person, other.name)
    if not matched:
        return Previous()
    query = select(Case).where(Case.complainant_id.in_(matched), Case.purged_on.is_(None))
    if exclude_case_id is not None:
        query = query.where(Case.id != exclude_case_id)
    if visible is not None:
        query = query.where(visible)
    result = Previous()
    service = service_area.strip().casefold()
    for case in session.scalars(query.order_by(Case.received.desc(), Case.id.desc())):
        reasons, same_person, name = matched[case.complainant_id]  # type: ignore[index]
        same_service = bool(service) and case.service_area.strip().casefold() == service
        shown = tuple(reasons + (["same service"] if same_service else []))
        entry = PreviousCase(
            case.id,
            case.reference,
            case.received,
            case.status,
            case.outcome,
            case.service_area,
            name,
            shown,
            same_person,
            same_service,
        )
        result.cases.append(entry)
        if (
            result.likely_duplicate is None
            and same_person
            and same_service
            and case.status != CaseStatus.CLOSED
            and received is not None
            and abs((received - case.received).days) <= DUPLICATE_DAYS
        ):
            result.likely_duplicate = entry
    return result


def previous_for_draft(ctx: Context, new: NewCase) -> Previous:
    """For the intake form, before saving: the earlier cases the officer may see."""
    if new.anonymous:
        return Previous()
    p = new.complainant
    with ctx.unit() as uow:
        return find_previous(
            uow.session,
            Person(p.name, p.email, p.address, p.postcode),
            service_area=new.service_area,
            received=new.received,
            visible=permissions.visible(uow),
        )


def previous_for_case(ctx: Context, case_id: int) -> Previous:
    """For a case the officer may see: the others from the same person or address that they
    may see too (never the case itself)."""
    with ctx.unit() as uow:
        _officer, case = permissions.authorise(uow, case_id, Action.VIEW)
        c = case.complainant
        if c is None:
            return Previous()
        return find_previous(
            uow.session,
            Person(c.name, c.email, c.address, c.postcode),
            service_area=case.service_area,
            received=case.received,
            exclude_case_id=case.id,
            visible=permissions.visible(uow),
        )
