"""The stage 2 file pack, opened and read back: the Word document with python-docx, the zip with
zipfile."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import time
import zipfile
from typing import Any

import docx
import pytest
from sqlalchemy import select

from caseworker.domain.enums import (
    CaseStatus,
    Channel,
    ContactMethod,
    Finding,
    InterviewMethod,
    LetterKind,
    NoteKind,
    Outcome,
    RiskDecision,
    Role,
    RouteId,
    SendMethod,
)
from caseworker.domain.refusals import NotPermitted
from caseworker.policy.loader import get_policy
from caseworker.services.cases import allocation, lifecycle
from caseworker.services.cases.records import refresh_clock
from caseworker.services.records.filepack import build_file_pack, long_date
from caseworker.storage.models import (
    Case,
    CaseSubject,
    Complainant,
    ContactAttempt,
    Extension,
    Interview,
    Issue,
    Letter,
    Note,
    Officer,
    RiskAssessment,
)

D = dt.date
UTC = dt.UTC


def word(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


STAGE_1_LETTER = word("Dear Ms Doe, we have looked into your complaint.")


@pytest.fixture
def case_id(app: Any) -> int:
    """A Stockport case answered at stage 1 and waiting for stage 2, with a full file."""
    with app.uow() as uow:
        officers = {
            login: Officer(
                name=name,
                email=f"{login}@council.example",
                role=role,
                service_area=area,
                login=login,
            )
            for login, name, role, area in (
                ("ann", "Ann Smith", Role.INVESTIGATING_OFFICER, "Waste"),
                ("lee", "Lee Line", Role.LINE_MANAGER, "Waste"),
                ("lyn", "Lyn Hart", Role.LINE_MANAGER, "Housing"),
                ("cam", "Cam Chief", Role.COMPLAINTS_MANAGER, "Customer Feedback"),
            )
        }
        uow.session.add_all(officers.values())
        uow.session.flush()
        row = Case(
            reference="CW-2026-00042",
            policy_id="stockport",
            route=RouteId.CORPORATE,
            received=D(2026, 10, 5),
            channel=Channel.ONLINE,
            service_area="Waste",
            stage=1,
            complainant=Complainant(name="Pat Doe", address="1 High Street"),
            summary="Bins missed for a month",
        )
        row.subjects.append(CaseSubject(name="Crew leader Sam Brook"))
        first = Issue(
            number=1,
            summary="My bin was missed four weeks running",
            finding=Finding.UPHELD,
            explanation="The round sheet left the street off",
            remedy="An apology",
            action="Add the street back to the round sheet",
            action_due=D(2026, 11, 30),
        )
        first.notes += [
            Note(
                kind=NoteKind.FACT,
                text="Round sheet omits Acacia Avenue",
                source="Round sheet v3",
                author="Ann Smith",
                created_at=dt.datetime(2026, 10, 7, 9, 0, tzinfo=UTC),
            ),
            Note(
                kind=NoteKind.HEARSAY,
                text="A neighbour says the lorry skipped the road",
                source="Phone call",
                author="Ann Smith",
                created_at=dt.datetime(2026, 10, 7, 10, 0, tzinfo=UTC),
            ),
            Note(
                kind=NoteKind.EVIDENCE,
                text="Tracker shows no stop on 1 October",
                source="Vehicle tracker",
                author="Ann Smith",
                created_at=dt.datetime(2026, 10, 8, 9, 0, tzinfo=UTC),
            ),
            Note(
                kind=NoteKind.ACTION,
                text="Ask the depot for the revised sheet",
                author="Ann Smith",
                created_at=dt.datetime(2026, 10, 8, 11, 0, tzinfo=UTC),
            ),
        ]
        second = Issue(
            number=2,
            summary="The call centre was rude",
            finding=Finding.NOT_UPHELD,
            explanation="The recording is polite",
        )
        row.issues += [first, second]
        row.interviews.append(
            Interview(
                interviewee="Sam Brook",
                interviewee_role="Crew leader",
                held_on=D(2026, 10, 9),
                method=InterviewMethod.IN_PERSON,
                accompanied_by="Jo Union",
                accompanied_as="union representative",
                notes="Says the sheet changed in September",
                summary="Sheet changed; street dropped",
                summary_read_back=True,
                further_information_invited=True,
                recorded_by="Ann Smith",
            )
        )
        row.risk_assessments.append(
            RiskAssessment(
                visit_on=D(2026, 10, 12),
                address="1 High Street",
                answers={"dog": "yes, kept in"},
                known_risks="None known",
                colleague_attending="Bob Jones",
                decision=RiskDecision.PROCEED_WITH_COLLEAGUE,
                assessed_by="Ann Smith",
                approved_by="Lee Line",
            )
        )
        row.contact_attempts.append(
            ContactAttempt(
                at=dt.datetime(2026, 10, 6, 14, 30, tzinfo=UTC),
                method=ContactMethod.PHONE,
                result="Agreed the issues",
                made_by="Ann Smith",
                answered=True,
            )
        )
        row.extensions.append(
            Extension(
                stage=1,
                new_date=D(2026, 11, 9),
                reason="Depot records",
                complainant_told=D(2026, 10, 28),
                told_method=ContactMethod.EMAIL,
            )
        )
        row.letters += [
            Letter(
                kind=LetterKind.ACKNOWLEDGEMENT,
                stage=1,
                filename="ack.docx",
                content=word("Acknowledgement"),
                sent_on=D(2026, 10, 6),
                sent_method=SendMethod.EMAIL,
                created_by="Ann Smith",
            ),
            Letter(
                kind=LetterKind.OUTCOME,
                stage=1,
                outcome=Outcome.PARTIALLY_UPHELD,
                filename="CW-2026-00042 stage 1 outcome.docx",
                content=STAGE_1_LETTER,
                sent_on=D(2026, 11, 6),
                sent_method=SendMethod.EMAIL,
                created_by="Ann Smith",
            ),
        ]
        row.acknowledged = D(2026, 10, 6)
        row.response_sent, row.response_method = D(2026, 11, 6), SendMethod.EMAIL
        row.outcome, row.status = Outcome.PARTIALLY_UPHELD, CaseStatus.RESPONDED
        refresh_clock(row, get_policy("stockport"))
        uow.session.add(row)
        uow.commit()
        case_id = row.id
    allocation.allocate(app.context(actor="lee"), case_id, officers["ann"].id)
    lifecycle.record_contact_attempt(
        app.context(actor="ann"),
        case_id,
        at=dt.datetime(2026, 10, 20, 9, 15, tzinfo=UTC),
        method=ContactMethod.EMAIL,
        result="Sent the draft findings",
    )
    return case_id


def as_(app: Any, login: str) -> Any:
    return app.context(actor=login, today=lambda: D(2026, 11, 23))


def pack(app: Any, case_id: int, login: str = "cam") -> Any:
    return build_file_pack(as_(app, login), case_id)


def texts(document: Any) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs]


def after(lines: list[str], heading: str) -> list[str]:
    """The paragraphs after ``heading`` up to the next heading-like line of the same sort."""
    start = lines.index(heading) + 1
    end = start
    while end < len(lines) and not lines[end].startswith(
        ("Facts (", "Hearsay (", "Evidence (", "Actions (", "Issue ", "Interviews")
    ):
        end += 1
    return lines[start:end]


def test_the_document_holds_the_whole_file(app: Any, case_id: int) -> None:
    made = pack(app, case_id)
    document = docx.Document(io.BytesIO(made.document))
    lines = texts(document)
    assert lines[0] == "Complaint file: CW-2026-00042"
    assert "Prepared on 23 November 2026 by Cam Chief" in lines[1]
    for heading in (
        "The case",
        "Chronology",
        "Issues",
        "Interviews",
        "Risk assessments",
        "Letters",
        "Contacts",
        "Extensions and suspensions",
        "Allocations",
        "Ombudsman",
    ):
        assert heading in lines, heading

    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["Reference"] == "CW-2026-00042"
    assert facts["Complainant"] == "Pat Doe"
    assert facts["Officer"] == "Ann Smith"
    assert facts["Staff complained about"] == "Crew leader Sam Brook"
    assert facts["Response sent"] == "6 November 2026 by email"

    # Every issue with its finding, and its notes grouped by kind.
    assert "Issue 1: My bin was missed four weeks running" in lines
    assert "Finding: upheld" in lines and "Finding: not upheld" in lines
    assert (
        "Action: Add the street back to the round sheet (outstanding, due 30 November 2026)"
    ) in lines
    assert after(lines, "Facts (1)") == [
        "Round sheet omits Acacia Avenue — Round sheet v3, Ann Smith, 07 Oct 2026 09:00"
    ]
    assert after(lines, "Hearsay (1)") == [
        "A neighbour says the lorry skipped the road — Phone call, Ann Smith, 07 Oct 2026 10:00"
    ]
    assert after(lines, "Evidence (1)") == [
        "Tracker shows no stop on 1 October — Vehicle tracker, Ann Smith, 08 Oct 2026 09:00"
    ]
    assert after(lines, "Actions (1)") == [
        "Ask the depot for the revised sheet — Ann Smith, 08 Oct 2026 11:00"
    ]
    assert "Hearsay (0)" in lines  # issue 2 has none, and says so

    # Interviews and risk assessments.
    assert "Sam Brook (Crew leader), 9 October 2026" in lines
    assert "Accompanied by: Jo Union (union representative)" in lines
    assert "Summary read back: yes" in lines
    assert "Risk assessment 1, visit on 12 October 2026" in lines
    assert "dog: yes, kept in" in lines
    assert "Decision: proceed-with-colleague" in lines
    assert (
        "Stage 1 extended to 9 November 2026: Depot records; complainant told 28 October "
        "2026 by email"
    ) in lines


def table_after(document: Any, header: list[str]) -> list[list[str]]:
    for table in document.tables:
        if [cell.text for cell in table.rows[0].cells] == header:
            return [[cell.text for cell in row.cells] for row in table.rows[1:]]
    raise AssertionError(f"no table headed {header}")


def test_the_chronology_is_in_date_order_with_who_did_what(app: Any, case_id: int) -> None:
    document = docx.Document(io.BytesIO(pack(app, case_id).document))
    rows = table_after(document, ["When", "What", "Who"])
    assert rows[0] == ["5 October 2026", "Complaint received (online)", ""]
    whats = [what for _, what, _ in rows]
    assert whats.index("Letter sent: acknowledgement (stage 1) by email") < whats.index(
        "Contact attempt by phone (answered): Agreed the issues"
    )
    assert whats.index("Interview with Sam Brook (in-person)") < whats.index(
        "Letter sent: outcome (stage 1) by email"
    )
    assert [
        "20 October 2026 09:15",
        "Contact attempt by email (no answer): Sent the draft findings",
        "Ann Smith",
    ] in rows
    # The audit trail: the case created by the import, the allocation made by the manager.
    by_lee = [row for row in rows if row[2] == "lee"]
    # In sentences, the same as the Timeline's: never "officer id changed from (blank) to 1".
    assert ["Allocated to Ann Smith", "lee"] in [row[1:] for row in by_lee]
    assert any(what.startswith("Allocation to Ann Smith recorded") for _, what, _ in by_lee)
    assert any(
        what == "Contact attempt by email recorded" and who == "ann" for _, what, who in rows
    )
    assert not any(" id " in what or "→" in what for _, what, _ in rows)
    sort_keys = []
    for when, _, _ in rows:
        parts = when.split()
        day = dt.datetime.strptime(" ".join(parts[:3]), "%d %B %Y")
        sort_keys.append(day)
    assert sort_keys == sorted(sort_keys)


def test_letters_and_contacts_are_listed(app: Any, case_id: int) -> None:
    document = docx.Document(io.BytesIO(pack(app, case_id).document))
    assert table_after(document, ["Letter", "Stage", "Outcome", "Made", "Sent", "File"])[1][:5] == [
        "outcome",
        "1",
        "partially-upheld",
        document_made(app, case_id),
        "6 November 2026 by email",
    ]
    contacts = table_after(document, ["When", "Method", "Answered", "Result", "By"])
    assert contacts == [
        ["6 October 2026 14:30", "phone", "yes", "Agreed the issues", "Ann Smith"],
        ["20 October 2026 09:15", "email", "no", "Sent the draft findings", "Ann Smith"],
    ]
    allocations = table_after(document, ["When", "Stage", "To", "From", "By", "Reason"])
    assert [row[1:] for row in allocations] == [["1", "Ann Smith", "", "Lee Line", ""]]


def document_made(app: Any, case_id: int) -> str:
    with app.uow() as uow:
        letter = uow.session.execute(
            select(Letter).where(Letter.case_id == case_id, Letter.kind == LetterKind.OUTCOME)
        ).scalar_one()
        return long_date(letter.created_at.date())


def test_the_zip_holds_the_originals(app: Any, case_id: int) -> None:
    made = pack(app, case_id)
    assert (made.document_name, made.archive_name) == (
        "CW-2026-00042-file.docx",
        "CW-2026-00042-file.zip",
    )
    with zipfile.ZipFile(io.BytesIO(made.archive)) as archive:
        assert archive.testzip() is None
        assert sorted(archive.namelist()) == [
            "CW-2026-00042-file.docx",
            "CW-2026-00042.json",
            "audit-trail.csv",
            "letters/01-ack.docx",
            "letters/02-CW-2026-00042-stage-1-outcome.docx",
        ]
        assert archive.read("CW-2026-00042-file.docx") == made.document
        assert archive.read("letters/02-CW-2026-00042-stage-1-outcome.docx") == STAGE_1_LETTER
        letter = docx.Document(io.BytesIO(archive.read("letters/01-ack.docx")))
        assert letter.paragraphs[0].text == "Acknowledgement"
        exported = json.loads(archive.read("CW-2026-00042.json"))
        cases = exported["cases"] if "cases" in exported else [exported]
        assert cases[0]["reference"] == "CW-2026-00042"
        assert [issue["summary"] for issue in cases[0]["issues"]][0] == (
            "My bin was missed four weeks running"
        )
        trail = list(csv.DictReader(io.StringIO(archive.read("audit-trail.csv").decode())))
        assert {"tester", "lee", "ann"} <= {row["actor"] for row in trail}
        assert any(row["field"] == "officer_id" and row["actor"] == "lee" for row in trail)
    # The same file gives the same zip, even a second later (python-docx stamps the time).
    time.sleep(1.05)
    assert pack(app, case_id).archive == made.archive


def test_who_may_export_the_file(app: Any, case_id: int) -> None:
    pack(app, case_id, "lee")  # the service's line manager
    for login in ("ann", "lyn"):
        with pytest.raises(NotPermitted):
            build_file_pack(as_(app, login), case_id)
