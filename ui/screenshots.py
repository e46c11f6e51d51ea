"""Pictures of the app as a person sees it: ``python -m ui.screenshots OUTDIR``.

Renders the main window offscreen on a throwaway database of made-up cases and saves PNGs:

* ``main-window.png``: all cases, newest first;
* ``overdue.png``: the Overdue quick view, most overdue first;
* ``no-match.png``: a filter that matches nothing;
* ``empty-database.png``: the first run, before any case is recorded.

The cases come from the demo generator (:func:`caseworker.services.demo.generate_demo`, as
``caseworker demo`` makes them) with a fixed seed and a fixed "today" (Wednesday 25 November
2026), so that the pictures are the same on every run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

TODAY = dt.date(2026, 11, 25)
LOGIN = "jbloggs"
SIZE = (1366, 768)
CASES = 400
SEED = 2026


def render(outdir: Path, count: int = CASES) -> list[Path]:
    """Save the screenshots in ``outdir``; the files written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt

    from caseworker.bootstrap import open_app
    from caseworker.services.caselist import CaseList, QuickView
    from caseworker.services.demo import generate_demo
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
                    generate_demo(app.engine, cases, seed=SEED, today=TODAY)
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
    parser.add_argument("--cases", type=int, default=CASES, help=f"how many demo cases ({CASES})")
    args = parser.parse_args(argv)
    for path in render(args.outdir, args.cases):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
