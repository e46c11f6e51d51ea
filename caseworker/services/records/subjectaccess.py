"""Subject access: a person's request for the personal data the council holds about them (UK GDPR
article 15), found across cases, notes, interviews, documents, emails, letters and the audit
trail, and exported for the council's disclosure.

* **The request and its clock.** :func:`record_request` keeps who asked and what identifies the
  person (name, email, phone, address, postcode) with the day it was received. The answer is due
  one calendar month later: the same date in the next month, the month's last day where there is
  no such date, moved to the next working day where that is not one. A complex request may be
  extended by two further months (:func:`extend_request`) only if the requester is told, with
  the reason, within the first month. Open requests appear in a complaints manager's Today
  (:func:`due_requests`) as their date comes near or passes.
* **Finding.** :func:`find_subject` looks for the person as complainant, representative,
  referrer (a councillor writing for them) or person complained about, and for their name, email
  and phone in notes, interviews, emails, letters' text and the audit trail of every case;
  each case the person is on brings its documents. Each item says what it matched on, so the
  manager can check it is the same person, and names the **third parties** on its case (other
  complainants, officers complained about, interviewees, representatives): those items are
  marked for review before disclosure.
* **Export.** :func:`export_subject_access` writes a zip: ``index.csv`` (an item a line, with what
  to review), ``summary.txt`` (readable: the request, its clock, and each item's text) and the
  documents under ``documents/``.

Everything here is a complaints manager's
(:data:`~caseworker.domain.rules.SUBJECT_ACCESS_BY_COMPLAINTS_MANAGER`): it reaches every case.
Recording, extending and completing are audited by the audit hook like any change; each search
and export is written to the audit trail too (action ``read``), with the request and what was
looked for.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import ColumnElement, String, cast, func, or_, select
from sqlalchemy.orm import Session

from caseworker.domain import rules
from caseworker.domain.refusals import Refused
from caseworker.errors import UserError
from caseworker.policy.clock import calendar_for
from caseworker.services.context import Context
from caseworker.services.permissions import acting_officer, require_complaints_manager
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import (
    AuditEvent,
    Case,
    CaseSubject,
    Complainant,
    Correspondence,
    Document,
    Interview,
    Issue,
    Letter,
    Note,
    Representative,
    SubjectAccessRequest,
    utcnow,
)

FIRST_MONTHS = 1
EXTENDED_MONTHS = 3
"""One calendar month, and two further months for a complex request."""
LOOK_AHEAD = 5
"""Working days before its date that an open request appears in Today."""
AUDIT_LIMIT = 2000
"""Audit events listed at most (the summary says when there were more)."""


@dataclass(frozen=True)
class SubjectAccessIn:
    requester: str
    received: dt.date
    name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    postcode: str = ""


@dataclass(frozen=True)
class RequestView:
    id: int
    requester: str
    name: str
    email: str
    phone: str
    address: str
    postcode: str
    received: dt.date
    due: dt.date
    extended_to: dt.date | None
    extension_reason: str
    requester_told: dt.date | None
    completed_on: dt.date | None

    @property
    def answer_by(self) -> dt.date:
        return self.extended_to or self.due

    @property
    def label(self) -> str:
        return f"SAR-{self.id}"


@dataclass(frozen=True)
class Item:
    kind: str
    reference: str
    """The case it is on ("" for none)."""
    record: str
    """Which record: "note 12", "document 4: scan.pdf"…"""
    matched_on: str
    text: str
    third_parties: tuple[str, ...] = ()
    document_id: int | None = None

    @property
    def review(self) -> bool:
        return bool(self.third_parties)


@dataclass
class Findings:
    request: RequestView
    items: list[Item] = field(default_factory=list)
    audit_left_out: int = 0

    @property
    def cases(self) -> list[str]:
        return sorted({i.reference for i in self.items if i.reference})


# -- the clock ------------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same date ``months`` calendar months on; the month's last day where there is none."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def answer_due(received: dt.date, months: int = FIRST_MONTHS) -> dt.date:
    """When the answer is due: ``months`` calendar months from receipt, on a working day."""
    working = calendar_for()
    due = add_months(received, months)
    while not working.is_working_day(due):
        due += dt.timedelta(days=1)
    return due


# -- who may --------------------------------------------------------------------------------------


def _authorise(uow: UnitOfWork, doing: str) -> None:
    require_complaints_manager(
        acting_officer(uow), doing, rules.SUBJECT_ACCESS_BY_COMPLAINTS_MANAGER
    )


def why_not_subject_access(ctx: Context) -> str | None:
    """Why the person at the keyboard may not deal with subject access requests; ``None`` when
    they may."""
    try:
        with ctx.unit() as uow:
            _authorise(uow, "deal with subject access requests")
    except Refused as refused:
        return str(refused).removeprefix("Refused: ")
    return None


# -- the request ----------------------------------------------------------------------------------


def _view(row: SubjectAccessRequest) -> RequestView:
    return RequestView(
        row.id,
        row.requester,
        row.name,
        row.email,
        row.phone,
        row.address,
        row.postcode,
        row.received,
        row.due,
        row.extended_to,
        row.extension_reason,
        row.requester_told,
        row.completed_on,
    )


def request_missing(new: SubjectAccessIn, today: dt.date) -> str | None:
    """What a request lacks or gets wrong, in a sentence; ``None`` when it can be recorded."""
    if not new.requester.strip():
        return "who made the request is missing"
    if not any(
        value.strip() for value in (new.name, new.email, new.phone, new.address, new.postcode)
    ):
        return "give at least one of the name, email, phone, address or postcode to look for"
    if new.received > today:
        return f"the request cannot be received on a day that has not come ({new.received})"
    if new.email.strip() and "@" not in new.email:
        return f"'{new.email.strip()}' is not an email address"
    return None


def record_request(ctx: Context, new: SubjectAccessIn) -> RequestView:
    """Record a subject access request with its one-month clock (audited)."""
    with ctx.unit() as uow:
        _authorise(uow, "record a subject access request")
        missing = request_missing(new, ctx.today())
        if missing is not None:
            raise UserError(missing[0].upper() + missing[1:])
        row = SubjectAccessRequest(
            requester=new.requester.strip(),
            name=new.name.strip(),
            email=new.email.strip(),
            phone=new.phone.strip(),
            address=new.address.strip(),
            postcode=new.postcode.strip().upper(),
            received=new.received,
            due=answer_due(new.received),
            extension_reason="",
            recorded_by=uow.actor,
        )
        uow.session.add(row)
        uow.commit()
        return _view(row)


def _request(uow: UnitOfWork, request_id: int) -> SubjectAccessRequest:
    row = uow.session.get(SubjectAccessRequest, request_id)
    if row is None:
        raise UserError(f"there is no subject access request SAR-{request_id}")
    return row


def why_not_extend(request: RequestView, told_on: dt.date | None) -> str | None:
    """Why the request may not be extended as asked; ``None`` when it may."""
    if request.completed_on is not None:
        return f"{request.label} was answered on {request.completed_on}"
    if request.extended_to is not None:
        return f"{request.label} is already extended to {request.extended_to}"
    if told_on is None:
        return "the requester must be told of the extension, and why, within the first month"
    if told_on < request.received:
        return (
            f"the requester cannot be told ({told_on}) before the request came ({request.received})"
        )
    if told_on > request.due:
        return (
            f"the requester was told on {told_on}, after the first month ended on "
            f"{request.due}: the extension can no longer be taken"
        )
    return None


def extend_request(
    ctx: Context, request_id: int, *, reason: str, told_on: dt.date | None
) -> RequestView:
    """Extend a complex request by two further months (three from receipt), the requester told
    within the first month (audited)."""
    with ctx.unit() as uow:
        _authorise(uow, "extend a subject access request")
        row = _request(uow, request_id)
        refusal = why_not_extend(_view(row), told_on)
        if refusal is None and not reason.strip():
            refusal = "say why the request is complex: the requester is told the reason"
        if refusal is not None:
            raise UserError(refusal[0].upper() + refusal[1:])
        row.extended_to = answer_due(row.received, EXTENDED_MONTHS)
        row.extension_reason = reason.strip()
        row.requester_told = told_on
        uow.commit()
        return _view(row)


def complete_request(ctx: Context, request_id: int, *, on: dt.date) -> RequestView:
    """Record that the request was answered on ``on`` (audited)."""
    with ctx.unit() as uow:
        _authorise(uow, "complete a subject access request")
        row = _request(uow, request_id)
        if row.completed_on is not None:
            raise UserError(f"SAR-{row.id} was already answered on {row.completed_on}")
        if on < row.received or on > ctx.today():
            raise UserError(
                f"the answer date {on} must be between the request ({row.received}) and today"
            )
        row.completed_on = on
        uow.commit()
        return _view(row)


def list_requests(ctx: Context, *, open_only: bool = False) -> list[RequestView]:
    with ctx.unit() as uow:
        _authorise(uow, "see subject access requests")
        query = select(SubjectAccessRequest).order_by(SubjectAccessRequest.due)
        if open_only:
            query = query.where(SubjectAccessRequest.completed_on.is_(None))
        return [_view(row) for row in uow.session.scalars(query)]


def due_requests(session: Session, today: dt.date) -> list[RequestView]:
    """Open requests whose date is within :data:`LOOK_AHEAD` working days or past (Today)."""
    working = calendar_for()
    found = []
    for row in session.scalars(
        select(SubjectAccessRequest).where(SubjectAccessRequest.completed_on.is_(None))
    ):
        view = _view(row)
        if working.working_days_between(today, view.answer_by) <= LOOK_AHEAD:
            found.append(view)
    return sorted(found, key=lambda v: (v.answer_by, v.id))


# -- finding --------------------------------------------------------------------------------------


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _postcode(text: str) -> str:
    return re.sub(r"\s", "", text).upper()


class _Terms:
    def __init__(self, request: RequestView) -> None:
        self.name = " ".join(request.name.split())
        self.email = request.email.strip().lower()
        self.phone = _digits(request.phone)
        self.phone_text = request.phone.strip()
        self.address = request.address.strip().splitlines()[0].strip() if request.address else ""
        self.postcode = _postcode(request.postcode)

    def words(self) -> list[tuple[str, str]]:
        """(what, text) to look for inside free text."""
        found = []
        if self.name:
            found.append(("name", self.name))
        if self.email:
            found.append(("email", self.email))
        if len(self.phone) >= 6:
            found.append(("phone", self.phone_text))
        if self.address:
            found.append(("address", self.address))
        if self.postcode:
            found.append(("postcode", self.postcode))
        return found

    def contains(self, column: object) -> ColumnElement[bool] | None:
        conditions = [
            func.lower(column).like(_like(text), escape="\\")  # type: ignore[arg-type]
            for _, text in self.words()
        ]
        return or_(*conditions) if conditions else None

    def matched(self, *texts: str | None) -> str:
        joined = " ".join(t for t in texts if t).lower()
        squeezed = _postcode(joined)
        hits = [what for what, text in self.words() if text.lower() in joined]
        if self.postcode and self.postcode in squeezed and "postcode" not in hits:
            hits.append("postcode")
        if self.phone and len(self.phone) >= 6 and self.phone in _digits(joined):
            hits.append("phone")
        return ", ".join(dict.fromkeys(hits))


def _person_matches(terms: _Terms, name: str, email: str, phone: str, postcode: str) -> str:
    """What identifies a stored person as the requester: their name, email or phone; a postcode
    only together with the name (many people share one)."""
    hits = []
    if terms.name and " ".join(name.split()).lower() == terms.name.lower():
        hits.append("name")
    if terms.email and email.strip().lower() == terms.email:
        hits.append("email")
    if terms.phone and len(terms.phone) >= 6 and _digits(phone) == terms.phone:
        hits.append("phone")
    if hits and terms.postcode and _postcode(postcode) == terms.postcode:
        hits.append("postcode")
    return ", ".join(hits)


def _record_read(
    uow: UnitOfWork, request: RequestView, what: str, detail: dict[str, object]
) -> None:
    uow.session.add(
        AuditEvent(
            at=utcnow(),
            actor=uow.actor,
            case_id=None,
            entity=SubjectAccessRequest.__tablename__,
            entity_id=request.id,
            action="read",
            field=what,
            old_value=None,
            new_value=json.dumps(detail, sort_keys=True, ensure_ascii=False, default=str),
        )
    )


def find_subject(ctx: Context, request_id: int) -> Findings:
    """Everything held about the request's person (the search is audited)."""
    with ctx.unit() as uow:
        _authorise(uow, "search for a person's data")
        request = _view(_request(uow, request_id))
        findings = _find(uow.session, request)
        _record_read(
            uow,
            request,
            "search",
            {"items": len(findings.items), "cases": findings.cases},
        )
        uow.commit()
        return findings


