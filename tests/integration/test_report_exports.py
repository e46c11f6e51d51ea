"""Report exports read back (Excel, CSV, the zip of CSVs, Word), opened by LibreOffice, free of
personal data; the figures checked case by case on a demo database; and `caseworker report`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from caseworker.cli.main import main
from caseworker.demo import generate_demo
from caseworker.domain.enums import CaseStatus, Role, RouteId
from caseworker.domain.lifecycle import OmbudsmanBody
from caseworker.domain.refusals import NotPermitted
from caseworker.letters.pdf import convert_to_pdf, find_soffice
from caseworker.policy.deadlines import compute_deadlines, policy_calendar
from caseworker.policy.loader import load_policies
from caseworker.reports import Period, Report, build_report
from caseworker.reports import service as reporting
from caseworker.reports.export import export
from caseworker.services.cases.records import stage_received
from caseworker.storage.models import (
    Case,
    CaseSubject,
    Complainant,
    Extension,
    Interview,
    Issue,
    Note,
    Officer,
    OmbudsmanCase,
    Representative,
)

D = dt.date
TODAY = D(2026, 11, 23)
YEAR = Period.year(2026)
SOFFICE = find_soffice()
needs_soffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed: the tests that open the "
    "exports in LibreOffice need it (.ci/install-system-deps installs it)",
)


def _has_calc() -> bool:
    """LibreOffice can open spreadsheets only with its Calc component installed."""
    if SOFFICE is None:
        return False
    program = Path(SOFFICE).resolve().parent
    return any(program.glob("*sclo.*")) or any(program.glob("sc*.dll"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    """A demo database of 1,200 cases across every policy, with Ombudsman involvement."""
    from caseworker.bootstrap import open_app

    path = tmp_path_factory.mktemp("report-demo") / "demo.sqlite"
    app = open_app(f"sqlite:///{path}", actor="tester")
    generate_demo(app.engine, 1200, seed=11, today=TODAY)
    with app.uow() as uow:  # who runs the report: by login
        for login, name, role in (
            ("manager", "Mary Manager", Role.COMPLAINTS_MANAGER),
            ("lee", "Lee Line", Role.LINE_MANAGER),
            ("ian", "Ian Officer", Role.INVESTIGATING_OFFICER),
        ):
            uow.session.add(
                Officer(
                    name=name,
                    email=f"{login}@report-tests.example",
                    role=role,
                    service_area="Waste",
                    login=login,
                )
            )
        uow.commit()
    with app.uow() as uow:
        closed = uow.session.scalars(
            select(Case)
            .where(Case.status == CaseStatus.CLOSED, Case.closed_on >= D(2026, 1, 1))
            .order_by(Case.id)
            .limit(6)
        ).all()
        for number, case in enumerate(closed):
            case.ombudsman_cases.append(
                OmbudsmanCase(
                    body=OmbudsmanBody.LGSCO if number % 2 else OmbudsmanBody.HOUSING_OMBUDSMAN,
                    reference=f"25 0{number} 123",
                    enquiry_on=case.closed_on + dt.timedelta(days=20),
                    decision="Fault causing injustice." if number < 3 else "",
                    decision_on=case.closed_on + dt.timedelta(days=60) if number < 3 else None,
                    remedy_agreed="An apology and £100." if number < 2 else "",
                    remedy_due=case.closed_on + dt.timedelta(days=90) if number < 2 else None,
                )
            )
        uow.commit()
    yield app
    app.close()


@pytest.fixture(scope="module")
def report(demo) -> Report:  # noqa: ANN001
    with demo.sessions() as session:
        return build_report(session, YEAR, as_of=TODAY)


@pytest.fixture(scope="module")
def exported(report: Report, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exports")
    return {
        ext: export(report, folder / f"report-2026.{ext}") for ext in ("xlsx", "csv", "zip", "docx")
    }


# -- read back --------------------------------------------------------------------------------


def test_excel_has_one_sheet_per_table_with_the_figures(
    report: Report, exported: dict[str, Path]
) -> None:
    workbook = load_workbook(exported["xlsx"])
    assert workbook.sheetnames == ["about", *(table.key for table in report.tables)]
    for table in report.tables:
        sheet = workbook[table.key]
        assert sheet["A1"].value == table.title
        rows = list(sheet.iter_rows(min_row=4, values_only=True))
        assert rows[0] == table.columns
        # An empty cell reads back as None.
        assert [tuple(row) for row in rows[1:]] == [
            tuple(None if value == "" else value for value in row) for row in table.rows
        ]
    about = {row[0]: row[1] for row in workbook["about"].iter_rows(min_row=2, values_only=True)}
    assert about["From"] == "2026-01-01" and about["To"] == "2026-12-31"


def test_the_long_csv_pivots_back_into_every_table(
    report: Report, exported: dict[str, Path]
) -> None:
    text = exported["csv"].read_text(encoding="utf-8-sig")
    lines = list(csv.DictReader(io.StringIO(text)))
    assert sum(len(t.rows) * (len(t.columns) - 1) for t in report.tables) == len(lines)
    received = {
        (line["row"], line["column"]): line["value"]
        for line in lines
        if line["table"] == "by-route"
    }
    for route, count, closed in report.table("by-route").rows:
        assert received[(route, "Received")] == str(count)
        assert received[(route, "Closed")] == str(closed)
    summary = {
        line["row"]: line["value"]
        for line in lines
        if line["table"] == "summary" and line["column"] == "Value"
    }
    assert summary["Complaints received"] == str(report.headline("Complaints received").value)


def test_the_zip_holds_one_csv_per_table(report: Report, exported: dict[str, Path]) -> None:
    with zipfile.ZipFile(exported["zip"]) as archive:
        names = archive.namelist()
        assert names == [f"{t.key}.csv" for t in report.tables] + ["README.txt"]
        timeliness = list(
            csv.reader(io.StringIO(archive.read("timeliness.csv").decode("utf-8-sig")))
        )
        readme = archive.read("README.txt").decode()
    table = report.table("timeliness")
    assert tuple(timeliness[0]) == table.columns
    assert len(timeliness) == len(table.rows) + 1
    assert timeliness[-1][0] == "All stages"
    assert "timeliness.csv: Acknowledged and answered within the policy's time." in readme


def test_the_word_report_has_its_sections_charts_and_figures(
    report: Report, exported: dict[str, Path]
) -> None:
    document = docx.Document(str(exported["docx"]))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for section in (
        "Key figures",
        "Complaints received and closed",
        "Outcomes",
        "Timeliness",
        "Escalation and the Ombudsman",
        "Remedies and learning",
        "Reasonable adjustments",
        "Complaint Handling Code self-assessment",
        "Where the policy departs from the Code",
        "How the figures are counted",
    ):
        assert section in headings
    assert document.paragraphs[0].text == "Complaints annual report"
    assert len(document.inline_shapes) == 3  # trend, outcomes, timeliness
    descriptions = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert descriptions == [
        "Figure 1: Complaints received and closed by month",
        "Figure 2: Outcomes by service area",
        "Figure 3: Timeliness by stage",
    ]
    key = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert key["Complaints received"] == f"{report.headline('Complaints received').value:,}"
    text = "\n".join(p.text for p in document.paragraphs)
    assert (
        "Corporate, stage 1: response: the policy says 20 working days from receipt; the Code "
        "says 10 working days from acknowledgement (at most 15 from receipt)."
    ) in text
    assert "Corporate, stage 2: reasons demanded for escalating: the policy says yes" in text


@needs_soffice
def test_libreoffice_opens_the_word_report(exported: dict[str, Path], tmp_path: Path) -> None:
    pdf = convert_to_pdf(exported["docx"], tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_size > 50_000  # the charts are in it


@needs_soffice
def test_libreoffice_opens_the_excel_workbook(exported: dict[str, Path], tmp_path: Path) -> None:
    if not _has_calc():
        pytest.skip(
            "LibreOffice is installed without Calc, so it cannot open spreadsheets "
            "(Debian: apt-get install libreoffice-calc-nogui)"
        )
    pdf = convert_to_pdf(exported["xlsx"], tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")


# -- no personal data -------------------------------------------------------------------------


def _personal_data(app) -> set[str]:  # noqa: ANN001
    """Everything in the demo that identifies someone or repeats their words."""
    found: set[str] = set()
    with app.sessions() as session:
        for name, email, phone, postcode, address, adjustments in session.execute(
            select(
                Complainant.name,
                Complainant.email,
                Complainant.phone,
                Complainant.postcode,
                Complainant.address,
                Complainant.reasonable_adjustments,
            )
        ):
            found.update(
                {
                    name,
                    email,
                    phone,
                    postcode,
                    address.splitlines()[0] if address else "",
                    adjustments,
                }
            )
        found.update(session.scalars(select(Representative.name)))
        found.update(session.scalars(select(Case.referrer_name)))
        found.update(session.scalars(select(Officer.name)))
        found.update(session.scalars(select(CaseSubject.name)))
        found.update(session.scalars(select(Interview.interviewee)))
        found.update(text[:60] for text in session.scalars(select(Issue.summary)))
        found.update(text[:60] for text in session.scalars(select(Note.text)))
        found.update(text[:60] for text in session.scalars(select(Case.settlement_terms)))
        found.update(text[:60] for text in session.scalars(select(Issue.remedy)))
        found.update(session.scalars(select(Case.reference)))
        found.update(session.scalars(select(OmbudsmanCase.reference)))
        found.update(session.scalars(select(Extension.reason)))
    return {value for value in found if value and len(value.strip()) >= 6}


def _exported_text(exported: dict[str, Path]) -> dict[str, str]:
    texts = {"csv": exported["csv"].read_text(encoding="utf-8-sig")}
    workbook = load_workbook(exported["xlsx"])
    texts["xlsx"] = "\n".join(
        str(cell)
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )
    with zipfile.ZipFile(exported["zip"]) as archive:
        texts["zip"] = "\n".join(
            archive.read(name).decode("utf-8-sig") for name in archive.namelist()
        )
    document = docx.Document(str(exported["docx"]))
    texts["docx"] = "\n".join(
        [p.text for p in document.paragraphs]
        + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    )
    return texts


def test_no_personal_data_in_any_export(demo, exported: dict[str, Path]) -> None:  # noqa: ANN001
    personal = _personal_data(demo)
    assert len(personal) > 2000  # names, emails, addresses, words of complaints...
    for kind, text in _exported_text(exported).items():
        leaked = sorted(value for value in personal if value in text)
        assert leaked == [], f"{kind} export holds personal data: {leaked[:5]}"


# -- the figures, case by case ----------------------------------------------------------------


def test_the_grouped_figures_equal_a_count_case_by_case(demo, report: Report) -> None:  # noqa: ANN001
    """The report groups dates and counts ranks; here every case is worked out on its own."""
    policies = load_policies()
    code = policies["complaint-handling-code"]
    with demo.sessions() as session:
        cases = session.scalars(select(Case)).all()
        extended = {
            (case_id, stage)
            for case_id, stage in session.execute(select(Extension.case_id, Extension.stage))
        }
        adjusted = set(
            session.scalars(select(Complainant.id).where(Complainant.reasonable_adjustments != ""))
        )
    inside = YEAR.contains
    counts: Counter[str] = Counter()
    days: list[int] = []
    for case in cases:
        start = stage_received(case)
        if inside(case.received):
            counts["received"] += 1
            counts["adjusted"] += case.complainant_id in adjusted
        if case.closed_on and inside(case.closed_on):
            counts["closed"] += 1
        if inside(start) and case.acknowledge_by is not None:
            if case.acknowledged is not None:
                counts[
                    "ack on time" if case.acknowledged <= case.acknowledge_by else "ack late"
                ] += 1
            elif case.acknowledge_by < TODAY and not (
                case.closed_on and case.closed_on <= case.acknowledge_by
            ):
                counts["ack late"] += 1
        if case.response_sent and inside(case.response_sent) and case.respond_by:
            counts["sent"] += 1
            counts["sent on time"] += case.response_sent <= case.respond_by
            counts["extended"] += (case.id, case.stage) in extended
            calendar = policy_calendar(policies[case.policy_id])
            days.append(
                calendar.working_days_between(calendar.clock_start(start), case.response_sent)
            )
            route = policies[case.policy_id].route(case.route)
            if case.route != RouteId.MEMBER_ENQUIRY and not route.statutory:
                due = compute_deadlines(
                    code,
                    route="housing" if case.route == RouteId.HOUSING else "corporate",
                    stage=min(case.stage, 2),
                    received=start,
                    acknowledged=case.acknowledged,
                )
                counts["code sent"] += 1
                counts["code on time"] += case.response_sent <= due.respond_by
                counts["code within extension"] += case.response_sent <= due.respond_by_latest
    assert report.headline("Complaints received").value == counts["received"]
    assert report.headline("Cases closed").value == counts["closed"]
    assert report.headline("Reasonable adjustments made").value == counts["adjusted"]
    timeliness = report.table("timeliness").as_dict()["All stages"]
    assert timeliness["Acknowledged on time"] == counts["ack on time"]
    assert timeliness["Acknowledged late or not at all"] == counts["ack late"]
    assert timeliness["Responses sent"] == counts["sent"]
    assert timeliness["Answered on time"] == counts["sent on time"]
    assert timeliness["Average working days to respond"] == round(sum(days) / len(days), 1)
    assert timeliness["Longest working days to respond"] == max(days)
    assert (
        report.table("extensions").as_dict()["All stages"]["With an extension"]
        == counts["extended"]
    )
    total = report.table("code-timeliness").as_dict()["Total"]
    assert total["Responses sent"] == counts["code sent"]
    assert total["On time under the Code"] == counts["code on time"]
    assert total["Within the Code's longest extension"] == counts["code within extension"]
    assert counts["sent"] > 300 and counts["extended"] > 5  # the demo exercises every path


# -- caseworker report ------------------------------------------------------------------------


def test_the_command_writes_each_format(
    demo,  # noqa: ANN001
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("caseworker.bootstrap.current_login", lambda: "manager")
    for ext in ("xlsx", "csv", "zip", "docx"):
        out = tmp_path / f"q3.{ext}"
        assert (
            main(
                [
                    "--db",
                    demo.url,
                    "report",
                    "--from",
                    "2026-07-01",
                    "--to",
                    "2026-09-30",
                    "--out",
                    str(out),
                    "--as-of",
                    "2026-11-23",
                ]
            )
            == 0
        )
        assert out.stat().st_size > 0
    assert "complaints received" in capsys.readouterr().err
    assert (
        main(
            [
                "--db",
                demo.url,
                "report",
                "--period",
                "2026Q3",
                "--policy",
                "stockport",
                "--out",
                str(tmp_path / "stockport.xlsx"),
            ]
        )
        == 0
    )
    sheet = load_workbook(tmp_path / "stockport.xlsx")["about"]
    assert [row[1] for row in sheet.iter_rows(values_only=True) if row[0] == "Cases"] == [
        "Stockport Council"
    ]


@pytest.mark.parametrize(
    ("login", "message"),
    [
        (
            "ian",
            "Refused: Ian Officer (an investigating officer) may not count the complaint figures "
            "(reports and the retention list are for managers: a complaints manager for every "
            "service, or a line manager)",
        ),
        ("nobody", "Refused: the login 'nobody' is not linked to any officer record"),
    ],
)
def test_the_command_refuses_whoever_may_not_see_the_figures(
    demo,  # noqa: ANN001
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    login: str,
    message: str,
) -> None:
    monkeypatch.setattr("caseworker.bootstrap.current_login", lambda: login)
    out = tmp_path / "q3.xlsx"
    args = ["--db", demo.url, "report", "--period", "2026Q3", "--out", str(out)]
    assert main(args) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()
    monkeypatch.setattr("caseworker.bootstrap.current_login", lambda: "lee")  # a line manager
    assert main(args) == 0
    assert out.stat().st_size > 0


def test_the_report_and_its_export_are_for_managers(
    demo,  # noqa: ANN001
    report: Report,
    tmp_path: Path,
) -> None:
    ian = demo.context(actor="ian", today=lambda: TODAY)
    for attempt in (
        lambda: reporting.report(ian, YEAR),
        lambda: reporting.export_report(ian, report, tmp_path / "r.xlsx"),
    ):
        with pytest.raises(NotPermitted, match="may not .* the complaint figures"):
            attempt()
    assert not (tmp_path / "r.xlsx").exists()
    assert reporting.why_not_report(ian) == (
        "Ian Officer (an investigating officer) may not count the complaint figures (reports "
        "and the retention list are for managers: a complaints manager for every service, or a "
        "line manager)"
    )
    manager = demo.context(actor="manager", today=lambda: TODAY)
    assert reporting.why_not_report(manager) is None
    assert reporting.report(manager, YEAR).figures() == report.figures()  # as_of: ctx.today()
    written = reporting.export_report(manager, report, tmp_path / "r.csv")
    assert written.stat().st_size > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--from", "2026-02-30", "--to", "2026-03-31", "--out", "r.xlsx"],
            "--from: '2026-02-30' is not a date (YYYY-MM-DD",
        ),
        (
            ["--from", "2026-04-01", "--to", "31/03/2026", "--out", "r.xlsx"],
            "--to: '31/03/2026' is not a date",
        ),
        (
            ["--from", "2026-04-01", "--to", "2026-03-31", "--out", "r.xlsx"],
            "the period ends (2026-03-31) before it starts (2026-04-01)",
        ),
        (
            ["--from", "2026-01-01", "--to", "2026-03-31", "--out", "r.pdf"],
            "cannot write a report to 'r.pdf': the file name must end in .xlsx, .csv, .zip, .docx",
        ),
        (["--from", "2026-01-01", "--out", "r.csv"], "--to missing"),
        (["--period", "2026Q5", "--out", "r.csv"], "'2026Q5' is not a period"),
        (
            ["--period", "2026", "--policy", "nowhere", "--out", "r.csv"],
            "--policy: unknown policy 'nowhere'",
        ),
    ],
)
def test_the_command_refuses_bad_input_with_exit_2(
    tmp_path: Path,
    args: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["--db", f"sqlite:///{tmp_path / 'x.sqlite'}", "report", *args]) == 2
    assert message in capsys.readouterr().err
    assert not list(tmp_path.glob("r.*"))
