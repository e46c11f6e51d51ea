"""Offline copies: cases checked out to a SQLite file with their records, worked on with no
connection to the central database, and checked back in: changed only in the copy → applied;
changed only centrally → the copy set aside with a message; changed on both sides → not
overwritten, listed field by field until decided with --keep. Only the officer's own work goes
out and comes back: a case they may not change is refused at check-out and at check-in, and what
comes back is recorded field by field, by the officer checking in, at the time it was made
offline, never with a name from the copy. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from caseworker.bootstrap import open_app
from caseworker.cli.main import main
from caseworker.domain import rules
from caseworker.domain.enums import Channel, LetterKind, NoteKind, RouteId
from caseworker.domain.refusals import NotPermitted
from caseworker.services.team.concurrency import save_case_edits
from caseworker.services.team.offline import (
    CheckinReport,
    OfflineError,
    Outcome,
    check_in,
    check_out,
    checked_out,
)
from caseworker.storage.models import (
    AuditEvent,
    Case,
    Checkout,
    Complainant,
    Issue,
    Letter,
    Note,
)
from tests.officers import add_team, complaints_managers

LETTER = b"PK\x03\x04 the acknowledgement letter " * 50


def seed(app: Any) -> dict[str, int]:
    ids = {}
    with app.uow() as uow:
        for n in range(1, 6):
            case = Case(
                reference=f"CW-2026-0000{n}",
                policy_id="stockport",
                route=RouteId.CORPORATE,
                received=dt.date(2026, 11, n),
                channel=Channel.EMAIL,
                service_area="Waste",
                summary=f"Case {n}",
                complainant=Complainant(name=f"Person {n}", address="1 High Street"),
            )
            case.issues = [
                Issue(number=1, summary="Bins missed"),
                Issue(number=2, summary="Rude crew"),
            ]
            case.issues[0].notes.append(Note(kind=NoteKind.FACT, text="Crew sheet", author="bob"))
            case.letters.append(
                Letter(
                    kind=LetterKind.ACKNOWLEDGEMENT,
                    stage=1,
                    filename="ack.docx",
                    content=LETTER,
                    created_by="bob",
                )
            )
            uow.session.add(case)
            uow.commit()
            ids[case.reference] = case.id
    return ids


def one(app: Any, reference: str) -> Case:
    with app.uow() as uow:
        case = uow.session.scalars(select(Case).where(Case.reference == reference)).one()
        for issue in case.issues:
            _ = issue.notes
        _ = [letter.content for letter in case.letters], case.complainant
        return case


def version(app: Any, reference: str) -> int:
    return one(app, reference).version


@pytest.fixture
def keyboard(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Who the ``caseworker`` command acts as: the login at the keyboard (on PostgreSQL, the
    database login), set for the test."""

    def sign_in(login: str) -> None:
        monkeypatch.setattr("caseworker.bootstrap.current_login", lambda: login)
        monkeypatch.setattr("caseworker.bootstrap.database_login", lambda engine: None)

    return sign_in


