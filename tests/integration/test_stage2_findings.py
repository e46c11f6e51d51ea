"""The stage 2 review's own finding on each point (issue 19), through the core on a real database:
recorded beside stage 1's (which stays as it was sent), refused with nothing changed where the
rule says no, answered point by point in the decision letter, shown both ways in the stage file,
carried by the JSON case file and the offline copy, and blanked by the purge."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from sqlalchemy import select

from caseworker.domain.enums import Finding, LetterKind, Outcome, SendMethod
from caseworker.domain.refusals import MissingInformation, NotPermitted, Refused, WrongState
from caseworker.interchange.casejson import export_cases, import_cases, parse_case_file
from caseworker.services.cases import escalation, lifecycle
from caseworker.services.cases.casefile import load_case_file
from caseworker.services.investigation import issues, stage2
from caseworker.services.letters import preview_letter
from caseworker.services.records.filepack import build_file_pack
from caseworker.services.records.retention import purge
from caseworker.services.team.concurrency import save_case_edits
from caseworker.services.team.offline import Outcome as CheckIn
from caseworker.services.team.offline import check_in, check_out
from caseworker.storage.models import AuditEvent, Case, Issue
from tests.integration.test_steps import answered, as_
from tests.officers import add_team

STAGE1_WHY = "The crew's sheets show the road was collected."


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """The database: a SQLite file, or the test PostgreSQL database (row security, the
    database's own audit trigger)."""
    from caseworker.bootstrap import open_app

    if request.param == "postgresql":
        url = str(request.getfixturevalue("pg_url"))
    else:
        url = f"sqlite:///{tmp_path / 'test.sqlite'}"
    opened = open_app(url, actor="tester")
    yield opened
    opened.close()


@pytest.fixture
def ids(app: Any) -> dict[str, int]:
    return add_team(app)


def at_stage_two(app: Any, ids: dict[str, int], policy: str = "warwickshire") -> int:
    """Answered at stage 1 (one point, not upheld, with its reason), then taken to stage 2."""
    case_id = answered(app, ids, policy=policy)
    with app.uow() as uow:
        row = uow.session.get(Case, case_id)
        row.issues[0].finding = Finding.NOT_UPHELD
        row.issues[0].explanation = STAGE1_WHY
        uow.commit()
    escalation.log_escalation_request(
        as_(app, "ann"), case_id, requested_on=dt.date(2026, 10, 20), reason="Not collected"
    )
    escalation.accept_escalation(as_(app, "cam"), case_id, decided_on=dt.date(2026, 10, 22))
    return case_id


def point(app: Any, case_id: int, number: int = 1) -> Issue:
    with app.uow() as uow:
        return uow.session.scalars(
            select(Issue).where(Issue.case_id == case_id, Issue.number == number)
        ).one()


def trail(app: Any, case_id: int, field: str) -> list[tuple[str, str | None]]:
    with app.uow() as uow:
        return [
            (e.actor, e.new_value)
            for e in uow.session.scalars(
                select(AuditEvent)
                .where(AuditEvent.case_id == case_id, AuditEvent.field == field)
                .order_by(AuditEvent.id)
            )
        ]


def test_a_stage_2_finding_is_kept_beside_stage_ones(app: Any, ids: dict) -> None:
    case_id = at_stage_two(app, ids)
    first = point(app, case_id)
    stage2.record_stage2_finding(
        as_(app, "cam"),
        first.id,
        finding=Finding.UPHELD,
        explanation="  Neighbours saw the bins left.  ",
        remedy="A collection on Friday.",
    )
    after = point(app, case_id)
    assert (after.finding, after.explanation) == (Finding.NOT_UPHELD, STAGE1_WHY)
    assert (after.stage2_finding, after.stage2_explanation, after.stage2_remedy) == (
        Finding.UPHELD,
        "Neighbours saw the bins left.",
        "A collection on Friday.",
    )
    assert trail(app, case_id, "stage2_finding") == [("cam", "upheld")]
    shown = load_case_file(as_(app, "cam"), case_id)
    assert shown.suggested_outcome == Outcome.UPHELD  # from stage 2's, not stage 1's
    assert shown.stage1_fixed is not None


def test_refusals_change_nothing(app: Any, ids: dict) -> None:
    case_id = at_stage_two(app, ids)
    first = point(app, case_id)
    before = trail(app, case_id, "stage2_finding")
    # Upheld without a remedy; no reason; the stage 1 investigator; a line manager.
    with pytest.raises(MissingInformation, match="say how the council will put it right"):
        stage2.record_stage2_finding(
            as_(app, "cam"), first.id, finding="upheld", explanation="Missed", remedy=""
        )
    with pytest.raises(MissingInformation, match="valid and clear reason"):
        stage2.record_stage2_finding(
            as_(app, "cam"), first.id, finding="not-upheld", explanation=""
        )
    for login in ("ann", "lee"):
        with pytest.raises(NotPermitted, match="may not record stage 2 findings on"):
            stage2.record_stage2_finding(
                as_(app, login), first.id, finding="not-upheld", explanation="No fault"
            )
    # Stage 1's finding is what was sent: neither the issue's function nor the window's save
    # changes it now, and a save cannot write the review's fields.
    with pytest.raises(WrongState, match="the stage 1 finding is kept as it was sent"):
        issues.update_issue(as_(app, "cam"), first.id, finding="upheld")
    with app.uow() as uow:
        version = uow.session.get(Case, case_id).version
    with pytest.raises(WrongState, match="the stage 1 finding is kept as it was sent"):
        with as_(app, "cam").unit() as uow:
            save_case_edits(uow, case_id, version, issues={1: {"explanation": "Changed"}})
    with pytest.raises(Refused, match="the stage 2 review records it"):
        with as_(app, "cam").unit() as uow:
            save_case_edits(uow, case_id, version, issues={1: {"stage2_finding": "upheld"}})
    after = point(app, case_id)
    assert (after.finding, after.explanation, after.stage2_finding) == (
        Finding.NOT_UPHELD,
        STAGE1_WHY,
        None,
    )
    assert trail(app, case_id, "stage2_finding") == before == []
    # Lesson and action are the case's, not a finding: still kept up to date at stage 2.
    issues.update_issue(as_(app, "cam"), first.id, lesson_learnt="Sheets checked weekly.")
    assert point(app, case_id).lesson_learnt == "Sheets checked weekly."


def test_not_at_stage_one_nor_after_the_stage_2_response(app: Any, ids: dict) -> None:
    stage_one = answered(app, ids)
    with pytest.raises(WrongState, match="stage 2 findings are recorded once the request"):
        stage2.record_stage2_finding(
            as_(app, "cam"), point(app, stage_one).id, finding="upheld", explanation="x", remedy="y"
        )
    case_id = at_stage_two(app, ids)
    lifecycle.record_response_sent(
        as_(app, "cam"), case_id, sent_on=dt.date(2026, 11, 2), method=SendMethod.EMAIL
    )
    with pytest.raises(WrongState, match="its findings are kept as they were sent"):
        stage2.record_stage2_finding(
            as_(app, "cam"), point(app, case_id).id, finding="not-upheld", explanation="No fault"
        )


def test_a_point_the_request_raises_and_the_decision_letter(app: Any, ids: dict) -> None:
    case_id = at_stage_two(app, ids, policy="stockport")
    cam = as_(app, "cam")
    added = issues.add_issue(cam, case_id, "Nobody answered my emails.")
    assert point(app, case_id, 2).raised_at_stage == 2
    # Not every point reviewed yet: no outcome follows, and the letter says so.
    stage2.record_stage2_finding(
        cam,
        point(app, case_id).id,
        finding=Finding.UPHELD,
        explanation="Two neighbours saw the bins left.",
        remedy="Your bin is checked each week.",
    )
    draft = preview_letter(cam, case_id)
    assert draft.kind == LetterKind.DECISION
    assert any(gap.startswith("No outcome recorded") for gap in draft.gaps), draft.gaps
    assert STAGE1_WHY not in draft.text
    stage2.record_stage2_finding(
        cam, added, finding=Finding.NOT_UPHELD, explanation="Both emails were answered in May."
    )
    letter = preview_letter(cam, case_id)
    assert "Two neighbours saw the bins left." in letter.text
    assert "Both emails were answered in May." in letter.text
    assert STAGE1_WHY not in letter.text  # never stage 1's
    # No outcome recorded at stage 2: the one its own findings add up to.
    assert "partially upheld" in letter.text.lower()
    assert not [gap for gap in letter.gaps if "finding" in gap or "upheld" in gap.lower()]

    # The stage file shows both, each under its own name.
    pack = build_file_pack(cam, case_id)
    lines = [p.text for p in docx.Document(io.BytesIO(pack.document)).paragraphs]
    assert "Stage 1 finding: not upheld" in lines
    assert f"Explanation: {STAGE1_WHY}" in lines
    assert "Stage 2 finding: upheld" in lines
    assert "Stage 2 explanation: Two neighbours saw the bins left." in lines
    assert "Raised: by the request for stage 2" in lines
    assert "Stage 2 finding: not upheld" in lines

    # Closing goes by stage 2's findings too.
    lifecycle.record_response_sent(
        cam,
        case_id,
        sent_on=dt.date(2026, 11, 20),
        method=SendMethod.EMAIL,
        outcome=Outcome.PARTIALLY_UPHELD,
    )
    lifecycle.close_case(cam, case_id, on=dt.date(2026, 11, 20))


def test_the_json_case_file_carries_them_and_checks_them(app: Any, ids: dict) -> None:
    case_id = at_stage_two(app, ids)
    cam = as_(app, "cam")
    stage2.record_stage2_finding(
        cam,
        point(app, case_id).id,
        finding="partially-upheld",
        explanation="Once.",
        remedy="Sorry.",
    )
    issues.add_issue(cam, case_id, "A new point.")
    with app.uow() as uow:
        reference = uow.session.get(Case, case_id).reference
    data = export_cases(cam, [reference])
    exported = data["issues"]
    assert exported[0]["finding"] == "not-upheld"
    assert (exported[0]["stage2_finding"], exported[0]["stage2_remedy"]) == (
        "partially-upheld",
        "Sorry.",
    )
    assert exported[1]["raised_at_stage"] == 2 and "stage2_finding" not in exported[1]
    # A stage 2 finding with no reason, or on a case still at stage 1, is refused by line.
    import json

    case = data
    case["reference"] = "CW-2026-09999"
    case["issues"][0]["stage2_explanation"] = ""
    with pytest.raises(Exception, match=r"issues\[0\]\.stage2_explanation: the stage 2 finding"):
        parse_case_file(json.dumps({"cases": [case]}), "file.json", today=dt.date(2026, 11, 25))
    case["issues"][0]["stage2_explanation"] = "Once."
    case["stage"] = 1
    with pytest.raises(Exception, match=r"issues\[0\]\.stage2_finding: a stage 2 finding on a"):
        parse_case_file(json.dumps({"cases": [case]}), "file.json", today=dt.date(2026, 11, 25))
    case["stage"] = 2
    imported = import_cases(
        cam, parse_case_file(json.dumps({"cases": [case]}), "f.json", today=dt.date(2026, 11, 25))
    )
    with app.uow() as uow:
        row = uow.session.scalars(select(Case).where(Case.reference == imported[0])).one()
        assert [(i.raised_at_stage, i.stage2_finding) for i in row.issues] == [
            (1, Finding.PARTIALLY_UPHELD),
            (2, None),
        ]


def test_the_purge_blanks_the_stage_2_reasons(app: Any, ids: dict) -> None:
    case_id = at_stage_two(app, ids, policy="stockport")
    cam = as_(app, "cam")
    stage2.record_stage2_finding(
        cam,
        point(app, case_id).id,
        finding="upheld",
        explanation="Mrs Quill's neighbour saw it.",
        remedy="We refunded the £35 charge.",
    )
    lifecycle.record_response_sent(
        cam, case_id, sent_on=dt.date(2026, 11, 2), method=SendMethod.EMAIL, outcome="upheld"
    )
    lifecycle.close_case(cam, case_id, on=dt.date(2026, 11, 2))
    with app.uow() as uow:
        reference = uow.session.get(Case, case_id).reference
    purge(app.context(actor="cam", today=lambda: dt.date(2033, 1, 1)), [reference])
    gone = point(app, case_id)
    assert gone.stage2_finding == Finding.UPHELD  # kept: the figures still add up
    assert gone.stage2_explanation == ""
    assert "Quill" not in gone.stage2_remedy and "£35" not in gone.stage2_remedy
    assert gone.stage2_remedy.startswith("Removed under the retention policy")


def test_an_offline_stage_2_finding_needs_the_reviewers_right(
    app: Any, ids: dict, tmp_path: Path
) -> None:
    case_id = at_stage_two(app, ids)
    with app.uow() as uow:
        row = uow.session.get(Case, case_id)
        row.officer_id = ids["bob"]  # the handler given stage 2 (Ann had stage 1)
        reference = row.reference
        uow.commit()
    for login, applied in (("ann", False), ("bob", True)):
        if login == "ann":  # Ann may not even check it out to work on it
            with pytest.raises(Exception, match="may not work on"):
                check_out(as_(app, login), [reference], tmp_path / "ann.sqlite")
            continue
        copy = tmp_path / f"{login}.sqlite"
        check_out(as_(app, login), [reference], copy)
        with sqlite3.connect(copy) as db:
            db.execute(
                "UPDATE issues SET stage2_finding = 'not-upheld', "
                "stage2_explanation = 'Checked again: collected' WHERE number = 1"
            )
        db.close()
        (result,) = check_in(as_(app, login), copy).cases
        assert (result.outcome == CheckIn.APPLIED) is applied, result.message
    assert point(app, case_id).stage2_finding == Finding.NOT_UPHELD
    assert trail(app, case_id, "stage2_finding") == [("bob", "not-upheld")]


def test_an_offline_change_to_stage_ones_finding_is_refused(
    app: Any, ids: dict, tmp_path: Path
) -> None:
    case_id = at_stage_two(app, ids)
    with app.uow() as uow:
        reference = uow.session.get(Case, case_id).reference
    copy = tmp_path / "cam.sqlite"
    check_out(as_(app, "cam"), [reference], copy)
    with sqlite3.connect(copy) as db:
        db.execute("UPDATE issues SET finding = 'upheld' WHERE number = 1")
    db.close()
    (result,) = check_in(as_(app, "cam"), copy).cases
    assert result.outcome == CheckIn.REFUSED
    assert "the stage 1 finding is kept as it was sent" in result.message
    assert point(app, case_id).finding == Finding.NOT_UPHELD
