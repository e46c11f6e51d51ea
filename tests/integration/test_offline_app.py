"""Offline from the app, on a real PostgreSQL team database: Lee (a line manager) takes two of her
cases offline from the case list, the team database becomes unreachable (a URL to a closed
port), the app opens on her copy with the offline bar and team actions off with the reason; she
drafts notes, a finding and a letter; a colleague changes one of the cases meanwhile; back on the
network she brings the work back: the central records and the audit trail have it, the case
changed on both sides is decided in the side-by-side conflict window, and the copy is gone."""

from __future__ import annotations

import datetime as dt
import json
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtWidgets import QApplication, QPushButton
from sqlalchemy import select

import caseworker_ui.app
import caseworker_ui.offline
from caseworker.bootstrap import open_app
from caseworker.domain.enums import CaseStatus, Channel, RouteId
from caseworker.policy.loader import get_policy
from caseworker.services.cases.records import refresh_clock
from caseworker.services.team.concurrency import save_case_edits
from caseworker.services.team.offline_copy import find_copy, offline_dir
from caseworker.storage.models import AuditEvent, Case, Checkout, Complainant, Issue, Letter
from caseworker_ui.dialogs.conflict import ConflictDialog
from caseworker_ui.launch import open_database
from tests.officers import add_team

pytestmark = pytest.mark.postgres

TODAY = dt.date(2026, 11, 25)
CLOSED_PORT = "postgresql+psycopg://lee@127.0.0.1:1/caseworker"
REFS = ["CW-2026-00101", "CW-2026-00102", "CW-2026-00103"]