def check_offline_round_trip(
    central_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    keyboard: Callable[[str], None],
) -> None:
    central = open_app(central_url, actor="bob")
    complaints_managers(central, "ann", "bob")  # the copy carries the officer records
    seed(central)
    ann = central.context(actor="ann")
    keyboard("ann")  # the command line acts as Ann, who checks in her own copy
    copy = tmp_path / "laptop" / "visits.sqlite"
    refs = ["CW-2026-00001", "CW-2026-00002", "CW-2026-00003", "CW-2026-00004"]
    done = check_out(ann, refs, copy, machine="ann-laptop")
    assert done.path == copy.resolve()

    # Colleagues see the cases are checked out, and cannot check them out again.
    with central.engine.connect() as connection:
        taken = checked_out(connection)
    assert sorted(info.reference for info in taken.values()) == refs
    info = next(iter(taken.values()))
    assert (info.checked_out_by, info.machine, info.file) == (
        "ann",
        "ann-laptop",
        str(copy.resolve()),
    )
    assert "checked out to an offline copy by ann on ann-laptop" in info.describe()
    bob = central.context(actor="bob")
    with pytest.raises(OfflineError, match="CW-2026-00001 is checked out .* by ann"):
        check_out(bob, ["CW-2026-00001"], tmp_path / "again.sqlite")
    with pytest.raises(OfflineError, match="there is no case CW-2099-00001"):
        check_out(bob, ["CW-2099-00001"], tmp_path / "none.sqlite")

    # The copy: just those cases, whole, with the same schema; the app opens it.
    laptop = open_app(f"sqlite:///{copy}", actor="ann")
    with laptop.uow() as uow:
        assert sorted(uow.session.scalars(select(Case.reference))) == refs
        assert uow.session.scalar(select(Letter.content).limit(1)) == LETTER
    first = one(laptop, "CW-2026-00001")
    assert [len(i.notes) for i in first.issues] == [1, 0]
    assert first.complainant is not None and first.complainant.name == "Person 1"

    # Offline work (no central database involved).
    with laptop.uow() as uow:  # 1: changed only in the copy
        save_case_edits(
            uow,
            first.id,
            first.version,
            {"summary": "Visited; bins seen"},
            issues={1: {"explanation": "The crew missed the bin"}},
        )
    with laptop.uow() as uow:
        issue = uow.session.scalars(
            select(Issue).where(Issue.case_id == first.id, Issue.number == 2)
        ).one()
        issue.notes.append(
            Note(
                kind=NoteKind.HEARSAY,
                text="Neighbour says the crew swore",
                source="neighbour",
                author="ann",
            )
        )
        uow.commit()
    third = one(laptop, "CW-2026-00003")  # 3: changed on both sides
    with laptop.uow() as uow:
        save_case_edits(
            uow, third.id, third.version, {"summary": "Ann's summary", "steps_taken": "Home visit"}
        )
    fourth = one(laptop, "CW-2026-00004")  # 4: both sides; the central version will be kept
    with laptop.uow() as uow:
        save_case_edits(uow, fourth.id, fourth.version, {"summary": "Ann's view of 4"})
    with laptop.uow() as uow:  # a case made offline has no central reference: not carried
        uow.session.add(
            Case(
                reference="CW-2026-09999",
                policy_id="stockport",
                route=RouteId.CORPORATE,
                received=dt.date(2026, 11, 20),
                channel=Channel.PHONE,
                service_area="Waste",
            )
        )
        uow.commit()
    laptop.close()

    # Meanwhile, centrally.
    for reference, summary in (
        ("CW-2026-00002", "Bob's change to 2"),
        ("CW-2026-00003", "Bob's summary"),
        ("CW-2026-00004", "Bob's view of 4"),
    ):
        with central.uow() as uow:
            save_case_edits(
                uow, one(central, reference).id, version(central, reference), {"summary": summary}
            )
    before = {ref: one(central, ref) for ref in refs}

    # Check in through the command line: 3 and 4 are left for a decision.
    assert main(["--db", central_url, "offline", "checkin", str(copy)]) == 1
    out = capsys.readouterr().out
    assert "CW-2026-00001: 3 change(s) made offline applied" in out
    assert (
        "CW-2026-00002: changed centrally since it was checked out (by bob) and not in "
        "the copy: the central version stands"
    ) in out
    assert "CW-2026-00003: changed on both sides since it was checked out (by bob " in out
    assert ("case summary: was Case 3, central Bob's summary, yours Ann's summary") in out
    assert "case steps_taken: was (blank), central (blank), yours Home visit" in out
    assert "--keep mine CW-2026-00003   (or --keep theirs CW-2026-00003)" in out
    assert "CW-2026-09999: created in the copy, not carried" in out

    # 1 applied: its changes, a new note with a new central id, the version moved on.
    now1 = one(central, "CW-2026-00001")
    assert now1.summary == "Visited; bins seen"
    assert now1.issues[0].explanation == "The crew missed the bin"
    assert [n.text for n in now1.issues[1].notes] == ["Neighbour says the crew swore"]
    assert now1.version == before["CW-2026-00001"].version + 1
    assert now1.letters[0].content == LETTER
    # 2 kept centrally; 3 and 4 not touched while undecided.
    assert one(central, "CW-2026-00002").summary == "Bob's change to 2"
    assert one(central, "CW-2026-00003").summary == "Bob's summary"
    assert one(central, "CW-2026-00003").version == before["CW-2026-00003"].version
    with central.engine.connect() as connection:
        assert sorted(i.reference for i in checked_out(connection).values()) == [
            "CW-2026-00003",
            "CW-2026-00004",
        ]

    # The changes made offline are in the central trail, field by field: by the officer
    # checking in, at the time each was made offline, marked as from the copy.
    with central.uow() as uow:
        carried = uow.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.case_id == now1.id, AuditEvent.origin != "")
            .order_by(AuditEvent.id)
        ).all()
        assert {e.actor for e in carried} == {"ann"}
        assert all(e.origin.startswith("offline copy visits.sqlite (") for e in carried)
        assert {(e.entity, e.field) for e in carried} >= {
            ("cases", "summary"),
            ("issues", "explanation"),
            ("notes", ""),
        }
        note_event = next(e for e in carried if e.entity == "notes")
        assert note_event.entity_id == now1.issues[1].notes[0].id  # the central id
        assert all(e.at < dt.datetime.now(dt.UTC).replace(tzinfo=e.at.tzinfo) for e in carried)
        checkins = uow.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "check-in")
        ).all()
        checker = open_app(central_url)  # the command ran as the login at the keyboard
        assert {e.actor for e in checkins} == {checker.actor} == {"ann"}
        checker.close()

    # Decide: mine for 3, theirs for 4.
    report: CheckinReport = check_in(
        ann, copy, keep={"CW-2026-00003": "mine", "CW-2026-00004": "theirs"}
    )
    outcomes = {c.reference: c.outcome for c in report.cases}
    assert outcomes == {
        "CW-2026-00001": Outcome.ALREADY_IN,
        "CW-2026-00002": Outcome.ALREADY_IN,
        "CW-2026-00003": Outcome.KEPT_MINE,
        "CW-2026-00004": Outcome.KEPT_THEIRS,
    }
    now3 = one(central, "CW-2026-00003")
    assert (now3.summary, now3.steps_taken) == ("Ann's summary", "Home visit")
    assert one(central, "CW-2026-00004").summary == "Bob's view of 4"
    with central.uow() as uow:
        applied = uow.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.case_id == now3.id, AuditEvent.origin != "")
            .order_by(AuditEvent.id)
        ).all()
        assert [(e.actor, e.field, e.old_value, e.new_value) for e in applied] == [
            ("ann", "steps_taken", "", "Home visit"),
            ("ann", "summary", "Bob's summary", "Ann's summary"),
        ]
        replaced = [e.field for e in applied if e.origin.endswith("kept over a central change")]
        assert replaced == ["summary"]
        case4 = one(central, "CW-2026-00004").id
        assert not uow.session.scalars(
            select(AuditEvent).where(AuditEvent.case_id == case4, AuditEvent.origin != "")
        ).all()  # nothing of the copy's was applied to 4 ...
        check_in4 = uow.session.scalars(
            select(AuditEvent).where(AuditEvent.case_id == case4, AuditEvent.action == "check-in")
        ).one()  # ... and what was set aside is listed in its check-in record
        assert check_in4.actor == "ann"
        assert [
            (c["entity"], c["field"], c["value"])
            for c in json.loads(check_in4.new_value or "")["set_aside"]
        ] == [("cases", "summary", "Ann's view of 4")]
        results = dict(
            uow.session.execute(
                select(Case.reference, Checkout.result).join(Case, Case.id == Checkout.case_id)
            ).all()
        )
    assert results == {
        "CW-2026-00001": "applied",
        "CW-2026-00002": "discarded",
        "CW-2026-00003": "kept-mine",
        "CW-2026-00004": "kept-theirs",
    }
    with central.engine.connect() as connection:
        assert checked_out(connection) == {}
    assert main(["--db", central_url, "offline", "list"]) == 0
    assert "no cases are checked out" in capsys.readouterr().out
    central.close()


