"""Pictures of the managers' windows on demo data:
``python -m caseworker_ui.screenshots.managers OUTDIR``.

Made like :mod:`caseworker_ui.screenshots.main` (the demo generator with a fixed seed and "today",
the login linked to a complaints manager as ``caseworker demo`` does):

* ``allocation.png``: the allocation view with a waiting case and an officer chosen and a
  conflict of interest showing;
* ``reports.png``: Reports on the financial year so far;
* ``officers.png``: Manage ▸ Officers, the team with the first officer's record in the form.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from caseworker_ui.screenshots.main import LOGIN, SEED, SIZE, TODAY


def render(outdir: Path, count: int = 400) -> Path:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from sqlalchemy import select

    from caseworker.bootstrap import open_app
    from caseworker.demo import generate_demo
    from caseworker.services.cases import allocation
    from caseworker.services.officers import link_to_complaints_manager
    from caseworker.storage.models import Case, CaseSubject
    from caseworker_ui.app import application
    from caseworker_ui.managers.allocation import AllocationWindow

    qt_app = application()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app = open_app(f"sqlite:///{Path(folder) / 'caseworker.sqlite'}", actor=LOGIN)
        try:
            generate_demo(app.engine, count, seed=SEED, today=TODAY)
            link_to_complaints_manager(app.context())
            ctx = app.context(actor=LOGIN, today=lambda: TODAY)
            waiting = allocation.allocation_queue(ctx)
            loads = allocation.officer_loads(ctx)
            if waiting:  # the first waiting case is about one of the officers: the conflict
                busiest = max(loads, key=lambda load: load.open_cases)
                with app.uow() as uow:
                    case = uow.session.get(Case, waiting[0].row.id)
                    if not any(s.officer_id == busiest.officer_id for s in case.subjects):
                        case.subjects.append(
                            CaseSubject(officer_id=busiest.officer_id, name=busiest.name)
                        )
                    uow.commit()
                    assert uow.session.scalar(select(Case.id).where(Case.id == case.id))
            window = AllocationWindow(ctx)
            window.resize(*SIZE)
            window.show()
            while window.loading:  # the queue and loads are read on a worker thread
                qt_app.processEvents()
            if waiting:
                window.queue_table.selectRow(0)
                row = window.load_model.row_of(busiest.officer_id)
                window.loads_table.selectRow(row)
                window.loads_table.scrollTo(window.load_model.index(row, 0))
            for _ in range(5):
                qt_app.processEvents()
            path = outdir / "allocation.png"
            if not window.grab().save(str(path)):
                raise OSError(f"could not write {path}")
            window.close()
            _reports_and_officers(ctx, outdir, qt_app)
        finally:
            app.close()
    return path


def _reports_and_officers(ctx, outdir: Path, qt_app) -> None:  # noqa: ANN001
    import datetime as dt
    import time

    from caseworker.reports import Period
    from caseworker_ui.managers.officers import OfficersWindow
    from caseworker_ui.reports.dashboard import ReportsWindow

    def save(window, name: str) -> None:  # noqa: ANN001
        for _ in range(5):
            qt_app.processEvents()
        path = outdir / name
        if not window.grab().save(str(path)):
            raise OSError(f"could not write {path}")

    reports = ReportsWindow(ctx)
    reports.resize(*SIZE)
    reports.show()
    ready: list[bool] = []
    reports.report_ready.connect(lambda *_: ready.append(True))
    reports.set_period(Period(dt.date(2026, 4, 1), TODAY))
    reports.show_button.click()
    deadline = time.monotonic() + 120
    while not ready and time.monotonic() < deadline:
        qt_app.processEvents()
        time.sleep(0.02)
    save(reports, "reports.png")
    reports.close()

    officers = OfficersWindow(ctx)
    officers.resize(*SIZE)
    officers.show()
    save(officers, "officers.png")
    officers.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    args = parser.parse_args(argv)
    print(render(args.outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
