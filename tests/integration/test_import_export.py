"""`caseworker import`, `export` and `cases` against a real database, through the command line."""

from __future__ import annotations

import copy
import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from caseworker.bootstrap import open_app
from caseworker.cli.main import main
from caseworker.domain import rules
from caseworker.domain.enums import (
    CaseStatus,
    Channel,
    ContactMethod,
    Finding,
    InterviewMethod,
    NoteKind,
    Outcome,
    ReferrerRole,
    Role,
    RouteId,
    SendMethod,
)
from caseworker.domain.refusals import NotPermitted, Refused
from caseworker.interchange.casejson import export_cases, import_cases, parse_case_file
from caseworker.policy.deadlines import compute_deadlines
from caseworker.policy.loader import get_policy
from caseworker.storage.models import (
    AuditEvent,
    Base,
    Case,
    Complainant,
    Counter,
    Issue,
    Note,
    Officer,
)
from tests.officers import add_team, complaints_managers

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
OFFICER = "morwenna.quillthorpe@council.example"


@pytest.fixture(autouse=True)
def _run_as_tester(monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands run as 'tester', the test database's complaints manager (who may import
    and export every case); the permission tests below run them as others."""
    monkeypatch.setattr("caseworker.bootstrap.current_login", lambda: "tester")


def add_officer(app: Any, email: str = OFFICER, name: str = "Morwenna Quillthorpe") -> None:
    with app.uow() as uow:
        uow.session.add(
            Officer(
                name=name,
                email=email,
                role=Role.INVESTIGATING_OFFICER,
                service_area="Waste and Recycling",
            )
        )
        uow.session.add(
            Officer(
                name="Desmond Wrenthorpe",
                email="desmond@council.example",
                role=Role.INVESTIGATING_OFFICER,
                service_area="Waste and Recycling",
            )
        )
        uow.commit()


def every_field() -> dict[str, Any]:
    """The documented full example, plus the fields it leaves to the other example or leaves out
    so that it imports into any database (an officer; a reference of Caseworker's own)."""
    case = json.loads((EXAMPLES / "case.json").read_text(encoding="utf-8"))
    case.update(
        reference="CW-2026-00042",
        officer=OFFICER,
        anonymous=True,
        settlement_terms="A £25 goodwill payment.",
        withdrawn_on="2026-08-01",
        withdrawal_method="letter",
        escalation_refusal_reasons="None: the request was accepted.",
    )
    return case


def write(tmp_path: Path, data: Any, name: str = "complaints.json") -> Path:
    path = tmp_path / name
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, indent=2)
    path.write_text(text, encoding="utf-8")
    return path


