"""Sending a saved letter by email: to the letter's own addressee (the complainant, their
consented representative, or the councillor or MP), with the letter attached as PDF and as Word
and the case reference in the subject.

Two ways, one function (:func:`email_letter`):

* **a draft** (``.eml``, marked unsent) that opens in the officer's mail client, to check and
  send from there: kept on the case as correspondence marked ``draft``; nothing is recorded as
  sent, since Caseworker cannot know it was;
* **sent** through the council's mail server, when ``mail.toml`` in the data folder names one
  (:func:`mail_settings`): the message is kept on the case as outgoing correspondence with the
  PDF as its attachment, the letter is marked sent by email that day, and a stage response
  (an outcome or decision letter) not yet recorded is recorded as sent by email, in the same
  transaction. If the server refuses the message nothing is recorded.

``mail.toml``::

    [smtp]
    host = "smtp.council.example"
    port = 587
    security = "starttls"        # "starttls", "ssl" or "none"
    username = "complaints"      # optional
    password_env = "CASEWORKER_SMTP_PASSWORD"   # the password is read from this variable
    from = "Complaints Team <complaints@council.example>"

Sending is working on the case (:func:`caseworker.services.letters.letter_action`): whoever may
keep the letter may send it. Why a letter cannot go by email (no email address for its
addressee, a representative without consent) is :func:`why_not_email`, which the app also uses to
enable the control and say why not.
"""

from __future__ import annotations

import datetime as dt
import os
import smtplib
import ssl
import tempfile
import tomllib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from typing import Any

from sqlalchemy import select

from caseworker.domain.enums import LetterKind, SendMethod
from caseworker.errors import UserError
from caseworker.letters.pdf import convert_to_pdf
from caseworker.letters.sending import mark_sent_reason
from caseworker.services.cases.lifecycle import _record_response_sent
from caseworker.services.context import Context
from caseworker.services.evidence.documents import add_document
from caseworker.services.letters import KIND_LABELS, letter_action
from caseworker.services.permissions import Action, authorise, policy_of
from caseworker.storage.location import data_dir
from caseworker.storage.models import Case, Correspondence, Letter, utcnow

SETTINGS_FILE = "mail.toml"
RESPONSES = (LetterKind.OUTCOME, LetterKind.DECISION)
"""Letters that are the stage's response."""
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    sender: str
    security: str = "starttls"
    username: str = ""
    password_env: str = ""


@dataclass(frozen=True)
class EmailedLetter:
    sent: bool
    """True when it went through the mail server; False for a draft."""
    to: str
    subject: str
    draft: Path | None
    """The .eml written (a draft)."""
    correspondence_id: int


def mail_settings(path: Path | None = None) -> MailSettings | None:
    """The council's mail server from ``mail.toml`` in the data folder; ``None`` without one.
    A file that is there but wrong is refused, saying what and where."""
    path = path or data_dir() / SETTINGS_FILE
    if not path.exists():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise UserError(f"{path}: not a valid settings file ({error})") from None
    smtp: dict[str, Any] = data.get("smtp", {})
    for key in ("host", "from"):
        if not str(smtp.get(key, "")).strip():
            raise UserError(f"{path}: [smtp] {key} is missing")
    security = str(smtp.get("security", "starttls"))
    if security not in ("starttls", "ssl", "none"):
        raise UserError(f"{path}: [smtp] security must be starttls, ssl or none, not {security!r}")
    try:
        port = int(smtp.get("port", 465 if security == "ssl" else 587))
    except (TypeError, ValueError):
        raise UserError(f"{path}: [smtp] port must be a number") from None
    return MailSettings(
        host=str(smtp["host"]).strip(),
        port=port,
        sender=str(smtp["from"]).strip(),
        security=security,
        username=str(smtp.get("username", "")),
        password_env=str(smtp.get("password_env", "")),
    )


