"""Sending a saved letter by email: a draft .eml for the officer's mail client, or through a mail
server (a local one the test starts, tests/smtpd.py), to the letter's own addressee, PDF and Word
attached, the reference in the subject; the case records the response sent by email and keeps
the message; a refused or failed send records nothing."""

from __future__ import annotations

import datetime as dt
import email
from email import policy as email_policy
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from caseworker.domain.enums import CaseStatus, Finding, Outcome, SendMethod
from caseworker.errors import UserError
from caseworker.letters.examples import base_case, bin_issues
from caseworker.letters.pdf import find_soffice
from caseworker.letters.render import document_text
from caseworker.services import letters
from caseworker.services.evidence.outbox import (
    MailSettings,
    email_letter,
    last_saved_letter,
    mail_settings,
)
from caseworker.storage.models import Case, Correspondence, Document, Letter, Representative
from tests.smtpd import SmtpServer

pytestmark = pytest.mark.skipif(
    find_soffice() is None,
    reason="LibreOffice (soffice) is not installed: the letter goes as PDF too (CI installs it)",
)
DAY = dt.date(2026, 3, 27)


def _saved_letter(app: Any, **values: Any) -> tuple[int, int]:
    case = base_case(outcome=Outcome.UPHELD, **values)
    case.issues = bin_issues(Finding.UPHELD, Finding.UPHELD)
    with app.uow() as uow:
        uow.session.add(case)
        uow.commit()
        case_id = case.id
    # A letter whose checks fail (one with no officer to sign it) is kept only with a reason.
    saved = letters.save_letter(
        app.context(today=lambda: DAY), case_id, despite="kept to test emailing it"
    )
    return case_id, saved.id


def _parsed(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=email_policy.default)  # type: ignore[return-value]


def _attachments(message: email.message.EmailMessage) -> dict[str, bytes]:
    return {str(part.get_filename()): part.get_content() for part in message.iter_attachments()}


def test_sent_through_the_mail_server_and_recorded(app: Any) -> None:
    case_id, letter_id = _saved_letter(app)
    ctx = app.context(today=lambda: DAY)
    with SmtpServer() as server:
        settings = MailSettings(
            "127.0.0.1", server.port, "Complaints <complaints@council.example>", security="none"
        )
        done = email_letter(ctx, letter_id, settings=settings)
    assert done.sent and done.to == "asha.patel@example.com"
    [received] = server.mailbox.messages
    assert received.recipients == ["asha.patel@example.com"]
    message = _parsed(received.data)
    assert message["Subject"] == "CW-2026-00042: Outcome (stage 1 response)"
    assert message["To"] == "Mrs Asha Patel <asha.patel@example.com>"
    files = _attachments(message)
    pdf = next(name for name in files if name.endswith(".pdf"))
    docx = next(name for name in files if name.endswith(".docx"))
    assert files[pdf].startswith(b"%PDF")
    assert "Our reference: CW-2026-00042" in document_text(files[docx])
    with app.uow() as uow:
        case = uow.session.get(Case, case_id)
        assert case is not None
        assert (case.response_sent, case.response_method, case.status) == (
            DAY,
            SendMethod.EMAIL,
            CaseStatus.RESPONDED,
        )
        letter = uow.session.get(Letter, letter_id)
        assert letter is not None and (letter.sent_on, letter.sent_method) == (
            DAY,
            SendMethod.EMAIL,
        )
        kept = uow.session.scalars(select(Correspondence)).one()
        assert (kept.direction, kept.subject, kept.recipients) == (
            "out",
            message["Subject"],
            "Mrs Asha Patel <asha.patel@example.com>",
        )
        attached = uow.session.scalars(
            select(Document).where(Document.correspondence_id == kept.id)
        ).one()
        assert attached.filename == pdf and attached.content == files[pdf]


