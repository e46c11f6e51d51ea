"""`python -m caseworker_ui.screenshots.offline OUTDIR`: the offline screens at 1366×768.

A team database (SQLite standing in for the council's server, which looks the same), an officer
who takes two cases offline, a start with the team database unreachable (the offline bar), work
on the copy while a colleague changes one of the cases, then bringing the work back: the conflict
window, and what was brought back. Dialogs are pictured over the window they belong to.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

SIZE = (1366, 768)
UNREACHABLE = "postgresql+psycopg://lee@dbserver.council.example:5432/complaints"


def render(outdir: Path) -> list[Path]:
    """Save the screenshots in ``outdir``; the files written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    folder = tempfile.mkdtemp(prefix="caseworker-offline-shots-")
    os.environ["CASEWORKER_HOME"] = str(Path(folder) / "home")
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QColor, QPainter
    from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

    from caseworker.bootstrap import open_app
    from caseworker.domain.caselist import QuickView
    from caseworker.domain.enums import CaseStatus, Channel, Role, RouteId
    from caseworker.policy.loader import get_policy
    from caseworker.services.cases.records import refresh_clock
    from caseworker.services.investigation import issues as investigation
    from caseworker.services.team.concurrency import save_case_edits
    from caseworker.services.team.offline_copy import take_offline
    from caseworker.storage.models import Case, Complainant, Issue, Officer
    from caseworker_ui.app import application, main_window, open_without_team
    from caseworker_ui.dialogs.conflict import ConflictDialog

    qt_app = application()
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def settle() -> None:
        for _ in range(5):
            qt_app.processEvents()

    def shoot(widget: QWidget, name: str, under: QWidget | None = None) -> None:
        """``widget`` as the screen shows it: a dialog over the window ``under`` it."""
        settle()
        path = outdir / name
        shot = widget.grab()
        if under is not None:
            screen = under.grab()
            painter = QPainter(screen)
            painter.fillRect(screen.rect(), QColor(0, 0, 0, 70))
            painter.drawPixmap(
                (screen.width() - shot.width()) // 2,
                (screen.height() - shot.height()) // 2,
                shot,
            )
            painter.end()
            shot = screen
        if not shot.save(str(path)):
            raise OSError(f"could not write {path}")
        written.append(path)

    team_url = f"sqlite:///{Path(folder) / 'team.sqlite'}"
    team = open_app(team_url, actor="lee")
    with team.uow() as uow:
        officers = {
            login: Officer(
                name=name,
                email=f"{login}@council.example",
                role=role,
                service_area="Waste",
                login=login,
                active=True,
            )
            for login, name, role in (
                ("lee", "Lee Line", Role.LINE_MANAGER),
                ("cam", "Cam Chief", Role.COMPLAINTS_MANAGER),
            )
        }
        uow.session.add_all(officers.values())
        uow.session.flush()
        for n, (name, summary) in enumerate(
            (
                ("Pat Doe", "Bins missed three weeks running"),
                ("Sam Reid", "Crew blocked the drive"),
                ("Ola Ade", "Assisted collection not done"),
            ),
            start=1,
        ):
            row = Case(
                reference=f"CW-2026-0010{n}",
                policy_id="stockport",
                route=RouteId.CORPORATE,
                stage=1,
                status=CaseStatus.OPEN,
                received=dt.date.today() - dt.timedelta(days=3 + n),
                channel=Channel.EMAIL,
                service_area="Waste",
                summary=summary,
                officer_id=officers["lee"].id,
                complainant=Complainant(name=name, address=f"{n} High Street"),
            )
            row.issues = [Issue(number=1, summary=summary)]
            refresh_clock(row, get_policy("stockport"))
            uow.session.add(row)
        uow.commit()
    take_offline(team.context(), ["CW-2026-00101", "CW-2026-00102"])

    team_window = main_window(team)
    team_window.resize(*SIZE)
    team_window.show()
    shoot(team_window, "team-with-copy-out.png")
    team_window.close()

    # Meanwhile, Cam changes case 102 in the team database.
    with team.uow() as uow:
        case = uow.session.query(Case).filter_by(reference="CW-2026-00102").one()
        case_id, version = case.id, case.version
    with team.context(actor="cam").unit() as uow:
        save_case_edits(uow, case_id, version, {"steps_taken": "Phoned the depot manager."})

    down = "Caseworker could not open the database\n" + UNREACHABLE

    def opener(url: str) -> tuple[Any, str]:
        if url == UNREACHABLE:
            return None, down
        return open_app(url, actor="lee"), ""  # Lee's login on the team's server

    window = open_without_team(UNREACHABLE, down, opener)
    window.resize(*SIZE)
    window.show()
    mode = window.offline  # type: ignore[attr-defined]
    mode.timer.stop()
    shoot(window, "offline-bar.png")
    window.show_view(QuickView.ALL)  # type: ignore[attr-defined]
    window.show_list()  # type: ignore[attr-defined]
    shoot(window, "offline-list.png")  # the cases on the copy, marked checked out

    desk = window.desk  # type: ignore[attr-defined]
    copy_app = window.app  # type: ignore[attr-defined]
    with copy_app.uow() as uow:
        case = uow.session.query(Case).filter_by(reference="CW-2026-00102").one()
        copy_case, issue_id = case.id, case.issues[0].id
    investigation.add_note(desk, issue_id, "fact", "Visited: the drive was blocked for an hour.")
    with desk.unit() as uow:
        version = uow.session.get(Case, copy_case).version
        save_case_edits(uow, copy_case, version, {"steps_taken": "Visited the street."})

    # Back on the network: the bar offers, then the conflict window and the report.
    mode.probe.url = team_url
    mode.probe.start()
    mode.probe.wait(10)
    settle()
    shoot(window, "offline-bar-reachable.png")

    def when_shown(kind: type, act: Callable[[Any], None]) -> QTimer:
        done: list[Any] = []

        def check() -> None:
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, kind) and widget.isVisible() and widget not in done:
                    done.append(widget)
                    act(widget)

        timer = QTimer()
        timer.timeout.connect(check)
        timer.start(50)
        return timer

    def conflict(dialog: ConflictDialog) -> None:
        shoot(dialog, "offline-conflict.png", window)
        button = dialog.findChild(QPushButton, "keepMine")
        assert button is not None
        button.click()

    def report(box: QMessageBox) -> None:
        shoot(box, "offline-brought-back.png", window)
        box.accept()

    timers = [when_shown(ConflictDialog, conflict), when_shown(QMessageBox, report)]
    mode.switch = lambda app: app.close()
    mode.bring_back_now()
    for timer in timers:
        timer.stop()
    window.close()
    copy_app.close()
    team.close()
    shutil.rmtree(folder, ignore_errors=True)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m caseworker_ui.screenshots.offline",
        description="Render the offline screens to PNG files.",
    )
    parser.add_argument("outdir", type=Path, help="folder to write the PNG files to")
    args = parser.parse_args(argv)
    for path in render(args.outdir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
