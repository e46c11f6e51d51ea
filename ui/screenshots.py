"""Pictures of the app as a person sees it: ``python -m ui.screenshots OUTDIR``.

Renders the main window offscreen on a throwaway database of made-up cases and saves PNGs:

* ``main-window.png``: all cases, newest first;
* ``overdue.png``: the Overdue quick view, most overdue first;
* ``no-match.png``: a filter that matches nothing;
* ``empty-database.png``: the first run, before any case is recorded.

"Today" is fixed (Wednesday 25 November 2026) so that the pictures are the same on every run.
The cases are written through the ORM here until the demo generator (``caseworker demo``) exists.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
from pathlib import Path

TODAY = dt.date(2026, 11, 25)
LOGIN = "jbloggs"
SIZE = (1366, 768)

OFFICERS = (
    ("Jo Bloggs", LOGIN),
    ("Samantha Whitfield", "swhitfield"),
    ("Imran Hussain", "ihussain"),
    ("Grace Okafor", "gokafor"),
)
FIRST = (
    "Priya",
    "Tom",
    "Margaret",
    "Li",
    "David",
    "Aisha",
    "Gareth",
    "Helen",
    "Kwame",
    "Zofia",
    "Sean",
    "Farah",
    "Peter",
    "Joan",
    "Rhys",
    "Olu",
)
LAST = (
    "Shah",
    "Parker",
    "Featherstonehaugh",
    "Wei",
    "Evans",
    "Khan",
    "Jones",
    "Murphy",
    "Mensah",
    "Nowak",
    "O'Brien",
    "Ali",
    "Taylor",
    "Hughes",
    "Williams",
    "Adeyemi",
)
SERVICES = (
    "Waste and recycling",
    "Council tax",
    "Parking",
    "Housing repairs",
    "Highways",
    "Planning",
    "Libraries",
    "Adult social care",
    "Environmental health",
)


def seed_cases(app, count: int = 60, *, seed: int = 7) -> None:
    """``count`` made-up cases around :data:`TODAY`: open, due soon, overdue, closed, stage 2."""
    from caseworker.domain.enums import CaseStatus, Channel, Role, RouteId
    from caseworker.policy.clock import calendar_for
    from caseworker.storage.models import Case, Complainant, Officer

    rng = random.Random(seed)
    calendar = calendar_for(())
    with app.uow() as uow:
        officers = [
            Officer(
                name=name,
                email=f"{login}@council.example",
                role=Role.INVESTIGATING_OFFICER,
                service_area="Customer services",
                login=login,
            )
            for name, login in OFFICERS
        ]
        uow.session.add_all(officers)
        for number in range(1, count + 1):
            received = calendar.add_working_days(TODAY, -rng.randint(0, 45))
            stage = 2 if rng.random() < 0.15 else 1
            due = calendar.add_working_days(received, 20 if stage == 1 else 25)
            status = CaseStatus.OPEN
            roll = rng.random()
            if due < TODAY - dt.timedelta(days=7) and roll < 0.7:
                status = CaseStatus.CLOSED if roll < 0.45 else CaseStatus.RESPONDED
            elif roll > 0.95:
                status = CaseStatus.SUSPENDED
            anonymous = rng.random() < 0.05
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            uow.session.add(
                Case(
                    reference=f"CW-2026-{number + 400:05d}",
                    policy_id="stockport",
                    route=RouteId.CORPORATE,
                    stage=stage,
                    status=status,
                    received=received,
                    channel=rng.choice(list(Channel)),
                    service_area=rng.choice(SERVICES),
                    complainant=None if anonymous else Complainant(name=name),
                    anonymous=anonymous,
                    officer=None if rng.random() < 0.12 else rng.choice(officers),
                    acknowledge_by=calendar.add_working_days(received, 5),
                    respond_by=due,
                )
            )
        uow.commit()


def render(outdir: Path, count: int = 60) -> list[Path]:
    """Save the screenshots in ``outdir``; the files written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt

    from caseworker.bootstrap import open_app
    from caseworker.services.caselist import CaseList, QuickView
    from ui.app import application
    from ui.main_window import MainWindow
    from ui.models.case_list import CaseListModel

    qt_app = application()
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def shoot(window: MainWindow, name: str) -> None:
        for _ in range(3):
            qt_app.processEvents()
        path = outdir / name
        if not window.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        written.append(path)

    with tempfile.TemporaryDirectory() as folder:
        for database, cases in (("caseworker.sqlite", count), ("empty.sqlite", 0)):
            app = open_app(f"sqlite:///{Path(folder) / database}", actor=LOGIN)
            try:
                if cases:
                    seed_cases(app, cases)
                window = MainWindow(
                    CaseList(app.sessions, login=LOGIN, today=lambda: TODAY), database=database
                )
                window.resize(*SIZE)
                window.show()
                if cases:
                    shoot(window, "main-window.png")
                    window.show_view(QuickView.OVERDUE)
                    window.table.sortByColumn(CaseListModel.DUE, Qt.SortOrder.AscendingOrder)
                    shoot(window, "overdue.png")
                    window.clear_filters()
                    window.filter_edit.setText("Nobody Atall")
                    window.filter_edit.returnPressed.emit()
                    shoot(window, "no-match.png")
                else:
                    shoot(window, "empty-database.png")
                window.close()
                window.deleteLater()
                qt_app.processEvents()
            finally:
                app.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ui.screenshots", description="Render the main window to PNG files."
    )
    parser.add_argument("outdir", type=Path, help="folder to write the PNG files to")
    parser.add_argument("--cases", type=int, default=60, help="how many made-up cases (60)")
    args = parser.parse_args(argv)
    for path in render(args.outdir, args.cases):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
