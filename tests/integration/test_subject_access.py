"""Subject access: the request and its one-month clock, everything held about the person found
across cases, notes, interviews, documents, emails and the audit trail, third parties marked,
the disclosure zip read back, Today, and all of it a complaints manager's, audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from caseworker.domain.enums import Channel, InterviewMethod, NoteKind, Role, RouteId
from caseworker.domain.refusals import Refused
from caseworker.errors import UserError
from caseworker.services.lists.today import today_list
from caseworker.services.records import subjectaccess as sar
from caseworker.storage.models import (
    AuditEvent,
    Case,
    CaseSubject,
    Complainant,
    Correspondence,
    Document,
    Interview,
    Issue,
    Note,
    Officer,
    SubjectAccessRequest,
)

D = dt.date
# Received on Saturday 31 January 2026: a month on is 28 February (there is no 31st), a
# Saturday, so the answer is due on Monday 2 March. Three months on is Thursday 30 April.
RECEIVED = D(2026, 1, 31)
LATER = D(2026, 2, 25)
PAT = sar.SubjectAccessIn(
    requester="Pat Doe",
    received=RECEIVED,
    name="Pat Doe",
    email="Pat@Example.org",
    phone="07700 900123",
    postcode="st4 1aa",
)
SCAN = b"%PDF-1.4 a scan of Pat's tenancy letter"


def _case(ref: str, complainant: Complainant) -> Case:
    return Case(
        reference=ref,
        policy_id="stoke-on-trent",
        route=RouteId.HOUSING,
        received=D(2025, 6, 2),
        channel=Channel.EMAIL,
        service_area="Housing Repairs",
        summary="The boiler was not repaired",
        complainant=complainant,
    )


def _people(app: Any) -> None:
    with app.uow() as uow:
        mine = _case(
            "CW-2025-00001",
            Complainant(
                name="Pat  Doe",
                email="pat@example.org",
                phone="07700900123",
                postcode="ST4 1AA",
                address="1 High Street",
            ),
        )
        issue = Issue(number=1, summary="No heating")
        issue.notes.append(
            Note(kind=NoteKind.FACT, text="Pat Doe rang twice about the boiler.", author="tester")
        )
        mine.issues.append(issue)
        mine.subjects.append(CaseSubject(name="Olly Officer"))
        mine.interviews.append(
            Interview(
                interviewee="Sam Neighbour",
                held_on=D(2025, 6, 10),
                method=InterviewMethod.PHONE,
                notes="Sam said Pat Doe had no heat for a week.",
            )
        )
        uow.session.add(mine)
        uow.session.flush()
        uow.session.add(
            Correspondence(
                case_id=mine.id,
                sender="pat@example.org",
                recipients="complaints@council.example",
                subject="My boiler",
                body="Still cold.",
            )
        )
        uow.session.add(
            Document(
                case_id=mine.id,
                filename="tenancy letter.pdf",
                media_type="application/pdf",
                size=len(SCAN),
                sha256="0" * 64,
                content=SCAN,
            )
        )
        other = _case("CW-2025-00002", Complainant(name="Chris Other", postcode="ST4 1AA"))
        other_issue = Issue(number=1, summary="Noise")
        other_issue.notes.append(
            Note(
                kind=NoteKind.HEARSAY,
                text="Chris says the noise comes from pat@example.org's flat.",
                author="tester",
            )
        )
        other.issues.append(other_issue)
        uow.session.add(other)
        uow.session.add(_case("CW-2025-00003", Complainant(name="Jo Bloggs")))
        uow.commit()


def _ctx(app: Any, day: dt.date = LATER, actor: str | None = None) -> Any:
    return app.context(today=lambda: day, **({"actor": actor} if actor else {}))


def test_the_clock_is_a_calendar_month_extendable_by_two(app: Any) -> None:
    assert sar.add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert sar.add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert sar.add_months(D(2026, 11, 15), 2) == D(2027, 1, 15)
    ctx = _ctx(app)
    request = sar.record_request(ctx, PAT)
    assert (request.due, request.postcode) == (D(2026, 3, 2), "ST4 1AA")
    with pytest.raises(UserError, match="after the first month ended on 2026-03-02"):
        sar.extend_request(
            _ctx(app, D(2026, 3, 5)), request.id, reason="many cases", told_on=D(2026, 3, 3)
        )
    with pytest.raises(UserError, match="must be told"):
        sar.extend_request(ctx, request.id, reason="many cases", told_on=None)
    extended = sar.extend_request(ctx, request.id, reason="twelve cases", told_on=D(2026, 2, 20))
    assert (extended.extended_to, extended.answer_by) == (D(2026, 4, 30), D(2026, 4, 30))
    with pytest.raises(UserError, match="already extended"):
        sar.extend_request(ctx, request.id, reason="again", told_on=D(2026, 2, 21))
    with pytest.raises(UserError, match="at least one of the name"):
        sar.record_request(ctx, sar.SubjectAccessIn(requester="X", received=RECEIVED))


def test_everything_held_is_found_with_third_parties_marked(app: Any) -> None:
    _people(app)
    ctx = _ctx(app)
    request = sar.record_request(ctx, PAT)
    found = sar.find_subject(ctx, request.id)
    by_record = {(i.reference, i.record): i for i in found.items}
    assert found.cases == ["CW-2025-00001", "CW-2025-00002"]
    case = by_record[("CW-2025-00001", "case CW-2025-00001")]
    assert case.matched_on == "complainant (name, email, phone, postcode)"
    assert case.third_parties == ("Olly Officer", "Sam Neighbour")
    kinds = {i.kind for i in found.items if i.reference == "CW-2025-00001"}
    assert {"case", "note", "interview", "email in", "document", "audit"} <= kinds
    mention = next(i for i in found.items if i.reference == "CW-2025-00002" and i.kind == "note")
    assert mention.matched_on == "email" and mention.third_parties == ("Chris Other",)
    assert mention.review
    assert not any(i.reference == "CW-2025-00003" for i in found.items)
    with app.uow() as uow:
        event = uow.session.scalars(select(AuditEvent).where(AuditEvent.action == "read")).one()
        assert (event.actor, event.field, event.entity_id) == ("tester", "search", request.id)


def test_the_export_is_a_zip_with_index_summary_and_documents(app: Any, tmp_path: Path) -> None:
    _people(app)
    ctx = _ctx(app)
    request = sar.record_request(ctx, PAT)
    written = sar.export_subject_access(ctx, request.id, tmp_path / "sar.zip")
    with zipfile.ZipFile(written) as archive:
        names = archive.namelist()
        index = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))
        summary = archive.read("summary.txt").decode()
        document = next(n for n in names if n.startswith("documents/"))
        assert archive.read(document) == SCAN
    assert document.startswith("documents/CW-2025-00001/") and document.endswith(
        "tenancy letter.pdf"
    )
    assert index[0]["kind"] == "case" and index[0]["case"] == "CW-2025-00001"
    assert any(row["file"] == document for row in index)
    assert "Due: 2026-03-02" in summary
    assert "REVIEW: also names Olly Officer, Sam Neighbour" in summary
    assert "Pat Doe rang twice about the boiler." in summary
    with pytest.raises(UserError, match="name it .zip"):
        sar.export_subject_access(ctx, request.id, tmp_path / "sar.pdf")
    with app.uow() as uow:
        reads = uow.session.scalars(
            select(AuditEvent.field).where(AuditEvent.action == "read")
        ).all()
        assert reads == ["export"]


def test_only_a_complaints_manager_may_and_a_refusal_leaves_no_trace(
    app: Any, tmp_path: Path
) -> None:
    _people(app)
    request = sar.record_request(_ctx(app), PAT)
    with app.uow() as uow:
        uow.session.add(
            Officer(
                name="Lee Line",
                email="lee@council.example",
                role=Role.LINE_MANAGER,
                service_area="Housing Repairs",
                login="lee",
            )
        )
        uow.commit()
    lee = _ctx(app, actor="lee")
    assert "may not deal with subject access requests" in (sar.why_not_subject_access(lee) or "")
    with pytest.raises(Refused, match="subject access requests are a complaints manager's"):
        sar.find_subject(lee, request.id)
    with pytest.raises(Refused):
        sar.export_subject_access(lee, request.id, tmp_path / "sar.zip")
    with pytest.raises(Refused):
        sar.record_request(lee, PAT)
    assert not (tmp_path / "sar.zip").exists()
    with app.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(SubjectAccessRequest)) == 1
        assert not uow.session.scalars(select(AuditEvent).where(AuditEvent.action == "read")).all()
    assert not [line for line in today_list(lee).lines if line.section == "subject-access"]


def test_today_shows_the_request_as_its_date_comes(app: Any) -> None:
    request = sar.record_request(_ctx(app), PAT)
    early = today_list(_ctx(app, D(2026, 2, 10))).lines
    assert not [line for line in early if line.section == "subject-access"]
    near = [line for line in today_list(_ctx(app, LATER)).lines if line.section == "subject-access"]
    assert [(x.case_id, x.reference, x.due, x.overdue) for x in near] == [
        (0, request.label, D(2026, 3, 2), False)
    ]
    late = today_list(_ctx(app, D(2026, 3, 3))).lines
    assert [x.overdue for x in late if x.section == "subject-access"] == [True]
    sar.complete_request(_ctx(app, D(2026, 3, 3)), request.id, on=D(2026, 3, 2))
    done = today_list(_ctx(app, D(2026, 3, 3))).lines
    assert not [line for line in done if line.section == "subject-access"]


def test_the_command_records_lists_and_exports(
    app: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from caseworker.cli.main import main

    _people(app)
    monkeypatch.setattr("caseworker.bootstrap.current_login", lambda: "tester")
    url = f"sqlite:///{tmp_path / 'test.sqlite'}"
    assert (
        main(
            [
                "--db",
                url,
                "subject-access",
                "--record",
                "--requester",
                "Pat Doe",
                "--name",
                "Pat Doe",
                "--email",
                "pat@example.org",
                "--received",
                "2026-01-31",
            ]
        )
        == 0
    )
    assert "SAR-1  Pat Doe  received 2026-01-31, due 2026-03-02  (open)" in capsys.readouterr().out
    assert main(["--db", url, "subject-access", "--find", "1"]) == 0
    out = capsys.readouterr().out
    assert "REVIEW: names Olly Officer, Sam Neighbour" in out and "on 2 cases" in out
    zip_path = tmp_path / "sar-1.zip"
    assert main(["--db", url, "subject-access", "--export", "1", "--out", str(zip_path)]) == 0
    assert zipfile.is_zipfile(zip_path)
    assert main(["--db", url, "subject-access", "--record", "--requester", "X"]) == 2
    assert "--received missing" in capsys.readouterr().err
