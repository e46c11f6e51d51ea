"""Email in: a message saved from Outlook (``.msg``, read with ``extract-msg``) or from any mail
client (``.eml``, read with the standard library's ``email`` package) becomes a new case (the
complainant, received date and channel read from it, the body as the complaint, the attachments
as documents) or, given an existing case, a piece of correspondence on it with its attachments.

A file that cannot be read as an email raises :class:`~caseworker.errors.UserError` naming the
file and what is wrong, before anything is written.

What a person does is one function each, taking the :class:`~caseworker.services.context.Context`:
:func:`create_case_from_mail` (any officer records a complaint), :func:`attach_mail` and
:func:`attach` (for an officer who may work on the case), :func:`list_correspondence` and
:func:`email_body` (for one who may see it).
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker.domain.enums import Channel
from caseworker.errors import UserError
from caseworker.services.cases.intake import CreatedCase, NewCase, PersonIn, record_case
from caseworker.services.context import Context
from caseworker.services.evidence.documents import add_document, attach_file, media_type_for
from caseworker.services.permissions import Action, authorise
from caseworker.storage.models import Correspondence, Document, utcnow

SUFFIXES = (".eml", ".msg")


def is_mail(path: Path | str) -> bool:
    """Whether the file is an email to record as correspondence (by its name)."""
    return Path(path).suffix.lower() in SUFFIXES


@dataclass(frozen=True)
class Attachment:
    filename: str
    media_type: str
    content: bytes


@dataclass(frozen=True)
class MailIn:
    """What an email says, whatever format it came in."""

    source: str
    sender_name: str
    sender_email: str
    recipients: str
    subject: str
    sent_at: dt.datetime | None
    body: str
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)


def _bad(path: Path, what: str) -> UserError:
    return UserError(f"{path.name} cannot be read as an email: {what}")


def _name_from_address(address: str) -> str:
    local = address.split("@", 1)[0]
    return " ".join(part.capitalize() for part in local.replace("_", ".").split(".") if part)


LATEST_SEND_AHEAD = dt.timedelta(days=2)
"""How far ahead of the real time an email's Date may be (a sender's clock a little fast, time
zones) before it is refused as a date no email was sent on."""
EARLIEST_SEND = dt.datetime(1971, 1, 1, tzinfo=dt.UTC)
"""Before the first email was sent."""


def _sent_on(path: Path, sent_at: dt.datetime, raw: str, now: dt.datetime | None) -> dt.datetime:
    """``sent_at`` if an email can have been sent then: refused (:class:`UserError`) when it is
    after ``now`` (the real time by default) by more than :data:`LATEST_SEND_AHEAD`, before
    1971, or so far off that it cannot be told in UTC (year 9999 west of Greenwich)."""
    now = now or dt.datetime.now(dt.UTC)
    try:
        utc = sent_at.astimezone(dt.UTC) if sent_at.tzinfo else sent_at.replace(tzinfo=dt.UTC)
    except OverflowError:
        utc = None
    if utc is None or utc > now + LATEST_SEND_AHEAD:
        raise _bad(path, f"its Date header ({raw!r}) is in the future: no email was sent then")
    if utc < EARLIEST_SEND:
        raise _bad(path, f"its Date header ({raw!r}) is before email was invented")
    return sent_at


def _read_eml(path: Path, data: bytes, now: dt.datetime | None = None) -> MailIn:
    if not data.strip():
        raise _bad(path, "the file is empty")
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not message.keys():
        raise _bad(path, "it has no mail headers (From, Date, Subject)")
    try:
        sender = message["From"]
    except Exception as exc:  # noqa: BLE001  (a header the parser cannot make sense of)
        raise _bad(path, f"its From header is malformed ({exc})") from exc
    if sender is None:
        raise _bad(path, "it has no From header")
    name, address = email.utils.parseaddr(str(sender))
    if "@" not in address:
        raise _bad(path, f"its From header has no email address ({str(sender)!r})")
    sent_at = None
    if message["Date"] is not None:
        try:
            sent_at = message["Date"].datetime
        except Exception as exc:  # noqa: BLE001
            raw = message.get("Date", "")
            raise _bad(path, f"its Date header is not a date ({raw!r})") from exc
        if sent_at is None:
            raise _bad(path, f"its Date header is not a date ({str(message['Date'])!r})")
        sent_at = _sent_on(path, sent_at, str(message["Date"]), now)
    body_part = message.get_body(preferencelist=("plain", "html"))
    body = ""
    if body_part is not None:
        try:
            body = body_part.get_content()
        except LookupError:  # a charset Python has no codec for
            charset = body_part.get_content_charset() or ""
            raise _bad(
                path, f"its text is in a character set Caseworker does not know ({charset!r})"
            ) from None
        if body_part.get_content_type() == "text/html":
            body = _strip_html(body)
    attachments: list[Attachment] = []
    for part in message.iter_attachments():
        filename = part.get_filename() or f"attachment-{len(attachments) + 1}"
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):  # an attached message: keep it as an .eml
            payload = part.as_bytes()
        attachments.append(Attachment(filename, part.get_content_type(), payload))
    recipients = ", ".join(str(v) for k in ("To", "Cc") for v in [message[k]] if v is not None)
    return MailIn(
        path.name,
        name.strip() or _name_from_address(address),
        address.strip(),
        recipients,
        str(message["Subject"] or "").strip(),
        sent_at,
        body.strip(),
        tuple(attachments),
    )


def _strip_html(html: str) -> str:
    from html.parser import HTMLParser

    chunks: list[str] = []

    class _Text(HTMLParser):
        def handle_data(self, data: str) -> None:
            chunks.append(data)

    _Text().feed(html)
    return " ".join(" ".join(chunks).split())


def _text(value: object) -> str:
    """A string property as text, without the terminating NULs some writers leave in."""
    return str(value or "").replace("\x00", "").strip()


def _read_msg(path: Path, now: dt.datetime | None = None) -> MailIn:
    try:
        import extract_msg
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise UserError(f"{path.name}: reading Outlook .msg files needs extract-msg") from exc
    try:
        message: Any = extract_msg.openMsg(str(path))
    except Exception as exc:  # noqa: BLE001  (the library raises many kinds for a bad file)
        raise _bad(path, f"it is not an Outlook message ({type(exc).__name__}: {exc})") from exc
    try:
        name, address = email.utils.parseaddr(_text(message.sender))
        if "@" not in address:
            raise _bad(path, f"it has no sender email address ({message.sender!r})")
        sent_at = message.date if isinstance(message.date, dt.datetime) else None
        if sent_at is not None:
            sent_at = _sent_on(path, sent_at, sent_at.isoformat(), now)
        body = _text(message.body)
        attachments: list[Attachment] = []
        for item in message.attachments:
            data = getattr(item, "data", None)
            if not isinstance(data, bytes):
                continue  # an embedded message or an OLE object: not a file
            filename = (
                _text(item.longFilename)
                or _text(item.shortFilename)
                or f"attachment-{len(attachments) + 1}"
            )
            attachments.append(
                Attachment(filename, _text(item.mimetype) or media_type_for(filename), data)
            )
        recipients = _text(message.to)
        subject = _text(message.subject)
    finally:
        message.close()
    return MailIn(
        path.name,
        name.strip() or _name_from_address(address),
        address.strip(),
        recipients,
        subject,
        sent_at,
        body,
        tuple(attachments),
    )


def read_mail(path: Path, *, now: dt.datetime | None = None) -> MailIn:
    """Read a ``.eml`` or ``.msg`` file; raises :class:`UserError` for anything else, and for
    an email that says it was sent after ``now`` (the real time by default; see
    :func:`_sent_on`)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UserError(f"{path.name} is not an email: drop a .eml or .msg file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {path.name}: {exc.strerror or exc}") from exc
    if suffix == ".msg":
        if not data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
            raise _bad(path, "it is not an Outlook message (not an OLE compound file)")
        return _read_msg(path, now)
    return _read_eml(path, data, now)


