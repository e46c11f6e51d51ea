"""Make the example report files in docs/reports/ from a demo database (nobody in it is real).

    python docs/reports/make_examples.py

A demo of 20,000 cases made as if today were 31 May 2027, so that the calendar year 2026 is
complete; a few Ombudsman cases are added (the demo makes none). Writes the 2026 report as Excel,
CSV, a zip of CSVs and Word, the three charts as PNGs, the Word report's pages as PNGs (through
LibreOffice and pdftoppm, where installed) and a picture of the dashboard.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import select  # noqa: E402

from caseworker.bootstrap import open_app  # noqa: E402
from caseworker.demo import generate_demo  # noqa: E402
from caseworker.domain.enums import CaseStatus  # noqa: E402
from caseworker.domain.lifecycle import OmbudsmanBody  # noqa: E402
from caseworker.letters.pdf import convert_to_pdf, find_soffice  # noqa: E402
from caseworker.reports import Period, build_report  # noqa: E402
from caseworker.reports.charts import chart_pngs  # noqa: E402
from caseworker.reports.export import export  # noqa: E402
from caseworker.storage.models import Case, OmbudsmanCase  # noqa: E402

HERE = Path(__file__).resolve().parent
TODAY = dt.date(2027, 5, 31)


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="caseworker-report-examples-"))
    app = open_app(f"sqlite:///{work / 'demo.sqlite'}", actor="examples")
    generate_demo(app.engine, 20_000, seed=26, today=TODAY)
    with app.uow() as uow:
        closed = uow.session.scalars(
            select(Case)
            .where(
                Case.status == CaseStatus.CLOSED,
                Case.stage == 2,
                Case.closed_on.between(dt.date(2025, 10, 1), dt.date(2026, 9, 30)),
            )
            .order_by(Case.id)
            .limit(14)
        ).all()
        for number, case in enumerate(closed):
            decided = number < 10
            remedy = decided and number % 3 != 0
            case.ombudsman_cases.append(
                OmbudsmanCase(
                    body=OmbudsmanBody.HOUSING_OMBUDSMAN
                    if case.route == "housing"
                    else OmbudsmanBody.LGSCO,
                    enquiry_on=case.closed_on + dt.timedelta(days=30),
                    decision="Decided." if decided else "",
                    decision_on=case.closed_on + dt.timedelta(days=90) if decided else None,
                    remedy_agreed="Remedy agreed." if remedy else "",
                    remedy_due=case.closed_on + dt.timedelta(days=120) if remedy else None,
                    complied_on=case.closed_on + dt.timedelta(days=110 + 5 * (number % 3))
                    if remedy and number < 8
                    else None,
                )
            )
        uow.commit()
    with app.sessions() as session:
        report = build_report(session, Period.year(2026), as_of=TODAY)
    for ext in ("xlsx", "csv", "zip", "docx"):
        export(report, HERE / f"example-2026.{ext}")
    for key, png in chart_pngs(report, dpi=110).items():
        (HERE / f"chart-{key}.png").write_bytes(png)
    soffice, pdftoppm = find_soffice(), shutil.which("pdftoppm")
    if soffice and pdftoppm:
        pdf = convert_to_pdf(HERE / "example-2026.docx", work)
        for old in HERE.glob("word-page-*.png"):
            old.unlink()
        subprocess.run(
            [pdftoppm, "-png", "-r", "50", str(pdf), str(HERE / "word-page")], check=True
        )
    _dashboard(app)
    app.close()
    print(f"wrote the examples in {HERE}")
    return 0


def _dashboard(app) -> None:  # noqa: ANN001
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from caseworker.services.officers import link_to_complaints_manager
    from caseworker_ui.reports.dashboard import ReportsWindow

    # the figures are a manager's: the examples are made as one
    link_to_complaints_manager(app.context(actor="examples"))
    qt = QApplication.instance() or QApplication([])
    window = ReportsWindow(app.context(actor="examples", today=lambda: TODAY))
    window.resize(1280, 860)
    window.show()
    window.kind_combo.setCurrentIndex(1)
    window.year_spin.setValue(2026)
    window.report_ready.connect(lambda _report: QTimer.singleShot(300, qt.quit))
    window.show_button.click()
    qt.exec()
    window.grab().save(str(HERE / "dashboard.png"))
    window.close()


if __name__ == "__main__":
    sys.exit(main())
