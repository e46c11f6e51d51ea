"""The stage 2 file pack: the whole stage 1 file in one Word document, and a zip of the originals.

A complaints manager reviewing a case for stage 2, or sending it to the Ombudsman, reads one
document holding:

* the case at a glance (who, what, which policy and route, the dates);
* the chronology: the audit trail, contact attempts, interviews and letters in date order;
* every issue with its finding, explanation, remedy and action, and its investigation notes
  grouped as facts, hearsay, evidence and actions (Stockport Appendix A: hearsay kept apart);
* interviews, home-visit risk assessments, letters sent and contact attempts;
* extensions, suspensions, allocations, the escalation decision and any Ombudsman involvement.

The zip holds that document, each stored letter exactly as it was generated, the case in the
JSON case-file format (:mod:`caseworker.interchange.casejson`) and the full audit trail as CSV.
Entries in the zip carry a fixed timestamp so the same file gives the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Pt
from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from caseworker.domain.enums import Finding, NoteKind
from caseworker.errors import UserError
from caseworker.interchange.casejson import case_to_dict, dumps
from caseworker.policy.loader import get_policy
from caseworker.services.cases import history
from caseworker.services.cases.steps import Step, authorise_step
from caseworker.services.context import Context
from caseworker.storage.models import AuditEvent, Case, Letter, Officer
from caseworker.storage.models import Document as CaseDocument

NOTE_GROUPS = (
    (NoteKind.FACT, "Facts"),
    (NoteKind.HEARSAY, "Hearsay"),
    (NoteKind.EVIDENCE, "Evidence"),
    (NoteKind.ACTION, "Actions"),
)

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def long_date(day: dt.date | None) -> str:
    """``5 October 2026``; an empty string for no date."""
    if day is None:
        return ""
    return f"{day.day} {day:%B %Y}"


def _when(value: dt.date | dt.datetime) -> dt.datetime:
    """A sort key: dates at midnight, datetimes in UTC without a zone."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value
    return dt.datetime(value.year, value.month, value.day)


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the chronology."""

    when: dt.datetime
    dated_only: bool
    """True where only the day is known (a letter's sending date, a receipt date)."""
    what: str
    who: str
    source: str
    """'case', 'audit', 'contact', 'interview' or 'letter'."""

    @property
    def when_text(self) -> str:
        day = long_date(self.when.date())
        return day if self.dated_only else f"{day} {self.when:%H:%M}"


def audit_entries(events: Iterable[AuditEvent], names: history.Names) -> list[Entry]:
    """Audit events as chronology lines: one line per row changed in one save, in the same
    sentences as the case's Timeline (:mod:`caseworker.services.cases.history`)."""
    grouped: dict[tuple, list[AuditEvent]] = {}
    for event in events:
        if event.field in history.HIDDEN:
            continue
        key = (event.at, event.actor, event.entity, event.entity_id, event.action)
        grouped.setdefault(key, []).append(event)
    entries = []
    for (at, actor, *_), group in grouped.items():
        what = ". ".join(dict.fromkeys(history.describe(event, names) for event in group))
        entries.append(Entry(_when(at), False, what, actor, "audit"))
    return entries


def chronology(session: Session, case_row: Case) -> list[Entry]:
    """Everything that happened on the case, in date order (the audit trail, contacts,
    interviews and letters)."""
    entries = [
        Entry(
            _when(case_row.received),
            True,
            f"Complaint received ({case_row.channel.value})",
            "",
            "case",
        )
    ]
    events = session.execute(
        select(AuditEvent).where(AuditEvent.case_id == case_row.id).order_by(AuditEvent.id)
    ).scalars()
    names = history.Names(
        {issue.id: issue.number for issue in case_row.issues},
        {interview.id: interview.interviewee for interview in case_row.interviews},
        {
            officer_id: name
            for officer_id, name in session.execute(select(Officer.id, Officer.name))
        },
    )
    entries += audit_entries(events, names)
    for attempt in case_row.contact_attempts:
        answer = "answered" if attempt.answered else "no answer"
        entries.append(
            Entry(
                _when(attempt.at),
                False,
                f"Contact attempt by {attempt.method.value} ({answer})"
                + (f": {attempt.result}" if attempt.result else ""),
                attempt.made_by,
                "contact",
            )
        )
    for interview in case_row.interviews:
        entries.append(
            Entry(
                _when(interview.held_on),
                True,
                f"Interview with {interview.interviewee} ({interview.method.value})",
                interview.recorded_by,
                "interview",
            )
        )
    for letter in case_row.letters:
        if letter.sent_on is not None:
            how = f" by {letter.sent_method.value}" if letter.sent_method else ""
            entries.append(
                Entry(
                    _when(letter.sent_on),
                    True,
                    f"Letter sent: {letter.kind.value} (stage {letter.stage}){how}",
                    letter.created_by,
                    "letter",
                )
            )
    order = {"case": 0, "letter": 1, "interview": 2, "contact": 3, "audit": 4}
    return sorted(entries, key=lambda e: (e.when, order[e.source]))


# -- the document -----------------------------------------------------------------------------


def _table(document: DocxDocument, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text


def _field(document: DocxDocument, label: str, value: str) -> None:
    if not value:
        return
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(value)


def _name(officer: Officer | None) -> str:
    return officer.name if officer is not None else ""


def _facts(case_row: Case) -> list[list[str]]:
    policy = get_policy(case_row.policy_id)
    complainant = case_row.complainant
    representative = case_row.representative
    rows = [
        ["Reference", case_row.reference],
        ["Policy", f"{policy.council}: {policy.title} ({policy.id})"],
        ["Route", policy.route(case_row.route).name],
        ["Stage", str(case_row.stage)],
        ["Status", case_row.status.value],
        ["Outcome", case_row.outcome.value if case_row.outcome else ""],
        ["Received", f"{long_date(case_row.received)} by {case_row.channel.value}"],
        ["Service area", case_row.service_area],
        ["Complainant", complainant.name if complainant else "(anonymous)"],
        [
            "Representative",
            f"{representative.name} ({representative.relationship_to_complainant})"
            if representative
            else "",
        ],
        [
            "Through",
            f"{case_row.referrer_name} ({case_row.referrer_role.value})"
            if case_row.referrer_role
            else "",
        ],
        ["Officer", _name(case_row.officer)],
        ["Stage 1 officer", _name(case_row.stage1_officer)],
        ["Staff complained about", ", ".join(s.name for s in case_row.subjects)],
        ["Acknowledged", long_date(case_row.acknowledged)],
        ["Response due", long_date(case_row.respond_by)],
        [
            "Response sent",
            long_date(case_row.response_sent)
            + (f" by {case_row.response_method.value}" if case_row.response_method else ""),
        ],
        ["Escalation requested", long_date(case_row.escalation_requested)],
        ["Reasons given for escalating", case_row.escalation_reason],
        [
            "Escalation flags",
            ", ".join(
                flag
                for flag, on in (
                    ("asked after the window", case_row.escalation_late),
                    ("reasons asked for and not given", case_row.escalation_reason_missing),
                )
                if on
            ),
        ],
        [
            "Escalation decision",
            (f"{case_row.escalation_decision.value} on {long_date(case_row.escalation_decided_on)}")
            if case_row.escalation_decision
            else "",
        ],
        ["Reasons for refusing escalation", case_row.escalation_refusal_reasons],
        ["Withdrawn", long_date(case_row.withdrawn_on)],
        ["Discontinued", long_date(case_row.discontinued_on)],
        [
            "Re-opened",
            long_date(case_row.reopened_on)
            + (f": {case_row.reopening_ground}" if case_row.reopening_ground else "")
            + (f" ({case_row.reopening_reason})" if case_row.reopening_reason else ""),
        ],
        ["Closed", long_date(case_row.closed_on)],
    ]
    return [row for row in rows if row[1]]


def _finding_words(finding: Finding | None) -> str:
    return finding.value.replace("-", " ") if finding else "not yet made"


def _issues(document: DocxDocument, case_row: Case) -> None:
    document.add_heading("Issues", level=1)
    if not case_row.issues:
        document.add_paragraph("No issues are recorded.")
    for issue in case_row.issues:
        document.add_heading(f"Issue {issue.number}: {issue.summary}", level=2)
        if issue.raised_at_stage > 1:
            _field(document, "Raised", f"by the request for stage {issue.raised_at_stage}")
        stage1 = issue.raised_at_stage == 1
        if stage1 or issue.finding:
            label = "Stage 1 finding" if case_row.stage > 1 else "Finding"
            _field(document, label, _finding_words(issue.finding))
            _field(document, "Explanation", issue.explanation)
            _field(document, "Remedy", issue.remedy)
        if case_row.stage > 1:
            # The stage 2 review's own finding, beside stage 1's (never in its place).
            _field(document, "Stage 2 finding", _finding_words(issue.stage2_finding))
            _field(document, "Stage 2 explanation", issue.stage2_explanation)
            _field(document, "Stage 2 remedy", issue.stage2_remedy)
        _field(document, "Lesson learnt", issue.lesson_learnt)
        if issue.action:
            status = (
                f"completed {long_date(issue.action_completed)}"
                if issue.action_completed
                else "outstanding"
            )
            due = f", due {long_date(issue.action_due)}" if issue.action_due else ""
            _field(document, "Action", f"{issue.action} ({status}{due})")
        for kind, heading in NOTE_GROUPS:
            notes = [
                note for note in issue.notes if note.kind == kind and note.withdrawn_at is None
            ]
            document.add_heading(f"{heading} ({len(notes)})", level=3)
            for note in notes:
                where = ", ".join(
                    part
                    for part in (note.source, note.author, f"{note.created_at:%d %b %Y %H:%M}")
                    if part
                )
                document.add_paragraph(f"{note.text} — {where}", style="List Bullet")
        withdrawn = [note for note in issue.notes if note.withdrawn_at is not None]
        if withdrawn:
            # Kept in the file: what was recorded, and who withdrew it, when and why.
            document.add_heading(f"Withdrawn notes ({len(withdrawn)})", level=3)
            for note in withdrawn:
                assert note.withdrawn_at is not None
                document.add_paragraph(
                    f"{note.kind.value.capitalize()}: {note.text} — {note.author}, "
                    f"{note.created_at:%d %b %Y %H:%M}. Withdrawn by {note.withdrawn_by} on "
                    f"{note.withdrawn_at:%d %b %Y %H:%M}: {note.withdrawn_reason}",
                    style="List Bullet",
                )


def _interviews(document: DocxDocument, case_row: Case) -> None:
    document.add_heading("Interviews", level=1)
    if not case_row.interviews:
        document.add_paragraph("No interviews are recorded.")
    for interview in case_row.interviews:
        role = f" ({interview.interviewee_role})" if interview.interviewee_role else ""
        document.add_heading(
            f"{interview.interviewee}{role}, {long_date(interview.held_on)}", level=2
        )
        _field(document, "Method", interview.method.value)
        if interview.accompanied_by:
            _field(
                document,
                "Accompanied by",
                f"{interview.accompanied_by} ({interview.accompanied_as or 'companion'})",
            )
        _field(document, "Notes", interview.notes)
        _field(document, "Summary", interview.summary)
        _field(document, "Summary read back", "yes" if interview.summary_read_back else "no")
        _field(
            document,
            "Further information invited",
            "yes" if interview.further_information_invited else "no",
        )
        _field(document, "Further information", interview.further_information)
        _field(document, "Recorded by", interview.recorded_by)


def _risk_assessments(document: DocxDocument, case_row: Case) -> None:
    document.add_heading("Risk assessments", level=1)
    if not case_row.risk_assessments:
        document.add_paragraph("No home-visit risk assessments are recorded.")
    for number, risk in enumerate(case_row.risk_assessments, start=1):
        visit = f", visit on {long_date(risk.visit_on)}" if risk.visit_on else ""
        document.add_heading(f"Risk assessment {number}{visit}", level=2)
        _field(document, "Address", risk.address)
        _field(document, "Known risks", risk.known_risks)
        for question, answer in sorted((risk.answers or {}).items()):
            _field(document, str(question), str(answer))
        _field(document, "Colleague attending", risk.colleague_attending)
        _field(document, "Means of contact", risk.means_of_contact)
        _field(document, "Call if concerned", risk.call_if_concerned)
        _field(document, "Decision", risk.decision.value if risk.decision else "not yet made")
        _field(document, "Assessed by", risk.assessed_by)
        _field(document, "Approved by", risk.approved_by)


def file_pack_document(
    session: Session, case_row: Case, *, generated_on: dt.date, generated_by: str
) -> bytes:
    """The file pack as a Word document."""
    document = Document()
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(f"Complaint file: {case_row.reference}", level=0)
    document.add_paragraph(
        f"Prepared on {long_date(generated_on)} by {generated_by} for the "
        "stage 2 review. The chronology is taken from the audit trail, "
        "contact attempts, interviews and letters."
    )

    document.add_heading("The case", level=1)
    _table(document, ["", ""], _facts(case_row))

    document.add_heading("Chronology", level=1)
    _table(
        document,
        ["When", "What", "Who"],
        [[e.when_text, e.what, e.who] for e in chronology(session, case_row)],
    )

    _issues(document, case_row)
    _interviews(document, case_row)
    _risk_assessments(document, case_row)

    document.add_heading("Letters", level=1)
    if case_row.letters:
        _table(
            document,
            ["Letter", "Stage", "Outcome", "Made", "Sent", "File"],
            [
                [
                    letter.kind.value,
                    str(letter.stage),
                    letter.outcome.value if letter.outcome else "",
                    long_date(letter.created_at.date()),
                    (
                        long_date(letter.sent_on)
                        + (f" by {letter.sent_method.value}" if letter.sent_method else "")
                    )
                    if letter.sent_on
                    else "not sent",
                    _letter_name(letter, index) if letter.content else "",
                ]
                for index, letter in enumerate(case_row.letters, start=1)
            ],
        )
    else:
        document.add_paragraph("No letters are recorded.")

    _documents(document, session, case_row)
    _emails(document, session, case_row)

    document.add_heading("Contacts", level=1)
    if case_row.contact_attempts:
        _table(
            document,
            ["When", "Method", "Answered", "Result", "By"],
            [
                [
                    Entry(_when(a.at), False, "", "", "contact").when_text,
                    a.method.value,
                    "yes" if a.answered else "no",
                    a.result,
                    a.made_by,
                ]
                for a in case_row.contact_attempts
            ],
        )
    else:
        document.add_paragraph("No contact attempts are recorded.")

    document.add_heading("Extensions and suspensions", level=1)
    if not case_row.extensions and not case_row.suspensions:
        document.add_paragraph("None.")
    for extension in case_row.extensions:
        told = (
            f"; complainant told {long_date(extension.complainant_told)}"
            + (f" by {extension.told_method.value}" if extension.told_method else "")
            if extension.complainant_told
            else ""
        )
        document.add_paragraph(
            f"Stage {extension.stage} extended to "
            f"{long_date(extension.new_date)}: {extension.reason}{told}",
            style="List Bullet",
        )
    for suspension in case_row.suspensions:
        until = f" to {long_date(suspension.end)}" if suspension.end else " (still suspended)"
        document.add_paragraph(
            f"Suspended from {long_date(suspension.start)}{until}: {suspension.reason}",
            style="List Bullet",
        )

    document.add_heading("Allocations", level=1)
    if case_row.allocations:
        _table(
            document,
            ["When", "Stage", "To", "From", "By", "Reason"],
            [
                [
                    Entry(_when(a.allocated_at), False, "", "", "audit").when_text,
                    str(a.stage),
                    _name(a.officer),
                    _name(a.previous_officer),
                    _name(a.allocated_by),
                    a.reason,
                ]
                for a in case_row.allocations
            ],
        )
    else:
        document.add_paragraph("No allocations are recorded.")

    document.add_heading("Ombudsman", level=1)
    if not case_row.ombudsman_cases:
        document.add_paragraph("No Ombudsman involvement is recorded.")
    for involvement in case_row.ombudsman_cases:
        body = {
            "lgsco": "Local Government and Social Care Ombudsman",
            "housing-ombudsman": "Housing Ombudsman",
        }[involvement.body.value]
        document.add_heading(f"{body} {involvement.reference}".strip(), level=2)
        _field(document, "Enquiry", long_date(involvement.enquiry_on))
        _field(
            document,
            "Decision",
            (f"{involvement.decision} ({long_date(involvement.decision_on)})")
            if involvement.decision
            else "",
        )
        _field(document, "Remedy agreed", involvement.remedy_agreed)
        _field(document, "Remedy due", long_date(involvement.remedy_due))
        _field(document, "Complied", long_date(involvement.complied_on))

    buffer = io.BytesIO()
    document.core_properties.title = f"Complaint file {case_row.reference}"
    document.core_properties.author = generated_by
    fixed = dt.datetime(generated_on.year, generated_on.month, generated_on.day)
    document.core_properties.created = fixed
    document.core_properties.modified = fixed
    document.save(buffer)
    return _fixed_times(buffer.getvalue())


def _fixed_times(package: bytes) -> bytes:
    """The same Word document with every part stamped with one fixed time: python-docx stamps
    them with the clock, so two saves a second apart would differ."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            _add(target, item.filename, source.read(item.filename))
    return out.getvalue()


# -- the zip ----------------------------------------------------------------------------------


def _case_documents(
    session: Session, case_id: int, *, with_content: bool = False
) -> list[CaseDocument]:
    """The case's documents still on file (not removed), oldest first."""
    query = select(CaseDocument).where(
        CaseDocument.case_id == case_id, CaseDocument.removed_at.is_(None)
    )
    if with_content:
        query = query.options(undefer(CaseDocument.content))
    return list(session.scalars(query.order_by(CaseDocument.added_at, CaseDocument.id)))


def _document_name(doc: CaseDocument, index: int) -> str:
    return f"documents/{index:02d}-{_safe(doc.filename)}"


def _documents(document: DocxDocument, session: Session, case_row: Case) -> None:
    document.add_heading("Documents", level=1)
    docs = _case_documents(session, case_row.id)
    if not docs:
        document.add_paragraph("No documents are attached.")
        return
    _table(
        document,
        ["Document", "Added", "By", "Size", "SHA-256", "File"],
        [
            [
                doc.filename,
                long_date(doc.added_at.date()),
                doc.added_by,
                f"{doc.size:,} bytes",
                doc.sha256[:16],
                _document_name(doc, index),
            ]
            for index, doc in enumerate(docs, start=1)
        ],
    )


def _emails(document: DocxDocument, session: Session, case_row: Case) -> None:
    """Each email received on the case, with its text, and the documents that came with it."""
    from caseworker.services.evidence.mail import correspondence_rows
    from caseworker.storage.models import Correspondence

    document.add_heading("Emails received", level=1)
    emails = correspondence_rows(session, case_row.id)
    if not emails:
        document.add_paragraph("No emails are recorded.")
        return
    for email in emails:
        sent = long_date(email.sent_at.date()) if email.sent_at else "date not given"
        document.add_heading(f"{email.subject or '(no subject)'}, {sent}", level=2)
        _field(document, "From", email.sender)
        _field(document, "To", email.recipients)
        _field(document, "Attachments", ", ".join(email.attachments) or "none")
        _field(document, "Imported from", f"{email.source_filename} by {email.added_by}")
        body = session.get(Correspondence, email.id)
        document.add_paragraph(body.body if body is not None else "")


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "file"


def _letter_name(letter: Letter, index: int) -> str:
    stem = letter.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1] if letter.filename else ""
    stem = _safe(stem.removesuffix(".docx")) if stem else f"{letter.kind.value}-stage{letter.stage}"
    return f"letters/{index:02d}-{stem}.docx"


def _audit_csv(session: Session, case_id: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["at", "actor", "entity", "entity_id", "action", "field", "old_value", "new_value"]
    )
    for e in session.execute(
        select(AuditEvent).where(AuditEvent.case_id == case_id).order_by(AuditEvent.id)
    ).scalars():
        writer.writerow(
            [
                e.at.isoformat(),
                e.actor,
                e.entity,
                e.entity_id,
                e.action,
                e.field,
                e.old_value,
                e.new_value,
            ]
        )
    return out.getvalue()


def _add(archive: zipfile.ZipFile, name: str, data: bytes | str) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


@dataclass(frozen=True, slots=True)
class FilePack:
    reference: str
    document: bytes
    """The Word document."""
    archive: bytes
    """The zip: the document, every stored letter, the case as JSON, the audit trail as CSV."""

    @property
    def document_name(self) -> str:
        return f"{self.reference}-file.docx"

    @property
    def archive_name(self) -> str:
        return f"{self.reference}-file.zip"


@dataclass(frozen=True, slots=True)
class ExportedPack:
    """Where :func:`export_file_pack` wrote the file."""

    document: Path
    archive: Path


def build_file_pack(ctx: Context, case_id: int) -> FilePack:
    """The file pack of a case, for a complaints manager (or the service's line manager), dated
    the context's today."""
    with ctx.unit() as uow:
        officer, case_row, _ = authorise_step(uow, case_id, Step.EXPORT_FILE)
        session = uow.session
        document = file_pack_document(
            session, case_row, generated_on=ctx.today(), generated_by=officer.name
        )
        letters = (
            session.execute(
                select(Letter)
                .where(Letter.case_id == case_row.id)
                .options(undefer(Letter.content))
                .order_by(Letter.id)
            )
            .scalars()
            .all()
        )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            _add(archive, f"{case_row.reference}-file.docx", document)
            for index, letter in enumerate(letters, start=1):
                if letter.content:
                    _add(archive, _letter_name(letter, index), letter.content)
            for index, doc in enumerate(
                _case_documents(session, case_row.id, with_content=True), start=1
            ):
                _add(archive, _document_name(doc, index), doc.content)
            _add(
                archive,
                f"{case_row.reference}.json",
                dumps(case_to_dict(case_row)),
            )
            _add(archive, "audit-trail.csv", _audit_csv(session, case_row.id))
        return FilePack(case_row.reference, document, buffer.getvalue())


def export_file_pack(ctx: Context, case_id: int, folder: Path) -> ExportedPack:
    """Write the file pack into ``folder``: the Word document and the zip of the originals."""
    pack = build_file_pack(ctx, case_id)
    folder.mkdir(parents=True, exist_ok=True)
    document, archive = folder / pack.document_name, folder / pack.archive_name
    try:
        document.write_bytes(pack.document)
        archive.write_bytes(pack.archive)
    except OSError as error:
        raise UserError(
            f"the file could not be written to {folder}: {error.strerror or error}"
        ) from error
    return ExportedPack(document, archive)