def draft_from_mail(
    mail: MailIn, *, policy_id: str, today: dt.date, service_area: str = ""
) -> NewCase:
    """The new-case form filled in from an email, for the officer to complete and save."""
    received = mail.sent_at.date() if mail.sent_at is not None else today
    body = mail.body or mail.subject
    return NewCase(
        policy_id=policy_id,
        received=received,
        channel=Channel.EMAIL,
        service_area=service_area,
        summary=mail.subject or (body.splitlines()[0][:200] if body else ""),
        complainant=PersonIn(name=mail.sender_name, email=mail.sender_email),
        issues=(body,) if body else (),
    )


def _record(session: Session, case_id: int, mail: MailIn) -> Correspondence:
    entry = Correspondence(
        case_id=case_id,
        direction="in",
        sender=(
            f"{mail.sender_name} <{mail.sender_email}>" if mail.sender_name else mail.sender_email
        ),
        recipients=mail.recipients,
        subject=mail.subject,
        sent_at=mail.sent_at,
        body=mail.body,
        source_filename=mail.source,
        added_by=str(session.info.get("actor") or ""),
        added_at=utcnow(),
    )
    session.add(entry)
    session.flush()
    for item in mail.attachments:
        add_document(
            session,
            case_id,
            item.filename,
            item.content,
            media_type=item.media_type,
            correspondence_id=entry.id,
        )
    return entry