def addressee_of(letter: Letter) -> tuple[str, str, str]:
    """(who, name, email) the letter is addressed to, as the letter itself says."""
    addressee = (letter.draft or {}).get("addressee", {})
    return (
        str(addressee.get("recipient", "complainant")),
        str(addressee.get("name", "")),
        str(addressee.get("email", "")).strip(),
    )


def why_not_email(letter: Letter, case: Case) -> str | None:
    """Why this letter cannot go by email, in a sentence; ``None`` when it can."""
    if letter.content is None:
        return "the letter has no document to send"
    who, name, email = addressee_of(letter)
    if who == "representative" and (
        case.representative is None or case.representative.consent_received is None
    ):
        return f"{name} has not given the complainant's consent to act for them"
    if not email:
        if who == "referrer":
            return (
                f"no email address is held for {name or 'the councillor or MP'}: the reply to a "
                "member goes by post"
            )
        return f"no email address is held for {name or 'the addressee'}: add it to the case"
    if "@" not in parseaddr(email)[1]:
        return f"'{email}' is not an email address: correct it on the case"
    return None


def last_saved_letter(ctx: Context, case_id: int, kind: LetterKind | None = None) -> int:
    """The id of the case's most recently saved letter (of ``kind``), for whoever may see it."""
    with ctx.unit() as uow:
        _, case = authorise(uow, case_id, Action.VIEW)
        query = select(Letter.id).where(Letter.case_id == case_id, Letter.content.is_not(None))
        if kind is not None:
            query = query.where(Letter.kind == kind)
        found = uow.session.scalar(query.order_by(Letter.id.desc()).limit(1))
        if found is None:
            what = f"{KIND_LABELS[kind].lower()} letter" if kind else "letter"
            raise UserError(f"{case.reference} has no saved {what}: save it first")
        return found


def why_not_email_letter(ctx: Context, letter_id: int) -> str | None:
    """Why the saved letter cannot be emailed by the person at the keyboard (the app disables
    its Email button and says this); ``None`` when it can."""
    try:
        with ctx.unit() as uow:
            letter = uow.session.get(Letter, letter_id)
            if letter is None:
                return f"there is no saved letter with id {letter_id}"
            _, case = authorise(uow, letter.case_id, letter_action(letter.kind))
            return why_not_email(letter, case)
    except UserError as refused:
        return str(refused).removeprefix("Refused: ")


def drafts_folder() -> Path:
    """Where the app writes email drafts to open in the mail client."""
    return data_dir() / "outbox"


def email_letter(
    ctx: Context,
    letter_id: int,
    *,
    draft_to: Path | None = None,
    settings: MailSettings | None = None,
    despite: str = "",
) -> EmailedLetter:
    """Email a saved letter: as a draft ``.eml`` written to ``draft_to`` (a folder or a file),
    or, when ``draft_to`` is not given, through the mail server of ``settings`` (default:
    ``mail.toml``). Nothing goes anywhere for a letter :func:`why_not_email` refuses, nor for
    one whose checks fail without the officer's reason (``despite``, or the reason it was kept
    for: :func:`caseworker.letters.sending.mark_sent_reason`), kept with the letter."""
    if draft_to is None and settings is None:
        settings = mail_settings()
        if settings is None:
            raise UserError(
                f"no mail server is set up ({data_dir() / SETTINGS_FILE}): save the email as a "
                "draft to send from your mail client instead"
            )
    with ctx.unit() as uow:
        letter = uow.session.get(Letter, letter_id)
        if letter is None:
            raise UserError(f"there is no saved letter with id {letter_id}")
        _, case = authorise(uow, letter.case_id, letter_action(letter.kind))
        refusal = why_not_email(letter, case)
        if refusal is not None:
            raise UserError(f"{case.reference}: {refusal[0].upper()}{refusal[1:]}")
        letter.sent_despite = mark_sent_reason(letter, case, policy_of(case), despite)
        assert letter.content is not None
        _, name, email = addressee_of(letter)
        sender = settings.sender if settings is not None else ""
        message = _message(case, letter, name, email, sender)
        pdf_name, pdf = _attach(message, letter)
        now = utcnow()
        if draft_to is not None:
            message["X-Unsent"] = "1"  # Outlook and others open it as a draft to send
            path = _draft_path(draft_to, case.reference, letter)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(bytes(message))
            kept = _keep(uow, case, message, "draft", now)
            uow.commit()
            return EmailedLetter(False, email, str(message["Subject"]), path, kept.id)
        assert settings is not None
        _send(settings, message)
        kept = _keep(uow, case, message, "out", now)
        add_document(
            uow.session,
            case.id,
            pdf_name,
            pdf,
            media_type="application/pdf",
            correspondence_id=kept.id,
        )
        sent_on = ctx.today()
        letter.sent_on = sent_on
        letter.sent_method = SendMethod.EMAIL
        if letter.kind in RESPONSES and letter.stage == case.stage and case.response_sent is None:
            _record_response_sent(
                uow,
                case.id,
                sent_on=sent_on,
                method=SendMethod.EMAIL,
                outcome=letter.outcome,
                despite=letter.sent_despite,
            )
        uow.commit()
        return EmailedLetter(True, email, str(message["Subject"]), None, kept.id)


