"""The audit trail reads as sentences, the same in the Timeline and the stage file's chronology
(issue 19): "Allocated to Jo Bloggs", never "officer id changed from (blank) to 1"."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from caseworker.domain.enums import Role
from caseworker.services.cases import casefile, intake
from caseworker.services.cases.allocation import allocate
from caseworker.services.cases.intake import NewCase, PersonIn
from caseworker.services.investigation import issues as investigation
from caseworker.services.records.filepack import chronology
from caseworker.storage.models import Case, Officer

TODAY = dt.date(2026, 11, 25)


def test_timeline_and_chronology_share_the_sentences(app):
    ctx = app.context(today=lambda: TODAY)
    with app.uow() as uow:
        uow.session.add(
            Officer(
                name="Jo Bloggs",
                email="jo@council.example",
                role=Role.INVESTIGATING_OFFICER,
                service_area="Parking",
                login="jbloggs",
            )
        )
        uow.commit()
        jo = uow.session.scalar(select(Officer.id).where(Officer.login == "jbloggs"))
    case_id = intake.create_case(
        ctx,
        NewCase(
            policy_id="stockport",
            received=dt.date(2026, 11, 2),
            service_area="Parking",
            summary="A ticket issued while I was loading.",
            first_aware=dt.date(2026, 10, 30),
            complainant=PersonIn(name="Priya Shah", email="p@example.com"),
            issues=("The ticket was wrong.",),
        ),
    ).id
    allocate(ctx, case_id, jo)
    issue = casefile.load_case_file(ctx, case_id).issues[0]
    note = investigation.add_note(ctx, issue.id, "evidence", "The warden shouted.", "Neighbour")
    investigation.correct_note(ctx, note, kind="hearsay")

    timeline = [e.summary for e in casefile.timeline(ctx, case_id)]
    assert "Allocated to Jo Bloggs" in timeline
    assert "Note: kind changed from evidence to hearsay" in timeline
    with app.uow() as uow:
        lines = [e.what for e in chronology(uow.session, uow.session.get(Case, case_id))]
    assert "Allocated to Jo Bloggs" in lines
    assert "Note: kind changed from evidence to hearsay" in lines
    for text in timeline + lines:
        assert "officer id" not in text and "→" not in text, text