def _find(session: Session, request: RequestView) -> Findings:
    terms = _Terms(request)
    findings = Findings(request)
    own: dict[int, str] = {}  # case id -> why it is the person's case

    def mark(case_id: int, why: str) -> None:
        own[case_id] = ", ".join(dict.fromkeys(filter(None, [own.get(case_id, ""), why])))

    people = or_(
        *([func.lower(Complainant.name) == terms.name.lower()] if terms.name else []),
        *([func.lower(Complainant.email) == terms.email] if terms.email else []),
        *([Complainant.phone != ""] if terms.phone else []),
    )
    for complainant, case_id in session.execute(
        select(Complainant, Case.id).join(Case, Case.complainant_id == Complainant.id).where(people)
    ):
        why = _person_matches(
            terms, complainant.name, complainant.email, complainant.phone, complainant.postcode
        )
        if why:
            mark(case_id, f"complainant ({why})")
    for rep in session.scalars(select(Representative)):
        why = _person_matches(terms, rep.name, rep.email, rep.phone, "")
        if why:
            mark(rep.case_id, f"representative ({why})")
    if terms.name:
        for case_id in session.scalars(
            select(Case.id).where(func.lower(Case.referrer_name) == terms.name.lower())
        ):
            mark(case_id, "referrer (name)")
        for subject in session.scalars(
            select(CaseSubject).where(func.lower(CaseSubject.name) == terms.name.lower())
        ):
            mark(subject.case_id, "person complained about (name)")
        for interview in session.scalars(
            select(Interview).where(func.lower(Interview.interviewee) == terms.name.lower())
        ):
            mark(interview.case_id, "interviewed (name)")

    # Text that mentions the person, on any case.
    mentions: dict[int, list[Item]] = defaultdict(list)
    note_hit = terms.contains(Note.text)
    if note_hit is not None:
        for note, case_id in session.execute(
            select(Note, Issue.case_id).join(Issue, Issue.id == Note.issue_id).where(note_hit)
        ):
            mentions[case_id].append(
                _item(
                    "note",
                    f"note {note.id} ({note.kind.value})",
                    terms.matched(note.text),
                    note.text,
                )
            )
        for interview in session.scalars(
            select(Interview).where(
                or_(
                    terms.contains(Interview.notes),  # type: ignore[arg-type]
                    terms.contains(Interview.summary),  # type: ignore[arg-type]
                )
            )
        ):
            text = "\n".join(filter(None, [interview.notes, interview.summary]))
            mentions[interview.case_id].append(
                _item(
                    "interview",
                    f"interview {interview.id} with {interview.interviewee} on {interview.held_on}",
                    terms.matched(text),
                    text,
                )
            )
        for mail in session.scalars(
            select(Correspondence).where(
                or_(
                    terms.contains(Correspondence.sender),  # type: ignore[arg-type]
                    terms.contains(Correspondence.recipients),  # type: ignore[arg-type]
                    terms.contains(Correspondence.body),  # type: ignore[arg-type]
                    terms.contains(Correspondence.subject),  # type: ignore[arg-type]
                )
            )
        ):
            mentions[mail.case_id].append(_mail_item(mail, terms))
        for letter in session.scalars(
            select(Letter).where(terms.contains(cast(Letter.draft, String)))  # type: ignore[arg-type]
        ):
            text = json.dumps(letter.draft, ensure_ascii=False) if letter.draft else ""
            mentions[letter.case_id].append(
                _item(
                    "letter", f"letter {letter.id} ({letter.kind.value})", terms.matched(text), text
                )
            )

    case_ids = set(own) | set(mentions)
    cases = (
        {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(case_ids)))}
        if case_ids
        else {}
    )
    others = _third_parties(session, list(cases), terms)

    for case_id in sorted(cases, key=lambda i: cases[i].reference):
        case = cases[case_id]
        named = others.get(case_id, ())
        if case_id in own:
            findings.items.append(
                Item(
                    "case",
                    case.reference,
                    f"case {case.reference}",
                    own[case_id],
                    f"Received {case.received}; {case.service_area}; {case.summary}",
                    named,
                )
            )
            # The person's own case: its emails and documents are held about them.
            for mail in session.scalars(
                select(Correspondence).where(Correspondence.case_id == case_id)
            ):
                if not any(i.record == f"email {mail.id}" for i in mentions.get(case_id, [])):
                    mentions[case_id].append(_mail_item(mail, terms))
            for document in session.scalars(
                select(Document).where(Document.case_id == case_id, Document.removed_at.is_(None))
            ):
                findings.items.append(
                    Item(
                        "document",
                        case.reference,
                        f"document {document.id}: {document.filename}",
                        "on the person's case",
                        f"{document.filename} ({document.media_type}, {document.size:,} bytes)",
                        named,
                        document.id,
                    )
                )
        for item in mentions.get(case_id, []):
            findings.items.append(
                Item(item.kind, case.reference, item.record, item.matched_on, item.text, named)
            )

    audit_hit = or_(
        *(
            condition
            for condition in (
                terms.contains(AuditEvent.old_value),
                terms.contains(AuditEvent.new_value),
            )
            if condition is not None
        )
    )
    if terms.words():
        total = session.scalar(select(func.count()).select_from(AuditEvent).where(audit_hit)) or 0
        events = session.scalars(
            select(AuditEvent).where(audit_hit).order_by(AuditEvent.id).limit(AUDIT_LIMIT)
        ).all()
        refs = (
            dict(
                session.execute(
                    select(Case.id, Case.reference).where(
                        Case.id.in_({e.case_id for e in events if e.case_id is not None})
                    )
                ).all()
            )
            if events
            else {}
        )
        for event in events:
            text = f"{event.at:%Y-%m-%d %H:%M} {event.actor} {event.action} {event.entity}"
            if event.field:
                text += f".{event.field}: {event.old_value!r} -> {event.new_value!r}"
            else:
                text += f": {event.new_value or event.old_value}"
            findings.items.append(
                Item(
                    "audit",
                    refs.get(event.case_id, "") if event.case_id is not None else "",
                    f"audit event {event.id}",
                    terms.matched(event.old_value, event.new_value),
                    text,
                    others.get(event.case_id, ()) if event.case_id is not None else (),
                )
            )
        findings.audit_left_out = max(0, total - len(events))
    return findings