def run(app: Any, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["--db", app.url, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def counts(app: Any) -> dict[str, int]:
    with app.uow() as uow:
        return {
            table.name: uow.session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in Base.metadata.sorted_tables
        }


def simple(**changes: Any) -> dict[str, Any]:
    case: dict[str, Any] = {
        "policy": "stockport",
        "route": "corporate",
        "stage": 1,
        "received": "2026-03-02",
        "channel": "email",
        "service_area": "Highways",
        "complainant": {
            "name": "Ambrose Thistlewick",
            "address": "7 Larkspur Row",
            "email": "ambrose@example.com",
        },
        "issues": [{"summary": "The pothole outside number 7 has not been repaired."}],
    }
    case.update(changes)
    return case


# ---- importing -----------------------------------------------------------------------------


def test_import_reads_back_every_field(
    app: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_officer(app)
    code, out, err = run(app, capsys, "import", str(write(tmp_path, every_field())))
    assert code == 0, err
    assert out == "CW-2026-00042\n"

    with app.uow() as uow:
        case = uow.session.scalars(select(Case).where(Case.reference == "CW-2026-00042")).one()
        assert case.policy_id == "stockport"
        assert case.route is RouteId.CORPORATE
        assert case.stage == 2
        assert case.status is CaseStatus.CLOSED
        assert case.received == dt.date(2026, 6, 1)
        assert case.channel is Channel.VIA_COUNCILLOR
        assert case.service_area == "Waste and Recycling"
        assert case.summary.startswith("Garden waste bin missed")
        assert case.anonymous is True
        assert case.time_limit_waived_by == "Head of Neighbourhood Services"
        assert case.officer.email == OFFICER
        c = case.complainant
        assert (c.name, c.address, c.email, c.phone, c.postcode) == (
            "Tobias Fennimore-Larchwick",
            "14 Brackenbury Crescent\nNettleford",
            "tobias.fl@example.com",
            "01632 960 418",
            "QW4 7CV",
        )
        assert c.preferred_contact is ContactMethod.EMAIL
        assert c.reasonable_adjustments == "Large print (16pt) for every letter."
        assert c.adjustments_public.startswith("We will send every letter to you in large print")
        assert (c.title, c.addressed_as) == ("Mr", "Toby")
        assert case.complaint_subject == "the missed collections of your garden waste bin"
        assert case.referrer_addressed_as == "Councillor Ros Emberdale"
        assert (case.representative.title, case.representative.addressed_as) == ("Ms", "Harriet")
        assert case.referrer_title == "Ms"
        assert c.adjustments_review_on == dt.date(2027, 6, 1)
        assert c.vulnerabilities == "Sight loss (registered partially sighted)."
        assert (case.referrer_name, case.referrer_role, case.referrer_address) == (
            "Councillor Rosalind Emberdale",
            ReferrerRole.COUNCILLOR,
            "Members' Office, Town Hall, Nettleford",
        )
        r = case.representative
        assert (
            r.name,
            r.relationship_to_complainant,
            r.address,
            r.email,
            r.phone,
            r.consent_received,
        ) == (
            "Harriet Fennimore-Larchwick",
            "daughter",
            "3 Pebblecombe Lane\nNettleford",
            "harriet.fl@example.org",
            "07700 900 127",
            dt.date(2026, 6, 3),
        )
        assert [s.name for s in case.subjects] == ["Desmond Wrenthorpe"]
        assert case.subjects[0].officer.email == "desmond@council.example"
        first, second, third = case.issues
        assert (first.number, first.finding, second.number, second.finding) == (
            1,
            Finding.UPHELD,
            2,
            Finding.NOT_UPHELD,
        )
        # The stage 2 review's own findings, beside stage 1's; a point the request raised.
        assert [(i.raised_at_stage, i.stage2_finding) for i in case.issues] == [
            (1, Finding.UPHELD),
            (1, Finding.NOT_UPHELD),
            (2, Finding.PARTIALLY_UPHELD),
        ]
        assert first.stage2_explanation.startswith("The review confirmed")
        assert first.stage2_remedy.startswith("The refund and collection")
        assert (third.finding, third.explanation, third.stage2_remedy) == (
            None,
            "",
            "An apology, in this letter.",
        )
        assert first.remedy.startswith("An apology, a refund")
        assert first.lesson_learnt.startswith("Route changes")
        assert first.action.startswith("Add the crescent")
        assert first.action_public == "We will add your crescent to the fortnightly round."
        assert (first.action_due, first.action_completed) == (
            dt.date(2026, 6, 30),
            dt.date(2026, 6, 22),
        )
        assert [n.kind for n in first.notes] == [NoteKind.EVIDENCE, NoteKind.HEARSAY]
        assert first.notes[0].source == "Waste round sheets, May 2026"
        assert first.notes[0].author == "Morwenna Quillthorpe"
        assert first.notes[0].created_at.replace(tzinfo=dt.UTC) == dt.datetime(
            2026, 6, 8, 10, 15, tzinfo=dt.UTC
        )
        assert [n.kind for n in second.notes] == [NoteKind.FACT, NoteKind.ACTION]
        assert (
            case.acknowledged,
            case.response_sent,
            case.response_method,
            case.escalation_requested,
            case.closed_on,
            case.outcome,
        ) == (
            dt.date(2026, 7, 14),
            dt.date(2026, 8, 7),
            SendMethod.EMAIL,
            dt.date(2026, 7, 10),
            dt.date(2026, 8, 7),
            Outcome.PARTIALLY_UPHELD,
        )
        assert case.understanding.startswith("You are unhappy")
        assert case.steps_taken.startswith("I read the round sheets")
        assert case.evidence_considered.startswith("Round sheets")
        assert case.settlement_terms == "A £25 goodwill payment."
        assert (case.withdrawn_on, case.withdrawal_method) == (
            dt.date(2026, 8, 1),
            ContactMethod.LETTER,
        )
        assert case.escalation_refusal_reasons == "None: the request was accepted."
        (extension,) = case.extensions
        assert (
            extension.stage,
            extension.new_date,
            extension.complainant_told,
            extension.told_method,
        ) == (1, dt.date(2026, 7, 10), dt.date(2026, 6, 24), ContactMethod.EMAIL)
        (suspension,) = case.suspensions
        assert (suspension.start, suspension.end) == (dt.date(2026, 7, 20), dt.date(2026, 7, 24))
        (interview,) = case.interviews
        assert interview.interviewee == "Desmond Wrenthorpe"
        assert interview.method is InterviewMethod.IN_PERSON
        assert interview.accompanied_as == "union representative"
        assert interview.summary_read_back and interview.further_information_invited
        assert [a.method for a in case.contact_attempts] == [
            ContactMethod.PHONE,
            ContactMethod.EMAIL,
        ]

        # The clock: stage 2 runs from the escalation request, with the suspension's days out.
        expected = compute_deadlines(
            get_policy("stockport"),
            route="corporate",
            stage=2,
            received=dt.date(2026, 7, 10),
            acknowledged=dt.date(2026, 7, 14),
            suspensions=[(dt.date(2026, 7, 20), dt.date(2026, 7, 24))],
        )
        assert (case.acknowledge_by, case.respond_by, case.respond_by_latest) == (
            expected.acknowledge_by,
            expected.respond_by,
            expected.respond_by_latest,
        )

        # Saved through the unit of work, so the audit trail has it, by the person at the keyboard.
        audited = uow.session.scalars(
            select(AuditEvent.entity).where(AuditEvent.case_id == case.id)
        ).all()
        assert {"cases", "issues", "notes", "representatives"} <= set(audited)


def test_import_assigns_references_and_computes_the_clock(
    app: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(app, capsys, "import", str(EXAMPLES / "cases.json"))
    assert code == 0, err
    assert out.split() == ["CW-2026-00001", "CW-2026-00002", "SCC/2026/0917", "CW-2026-00003"]
    assert "imported 4 cases" in err
    with app.uow() as uow:
        first = uow.session.scalars(select(Case).where(Case.reference == "CW-2026-00001")).one()
        assert first.status is CaseStatus.OPEN
        expected = compute_deadlines(
            get_policy("warwickshire"), route="corporate", stage=1, received=dt.date(2026, 11, 16)
        )
        assert first.respond_by == expected.respond_by
        withdrawn = uow.session.scalars(select(Case).where(Case.reference == "CW-2026-00002")).one()
        assert withdrawn.outcome is Outcome.WITHDRAWN and withdrawn.status is CaseStatus.CLOSED
        refused = uow.session.scalars(select(Case).where(Case.reference == "CW-2026-00003")).one()
        assert refused.outcome is Outcome.REFUSED and refused.status is CaseStatus.CLOSED
        assert refused.refusal_reasons.startswith("Your complaint is about the parking fine")
        assert refused.refusal_route.startswith("You can challenge the fine")


def test_references_given_in_a_file_move_the_counter_on(
    app: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(app, capsys, "import", str(write(tmp_path, simple())))[1] == "CW-2026-00001\n"
    code, out, err = run(
        app,
        capsys,
        "import",
        str(write(tmp_path, {"cases": [simple(reference="CW-2026-00007"), simple()]})),
    )
    assert code == 0, err
    assert out.split() == ["CW-2026-00007", "CW-2026-00008"]
    with app.uow() as uow:
        assert (
            uow.session.scalars(select(Counter.value).where(Counter.name == "reference-2026")).one()
            == 8
        )


def test_cleaned_text_is_what_is_stored(
    app: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = simple(summary="Fwd: complaint\r\n\r\n> the lamp\x07 is out\x00")
    case["complainant"]["name"] = "Ambrose\x00 Thistlewick\u0007"
    code, _, err = run(app, capsys, "import", str(write(tmp_path, case)))
    assert code == 0, err
    with app.uow() as uow:
        stored = uow.session.scalars(select(Case)).one()
        assert stored.summary == "Fwd: complaint\n\n> the lamp is out"
        assert stored.complainant.name == "Ambrose Thistlewick"


# ---- refusals save nothing ---------------------------------------------------------------


def _bad_files() -> dict[str, tuple[Any, str]]:
    finding = [simple(), simple()]
    finding[1]["issues"][0].update(finding="upheldd", explanation="x")
    no_name = simple()
    del no_name["complainant"]["name"]
    nul_name = simple()
    nul_name["complainant"]["name"] = "\x00\x00"
    return {
        "unknown field": (
            {"cases": [simple(), simple(colour="red")]},
            "cases[1].colour: unknown field",
        ),
        "bad date": (
            {"cases": [simple(), simple(received="2026-02-30")]},
            "cases[1].received: '2026-02-30' is not a real date",
        ),
        "unknown policy": (
            {"cases": [simple(), simple(policy="nowhere")]},
            "cases[1].policy: unknown policy 'nowhere'",
        ),
        "route not in policy": (
            {"cases": [simple(), simple(route="adult-social-care")]},
            "cases[1].route: 'adult-social-care' is not a route of policy stockport",
        ),
        "bad finding": (
            {"cases": finding},
            "cases[1].issues[0].finding: 'upheldd' is not one of upheld, "
            "partially-upheld, not-upheld",
        ),
        "missing complainant name": (no_name, "complainant.name: required, but missing"),
        "control-only name": (nul_name, "complainant.name: a name is needed"),
        "malformed JSON": (
            '{"cases": [\n  {"policy": "stockport",}\n]}',
            "not valid JSON at line 2, column 26: Expecting property name",
        ),
        "future date": (simple(received="2999-01-01"), "received: 2999-01-01 is in the future"),
    }


@pytest.mark.parametrize("kind", list(_bad_files()))
def test_a_bad_file_is_refused_whole(
    kind: str, app: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, words = _bad_files()[kind]
    before = counts(app)
    path = write(tmp_path, data)
    code, out, err = run(app, capsys, "import", str(path))
    assert code == 2
    assert out == ""
    assert f"{path}: {words}" in err
    assert "nothing was imported" in err.splitlines()[-1]
    assert counts(app) == before


def test_a_reference_already_in_use_refuses_the_whole_file(
    app: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(app, capsys, "import", str(write(tmp_path, simple(reference="OLD-1"), "first.json")))
    before = counts(app)
    path = write(tmp_path, {"cases": [simple(), simple(reference="OLD-1")]})
    code, _, err = run(app, capsys, "import", str(path))
    assert code == 2
    assert f"{path}: cases[1].reference: 'OLD-1' is already the reference of a case" in err
    assert counts(app) == before


def test_an_unknown_officer_refuses_the_whole_file(
    app: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = counts(app)
    path = write(tmp_path, {"cases": [simple(), simple(officer="nobody@council.example")]})
    code, _, err = run(app, capsys, "import", str(path))
    assert code == 2
    assert "cases[1].officer: no officer has the email 'nobody@council.example'" in err
    assert counts(app) == before


def test_a_problem_found_while_adding_saves_nothing(app: Any) -> None:
    """A problem found only while adding (here: after the first case is built) rolls back all."""
    before = counts(app)
    text = json.dumps({"cases": [simple(), simple(officer="nobody@council.example")]})
    case_file = parse_case_file(text, "x.json")
    with pytest.raises(Exception, match="no officer"):
        import_cases(app.context(), case_file)
    assert counts(app) == before


def test_an_extension_beyond_the_policy_limit_refuses_the_whole_file(
    app: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = counts(app)
    enquiry = simple(
        route="member-enquiry",
        via={"name": "Councillor Ulric Hollowstead", "role": "councillor"},
        extensions=[{"stage": 1, "new_date": "2026-05-01", "reason": "Slow."}],
    )
    path = write(tmp_path, {"cases": [simple(), enquiry]})
    code, _, err = run(app, capsys, "import", str(path))
    assert code == 2
    assert f"{path}: cases[1].extensions: stage 1 of policy stockport allows no extension" in err
    assert counts(app) == before


def test_a_missing_file(app: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(app, capsys, "import", str(tmp_path / "nope.json"))
    assert code == 2
    assert "nope.json: no such file" in err


# ---- exporting and the round trip ------------------------------------------------------------


def test_export_gives_back_the_file_that_was_imported(
    app: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(app, capsys, "import", str(EXAMPLES / "case.json"))[0] == 0
    code, out, err = run(app, capsys, "export", "SMBC/2026/0042")
    assert code == 0, err
    assert json.loads(out) == json.loads((EXAMPLES / "case.json").read_text(encoding="utf-8"))
    # Written exactly as the documented example is laid out.
    assert out == (EXAMPLES / "case.json").read_text(encoding="utf-8")


@pytest.mark.no_officer
@pytest.mark.parametrize("database", ["fresh", "demo"])
def test_the_documented_examples_import_into_a_fresh_and_a_demo_database(
    app: Any, capsys: pytest.CaptureFixture[str], database: str
) -> None:
    """As the README says: straight after the first start, or after `caseworker demo`."""
    if database == "demo":
        assert run(app, capsys, "demo", "--cases", "200", "--today", "2026-11-23")[0] == 0
    before = counts(app)["cases"]
    code, out, err = run(app, capsys, "import", str(EXAMPLES / "case.json"))
    assert code == 0, err
    assert out == "SMBC/2026/0042\n"
    code, out, err = run(app, capsys, "import", str(EXAMPLES / "cases.json"))
    assert code == 0, err
    assert len(out.split()) == 4
    assert counts(app)["cases"] == before + 5


def test_round_trip_import_export_import(
    app: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_officer(app)
    original = {
        "cases": [
            every_field(),
            *json.loads((EXAMPLES / "cases.json").read_text(encoding="utf-8"))["cases"],
        ]
    }
    code, out, err = run(app, capsys, "import", str(write(tmp_path, original, "a.json")))
    assert code == 0, err
    references = out.split()
    code, exported, err = run(app, capsys, "export", *references)
    assert code == 0, err

    other = open_app(f"sqlite:///{tmp_path / 'other.sqlite'}", actor="tester")
    try:
        add_officer(other)
        complaints_managers(other, "tester")
        code, out, err = run(other, capsys, "import", str(write(tmp_path, exported, "b.json")))
        assert code == 0, err
        assert out.split() == references
        code, again, err = run(other, capsys, "export", *references)
        assert code == 0, err
    finally:
        other.close()
    assert again == exported

    # Same content as the file first imported, with the references that were assigned.
    expected = copy.deepcopy(original)
    for case, reference in zip(expected["cases"], references, strict=True):
        case["reference"] = reference
        case.setdefault("status", "open")
    assert json.loads(exported) == expected


def test_export_to_a_file(app: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(app, capsys, "import", str(write(tmp_path, simple())))
    target = tmp_path / "out.json"
    code, out, _ = run(app, capsys, "export", "CW-2026-00001", "-o", str(target))
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["reference"] == "CW-2026-00001"


def test_export_of_an_unknown_reference(app: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(app, capsys, "export", "CW-2026-99999")
    assert code == 2
    assert out == ""
    assert "no case has the reference CW-2026-99999" in err


def test_export_service_keeps_the_order_asked_for(
    app: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(app, capsys, "import", str(EXAMPLES / "cases.json"))
    data = export_cases(app.context(), ["SCC/2026/0917", "CW-2026-00001"])
    assert [case["reference"] for case in data["cases"]] == ["SCC/2026/0917", "CW-2026-00001"]


# ---- the case list ---------------------------------------------------------------------------


def test_cases_json(app: Any, capsys: pytest.CaptureFixture[str]) -> None:
    run(app, capsys, "import", str(EXAMPLES / "cases.json"))
    code, out, err = run(app, capsys, "cases", "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert [row["reference"] for row in rows] == [
        "CW-2026-00001",
        "CW-2026-00002",
        "CW-2026-00003",
        "SCC/2026/0917",
    ]
    assert all(
        set(row) == {"reference", "policy", "route", "stage", "status", "outcome", "due"}
        for row in rows
    )
    with app.uow() as uow:
        stored = {
            reference: respond_by.isoformat()
            for reference, respond_by in uow.session.execute(
                select(Case.reference, Case.respond_by)
            )
        }
    assert {row["reference"]: row["due"] for row in rows} == stored
    assert rows[0] == {
        "reference": "CW-2026-00001",
        "policy": "warwickshire",
        "route": "corporate",
        "stage": 1,
        "status": "open",
        "outcome": None,
        "due": stored["CW-2026-00001"],
    }
    assert rows[2]["outcome"] == "refused" and rows[2]["status"] == "closed"
    assert rows[3]["outcome"] == "settled" and rows[3]["status"] == "closed"


def test_cases_json_filters_and_empty(app: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert json.loads(run(app, capsys, "cases", "--json")[1]) == []
    run(app, capsys, "import", str(EXAMPLES / "cases.json"))
    rows = json.loads(run(app, capsys, "cases", "--json", "--status", "closed")[1])
    assert [row["reference"] for row in rows] == ["CW-2026-00002", "CW-2026-00003", "SCC/2026/0917"]
    rows = json.loads(run(app, capsys, "cases", "--json", "--limit", "1")[1])
    assert len(rows) == 1


def test_cases_table(app: Any, capsys: pytest.CaptureFixture[str]) -> None:
    run(app, capsys, "import", str(EXAMPLES / "cases.json"))
    code, out, _ = run(app, capsys, "cases")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["Reference", "Policy", "Route", "Stage", "Status", "Outcome", "Due"]
    assert lines[2].split()[:6] == ["CW-2026-00001", "warwickshire", "corporate", "1", "open", "-"]
    assert lines[-1] == "4 cases"


def test_nothing_else_is_touched_by_a_listing(app: Any, capsys: pytest.CaptureFixture[str]) -> None:
    run(app, capsys, "import", str(EXAMPLES / "cases.json"))
    before = counts(app)
    run(app, capsys, "cases", "--json")
    run(app, capsys, "export", "CW-2026-00001")
    assert counts(app) == before
    with app.uow() as uow:
        assert uow.session.execute(select(func.count()).select_from(Complainant)).scalar() == 4
        assert uow.session.execute(select(func.count()).select_from(Issue)).scalar() == 4
        assert uow.session.execute(select(func.count()).select_from(Note)).scalar() == 0


# ---- who may import and export (issue 15) ------------------------------------------------------


def as_login(
    app: Any, login: str, capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, str, str]:
    """A command run by the operating-system account ``login``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("caseworker.bootstrap.current_login", lambda: login)
        return run(app, capsys, *argv)


def waste(**changes: Any) -> dict[str, Any]:
    return simple(**{"service_area": "Waste", **changes})


def stage2(**changes: Any) -> dict[str, Any]:
    return waste(stage=2, escalation_requested="2026-04-01", **changes)


@pytest.fixture
def team(app: Any) -> dict[str, int]:
    return add_team(app)


def refused_line(err: str) -> str:
    """The one line a refusal prints, less the program's name."""
    assert err.count("\n") == 1, err
    assert err.startswith("caseworker: Refused: ")
    return err.removeprefix("caseworker: ").rstrip("\n")


def closed(**changes: Any) -> dict[str, Any]:
    """A case with its stage 1 answered and closed: work done on it, not a new complaint."""
    return waste(
        acknowledged="2026-03-04",
        response_sent="2026-03-20",
        response_method="email",
        closed_on="2026-03-20",
        outcome="not-upheld",
        **changes,
    )


def with_finding(**changes: Any) -> dict[str, Any]:
    case = waste(**changes)
    case["issues"][0].update(finding="not-upheld", explanation="The crew came on the day.")
    return case


IO, LM = "Ann Smith (an investigating officer)", "Lee Line (a line manager)"


@pytest.mark.parametrize(
    ("login", "case", "words"),
    [
        (
            "ann",
            waste(officer="ann@council.example"),
            f"{IO} may not record a case about Waste already given to an officer "
            f"({rules.RECORDED_BY})",
        ),
        (
            "ann",
            closed(),
            f"{IO} may not record a case about Waste already worked on ({rules.RECORDED_BY})",
        ),
        (
            "ann",
            with_finding(),
            f"{IO} may not record a case about Waste already worked on ({rules.RECORDED_BY})",
        ),
        (
            "lee",
            closed(service_area="Housing"),
            f"{LM} may not record a case about Housing already worked on ({rules.RECORDED_BY})",
        ),
        (
            "lee",
            simple(service_area="Housing", officer="hal@council.example"),
            f"{LM} may not record a case about Housing already given to an officer "
            f"({rules.RECORDED_BY})",
        ),
        (
            "ann",
            stage2(),
            f"{IO} may not record a stage 2 case ({rules.COMPLAINTS_MANAGER_STAGE_2})",
        ),
        (
            "lee",
            stage2(),
            f"{LM} may not record a stage 2 case ({rules.COMPLAINTS_MANAGER_STAGE_2})",
        ),
    ],
)
def test_an_import_the_officer_may_not_record_is_refused_whole(
    app: Any,
    team: dict[str, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    login: str,
    case: dict[str, Any],
    words: str,
) -> None:
    before = counts(app)
    path = write(tmp_path, {"cases": [waste(), case]})  # the first alone would be recorded
    code, out, err = as_login(app, login, capsys, "import", str(path))
    assert (code, out) == (2, "")
    assert refused_line(err) == f"Refused: {path}: cases[1]: {words}; nothing was imported"
    assert counts(app) == before


def test_an_officer_imports_what_the_new_case_form_lets_them_record(
    app: Any, team: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every officer records a new complaint about any service (the front desk records what
    comes in); a line manager records their service's cases as they stand."""
    path = write(tmp_path, {"cases": [waste(), simple(service_area="Housing", status="open")]})
    code, out, err = as_login(app, "ann", capsys, "import", str(path))
    assert (code, out) == (0, "CW-2026-00001\nCW-2026-00002\n"), err
    path = write(tmp_path, {"cases": [waste(officer="bob@council.example"), closed()]}, "lee.json")
    code, out, err = as_login(app, "lee", capsys, "import", str(path))
    assert (code, out) == (0, "CW-2026-00003\nCW-2026-00004\n"), err
    with app.uow() as uow:
        given = uow.session.scalars(select(Case).where(Case.reference == "CW-2026-00003")).one()
        assert given.officer_id == team["bob"]
        actors = set(
            uow.session.scalars(select(AuditEvent.actor).where(AuditEvent.entity == "cases"))
        )
    assert actors == {"ann", "lee"}


def test_the_new_case_form_and_an_import_share_the_rule(
    app: Any, team: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from caseworker.services.cases.intake import NewCase, PersonIn, create_case
    from caseworker.services.permissions import why_not_record
    from caseworker.services.uow import UnitOfWork

    new = NewCase(
        policy_id="stockport",
        received=dt.date(2026, 3, 2),
        first_aware=dt.date(2026, 3, 1),
        service_area="Housing",
        summary="Damp",
        complainant=PersonIn(name="Pat Doe", address="1 High Street"),
        issues=("Damp in the bedroom",),
    )
    # the form: a complaint about any service
    create_case(app.context(actor="ann", today=lambda: dt.date(2026, 3, 3)), new)
    with UnitOfWork(app.sessions, "ann") as uow:
        ann = uow.session.scalars(select(Officer).where(Officer.login == "ann")).one()
        assert why_not_record(ann, service_area="Housing") is None
        assert why_not_record(ann, service_area="Waste", worked=True) == (
            f"{IO} may not record a case about Waste already worked on ({rules.RECORDED_BY})"
        )
    # An officer who has left records nothing either way.
    before = counts(app)
    with pytest.raises(Refused, match="inactive"):
        create_case(
            app.context(actor="ivy", today=lambda: dt.date(2026, 3, 3)),
            replace(new, service_area="Waste"),
        )
    code, _, err = as_login(app, "ivy", capsys, "import", str(write(tmp_path, waste())))
    assert code == 2 and f"inactive ({rules.INACTIVE})" in refused_line(err)
    assert counts(app) == before


def test_an_unlinked_login_imports_nothing(
    app: Any, team: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = counts(app)
    code, _, err = as_login(app, "visitor", capsys, "import", str(write(tmp_path, waste())))
    assert code == 2
    assert "the login 'visitor' is not linked to any officer record" in refused_line(err)
    assert counts(app) == before


@pytest.fixture
def exported(app: Any, team: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """Ann's case, Bob's case, a Housing case and a stage 2 case, recorded by 'tester'."""
    cases = [
        waste(officer="ann@council.example"),
        waste(officer="bob@council.example"),
        simple(service_area="Housing"),
        stage2(officer="cam@council.example"),
    ]
    code, out, err = run(app, capsys, "import", str(write(tmp_path, {"cases": cases}, "x.json")))
    assert code == 0, err
    return out.split()


@pytest.mark.parametrize(
    ("login", "index", "words"),
    [
        (
            "ann",
            1,
            f"Ann Smith (an investigating officer) may not see CW-2026-00002 ({rules.OWN_CASES})",
        ),
        (
            "ann",
            3,
            f"Ann Smith (an investigating officer) may not see CW-2026-00004 ({rules.OWN_CASES})",
        ),
        (
            "lee",
            2,
            f"Lee Line (a line manager) may not see CW-2026-00003 ({rules.LINE_MANAGER_AREA})",
        ),
    ],
)
def test_an_officer_exports_only_cases_they_may_see(
    app: Any,
    exported: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    login: str,
    index: int,
    words: str,
) -> None:
    before = counts(app)
    target = tmp_path / "out.json"
    code, out, err = as_login(
        app, login, capsys, "export", exported[0], exported[index], "-o", str(target)
    )
    assert (code, out) == (2, "")
    assert refused_line(err) == f"Refused: {words}"
    assert not target.exists()
    code, out, err = as_login(app, login, capsys, "export", exported[index])
    assert (code, out) == (2, "")
    assert counts(app) == before


def test_what_an_officer_may_see_they_export(
    app: Any, exported: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = as_login(app, "ann", capsys, "export", exported[0])
    assert code == 0, err
    assert json.loads(out)["officer"] == "ann@council.example"
    code, out, err = as_login(app, "lee", capsys, "export", *exported[:2])
    assert code == 0, err
    assert [case["reference"] for case in json.loads(out)["cases"]] == exported[:2]
    code, out, err = as_login(app, "cam", capsys, "export", *exported)
    assert code == 0, err
    # The service refuses as the command does.
    with pytest.raises(NotPermitted, match=r"^Refused: Bob Jones \(an investigating officer\) "):
        export_cases(app.context(actor="bob"), [exported[0]])


def test_listing_cases_shows_an_officer_only_the_cases_they_may_see(
    app: Any, team: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`caseworker cases` reads through the view rule, as the app's list does."""
    path = write(tmp_path, {"cases": [waste(), waste(), simple(service_area="Housing")]})
    code, out, _ = run(app, capsys, "import", str(path))
    assert code == 0, out
    first, second, housing = out.split()
    with app.uow() as uow:
        uow.session.scalars(select(Case).where(Case.reference == first)).one().officer_id = team[
            "ann"
        ]
        uow.commit()

    def listed(login: str) -> list[str]:
        code, out, err = as_login(app, login, capsys, "cases", "--json")
        assert code == 0, err
        return [row["reference"] for row in json.loads(out)]

    assert listed("ann") == [first]  # her own case, not her colleagues'
    assert listed("lee") == sorted([first, second])  # his service area, Waste
    assert listed("tester") == sorted([first, second, housing])  # a complaints manager
    assert listed("stranger") == []  # a login linked to no officer


def test_import_says_which_cases_letters_lack_a_subject_or_a_name(
    app: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = {
        "cases": [
            simple(complaint_subject="Your complaint about the pothole outside number 7."),
            simple(complainant={"name": "Firstname Surname", "address": "1 Lane", "email": ""}),
        ]
    }
    code, out, err = run(app, capsys, "import", str(write(tmp_path, cases)))
    assert code == 0, err
    assert "cases[0]: no complaint_subject" not in err
    assert "cases[1]: no complaint_subject, so its letters say “your complaint about the " in err
    assert "Highways service”" in err
    assert 'cases[1]: complainant.name: no usable name is recorded, so the letter says "Dear' in err
    with app.uow() as uow:
        subjects = uow.session.scalars(select(Case.complaint_subject).order_by(Case.id)).all()
    assert subjects == ["the pothole outside number 7", ""]
