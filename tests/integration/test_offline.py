"""Offline copies: cases checked out to a SQLite file with their records, worked on with no
connection to the central database, and checked back in: changed only in the copy → applied;
changed only centrally → the copy set aside with a message; changed on both sides → not
overwritten, listed field by field until decided with --keep. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from caseworker.bootstrap import open_app
from caseworker.cli.main import main
from caseworker.domain.enums import Channel, LetterKind, NoteKind, RouteId
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
from tests.officers import complaints_managers

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


def check_offline_round_trip(
    central_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    central = open_app(central_url, actor="bob")
    complaints_managers(central, "ann", "bob")  # the copy carries the officer records
    seed(central)
    copy = tmp_path / "laptop" / "visits.sqlite"
    refs = ["CW-2026-00001", "CW-2026-00002", "CW-2026-00003", "CW-2026-00004"]
    done = check_out(central.engine, refs, copy, actor="ann", machine="ann-laptop")
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
    with pytest.raises(OfflineError, match="CW-2026-00001 is checked out .* by ann"):
        check_out(central.engine, ["CW-2026-00001"], tmp_path / "again.sqlite", actor="cat")
    with pytest.raises(OfflineError, match="there is no case CW-2099-00001"):
        check_out(central.engine, ["CW-2099-00001"], tmp_path / "none.sqlite", actor="cat")

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

    # The offline audit events are in the central trail: original actor and time, marked.
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
        assert {e.actor for e in checkins} == {checker.actor}
        checker.close()

    # Decide: mine for 3, theirs for 4.
    report: CheckinReport = check_in(
        central.engine, copy, actor="bob", keep={"CW-2026-00003": "mine", "CW-2026-00004": "theirs"}
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
        replaced = uow.session.scalars(
            select(AuditEvent).where(
                AuditEvent.case_id == now3.id,
                AuditEvent.actor == "bob",
                AuditEvent.origin.like("check-in of %"),
            )
        ).all()
        assert [(e.field, e.old_value, e.new_value) for e in replaced] == [
            ("summary", "Bob's summary", "Ann's summary")
        ]
        not_applied = uow.session.scalars(
            select(AuditEvent).where(
                AuditEvent.case_id == one(central, "CW-2026-00004").id,
                AuditEvent.origin.like("%not applied%"),
            )
        ).all()
        assert [(e.actor, e.new_value) for e in not_applied] == [("ann", "Ann's view of 4")]
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


def test_offline_round_trip_on_sqlite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    check_offline_round_trip(f"sqlite:///{tmp_path / 'central.sqlite'}", tmp_path, capsys)


@pytest.mark.postgres
def test_offline_round_trip_on_postgresql(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    check_offline_round_trip(pg_url, tmp_path, capsys)


def test_offline_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'central.sqlite'}"
    central = open_app(url, actor="bob")
    seed(central)
    central.close()
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