@pytest.fixture
def team(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The team database with Lee's three open cases; every app opened on it acts as Lee (her
    database login, as on a council's server)."""
    monkeypatch.setattr("caseworker.bootstrap.database_login", lambda engine: None)
    monkeypatch.setattr("caseworker.bootstrap.current_login", lambda: "lee")
    central = open_app(pg_url, actor="lee")
    ids = add_team(central)
    with central.uow() as uow:
        for n, reference in enumerate(REFS, start=1):
            row = Case(
                reference=reference,
                policy_id="stockport",
                route=RouteId.CORPORATE,
                stage=1,
                status=CaseStatus.OPEN,
                received=dt.date(2026, 11, n + 1),
                channel=Channel.EMAIL,
                service_area="Waste",
                summary=f"Bins missed, case {n}",
                officer_id=ids["lee"],
                complainant=Complainant(name=f"Pat Doe {n}", address=f"{n} High Street"),
            )
            row.issues = [Issue(number=1, summary="Missed three weeks running")]
            refresh_clock(row, get_policy("stockport"))
            uow.session.add(row)
        uow.commit()
    yield central
    central.close()


def case_id(app: Any, reference: str) -> int:
    with app.uow() as uow:
        return uow.session.scalars(select(Case.id).where(Case.reference == reference)).one()


def answer_later(button: str, seen: list[dict[str, Any]]) -> QTimer:
    """Click ``button`` in the conflict window when it shows, noting what it showed."""

    def act() -> None:
        for dialog in QApplication.topLevelWidgets():
            if isinstance(dialog, ConflictDialog) and dialog.isVisible():
                if any(s["dialog"] is dialog for s in seen):
                    return
                seen.append(
                    {
                        "dialog": dialog,
                        "title": dialog.windowTitle(),
                        "panes": {
                            key: tuple(p.toPlainText() for p in panes)
                            for key, panes in dialog.panes.items()
                        },
                    }
                )
                dialog.findChild(QPushButton, button).click()

    timer = QTimer()
    timer.timeout.connect(act)
    timer.start(20)
    return timer


def test_take_offline_work_with_no_network_and_bring_it_back(
    team: Any, pg_url: str, qtbot: Any, monkeypatch: pytest.MonkeyPatch, isolated_home: Path
) -> None:
    told: list[str] = []
    monkeypatch.setattr(
        caseworker_ui.offline.QMessageBox,
        "information",
        lambda parent, title, text: told.append(f"{title}: {text}"),
    )
    reports: list[str] = []
    monkeypatch.setattr(caseworker_ui.offline, "show_report", lambda parent, r: reports.append(r))
    # The council's own letter template folder: carried with the copy.
    (isolated_home / "letter_templates").mkdir(parents=True)
    (isolated_home / "letter_templates" / "README.txt").write_text("our wording")

    # 1. On the network: select two cases in the list and take them offline.
    window = caseworker_ui.app.main_window(team)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    table, model = window.table, window.model
    rows = {model.index(r, model.REFERENCE).data(): r for r in range(model.rowCount())}
    for reference in REFS[:2]:
        table.selectionModel().select(
            model.index(rows[reference], 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    take = next(
        a
        for a in window.findChildren(type(window.quit_action))
        if a.objectName() == "takeSelectedOffline"
    )
    take.trigger()
    assert told and "are on this laptop now" in told[-1]
    assert all(reference in told[-1] for reference in REFS[:2]) and REFS[2] not in told[-1]
    folder = offline_dir()
    copy = find_copy()
    assert copy is not None and copy.references == tuple(REFS[:2]) and copy.taken_by == "lee"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path
    assert (folder / "letter_templates" / "README.txt").read_text() == "our wording"
    assert window.offline_bar.isVisible()  # while the copy is out, the team window says so
    assert "CW-2026-00101" in window.offline_bar.detail.text()
    window.close()

    # Meanwhile, a colleague changes case 2 centrally (the both-sides conflict to come).
    bob = team.context(actor="cam")
    second = case_id(team, REFS[1])
    with team.uow() as uow:
        version = uow.session.get(Case, second).version
    with bob.unit() as uow:
        save_case_edits(uow, second, version, {"steps_taken": "Cam phoned the depot"})

    # 2. No network: the app opens on the copy, says so, and keeps team actions off.
    down, message = open_database(CLOSED_PORT)
    assert down is None and "database server is running" in message
    started: list[str] = []
    monkeypatch.setattr(
        caseworker_ui.app,
        "run_without_team",
        lambda url, why, opener: started.append(url) or 0,
    )
    from caseworker_ui.launch import run_app

    class Args:
        db = CLOSED_PORT

    assert run_app(Args()) == 0 and started == [CLOSED_PORT]  # not a dead end

    offline = caseworker_ui.app.open_without_team(CLOSED_PORT, message, open_database)
    qtbot.addWidget(offline)
    offline.show()
    mode = offline.offline
    mode.timer.stop()
    bar = mode.bar
    assert offline.findChildren(caseworker_ui.offline.OfflineBar) == [bar]
    assert bar.isVisible() and "cannot be reached" in bar.title.text()
    assert "CW-2026-00101, CW-2026-00102" in bar.detail.text()
    assert offline.windowTitle().endswith("offline copy")
    qtbot.waitUntil(lambda: offline.model.rowCount() == 2)
    allocate = next(
        a
        for a in offline.findChildren(type(offline.quit_action))
        if a.objectName() == "allocateAction"
    )
    assert not allocate.isEnabled() and "offline copy" in allocate.toolTip()
    copy_desk = offline.desk
    assert copy_desk.actor == "lee"

    # Drafting on the copy, in the case window: a note, a finding with its reasons, a letter.
    first_copy = case_id(offline.app, REFS[0])
    second_copy = case_id(offline.app, REFS[1])
    case_window = offline.open_case(first_copy)
    assert case_window is not None
    qtbot.waitExposed(case_window)
    issues = case_window.issues
    case_window.tabs.setCurrentWidget(issues)
    issues.kind_combo.setFocus()  # a note's kind is always chosen: "Choose…" → Fact
    qtbot.keyClick(issues.kind_combo, Qt.Key.Key_Down)
    issues.note_edit.setFocus()
    qtbot.keyClicks(issues.note_edit, "Visited: the bins were not emptied.")
    qtbot.keyClick(issues.add_note_button, Qt.Key.Key_Space)
    issues.finding_combo.setFocus()
    upheld = issues.finding_combo.findText("Upheld")
    while issues.finding_combo.currentIndex() != upheld:
        qtbot.keyClick(issues.finding_combo, Qt.Key.Key_Down)
    explanation = issues.text_edits["explanation"]
    explanation.setFocus()
    qtbot.keyClicks(explanation, "The crew missed it.")
    assert case_window.save_now()
    case_window.tabs.setCurrentWidget(case_window.letters)
    # The drafted letter still fails a check or two: the officer gives the reason to keep it.
    monkeypatch.setattr(
        "caseworker_ui.discard.ask_reason", lambda *a: ("Draft to finish at the office", True)
    )
    qtbot.keyClick(case_window.letters.save_button, Qt.Key.Key_Space)
    assert "Saved on the case as" in case_window.letters.error_bar.label.text()
    case_window.close()
    with offline.app.uow() as uow:
        letter_files = uow.session.scalars(
            select(Letter.filename).where(Letter.case_id == first_copy)
        ).all()
        version = uow.session.get(Case, second_copy).version
    assert len(letter_files) == 1
    with copy_desk.unit() as uow:  # case 2: what Lee did on her visit, as Cam did centrally
        save_case_edits(uow, second_copy, version, {"steps_taken": "Lee visited the street"})

    # 3. Back on the network: the check finds the team database, the bar offers, she brings it
    # back; case 2's conflict is shown side by side and she keeps hers.
    mode.probe.url = pg_url
    mode.probe.start()
    qtbot.waitUntil(lambda: mode.team_app is not None, timeout=15000)
    assert "can be reached again" in bar.title.text()
    seen: list[dict[str, Any]] = []
    timer = answer_later("keepMine", seen)
    switched: list[Any] = []
    mode.switch = switched.append
    qtbot.mouseClick(bar.button, qtbot_left())
    timer.stop()
    assert len(seen) == 1 and REFS[1] in seen[0]["title"]
    was, theirs, mine = seen[0]["panes"][("case", "steps_taken")]
    assert (theirs, mine) == ("Cam phoned the depot", "Lee visited the street")
    assert reports and not find_copy() and not folder.exists()  # everything back: copy removed
    assert switched  # the window moves to the team database

    # The central records and the audit trail.
    with team.uow() as uow:
        first = uow.session.get(Case, case_id(team, REFS[0]))
        issue = first.issues[0]
        assert issue.finding is not None and issue.finding.value == "upheld"
        assert issue.explanation == "The crew missed it."
        assert [n.text for n in issue.notes] == ["Visited: the bins were not emptied."]
        assert (
            uow.session.scalars(select(Letter.filename).where(Letter.case_id == first.id)).all()
            == letter_files
        )
        assert uow.session.get(Case, case_id(team, REFS[1])).steps_taken == "Lee visited the street"
        trail = uow.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.origin.like("offline copy%"))
            .order_by(AuditEvent.id)
        ).all()
        assert {e.actor for e in trail} == {"lee"}
        assert ("issues", "finding") in {(e.entity, e.field) for e in trail}
        assert any(e.entity == "notes" and e.action == "create" for e in trail)
        assert any(e.entity == "letters" and e.action == "create" for e in trail)
        assert any("kept over a central change" in e.origin for e in trail)
        checkouts = uow.session.scalars(select(Checkout).order_by(Checkout.id)).all()
        assert {c.case_id: (c.checked_in_by, c.result) for c in checkouts} == {
            first.id: ("lee", "applied"),
            case_id(team, REFS[1]): ("lee", "kept-mine"),
        }
        check_ins = uow.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "check-in")
        ).all()
        assert sorted(json.loads(e.new_value)["result"] for e in check_ins) == [
            "applied",
            "kept-mine",
        ]
    mode.close()
    switched[0].close()


def qtbot_left() -> Any:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