def _item(kind: str, record: str, matched: str, text: str) -> Item:
    return Item(kind, "", record, matched or "on the person's case", text)


def _mail_item(mail: Correspondence, terms: _Terms) -> Item:
    text = f"From: {mail.sender}\nTo: {mail.recipients}\nSubject: {mail.subject}\n\n{mail.body}"
    return _item(f"email {mail.direction}", f"email {mail.id}", terms.matched(text), text)


def _third_parties(
    session: Session, case_ids: list[int], terms: _Terms
) -> dict[int, tuple[str, ...]]:
    """Everyone else named on each case: whose data is to be reviewed before disclosure."""
    names: dict[int, set[str]] = defaultdict(set)
    if not case_ids:
        return {}
    for case_id, name, referrer in session.execute(
        select(Case.id, Complainant.name, Case.referrer_name)
        .outerjoin(Complainant, Complainant.id == Case.complainant_id)
        .where(Case.id.in_(case_ids))
    ):
        names[case_id].update(n for n in (name, referrer) if n)
    for model, column in (
        (Representative, Representative.name),
        (CaseSubject, CaseSubject.name),
        (Interview, Interview.interviewee),
    ):
        for case_id, name in session.execute(
            select(model.case_id, column).where(model.case_id.in_(case_ids))  # type: ignore[attr-defined]
        ):
            names[case_id].add(name)
    me = terms.name.lower()
    return {
        case_id: tuple(sorted(n for n in found if n and " ".join(n.split()).lower() != me))
        for case_id, found in names.items()
    }


