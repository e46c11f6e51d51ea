"""A letter whose checks fail is not marked sent (Response sent, or emailed) without the
officer's reason: refused with nothing changed, then sent with the reason kept on the letter and
in the audit trail. A letter kept with a reason goes out on it while nothing new fails."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from caseworker.domain.enums import Finding, Outcome, SendMethod
from caseworker.domain.refusals import LetterChecksFail
from caseworker.letters.examples import base_case, bin_issues
from caseworker.letters.pdf import find_soffice
from caseworker.services import letters
from caseworker.services.cases import lifecycle
from caseworker.services.evidence.outbox import email_letter
from caseworker.storage.models import AuditEvent, Case, Issue, Letter

DAY = dt.date(2026, 3, 27)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """The test database on SQLite (the app writes the trail) and on PostgreSQL (the database
    does): the reason is audited on both."""
    from caseworker.bootstrap import open_app

    url = (
        f"sqlite:///{tmp_path / 'test.sqlite'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    opened = open_app(url, actor="tester")
    yield opened
    opened.close()


KEPT = "kept: the subject is clear from the letter"


def _case_with_letter(app: Any) -> tuple[int, int]:
    case = base_case(outcome=Outcome.UPHELD, complaint_subject="")  # a gap: no subject
    case.issues = bin_issues(Finding.UPHELD, Finding.UPHELD)
    with app.uow() as uow:
        uow.session.add(case)
        uow.commit()
        case_id = case.id
    saved = letters.save_letter(app.context(today=lambda: DAY), case_id, despite=KEPT)
    assert saved.letter is not None and saved.letter.gaps
    return case_id, saved.id


def _new_gap(app: Any, case_id: int) -> None:
    """An internal action with no wording for the complainant: a gap the letter lacked when
    it was kept."""
    with app.uow() as uow:
        issue = uow.session.scalars(select(Issue).where(Issue.case_id == case_id)).first()
        assert issue is not None
        issue.action, issue.action_public, issue.action_completed = "Ring fleet", "", None
        uow.commit()


def _state(app: Any, case_id: int, letter_id: int) -> tuple[Any, ...]:
    with app.uow() as uow:
        case = uow.session.get(Case, case_id)
        letter = uow.session.get(Letter, letter_id)
        assert case is not None and letter is not None
        return (case.response_sent, case.status, letter.sent_on, letter.sent_despite)


def test_response_sent_with_a_failing_letter_needs_a_reason(app: Any) -> None:
    case_id, letter_id = _case_with_letter(app)
    _new_gap(app, case_id)
    ctx = app.context(today=lambda: DAY)
    before = _state(app, case_id, letter_id)
    with pytest.raises(LetterChecksFail) as refused:
        lifecycle.record_response_sent(ctx, case_id, sent_on=DAY, method=SendMethod.EMAIL)
    assert "record why the letter is sent as it is" in str(refused.value)
    assert any("no wording for the complainant" in gap for gap in refused.value.gaps)
    assert _state(app, case_id, letter_id) == before  # nothing changed
    lifecycle.record_response_sent(
        ctx, case_id, sent_on=DAY, method=SendMethod.EMAIL, despite=" The action is internal. "
    )
    sent, _, letter_sent, why = _state(app, case_id, letter_id)
    assert (sent, letter_sent, why) == (DAY, DAY, "The action is internal.")
    with app.uow() as uow:
        audited = uow.session.scalars(
            select(AuditEvent.new_value).where(
                AuditEvent.entity_id == letter_id, AuditEvent.field == "sent_despite"
            )
        ).all()
    assert audited == ["The action is internal."]


def test_a_letter_kept_with_a_reason_is_sent_on_it_while_nothing_new_fails(app: Any) -> None:
    case_id, letter_id = _case_with_letter(app)
    lifecycle.record_response_sent(
        app.context(today=lambda: DAY), case_id, sent_on=DAY, method=SendMethod.FIRST_CLASS
    )
    assert _state(app, case_id, letter_id)[2:] == (DAY, KEPT)


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice makes the PDF the email carries")
def test_emailing_a_letter_that_fails_new_checks_needs_a_reason(app: Any, tmp_path: Path) -> None:
    case_id, letter_id = _case_with_letter(app)
    _new_gap(app, case_id)
    ctx = app.context(today=lambda: DAY)
    outbox = tmp_path / "outbox"
    with pytest.raises(LetterChecksFail):
        email_letter(ctx, letter_id, draft_to=outbox)
    assert not outbox.exists()  # no draft written
    done = email_letter(ctx, letter_id, draft_to=outbox, despite="Sent before the action.")
    assert done.draft is not None and done.draft.is_file()
    assert _state(app, case_id, letter_id)[3] == "Sent before the action."


def test_a_refusal_letter_for_a_complaint_not_refused_is_refused_and_nothing_kept(app: Any) -> None:
    from sqlalchemy import func

    from caseworker.domain.enums import LetterKind
    from caseworker.errors import UserError

    case_id, _ = _case_with_letter(app)
    with app.uow() as uow:
        before = uow.session.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(UserError, match="records no refusal \\(its outcome is upheld\\)"):
        letters.save_letter(
            app.context(today=lambda: DAY), case_id, LetterKind.REFUSAL, despite="anyway"
        )
    with app.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Letter)) == 1
        assert uow.session.scalar(select(func.count()).select_from(AuditEvent)) == before
