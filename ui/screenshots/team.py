"""Pictures of working as a team: ``python -m caseworker_ui.screenshots.team OUTDIR``.

On a throwaway database of demo cases (fixed seed and "today", as
:mod:`caseworker_ui.screenshots.main`):

* ``team-conflict.png``: the dialog shown when a colleague saved the same fields first;
* ``team-unsaved-text.png``: the case window after "Reload theirs", with the text kept to copy
  and a colleague's later change announced in the bar;
* ``team-checked-out.png``: the case list with a case checked out to a colleague's laptop, its
  tooltip showing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from caseworker_ui.screenshots.main import SEED, SIZE, TODAY

CASES = 120


def render(outdir: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtWidgets import QToolTip
    from sqlalchemy import select

    from caseworker.bootstrap import open_app
    from caseworker.demo import generate_demo
    from caseworker.domain.enums import Role
    from caseworker.services.cases import casefile
    from caseworker.services.context import Context
    from caseworker.services.lists.caselist import CaseFilter, CaseList, CaseSort, QuickView
    from caseworker.services.team.concurrency import EditConflict
    from caseworker.services.team.editing import CaseEditor
    from caseworker.services.team.offline import check_out
    from caseworker.storage.models import Officer
    from caseworker_ui.app import application
    from caseworker_ui.case_window import CaseWindow
    from caseworker_ui.dialogs.conflict import ConflictDialog
    from caseworker_ui.live import show_changes
    from caseworker_ui.main_window import MainWindow
    from caseworker_ui.models.case_list import CaseListModel

    qt_app = application()
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def settle() -> None:
        for _ in range(5):
            qt_app.processEvents()

    def save(widget, name: str) -> None:
        settle()
        path = outdir / name
        if not widget.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        written.append(path)

    with tempfile.TemporaryDirectory() as folder:
        app = open_app(f"sqlite:///{Path(folder) / 'team.sqlite'}", actor="tester")
        try:
            generate_demo(app.engine, CASES, seed=SEED, today=TODAY)
            with app.uow() as uow:
                for name, login in (("Terry Tester", "tester"), ("Jo Bloggs", "jbloggs")):
                    if uow.session.scalar(select(Officer).where(Officer.login == login)) is None:
                        uow.session.add(
                            Officer(
                                name=name,
                                email=f"{login}@council.example",
                                role=Role.COMPLAINTS_MANAGER,
                                service_area="Corporate complaints",
                                login=login,
                                active=True,
                            )
                        )
                uow.commit()
            me = Context(app.sessions, actor="tester", today=lambda: TODAY)
            jo = Context(app.sessions, actor="jbloggs", today=lambda: TODAY)
            cases = CaseList(app.context(actor="tester", today=lambda: TODAY))
            live = [
                r
                for r in cases.page(CaseFilter(view=QuickView.UNALLOCATED), CaseSort())
                if r.summary.status.value == "open"
            ]
            away, worked = live[1].summary, live[0].summary

            # The list, with one case checked out to Jo's laptop.
            window = MainWindow(cases, database="team.sqlite", desk=me)
            window.resize(*SIZE)
            window.show()
            window.show_view(QuickView.ALL)  # it opens on Today: the list is what is pictured
            check_out(
                app.context(actor="jbloggs", today=lambda: TODAY),
                [away.reference],
                Path(folder) / "jo-laptop.sqlite",
                machine="LAPTOP-JB07",
            )
            show_changes(window, {away.id})
            row = window.model.row_of(away.id)
            window.table.selectRow(row)
            settle()
            rect = window.table.visualRect(window.model.index(row, CaseListModel.STATUS))
            QToolTip.showText(
                window.table.viewport().mapToGlobal(rect.center() + QPoint(0, 8)),
                window.model.index(row, CaseListModel.STATUS).data(Qt.ItemDataRole.ToolTipRole),
                window.table,
            )
            settle()
            path = outdir / "team-checked-out.png"
            screen = window.screen().grabWindow(0, window.x(), window.y(), *SIZE)
            if screen.isNull() or screen.width() < 10:
                screen = window.grab()
            # Offscreen, the tooltip is its own window: paint it onto the picture of the list.
            from PySide6.QtGui import QPainter
            from PySide6.QtWidgets import QApplication

            picture = window.grab()
            tip = next(
                (
                    w
                    for w in QApplication.topLevelWidgets()
                    if w.inherits("QTipLabel") and w.isVisible()
                ),
                None,
            )
            if tip is not None:
                painter = QPainter(picture)
                # Where it shows on a real screen: under the row's status, inside the window (the
                # offscreen screen is smaller than the window, and Qt moved the tip to fit it).
                at = window.table.viewport().mapTo(window, rect.center() + QPoint(0, 12))
                at.setX(max(0, min(at.x(), window.width() - tip.width() - 4)))
                painter.drawPixmap(at, tip.grab())
                painter.end()
            picture.save(str(path))
            written.append(path)
            QToolTip.hideText()

            # Two people typing in the same case.
            mine = CaseWindow(me, worked.id)
            mine.resize(*SIZE)
            mine.show()
            number = casefile.load_case_file(me, worked.id).issues[0].number
            theirs = CaseEditor(jo, worked.id)
            theirs.change_issue(
                number, "remedy", "Collect the bin the same day and apologise in writing."
            )
            theirs.change_issue(number, "finding", "partially-upheld")
            theirs.save()
            editor = mine.editor
            editor.change_issue(
                number,
                "remedy",
                "Apologise, refund the missed collection "
                "charge and add her to the assisted collection list.",
            )
            editor.change_case(
                "steps_taken",
                "I read the crew's round sheets for November and spoke to the crew supervisor.",
            )
            try:
                editor.save()
            except EditConflict as conflict:
                dialog = ConflictDialog(conflict, "Jo Bloggs", mine)
                dialog.show()
                save(dialog, "team-conflict.png")
                dialog.close()
                case_changes, issue_changes = editor.reload()
                mine.unsaved_panel.keep(
                    "Jo Bloggs",
                    [
                        ("Steps taken to investigate", case_changes["steps_taken"]),
                        (f"Issue {number} — Remedy", issue_changes[number]["remedy"]),
                    ],
                )
                mine.reload()
            later = CaseEditor(jo, worked.id)
            later.change_issue(number, "lesson_learnt", "Crews check the assisted list daily.")
            later.save()
            mine.notice_change()
            mine.tabs.setCurrentWidget(mine.issues)
            save(mine, "team-unsaved-text.png")
            mine.saver.forget(lambda _key: True)
            mine.close()
            window.close()
        finally:
            app.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    args = parser.parse_args(argv)
    for path in render(args.outdir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