def create_case_from_mail(ctx: Context, mail: MailIn, draft: NewCase) -> CreatedCase:
    """Record the officer's completed form (``draft``, begun by :func:`draft_from_mail`) as a
    new case, the email as its first correspondence and its attachments as documents, all in
    one commit. Triage's refusals, and a login that is no active officer's, raise before
    anything is written."""
    new = draft if draft.channel else replace(draft, channel=Channel.EMAIL)
    with ctx.unit() as uow:  # anything raised leaves nothing written
        created = record_case(uow, new, today=ctx.today(), policy_lookup=ctx.policy)
        _record(uow.session, created.id, mail)
        uow.commit()
    return created


def attach_mail(ctx: Context, case_id: int, path: Path | str) -> int:
    """Record the email in ``path`` (.eml or .msg) as correspondence on a case the officer may
    work on, its attachments as documents; the correspondence id. A file that is not a readable
    email is refused before anything is written."""
    return _attach_message(ctx, case_id, read_mail(Path(path)))


def _attach_message(ctx: Context, case_id: int, mail: MailIn) -> int:
    with ctx.unit() as uow:
        authorise(uow, case_id, Action.WORK)
        entry = _record(uow.session, case_id, mail)
        uow.commit()
        return entry.id


def attach(ctx: Context, case_id: int, path: Path | str, *, issue_id: int | None = None) -> str:
    """Attach whatever was dropped on the case or chosen: an email becomes correspondence on the
    case (with its attachments), any other file a document of the case or of the issue. What
    was attached, in words ("sign.jpg", "the email reply.eml with 2 attachments")."""
    path = Path(path)
    if not is_mail(path):
        attach_file(ctx, case_id, path, issue_id=issue_id)
        return path.name
    message = read_mail(path)
    _attach_message(ctx, case_id, message)
    count = len(message.attachments)
    return f"the email {path.name} with {count} attachment{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class CorrespondenceRow:
    """An email on the case as the case lists it (without its body)."""

    id: int
    case_id: int
    sender: str
    recipients: str
    subject: str
    sent_at: dt.datetime | None
    source_filename: str
    added_by: str
    added_at: dt.datetime
    attachments: tuple[str, ...]
    """The file names of the documents that came with it."""


def list_correspondence(ctx: Context, case_id: int) -> list[CorrespondenceRow]:
    """The emails recorded on a case the officer may see, oldest first."""
    with ctx.unit() as uow:
        authorise(uow, case_id, Action.VIEW)
        return correspondence_rows(uow.session, case_id)


def correspondence_rows(session: Session, case_id: int) -> list[CorrespondenceRow]:
    """The emails recorded on the case, oldest first (two queries; no document's bytes), inside
    a unit of work that has authorised reading them (the case file pack's)."""
    entries = session.scalars(
        select(Correspondence)
        .where(Correspondence.case_id == case_id)
        .order_by(Correspondence.added_at, Correspondence.id)
    ).all()
    names: dict[int, list[str]] = {}
    for correspondence_id, filename in session.execute(
        select(Document.correspondence_id, Document.filename)
        .where(Document.case_id == case_id, Document.correspondence_id.is_not(None))
        .order_by(Document.id)
    ):
        if correspondence_id is not None:
            names.setdefault(correspondence_id, []).append(filename)
    return [
        CorrespondenceRow(
            e.id,
            e.case_id,
            e.sender,
            e.recipients,
            e.subject,
            e.sent_at,
            e.source_filename,
            e.added_by,
            e.added_at,
            tuple(names.get(e.id, ())),
        )
        for e in entries
    ]


def email_body(ctx: Context, correspondence_id: int) -> str:
    """The text of an email recorded on a case the officer may see."""
    with ctx.unit() as uow:
        entry = uow.session.get(Correspondence, correspondence_id)
        if entry is None:
            raise UserError(f"there is no email with id {correspondence_id}")
        authorise(uow, entry.case_id, Action.VIEW)
        return entry.body