def test_a_draft_opens_in_the_mail_client_and_records_no_sending(app: Any, tmp_path: Path) -> None:
    case_id, letter_id = _saved_letter(app)
    done = email_letter(app.context(today=lambda: DAY), letter_id, draft_to=tmp_path)
    assert not done.sent and done.draft is not None and done.draft.parent == tmp_path
    message = _parsed(done.draft.read_bytes())
    assert message["X-Unsent"] == "1"
    assert message["Subject"].startswith("CW-2026-00042: ")
    assert {Path(n).suffix for n in _attachments(message)} == {".pdf", ".docx"}
    with app.uow() as uow:
        case = uow.session.get(Case, case_id)
        assert case is not None and case.response_sent is None
        assert uow.session.scalars(select(Correspondence.direction)).all() == ["draft"]


def test_the_representative_with_consent_is_the_addressee(app: Any, tmp_path: Path) -> None:
    _, letter_id = _saved_letter(
        app,
        representative=Representative(
            name="Mr Ravi Patel",
            email="ravi@example.com",
            consent_received=dt.date(2026, 3, 3),
        ),
    )
    done = email_letter(app.context(today=lambda: DAY), letter_id, draft_to=tmp_path / "r.eml")
    assert done.to == "ravi@example.com" and done.draft == tmp_path / "r.eml"
    assert _parsed(done.draft.read_bytes())["To"] == "Mr Ravi Patel <ravi@example.com>"


def test_no_email_address_or_a_refusing_server_sends_and_records_nothing(
    app: Any, tmp_path: Path
) -> None:
    case_id, letter_id = _saved_letter(app)
    with app.uow() as uow:
        case = uow.session.get(Case, case_id)
        assert case is not None and case.complainant is not None
        case.complainant.email = ""
        letter = uow.session.get(Letter, letter_id)
        assert letter is not None
        letter.draft = {
            **(letter.draft or {}),
            "addressee": {**(letter.draft or {})["addressee"], "email": ""},
        }
        uow.commit()
    ctx = app.context(today=lambda: DAY)
    with pytest.raises(
        UserError, match="No email address is held for Mrs Asha Patel: add it to the case"
    ):
        email_letter(ctx, letter_id, draft_to=tmp_path / "drafts")
    assert not (tmp_path / "drafts").exists()

    _, second = _saved_letter(app, reference="CW-2026-00043", officer=None)
    with SmtpServer() as server:
        server.mailbox.refuse = True
        settings = MailSettings("127.0.0.1", server.port, "c@council.example", security="none")
        with pytest.raises(UserError, match="did not take the message .*nothing was recorded"):
            email_letter(ctx, second, settings=settings)
    with app.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Correspondence)) == 0
        assert (
            uow.session.scalars(
                select(Case.response_sent).where(Case.reference == "CW-2026-00043")
            ).one()
            is None
        )


def test_the_command_sends_through_mail_toml(
    app: Any,
    isolated_home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from caseworker.cli.main import main

    case_id, _ = _saved_letter(app)
    monkeypatch.setattr("caseworker.bootstrap.current_login", lambda: "tester")
    isolated_home.mkdir(parents=True, exist_ok=True)
    with SmtpServer() as server:
        (isolated_home / "mail.toml").write_text(
            f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "none"\n'
            'from = "complaints@council.example"\n'
        )
        assert mail_settings() == MailSettings(
            "127.0.0.1", server.port, "complaints@council.example", "none"
        )
        assert main(["--db", app.url, "email-letter", "CW-2026-00042", "--kind", "outcome"]) == 0
    assert "sent 'CW-2026-00042: Outcome (stage 1 response)' to asha.patel@example.com" in (
        capsys.readouterr().out
    )
    assert len(server.mailbox.messages) == 1
    assert last_saved_letter(app.context(), case_id) > 0
    (isolated_home / "mail.toml").write_text('[smtp]\nhost = "x"\n')
    assert main(["--db", app.url, "email-letter", "CW-2026-00042"]) == 2
    assert "[smtp] from is missing" in capsys.readouterr().err