# -- the export -----------------------------------------------------------------------------------


def export_subject_access(ctx: Context, request_id: int, path: Path | str) -> Path:
    """Write everything found for the request to a zip (index, summary, documents); audited."""
    target = Path(path)
    if target.suffix.lower() != ".zip":
        raise UserError(f"{target.name}: the disclosure export is a zip file: name it .zip")
    with ctx.unit() as uow:
        _authorise(uow, "export a person's data")
        request = _view(_request(uow, request_id))
        findings = _find(uow.session, request)
        files: dict[int, tuple[str, bytes]] = {}
        for item in findings.items:
            if item.document_id is not None:
                document = uow.session.get(Document, item.document_id)
                assert document is not None
                files[item.document_id] = (
                    f"documents/{item.reference}/{document.id}-{_safe(document.filename)}",
                    document.content,
                )
        _record_read(
            uow,
            request,
            "export",
            {"file": target.name, "items": len(findings.items), "cases": findings.cases},
        )
        uow.commit()
    _write_zip(target, findings, files, ctx.today())
    return target


def _safe(name: str) -> str:
    return re.sub(r"[^\w.\- ]", "_", name).strip() or "file"


def _write_zip(
    target: Path, findings: Findings, files: dict[int, tuple[str, bytes]], today: dt.date
) -> None:
    index = io.StringIO()
    writer = csv.writer(index)
    writer.writerow(
        ["item", "kind", "case", "record", "matched on", "third parties to review", "file"]
    )
    for number, item in enumerate(findings.items, start=1):
        writer.writerow(
            [
                number,
                item.kind,
                item.reference,
                item.record,
                item.matched_on,
                "; ".join(item.third_parties),
                files[item.document_id][0] if item.document_id in files else "",
            ]
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.csv", "\ufeff" + index.getvalue())
        archive.writestr("summary.txt", summary_text(findings, today))
        for name, content in files.values():
            archive.writestr(name, content)


def summary_text(findings: Findings, today: dt.date) -> str:
    """The readable summary: the request, its clock, and each item in full."""
    r = findings.request
    lines = [
        f"Subject access request {r.label}",
        f"Requested by: {r.requester}",
        "Looked for: "
        + "; ".join(
            f"{what} {value}"
            for what, value in (
                ("name", r.name),
                ("email", r.email),
                ("phone", r.phone),
                ("address", r.address.replace("\n", ", ")),
                ("postcode", r.postcode),
            )
            if value
        ),
        f"Received: {r.received}. Due: {r.due}"
        + (
            f", extended to {r.extended_to} ({r.extension_reason}; requester told "
            f"{r.requester_told})"
            if r.extended_to
            else ""
        )
        + (f". Answered: {r.completed_on}." if r.completed_on else "."),
        f"Prepared: {today}. Cases: {', '.join(findings.cases) or 'none'}. "
        f"Items: {len(findings.items)}, of which {sum(i.review for i in findings.items)} "
        "name third parties and must be reviewed (redacted where needed) before disclosure.",
        "Check each item's 'matched on' to be sure it is about the same person.",
    ]
    if findings.audit_left_out:
        lines.append(
            f"The audit trail holds {findings.audit_left_out} further events that mention the "
            f"person, not listed here (the first {AUDIT_LIMIT} are)."
        )
    current = None
    for number, item in enumerate(findings.items, start=1):
        if item.reference != current:
            current = item.reference
            lines += ["", "=" * 72, f"Case {current}" if current else "Not on a case", "=" * 72]
        lines += [
            "",
            f"[{number}] {item.kind}: {item.record} (matched on {item.matched_on})",
        ]
        if item.review:
            lines.append("REVIEW: also names " + ", ".join(item.third_parties))
        lines.append(item.text)
    return "\n".join(lines) + "\n"


__all__ = [
    "Findings",
    "Item",
    "RequestView",
    "SubjectAccessIn",
    "add_months",
    "answer_due",
    "complete_request",
    "due_requests",
    "export_subject_access",
    "extend_request",
    "find_subject",
    "list_requests",
    "record_request",
    "request_missing",
    "summary_text",
    "why_not_extend",
    "why_not_subject_access",
]