def _message(case: Case, letter: Letter, name: str, email: str, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"{case.reference}: {KIND_LABELS.get(letter.kind, 'Letter')}"
    if sender:
        message["From"] = sender
    message["To"] = f"{name} <{email}>" if name else email
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=(parseaddr(sender)[1].split("@")[-1] or None))
    message.set_content(
        f"Dear {name or 'Sir or Madam'},\n\n"
        f"Please find attached our letter about your complaint, reference {case.reference}, as "
        "a PDF and as a Word document.\n\n"
        f"Please quote {case.reference} in any reply.\n"
    )
    return message


def _attach(message: EmailMessage, letter: Letter) -> tuple[str, bytes]:
    assert letter.content is not None
    docx_name = Path(letter.filename or f"letter-{letter.id}.docx").name
    with tempfile.TemporaryDirectory(prefix="caseworker-mail-") as work:
        docx = Path(work) / docx_name
        docx.write_bytes(letter.content)
        pdf_path = convert_to_pdf(docx, Path(work))
        pdf = pdf_path.read_bytes()
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=pdf_path.name)
    main, sub = DOCX.split("/")
    message.add_attachment(letter.content, maintype=main, subtype=sub, filename=docx_name)
    return pdf_path.name, pdf


def _draft_path(target: Path, reference: str, letter: Letter) -> Path:
    if target.suffix.lower() == ".eml":
        return target
    return target / f"{reference}-{letter.kind.value}-{letter.id}.eml"


def _send(settings: MailSettings, message: EmailMessage) -> None:
    password = os.environ.get(settings.password_env, "") if settings.password_env else ""
    try:
        if settings.security == "ssl":
            server: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=30, context=ssl.create_default_context()
            )
        else:
            server = smtplib.SMTP(settings.host, settings.port, timeout=30)
        with server:
            if settings.security == "starttls":
                server.starttls(context=ssl.create_default_context())
            if settings.username:
                server.login(settings.username, password)
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise UserError(
            f"the mail server {settings.host}:{settings.port} did not take the message "
            f"({error}); nothing was recorded as sent"
        ) from None


def _keep(
    uow: Any, case: Case, message: EmailMessage, direction: str, now: dt.datetime
) -> Correspondence:
    body = message.get_body(("plain",))
    kept = Correspondence(
        case_id=case.id,
        direction=direction,
        sender=str(message.get("From", "")),
        recipients=str(message["To"]),
        subject=str(message["Subject"]),
        sent_at=now,
        body=body.get_content() if body is not None else "",  # type: ignore[attr-defined]
        source_filename="",
        added_by=uow.actor,
        added_at=now,
    )
    uow.session.add(kept)
    uow.session.flush()
    return kept


__all__ = [
    "EmailedLetter",
    "MailSettings",
    "addressee_of",
    "email_letter",
    "last_saved_letter",
    "mail_settings",
    "drafts_folder",
    "why_not_email",
    "why_not_email_letter",
]