def test_offline_round_trip_on_sqlite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], keyboard: Callable[[str], None]
) -> None:
    check_offline_round_trip(f"sqlite:///{tmp_path / 'central.sqlite'}", tmp_path, capsys, keyboard)


@pytest.mark.postgres
def test_offline_round_trip_on_postgresql(
    pg_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    keyboard: Callable[[str], None],
) -> None:
    check_offline_round_trip(pg_url, tmp_path, capsys, keyboard)


def test_offline_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], keyboard: Callable[[str], None]
) -> None:
    url = f"sqlite:///{tmp_path / 'central.sqlite'}"
    central = open_app(url, actor="bob")
    complaints_managers(central, "ann")
    seed(central)
    central.close()
    keyboard("ann")
    copy = tmp_path / "copy.sqlite"
    assert main(["--db", url, "offline", "checkout", "CW-2026-00005", "--to", str(copy)]) == 0
    assert f"caseworker --db sqlite:///{copy}" in capsys.readouterr().out
    assert main(["--db", url, "offline", "list"]) == 0
    assert "CW-2026-00005 is checked out to an offline copy by" in capsys.readouterr().out
    assert main(["--db", url, "offline", "checkout", "CW-2026-00001", "--to", str(copy)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (
        main(["--db", url, "offline", "checkin", str(copy), "--keep", "both", "CW-2026-00005"]) == 2
    )
    assert "say mine or theirs" in capsys.readouterr().err
    assert (
        main(["--db", url, "offline", "checkin", str(copy), "--keep", "mine", "CW-2026-00001"]) == 2
    )
    assert "CW-2026-00001 is not in this copy" in capsys.readouterr().err
    assert main(["--db", url, "offline", "checkin", str(copy)]) == 0
    assert "CW-2026-00005: unchanged" in capsys.readouterr().out
    assert main(["--db", url, "offline", "checkin", str(tmp_path / "central.sqlite")]) == 2
    assert "is not an offline copy" in capsys.readouterr().err
    other = f"sqlite:///{tmp_path / 'other.sqlite'}"
    assert main(["--db", other, "offline", "checkin", str(copy)]) == 2
    assert "was not checked out from this database" in capsys.readouterr().err


# -- only the officer's own work goes out and comes back ---------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def central_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The central database: a SQLite file, or the test PostgreSQL database."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return f"sqlite:///{tmp_path / 'central.sqlite'}"


def team_cases(app: Any) -> dict[str, int]:
    """The team (tests/officers.py) and five Waste cases: 1, 2 and 5 are Ann's (stage 1), 3 is
    Bob's, 4 is at stage 2 with Cam (Ann handled its stage 1)."""
    officers = add_team(app)
    seed(app)
    with app.uow() as uow:
        cases = {c.reference: c for c in uow.session.scalars(select(Case))}
        for n in (1, 2, 5):
            cases[f"CW-2026-0000{n}"].officer_id = officers["ann"]
        cases["CW-2026-00003"].officer_id = officers["bob"]
        stage2 = cases["CW-2026-00004"]
        stage2.stage, stage2.stage1_officer_id, stage2.officer_id = (
            2,
            officers["ann"],
            officers["cam"],
        )
        uow.commit()
    return officers


def central_state(app: Any) -> dict[str, tuple[Any, ...]]:
    """Each case's version, summary and issue remedies, and how many audit rows it has."""
    with app.uow() as uow:
        return {
            case.reference: (
                case.version,
                case.summary,
                tuple(issue.remedy for issue in case.issues),
                uow.session.scalar(
                    select(func.count())
                    .select_from(AuditEvent)
                    .where(AuditEvent.case_id == case.id)
                ),
            )
            for case in uow.session.scalars(select(Case).order_by(Case.reference))
        }


def edit_by_hand(copy: Path, *references: str) -> None:
    """What the tester did: change the laptop copy with sqlite3, outside the app."""
    with sqlite3.connect(copy) as db:
        for reference in references:
            db.execute(
                "UPDATE cases SET summary = 'Upheld in full, £500 offered' WHERE reference = ?",
                (reference,),
            )
            db.execute(
                "UPDATE issues SET remedy = 'Pay £500' WHERE case_id = "
                "(SELECT id FROM cases WHERE reference = ?)",
                (reference,),
            )
    db.close()


def test_only_cases_the_officer_may_work_on_are_checked_out(
    central_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    keyboard: Callable[[str], None],
) -> None:
    central = open_app(central_url, actor="setup")
    team_cases(central)
    before = central_state(central)
    ann = central.context(actor="ann")
    copy = tmp_path / "laptop.sqlite"

    with pytest.raises(NotPermitted) as refused:
        check_out(ann, ["CW-2026-00001", "CW-2026-00003", "CW-2026-00004"], copy)
    assert str(refused.value) == (
        "Refused: Ann Smith (an investigating officer) may not work on CW-2026-00003 "
        f"({rules.OWN_CASES}); Ann Smith (an investigating officer) may not work on "
        f"CW-2026-00004 ({rules.OWN_CASES}): nothing was checked out"
    )
    keyboard("ann")
    assert (
        main(["--db", central_url, "offline", "checkout", "CW-2026-00004", "--to", str(copy)]) == 2
    )
    assert "may not work on CW-2026-00004" in capsys.readouterr().err

    # Nothing was checked out: no copy, no checkout, nothing in the trail, nothing moved.
    assert not copy.exists()
    with central.uow() as uow:
        assert uow.session.scalars(select(Checkout)).all() == []
        assert (
            uow.session.scalars(select(AuditEvent).where(AuditEvent.entity == "checkouts")).all()
            == []
        )
    assert central_state(central) == before
    # Her own case goes out.
    assert check_out(ann, ["CW-2026-00001"], copy).references == ["CW-2026-00001"]
    central.close()


def test_a_copy_edited_by_hand_for_cases_she_may_no_longer_change_is_refused_with_nothing_applied(
    central_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    keyboard: Callable[[str], None],
) -> None:
    central = open_app(central_url, actor="setup")
    officers = team_cases(central)
    ann = central.context(actor="ann")
    copy = tmp_path / "laptop.sqlite"
    check_out(ann, ["CW-2026-00001", "CW-2026-00002", "CW-2026-00005"], copy)
    # Meanwhile 1 becomes a colleague's case and 2 goes to stage 2, with the complaints manager.
    with central.uow() as uow:
        cases = {c.reference: c for c in uow.session.scalars(select(Case))}
        cases["CW-2026-00001"].officer_id = officers["bob"]
        moved = cases["CW-2026-00002"]
        moved.stage, moved.stage1_officer_id, moved.officer_id = 2, officers["ann"], officers["cam"]
        uow.commit()
    edit_by_hand(copy, "CW-2026-00001", "CW-2026-00002", "CW-2026-00005")
    before = central_state(central)

    report = check_in(ann, copy)
    outcomes = {c.reference: c.outcome for c in report.cases}
    assert outcomes == {
        "CW-2026-00001": Outcome.REFUSED,
        "CW-2026-00002": Outcome.REFUSED,
        "CW-2026-00005": Outcome.APPLIED,  # the rest of the file proceeds, case by case
    }
    messages = {c.reference: c.message for c in report.cases}
    for reference in ("CW-2026-00001", "CW-2026-00002"):
        assert messages[reference].startswith(
            f"Refused: Ann Smith (an investigating officer) may not work on {reference} "
            f"({rules.OWN_CASES}): nothing of it was applied"
        )
    # Nothing of 1 and 2 was written: the rows read back as they were, no audit row, still out.
    after = central_state(central)
    for reference in ("CW-2026-00001", "CW-2026-00002"):
        assert after[reference] == before[reference]
    assert after["CW-2026-00005"][1:3] == ("Upheld in full, £500 offered", ("Pay £500",) * 2)
    with central.engine.connect() as connection:
        assert sorted(i.reference for i in checked_out(connection).values()) == [
            "CW-2026-00001",
            "CW-2026-00002",
        ]
    # The command says so and exits 1; asked again, the same refusal.
    keyboard("ann")
    assert main(["--db", central_url, "offline", "checkin", str(copy)]) == 1
    out = capsys.readouterr().out
    assert f"may not work on CW-2026-00001 ({rules.OWN_CASES}): nothing of it was applied" in out
    assert "CW-2026-00005: already checked in (applied)" in out
    assert central_state(central) == after

    # She may set the copy's changes aside (nothing applied), which ends her checkout.
    report = check_in(ann, copy, keep={"CW-2026-00001": "theirs", "CW-2026-00002": "theirs"})
    assert [c.outcome for c in report.cases[:2]] == [Outcome.KEPT_THEIRS] * 2
    final = central_state(central)
    for reference in ("CW-2026-00001", "CW-2026-00002"):
        assert final[reference][:3] == before[reference][:3]
    with central.engine.connect() as connection:
        assert checked_out(connection) == {}
    central.close()


def test_only_the_officer_it_was_checked_out_to_checks_it_in(
    central_url: str, tmp_path: Path
) -> None:
    central = open_app(central_url, actor="setup")
    team_cases(central)
    copy = tmp_path / "laptop.sqlite"
    check_out(central.context(actor="ann"), ["CW-2026-00005"], copy)
    edit_by_hand(copy, "CW-2026-00005")
    before = central_state(central)

    for login, name in (("bob", "bob"), ("cam", "cam")):  # a colleague, even a manager
        (case,) = check_in(central.context(actor=login), copy).cases
        assert (case.outcome, case.message) == (
            Outcome.REFUSED,
            f"Refused: CW-2026-00005 is checked out to ann, not to {name} "
            f"({rules.OFFLINE_CHECK_IN})",
        )
        assert central_state(central) == before
    assert [c.outcome for c in check_in(central.context(actor="ann"), copy).cases] == [
        Outcome.APPLIED
    ]
    central.close()


def laptop_trail(copy: Path) -> list[tuple[str, int, str, dt.datetime]]:
    laptop = open_app(f"sqlite:///{copy}", actor="nobody")
    with laptop.uow() as uow:
        rows = uow.session.execute(
            select(AuditEvent.entity, AuditEvent.entity_id, AuditEvent.field, AuditEvent.at)
            .where(AuditEvent.entity != "checkouts")
            .order_by(AuditEvent.id)
        ).all()
    laptop.close()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def test_an_allowed_change_arrives_field_by_field_by_the_officer_checking_in_at_the_offline_time(
    central_url: str, tmp_path: Path
) -> None:
    central = open_app(central_url, actor="setup")
    team_cases(central)
    ann = central.context(actor="ann")
    copy = tmp_path / "laptop.sqlite"
    check_out(ann, ["CW-2026-00005"], copy)
    before = one(central, "CW-2026-00005")
    with central.uow() as uow:
        trail_before = uow.session.scalar(select(func.max(AuditEvent.id)))

    # Offline, through the app: two case fields, an issue's explanation and a new note.
    laptop = open_app(f"sqlite:///{copy}", actor="ann")
    case = one(laptop, "CW-2026-00005")
    with laptop.uow() as uow:
        save_case_edits(
            uow,
            case.id,
            case.version,
            {"summary": "Visited; bins seen", "steps_taken": "Home visit"},
            issues={1: {"explanation": "The crew missed the bin"}},
        )
    with laptop.uow() as uow:
        issue = uow.session.scalars(
            select(Issue).where(Issue.case_id == case.id, Issue.number == 2)
        ).one()
        issue.notes.append(Note(kind=NoteKind.FACT, text="Crew admit it", author="ann"))
        uow.commit()
    laptop.close()
    offline = {(entity, field): at for entity, _id, field, at in laptop_trail(copy)}
    # Then, with sqlite3: her trail's names made someone else's, one time made impossible.
    with sqlite3.connect(copy) as db:
        db.execute("DROP TRIGGER audit_events_no_update")
        db.execute("UPDATE audit_events SET actor = 'cam' WHERE entity != 'checkouts'")
        db.execute(
            "UPDATE audit_events SET at = '2099-01-01 00:00:00.000000' WHERE field = 'steps_taken'"
        )
    db.close()

    (result,) = check_in(ann, copy).cases
    assert result.outcome == Outcome.APPLIED
    with central.uow() as uow:
        rows = uow.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.id > trail_before, AuditEvent.entity != "checkouts")
            .order_by(AuditEvent.id)
        ).all()
        note = uow.session.scalars(select(Note).where(Note.text == "Crew admit it")).one()
        check_in_row = uow.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "check-in")
        ).one()
        # One row per field changed (and one for the note added), old and new values.
        assert [(e.entity, e.entity_id, e.action, e.field, e.old_value) for e in rows] == [
            ("notes", note.id, "create", "", None),
            ("cases", before.id, "update", "steps_taken", ""),
            ("cases", before.id, "update", "summary", "Case 5"),
            ("issues", before.issues[0].id, "update", "explanation", ""),
        ]
        assert [e.new_value for e in rows[1:]] == [
            "Home visit",
            "Visited; bins seen",
            "The crew missed the bin",
        ]
        assert json.loads(rows[0].new_value or "")["text"] == "Crew admit it"
        # By the officer checking in, never the name in the copy's trail.
        assert {e.actor for e in rows} == {"ann"} and check_in_row.actor == "ann"
        assert uow.session.scalars(select(AuditEvent).where(AuditEvent.actor == "cam")).all() == []
        # At the time each change was made offline; an impossible time is not believed.
        for e in rows:
            assert e.origin.startswith("offline copy laptop.sqlite (")
        assert utc(rows[0].at) == utc(offline[("notes", "")])
        assert utc(rows[2].at) == utc(offline[("cases", "summary")])
        assert utc(rows[3].at) == utc(offline[("issues", "explanation")])
        assert utc(rows[1].at) < dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
        assert utc(rows[1].at) >= utc(check_in_row.at) - dt.timedelta(minutes=1)
        assert rows[1].origin.endswith("made offline at a time the copy does not record")
        assert json.loads(check_in_row.new_value or "")["offline_events"] == 4
    after = one(central, "CW-2026-00005")
    assert (after.summary, after.steps_taken, after.version) == (
        "Visited; bins seen",
        "Home visit",
        before.version + 1,
    )
    central.close()


def test_a_change_only_a_manager_makes_is_refused_at_check_in(
    central_url: str, tmp_path: Path
) -> None:
    central = open_app(central_url, actor="setup")
    officers = team_cases(central)
    ann = central.context(actor="ann")
    copy = tmp_path / "laptop.sqlite"
    check_out(ann, ["CW-2026-00005"], copy)
    with sqlite3.connect(copy) as db:  # her own case, given to Hal (of Housing) by hand
        db.execute(
            "UPDATE cases SET officer_id = ?, summary = 'Not mine' WHERE reference = ?",
            (officers["hal"], "CW-2026-00005"),
        )
    db.close()
    before = central_state(central)
    (case,) = check_in(ann, copy).cases
    assert case.outcome == Outcome.REFUSED
    assert case.message.startswith(
        "Refused: Ann Smith (an investigating officer) may not allocate CW-2026-00005 "
        f"({rules.MANAGER_DECIDES}): nothing of it was applied"
    )
    assert central_state(central) == before
    assert one(central, "CW-2026-00005").officer_id == officers["ann"]
    central.close()
