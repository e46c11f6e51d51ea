"""The Complaint Handling Code's annual complaints performance and service improvement report:
written in Word by one command and one service call, read back; refused to an investigating
officer with nothing written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from caseworker.domain.enums import CaseStatus, Outcome, Role
from caseworker.domain.lifecycle import OmbudsmanBody
from caseworker.domain.refusals import Refused
from caseworker.errors import UserError
from caseworker.reports.period import Period
from caseworker.reports.service import write_code_annual_report
from caseworker.storage.models import Case, Issue, Officer, OmbudsmanCase
from tests.integration.test_tsm import AFTER, _data_set

D = dt.date
YEAR = Period.financial_year(2026)


def _learning(app: Any) -> None:
    """A lesson on a case closed in the year (A), one on a case closed the year before (I is
    re-dated), and three Ombudsman decisions: two in the year, one after it."""
    with app.uow() as uow:
        cases = {c.reference[-1]: c for c in uow.session.query(Case)}
        a = cases["A"]
        a.status, a.closed_on = CaseStatus.CLOSED, D(2026, 6, 18)
        a.issues.append(
            Issue(
                number=1,
                summary="The repair was not booked",
                lesson_learnt="repairs booked by phone were not logged on the system",
                action="Log every phoned-in repair the same day",
                action_due=D(2026, 9, 30),
                action_completed=D(2026, 8, 14),
            )
        )
        b = cases["B"]
        b.status, b.closed_on = CaseStatus.CLOSED, D(2026, 3, 1)
        b.issues.append(Issue(number=1, summary="x", lesson_learnt="a lesson from the year before"))
        a.ombudsman_cases.append(
            OmbudsmanCase(
                body=OmbudsmanBody.HOUSING_OMBUDSMAN,
                reference="HOS-202612345",
                enquiry_on=D(2026, 7, 1),
                decision="Maladministration in the handling of the repair.",
                decision_on=D(2026, 11, 20),
                remedy_agreed="Pay £150 compensation.",
                remedy_due=D(2026, 12, 18),
                complied_on=D(2026, 12, 21),
            )
        )
        cases["D"].ombudsman_cases.append(
            OmbudsmanCase(
                body=OmbudsmanBody.HOUSING_OMBUDSMAN,
                reference="HOS-202699999",
                enquiry_on=D(2026, 11, 1),
                decision="No maladministration.",
                decision_on=D(2027, 1, 12),
            )
        )
        cases["E"].ombudsman_cases.append(
            OmbudsmanCase(
                body=OmbudsmanBody.HOUSING_OMBUDSMAN,
                reference="HOS-NEXT-YEAR",
                enquiry_on=D(2027, 1, 1),
                decision="Decided after the year.",
                decision_on=D(2027, 4, 20),
            )
        )
        h = cases["H"]
        assert h.outcome == Outcome.REFUSED
        uow.commit()


def _read(path: Path) -> tuple[list[str], list[str], str]:
    document = Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    body = "\n".join(p.text for p in document.paragraphs)
    return headings, cells, body


def test_the_annual_report_holds_what_the_code_asks_for(app: Any, tmp_path: Path) -> None:
    _data_set(app)
    _learning(app)
    ctx = app.context(today=lambda: AFTER)
    written = write_code_annual_report(ctx, YEAR, tmp_path / "annual.docx")
    headings, cells, body = _read(written)
    top = [h for h in headings if h[:2] in ("1.", "2.", "3.", "4.", "5.")]
    assert top == [
        "1. Self-assessment against the Code",
        "2. The year's figures",
        "3. Service improvements and lessons learnt",
        "4. The Ombudsmen's decisions",
        "5. The governing body's response",
    ]
    # The complaints not taken on, with why: H was refused at stage 1.
    assert "Complaints refused, excluded or discontinued, with reasons" in headings
    at = cells.index("Complaint not taken on at stage 1 (refused)")
    assert cells[at + 1] == "1"
    # The Tenant Satisfaction Measures are among the year's figures.
    assert "CH01: complaints received per 1,000 homes" in cells
    # Lessons of cases closed in the year only, with their action's progress.
    assert (
        "Repairs booked by phone were not logged on the system. Action: Log every phoned-in "
        "repair the same day (done on 14 August 2026). [CW-T-A]"
    ) in body
    assert "a lesson from the year before" not in body.lower()
    # The Ombudsmen's decisions of the year, not the one after.
    assert "Housing Ombudsman HOS-202612345 (CW-T-A)" in cells
    assert "Pay £150 compensation. Complied with on 21 December 2026 (late)." in cells
    assert "Housing Ombudsman HOS-202699999 (CW-T-D)" in cells
    assert not any("HOS-NEXT-YEAR" in c for c in cells)
    # The governing body's page starts on a page of its own.
    document = Document(str(written))
    index = next(
        i for i, p in enumerate(document.paragraphs) if p.text == "5. The governing body's response"
    )
    assert 'w:type="page"' in document.paragraphs[index - 1]._p.xml
    assert "Member responsible for complaints: " in body
    assert "Tenant" not in cells[0]  # nobody's name: the first cell is a heading


def test_an_investigating_officer_is_refused_and_nothing_is_written(
    app: Any, tmp_path: Path
) -> None:
    with app.uow() as uow:
        uow.session.add(
            Officer(
                name="Ian Officer",
                email="ian@council.example",
                role=Role.INVESTIGATING_OFFICER,
                service_area="Housing",
                login="ian",
            )
        )
        uow.commit()
    target = tmp_path / "annual.docx"
    with pytest.raises(Refused, match="Ian Officer .* may not write the annual complaints report"):
        write_code_annual_report(app.context(actor="ian"), YEAR, target)
    assert not target.exists()
    with pytest.raises(UserError, match="name it .docx"):
        write_code_annual_report(app.context(), YEAR, tmp_path / "annual.pdf")


def test_one_command_writes_it(
    app: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from caseworker.cli.main import main

    _data_set(app)
    _learning(app)
    monkeypatch.setattr("caseworker.bootstrap.current_login", lambda: "tester")
    url = f"sqlite:///{tmp_path / 'test.sqlite'}"
    out = tmp_path / "annual-2026-27.docx"
    assert main(["--db", url, "annual-report", "--period", "2026/27", "--out", str(out)]) == 0
    assert "read them before publishing" in capsys.readouterr().err
    headings, _, _ = _read(out)
    assert "4. The Ombudsmen's decisions" in headings
    assert main(["--db", url, "annual-report", "--period", "2026/27", "--out", "x.pdf"]) == 2
    assert "(.docx)" in capsys.readouterr().err
