"""Pictures of search, previous complaints and Today: ``python -m caseworker_ui.screenshots.finding
OUTDIR``.

On a throwaway database of made-up cases (the demo generator, fixed seed, "today" Wednesday
25 November 2026, as :mod:`caseworker_ui.screenshots.main`), the officer with most live cases signs
in and:

* ``today.png``: the main window's first screen, their Today list;
* ``search.png``: a search for a street, results grouped by case with the words in bold;
* ``previous-complaints.png``: the new-case form with a known complainant typed in, their
  earlier cases listed and the likely duplicate flagged;
* ``case-file/previous-complaints.png``: a case file's Overview with the same person's other
  cases.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

from caseworker_ui.screenshots.main import SIZE  # 1366×768, or as the environment says

TODAY = dt.date(2026, 11, 25)
LOGIN = "jbloggs"
CASES = 400
SEED = 2026


def _settle(qt_app, rounds: int = 6) -> None:
    for _ in range(rounds):
        qt_app.processEvents()


def _until(qt_app, done, seconds: float = 30) -> None:  # noqa: ANN001
    """Events processed until ``done()`` (work on a worker thread reports back), or fail."""
    import time

    end = time.monotonic() + seconds
    while not done():
        if time.monotonic() > end:
            raise TimeoutError("the window did not finish loading")
        qt_app.processEvents()
        time.sleep(0.005)


def render(outdir: Path, count: int = CASES) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QDate, QSettings
    from sqlalchemy import func, select

    from caseworker.bootstrap import open_app
    from caseworker.demo import generate_demo
    from caseworker.domain.enums import CaseStatus
    from caseworker.services.cases import casefile, intake
    from caseworker.services.context import Context
    from caseworker.services.lists.caselist import CaseFilter, CaseList, CaseSort, SortKey
    from caseworker.services.officers import list_officers
    from caseworker.storage.models import Case, Officer
    from caseworker_ui.app import application
    from caseworker_ui.case_window import CaseWindow
    from caseworker_ui.dialogs.new_case import NewCaseDialog
    from caseworker_ui.main_window import MainWindow
    from caseworker_ui.today import SETTING

    qt_app = application()
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def save(widget, name: str) -> None:
        _settle(qt_app)
        path = outdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not widget.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        written.append(path)

    with tempfile.TemporaryDirectory() as folder:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        QSettings().setValue(SETTING, 5)
        app = open_app(f"sqlite:///{Path(folder) / 'caseworker.sqlite'}", actor=LOGIN)
        try:
            generate_demo(app.engine, count, seed=SEED, today=TODAY)
            cases = CaseList(app.context(today=lambda: TODAY))
            live = frozenset({CaseStatus.OPEN, CaseStatus.SUSPENDED})
            officers = [o.id for o in list_officers(app.context()) if o.active]
            with app.uow() as uow:  # the officer with most live cases signs in
                load = dict(
                    uow.session.execute(
                        select(Case.officer_id, func.count())
                        .where(Case.status.in_(live))
                        .group_by(Case.officer_id)
                    ).all()
                )
            busiest = max(officers, key=lambda o: load.get(o, 0))
            with app.uow() as uow:  # set-up, not a person's act: LOGIN is the busiest officer
                uow.session.get(Officer, busiest).login = LOGIN
                uow.commit()
            desk = Context(app.sessions, actor=LOGIN, today=lambda: TODAY)
            add_work(desk, cases)
            window = MainWindow(cases, database="caseworker.sqlite", desk=desk)
            window.resize(*SIZE)
            window.show()
            _settle(qt_app)
            # Today is read on a worker thread
            _until(qt_app, lambda: window.today_view is not None and window.today_view.today)
            _until(qt_app, lambda: not window.today_view.loading)
            _settle(qt_app)
            save(window, "today.png")

            # A search for words of the complaints: several cases, several places in each. The
            # officer sees their own cases only: the words come from the first of them.
            window.search_panel.box.setText(_words_of_their_cases(desk, cases))
            window.search_panel.run()
            _until(qt_app, lambda: not window.search_panel.searching)  # on a worker thread
            _settle(qt_app)
            save(window, "search.png")
            window.search_panel.box.clear()

            # The officer's newest live case with a complainant: its complainant complains again.
            rows = cases.page(
                CaseFilter(statuses=live, officer_id=busiest),
                CaseSort(SortKey.RECEIVED, True),
                limit=50,
            )
            person = None
            for row in rows:
                case = casefile.load_case_file(desk, row.summary.id)
                if case.complainant is not None and case.complainant.email:
                    person = case
                    break
            assert person is not None

            # The same person complaining again about the same service.
            form = NewCaseDialog(desk, window)
            form.resize(*SIZE)
            form.policy_combo.setCurrentIndex(form.policy_combo.findData(person.policy_id))
            form.service_edit.setText(person.service_area)
            form.first_aware_edit.setDate(QDate(2026, 11, 9))
            form.name_edit.setText(person.complainant.name)
            form.address_edit.setPlainText(person.complainant.address)
            form.postcode_edit.setText(person.complainant.postcode)
            form.email_edit.setText(person.complainant.email)
            form.summary_edit.setPlainText("Still waiting for the council to put this right.")
            form.received_edit.setDate(QDate(TODAY.year, TODAY.month, TODAY.day))
            form.run_triage()
            form.previous_panel.refresh()
            form.show()
            form.scroll.ensureWidgetVisible(form.name_edit, 40, 200)
            save(form, "previous-complaints.png")
            again = intake.create_case(desk, form.new_case())  # recorded anyway
            form.close()
            form.deleteLater()
            with app.uow() as uow:  # and given to the officer, who sees their own cases
                uow.session.get(Case, again.id).officer_id = busiest
                uow.commit()

            case_window = CaseWindow(desk, again.id)
            case_window.resize(*SIZE)
            case_window.show()
            case_window.overview.scroll.ensureWidgetVisible(case_window.overview.previous_panel)
            save(case_window, "case-file/previous-complaints.png")
            case_window.close()
            window.close()
            _settle(qt_app)
        finally:
            app.close()
    return written


def add_work(desk, cases) -> None:
    """Work on the officer's own cases as they would have left it: an action promised for
    tomorrow. (An extension untold cannot be made through the app: extending needs the date the
    complainant was told.)"""
    from caseworker.services.cases import casefile
    from caseworker.services.investigation import issues as investigation
    from caseworker.services.lists.caselist import CaseFilter, CaseSort, QuickView, SortKey

    mine = cases.page(CaseFilter(view=QuickView.MINE), CaseSort(SortKey.DUE, True), limit=20)
    files = [casefile.load_case_file(desk, row.summary.id) for row in mine]
    live = [f for f in files if f.status.value in ("open", "suspended")]
    with_issues = [f for f in live if f.issues]
    if with_issues:
        investigation.update_issue(
            desk,
            with_issues[0].issues[0].id,
            action="Repair the broken gate latch and write to confirm it is done",
            action_due=TODAY + dt.timedelta(days=1),
        )


def _words_of_their_cases(desk, cases) -> str:  # noqa: ANN001
    """Two long words of the first point of the signed-in officer's newest case (the demo's
    points repeat across cases, so the search finds several)."""
    from caseworker.services.cases import casefile
    from caseworker.services.lists.caselist import CaseFilter, CaseSort, SortKey

    for row in cases.page(CaseFilter(), CaseSort(SortKey.RECEIVED, False), limit=20):
        case = casefile.load_case_file(desk, row.summary.id)
        if case.issues:
            words = [w.strip(".,;:") for w in case.issues[0].summary.split()]
            longest = sorted({w.lower() for w in words if w.isalpha()}, key=len, reverse=True)
            return " ".join(longest[:2])
    return "complaint"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--cases", type=int, default=CASES)
    args = parser.parse_args(argv)
    for path in render(args.outdir, args.cases):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
