"""`caseworker letter` on stored cases, keeping a letter on its case, PDF through LibreOffice."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import select

from caseworker.cli.main import main
from caseworker.domain.enums import Finding, LetterKind, Outcome
from caseworker.errors import UserError
from caseworker.letters.builder import build_draft
from caseworker.letters.draft import LetterDraft
from caseworker.letters.examples import EXAMPLES, base_case, bin_issues
from caseworker.letters.pdf import convert_all_to_pdf, find_soffice
from caseworker.letters.render import document_text, render_letter
from caseworker.policy.loader import get_policy
from caseworker.services import letters
from caseworker.storage.models import AuditEvent, Case, Letter, Officer
from tests.officers import add_team

needs_soffice = pytest.mark.skipif(
    find_soffice() is None,
    reason="LibreOffice (soffice) is not installed: the PDF conversion tests need it "
    "(CI installs it)",
)


@pytest.fixture(autouse=True)
def at_the_keyboard(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command acts as the operating-system login: the tests' signed-in complaints manager
    (see ``signed_in``), unless a test says who else."""
    keyboard("tester", monkeypatch)


def keyboard(login: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("caseworker.bootstrap.current_login", lambda: login)


def store(app, case: Case) -> str:  # noqa: ANN001
    with app.uow() as uow:
        uow.session.add(case)
        uow.commit()
    return case.reference


def upheld_case() -> Case:
    case = base_case(outcome=Outcome.UPHELD)
    case.issues = bin_issues(Finding.UPHELD, Finding.UPHELD)
    return case


def run(app, *args: str) -> int:  # noqa: ANN001
    return main(["--db", app.url, "letter", *args])


def test_letter_writes_the_outcome_letter_of_a_stored_case(app, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    reference = store(app, upheld_case())
    out = tmp_path / "letters" / "letter.docx"
    assert run(app, reference, "--out", str(out), "--date", "2026-03-27") == 0
    assert f"wrote {out} (outcome letter, stage 1, to Mrs Asha Patel)" in capsys.readouterr().out
    lines = document_text(out.read_bytes())
    assert "Our reference: CW-2026-00042" in lines
    assert "Date: 27 March 2026" in lines
    assert [line for line in lines if line.startswith("ISSUE")] == ["ISSUE 1", "ISSUE 2"]
    assert any("Stage2.complaints@stockport.gov.uk" in line for line in lines)


def test_check_says_complete_and_exits_0(app, capsys) -> None:  # noqa: ANN001
    reference = store(app, upheld_case())
    assert run(app, reference, "--check", "--date", "2026-03-27") == 0
    out = capsys.readouterr().out
    assert "complete: nothing the policy or Appendix A requires is missing" in out
    assert "reading ease: " in out and "(easy to read)" in out


def test_check_lists_what_is_missing_and_exits_1(app, capsys) -> None:  # noqa: ANN001
    case = upheld_case()
    case.issues[1].explanation = ""
    case.issues[0].finding = None
    reference = store(app, case)
    assert run(app, reference, "--check") == 1
    out = capsys.readouterr().out
    assert "missing: Issue 1 has no finding" in out
    assert "missing: Issue 2 has no explanation" in out


def test_writing_an_incomplete_letter_warns_without_failing(app, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    case = upheld_case()
    case.issues[1].explanation = ""
    reference = store(app, case)
    assert run(app, reference, "--out", str(tmp_path / "x.docx")) == 0
    assert "missing: Issue 2 has no explanation" in capsys.readouterr().err


def test_kind_and_stage_choose_the_letter(app, tmp_path: Path) -> None:  # noqa: ANN001
    reference = store(app, upheld_case())
    out = tmp_path / "ack.docx"
    assert run(app, reference, "--kind", "acknowledgement", "--out", str(out)) == 0
    assert any(
        line.startswith("We are dealing with it at stage 1")
        for line in document_text(out.read_bytes())
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["CW-2099-00001", "--check"], "no case with reference 'CW-2099-00001'"),
        (
            ["CW-2026-00042"],
            "give --out FILE.docx to write the letter, --check to check it, or both",
        ),
        (["CW-2026-00042", "--pdf", "--check"], "--pdf and --record need --out FILE.docx"),
        (["CW-2026-00042", "--out", "letter.pdf"], "--out must name a .docx file"),
        (["CW-2026-00042", "--kind", "extension", "--check"], "no extension recorded at stage 1"),
        (["--check"], "give a case reference"),
    ],
)
def test_mistakes_are_explained(app, capsys, args: list[str], message: str) -> None:  # noqa: ANN001
    store(app, upheld_case())
    assert run(app, *args) == 2
    assert message in capsys.readouterr().err


def test_check_templates(app, capsys) -> None:  # noqa: ANN001
    assert run(app, "--check-templates") == 0
    assert "OK: every letter template can be used" in capsys.readouterr().out


def test_record_keeps_the_letter_on_the_case_with_an_audit_entry(
    app, tmp_path: Path, capsys
) -> None:  # noqa: ANN001
    reference = store(app, upheld_case())
    out = tmp_path / "letter.docx"
    assert run(app, reference, "--out", str(out), "--record", "--date", "2026-03-27") == 0
    assert f"recorded on case {reference}" in capsys.readouterr().out
    with app.uow() as uow:
        letter = uow.session.scalars(select(Letter)).one()
        assert (letter.kind, letter.stage, letter.outcome) == (
            LetterKind.OUTCOME,
            1,
            Outcome.UPHELD,
        )
        assert letter.content == out.read_bytes()
        assert letter.filename == "CW-2026-00042-stage1-outcome-upheld-2026-03-27.docx"
        assert LetterDraft.from_dict(letter.draft).reference == reference
        event = uow.session.scalars(select(AuditEvent).where(AuditEvent.entity == "letters")).one()
        assert event.action == "create" and event.case_id == letter.case_id
        assert "sha256" in (event.new_value or "")


def test_save_letter_stores_the_draft_and_who_made_it(app) -> None:  # noqa: ANN001
    """The app's "Save as Word document" and ``letter --record`` keep a letter this way."""
    reference = store(app, upheld_case())
    ctx = app.context()
    case_id = letters.case_with_reference(ctx, reference)
    saved = letters.save_letter(ctx, case_id, date=dt.date(2026, 3, 27))
    assert saved.letter is not None and saved.letter.gaps == ()
    with app.uow() as uow:
        stored = uow.session.get(Letter, saved.id)
        assert stored.created_by == "tester"
        assert stored.filename == saved.filename == saved.letter.filename
        assert stored.content == saved.letter.content
        draft = LetterDraft.from_dict(stored.draft)
        assert (draft.reference, draft.kind, draft.date) == (
            reference,
            LetterKind.OUTCOME,
            dt.date(2026, 3, 27),
        )
        assert Document(io.BytesIO(stored.content)).paragraphs


def test_pdf_without_libreoffice_says_so(
    app, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:  # noqa: ANN001
    monkeypatch.setenv("CASEWORKER_SOFFICE", str(tmp_path / "no-such-soffice"))
    reference = store(app, upheld_case())
    out = tmp_path / "letter.docx"
    assert run(app, reference, "--out", str(out), "--pdf") == 2
    assert out.exists()  # the Word letter is still written
    assert "LibreOffice is not installed, so no PDF was made" in capsys.readouterr().err


@needs_soffice
def test_pdf_with_libreoffice(app, tmp_path: Path) -> None:  # noqa: ANN001
    reference = store(app, upheld_case())
    out = tmp_path / "letter.docx"
    assert run(app, reference, "--out", str(out), "--pdf") == 0
    pdf = out.with_suffix(".pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "CW-2026-00042" in text and "ISSUE 1" in text


@needs_soffice
@pytest.mark.slow
def test_every_kind_of_letter_converts_with_libreoffice(tmp_path: Path) -> None:
    messy = base_case(outcome=Outcome.NOT_UPHELD)
    messy.issues = bin_issues(Finding.NOT_UPHELD)
    messy.issues[0].explanation = (
        "Pasted\x00 from\x1b email\r\n\x0cעברית العربية 👍🏽 " + "long " * 3000
    )
    drafts = [build_draft(e.case(), get_policy(e.policy_id), e.kind, date=e.date) for e in EXAMPLES]
    drafts.append(build_draft(messy, get_policy("stockport"), date=dt.date(2026, 3, 27)))
    letters = []
    for number, draft in enumerate(drafts):
        letters.append(tmp_path / f"{number:02d}-{draft.kind.value}.docx")
        letters[-1].write_bytes(render_letter(draft))
    # One start of LibreOffice for them all (a start each was 20-30 s of the suite).
    pdfs = convert_all_to_pdf(letters, tmp_path / "pdf")
    assert [pdf.stem for pdf in pdfs] == [letter.stem for letter in letters]
    for letter, pdf in zip(letters, pdfs, strict=True):
        assert pdf.read_bytes().startswith(b"%PDF"), letter.name


@needs_soffice
def test_a_letter_libreoffice_cannot_read_is_named_and_an_old_pdf_is_not_taken_for_it(
    tmp_path: Path,
) -> None:
    good = tmp_path / "good.docx"
    good.write_bytes(render_letter(build_draft(upheld_case(), get_policy("stockport"))))
    gone = tmp_path / "gone.docx"  # never written: LibreOffice cannot load it
    out = tmp_path / "pdf"
    out.mkdir()
    (out / "gone.pdf").write_bytes(b"%PDF an old one")
    with pytest.raises(UserError, match=r"could not convert gone\.docx to PDF"):
        convert_all_to_pdf([good, gone], out)
    assert not (out / "gone.pdf").exists()
    assert (out / "good.pdf").read_bytes().startswith(b"%PDF")
    with pytest.raises(UserError, match=r"two documents would both become good\.pdf"):
        convert_all_to_pdf([good, tmp_path / "other" / "good.docx"], out)


def colleagues_case(app) -> str:  # noqa: ANN001
    """Daniel Hughes's case, which Bob handled before (he may read it, not change it); Ann
    never had it (she may do neither). Both are investigating officers in Waste."""
    ids = add_team(app)
    reference = store(app, upheld_case())
    with app.uow() as uow:
        case = uow.session.query(Case).filter_by(reference=reference).one()
        case.stage1_officer_id = ids["bob"]
        uow.commit()
    return reference


def test_an_officer_who_may_not_see_the_case_gets_no_letter(
    app, tmp_path: Path, capsys, monkeypatch
) -> None:  # noqa: ANN001
    reference = colleagues_case(app)
    keyboard("ann", monkeypatch)
    out = tmp_path / "letter.docx"
    for args, doing in (
        (["--check"], "see"),
        (["--out", str(out)], "see"),
        (["--out", str(out), "--record"], "work on"),
    ):
        assert run(app, reference, *args) == 2
        captured = capsys.readouterr()
        assert captured.err == (
            f"caseworker: Refused: Ann Smith (an investigating officer) may not {doing} "
            "CW-2026-00042 (an investigating officer works on their own cases)\n"
        )
        assert "ISSUE" not in captured.out and "missing" not in captured.out
    assert not out.exists()
    with app.uow() as uow:
        assert uow.session.query(Letter).count() == 0


def test_recording_a_letter_needs_leave_to_work_on_the_case(
    app, tmp_path: Path, capsys, monkeypatch
) -> None:  # noqa: ANN001
    reference = colleagues_case(app)
    keyboard("bob", monkeypatch)
    assert run(app, reference, "--check", "--date", "2026-03-27") == 0  # he may read it
    assert "complete: nothing the policy" in capsys.readouterr().out
    out = tmp_path / "letter.docx"
    assert run(app, reference, "--out", str(out), "--record") == 2
    assert capsys.readouterr().err == (
        "caseworker: Refused: Bob Jones (an investigating officer) may not work on "
        "CW-2026-00042 (an investigating officer works on their own cases)\n"
    )
    assert not out.exists()
    with app.uow() as uow:
        assert uow.session.query(Letter).count() == 0
    # The complaints manager may: recorded through the same service as the app's Save.
    keyboard("cam", monkeypatch)
    assert run(app, reference, "--out", str(out), "--record", "--date", "2026-03-27") == 0
    with app.uow() as uow:
        letter = uow.session.query(Letter).one()
        assert letter.created_by == "cam" and letter.content == out.read_bytes()


@pytest.mark.no_officer
def test_a_login_that_is_no_officer_gets_no_letter(app, capsys) -> None:  # noqa: ANN001
    reference = store(app, upheld_case())
    assert run(app, reference, "--check") == 2
    assert "the login 'tester' is not linked to any officer record" in capsys.readouterr().err
    with app.uow() as uow:
        assert uow.session.query(Officer).count() == 1  # Daniel Hughes: nobody was added


def test_a_letter_the_case_cannot_have_is_refused_with_the_reason(
    app, tmp_path: Path, capsys
) -> None:  # noqa: ANN001
    reference = store(app, upheld_case())
    out = tmp_path / "letter.docx"
    assert run(app, reference, "--kind", "discontinuation", "--check") != 0
    error = capsys.readouterr().err
    assert "case CW-2026-00042 is upheld: a decided complaint is not discontinued" in error
    assert "Traceback" not in error
    assert run(app, reference, "--kind", "withdrawal", "--out", str(out)) != 0
    assert "records no withdrawal (its outcome is upheld)" in capsys.readouterr().err
    assert not out.exists()


def test_record_keeps_a_failing_letter_only_with_a_reason(app, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    case = upheld_case()
    case.issues[1].explanation = ""
    reference = store(app, case)
    out = tmp_path / "letter.docx"
    dated = ("--date", "2026-03-27")
    assert run(app, reference, "--out", str(out), "--record", *dated) != 0
    assert "the letter's checks fail: Issue 2 has no explanation" in capsys.readouterr().err
    with app.uow() as uow:
        assert uow.session.scalars(select(Letter)).all() == []
    reason = "The complainant asked for the reply today; issue 2 follows"
    assert run(app, reference, "--out", str(out), "--record", "--despite", reason, *dated) == 0
    with app.uow() as uow:
        stored = uow.session.scalars(select(Letter)).one()
        assert stored.draft["kept_despite"] == {
            "reason": reason,
            "gaps": ["Issue 2 has no explanation"],
        }


def test_a_refused_complaint_gets_the_refusal_letter_and_never_a_complete_outcome_letter(
    app, tmp_path: Path, capsys
) -> None:  # noqa: ANN001
    case = upheld_case()
    case.outcome = Outcome.REFUSED
    case.refusal_reasons = "Parking fines have their own appeal, set down by law."
    case.refusal_route = "You can appeal to the Traffic Penalty Tribunal."
    reference = store(app, case)
    # --check of the outcome letter is refused with the reason, not called complete
    assert run(app, reference, "--kind", "outcome", "--check") != 0
    said = capsys.readouterr()
    assert "was not taken on (refused)" in said.err + said.out
    assert "complete" not in said.out
    out = tmp_path / "refusal.docx"
    assert run(app, reference, "--out", str(out), "--date", "2026-03-27") == 0
    assert "(refusal letter, stage 1, to Mrs Asha Patel)" in capsys.readouterr().out
    text = "\n".join(document_text(out.read_bytes()))
    assert "Parking fines have their own appeal" in text and "Traffic Penalty Tribunal" in text
    assert "stage 2" not in text.lower()
    assert run(app, reference, "--kind", "refusal", "--check") == 0
