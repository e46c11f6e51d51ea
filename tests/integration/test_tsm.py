"""The Tenant Satisfaction Measures CH01 and CH02 on a small data set counted by hand.

Reporting year 2026/27 (1 April 2026 to 31 March 2027). England and Wales bank holidays that
matter: Good Friday 3 April and Easter Monday 6 April 2026, Christmas 25 and 28 December 2026.
The Code's clock (the baseline policy's housing route): acknowledge within 5 working days of
receipt; respond within 10 (stage 1) or 20 (stage 2) working days of the acknowledgement, or of
the day it was due when it came late; an extension told to the resident before the response was
due counts up to 10 (stage 1) or 20 (stage 2) further working days.

case: stage 1 received | acknowledged | Code due | sent | what it tests
A: Mon 1 Jun 2026 | Wed 3 Jun | Wed 17 Jun | 17 Jun | on time on the last day
B: Mon 1 Jun | Tue 2 Jun | Tue 16 Jun | 18 Jun | late
C: Mon 1 Jun | Mon 15 Jun (late; due 8 Jun) | Mon 22 Jun | 24 Jun | a late
   acknowledgement buys no time
D: Mon 7 Sep | 7 Sep | 21 Sep, extended to Fri 2 Oct (told 14 Sep) | 2 Oct | on time by an
   extension
E: Mon 7 Sep | 7 Sep | 21 Sep, extended to 19 Oct, capped at Mon 5 Oct | 12 Oct | late: beyond
   the Code's limit
F: Mon 7 Sep | 7 Sep | 21 Sep (extension told 23 Sep, too late) | 1 Oct | late
G: Mon 5 Oct | - | - | withdrawn 7 Oct | CH01 only
H: Mon 5 Oct | - | - | refused 6 Oct | neither
I: Wed 25 Mar 2026 (last year) | 25 Mar | Fri 10 Apr (Easter) | 9 Apr 2026 | CH02 only, on time
J: Mon 22 Mar 2027 | 22 Mar | - | 6 Apr 2027 (next year) | CH01 only
K: Mon 2 Nov | Tue 3 Nov | Tue 17 Nov | 10 Nov | stage 1 read back from the audit trail
   stage 2 asked for Thu 12 Nov | (assumed Thu 19 Nov) | Thu 17 Dec | Fri 11 Dec | on time
L: Fri 1 May (stage 1 dates not held) | | | |
   stage 2 from Wed 1 Jul | 1 Jul | Wed 29 Jul | Fri 31 Jul | stage 2 late
M: corporate route, Mon 1 Jun | 1 Jun | 15 Jun | 10 Jun | not a landlord complaint

CH01: stage 1 received A B C D E F G J K L = 10; stage 2 K L = 2. Homes at 31 March 2027: 2,500
(recorded 2,000 as at 1 April 2026, 2,500 as at 31 March 2027, 3,000 as at 15 April 2027).
So 4.0 and 0.8 per 1,000 homes.
CH02 stage 1: sent in the year A B C D E F I K = 8, on time A D I K = 4 (D by extension), 50.0%;
L's stage 1 not held. Stage 2: K L = 2, on time K = 1, 50.0%.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from caseworker.domain.enums import (
    CaseStatus,
    Channel,
    ContactMethod,
    Outcome,
    Role,
    RouteId,
    SendMethod,
)
from caseworker.domain.refusals import Refused
from caseworker.errors import UserError
from caseworker.policy.loader import get_policy
from caseworker.reports.period import Period
from caseworker.reports.service import report, tsm
from caseworker.services.cases import escalation, lifecycle
from caseworker.services.cases.records import refresh_clock
from caseworker.services.records.homes import homes_history, record_homes
from caseworker.storage.models import AuditEvent, Case, Complainant, Extension, HomesOwned, Officer

D = dt.date
YEAR = Period.financial_year(2026)
AFTER = D(2027, 4, 30)


def _case(uow: Any, ref: str, received: dt.date, **fields: Any) -> Case:
    extensions = fields.pop("extensions", [])
    row = Case(
        reference=f"CW-T-{ref}",
        policy_id="stoke-on-trent",
        route=fields.pop("route", RouteId.HOUSING),
        received=received,
        stage=fields.pop("stage", 1),
        channel=Channel.EMAIL,
        service_area="Housing",
        complainant=Complainant(name=f"Tenant {ref}"),
        **fields,
    )
    for stage, new_date, told in extensions:
        row.extensions.append(
            Extension(stage=stage, new_date=new_date, reason="more time", complainant_told=told)
        )
    uow.session.add(row)
    return row


def _data_set(app: Any) -> None:
    sent = dict(response_method=SendMethod.EMAIL, outcome=Outcome.NOT_UPHELD)
    closed = dict(status=CaseStatus.CLOSED)
    with app.uow() as uow:
        _case(
            uow,
            "A",
            D(2026, 6, 1),
            acknowledged=D(2026, 6, 3),
            response_sent=D(2026, 6, 17),
            **sent,
        )
        _case(
            uow,
            "B",
            D(2026, 6, 1),
            acknowledged=D(2026, 6, 2),
            response_sent=D(2026, 6, 18),
            **sent,
        )
        _case(
            uow,
            "C",
            D(2026, 6, 1),
            acknowledged=D(2026, 6, 15),
            response_sent=D(2026, 6, 24),
            **sent,
        )
        _case(
            uow,
            "D",
            D(2026, 9, 7),
            acknowledged=D(2026, 9, 7),
            response_sent=D(2026, 10, 2),
            extensions=[(1, D(2026, 10, 2), D(2026, 9, 14))],
            **sent,
        )
        _case(
            uow,
            "E",
            D(2026, 9, 7),
            acknowledged=D(2026, 9, 7),
            response_sent=D(2026, 10, 12),
            extensions=[(1, D(2026, 10, 19), D(2026, 9, 18))],
            **sent,
        )
        _case(
            uow,
            "F",
            D(2026, 9, 7),
            acknowledged=D(2026, 9, 7),
            response_sent=D(2026, 10, 1),
            extensions=[(1, D(2026, 10, 2), D(2026, 9, 23))],
            **sent,
        )
        _case(
            uow,
            "G",
            D(2026, 10, 5),
            withdrawn_on=D(2026, 10, 7),
            withdrawal_method=ContactMethod.EMAIL,
            outcome=Outcome.WITHDRAWN,
            closed_on=D(2026, 10, 7),
            **closed,
        )
        _case(
            uow,
            "H",
            D(2026, 10, 5),
            response_sent=D(2026, 10, 6),
            response_method=SendMethod.EMAIL,
            outcome=Outcome.REFUSED,
            closed_on=D(2026, 10, 6),
            **closed,
        )
        _case(
            uow,
            "I",
            D(2026, 3, 25),
            acknowledged=D(2026, 3, 25),
            response_sent=D(2026, 4, 9),
            **sent,
        )
        _case(
            uow,
            "J",
            D(2027, 3, 22),
            acknowledged=D(2027, 3, 22),
            response_sent=D(2027, 4, 6),
            **sent,
        )
        _case(
            uow,
            "L",
            D(2026, 5, 1),
            stage=2,
            stage_started=D(2026, 7, 1),
            escalation_requested=D(2026, 7, 1),
            acknowledged=D(2026, 7, 1),
            response_sent=D(2026, 7, 31),
            **sent,
        )
        _case(
            uow,
            "M",
            D(2026, 6, 1),
            route=RouteId.CORPORATE,
            acknowledged=D(2026, 6, 1),
            response_sent=D(2026, 6, 10),
            **sent,
        )
        k = _case(uow, "K", D(2026, 11, 2))
        refresh_clock(k, get_policy("stoke-on-trent"))
        uow.commit()
        k_id = k.id
    ctx = app.context(today=lambda: AFTER)
    lifecycle.acknowledge(ctx, k_id, on=D(2026, 11, 3))
    lifecycle.record_response_sent(
        ctx, k_id, sent_on=D(2026, 11, 10), method=SendMethod.EMAIL, outcome=Outcome.NOT_UPHELD
    )
    escalation.log_escalation_request(ctx, k_id, requested_on=D(2026, 11, 12))
    escalation.accept_escalation(ctx, k_id, decided_on=D(2026, 11, 13))
    lifecycle.record_response_sent(
        ctx, k_id, sent_on=D(2026, 12, 11), method=SendMethod.EMAIL, outcome=Outcome.NOT_UPHELD
    )
    record_homes(ctx, homes=2000, as_at=D(2026, 4, 1), source="stock return 2025/26")
    record_homes(ctx, homes=2500, as_at=D(2027, 3, 31), source="stock return 2026/27")
    record_homes(ctx, homes=3000, as_at=D(2027, 4, 15))


def test_ch01_and_ch02_match_the_hand_count(app: Any) -> None:
    _data_set(app)
    ctx = app.context(today=lambda: AFTER)
    figures = tsm(ctx, YEAR)
    assert figures.homes is not None and figures.homes.homes == 2500
    assert figures.received == {1: 10, 2: 2}
    assert figures.ch01(1) == pytest.approx(4.0)
    assert figures.ch01(2) == pytest.approx(0.8)
    s1, s2 = figures.responses[1], figures.responses[2]
    assert (s1.sent, s1.on_time, s1.on_time_by_extension, s1.not_held) == (8, 4, 1, 1)
    assert (s2.sent, s2.on_time, s2.on_time_by_extension, s2.not_held) == (2, 1, 0, 0)
    assert figures.ch02(1) == 50.0 and figures.ch02(2) == 50.0


def test_the_year_before_counts_its_own_complaints_and_homes(app: Any) -> None:
    _data_set(app)
    figures = tsm(app.context(today=lambda: AFTER), Period.financial_year(2025))
    # 2025/26: I was received (25 March 2026) but answered in the next year; the homes figure
    # recorded as at 1 April 2026 is after that year's end, so none held.
    assert figures.received == {1: 1, 2: 0}
    assert figures.homes is None and figures.ch01(1) is None
    assert figures.responses[1].sent == 0 and figures.ch02(1) is None


def test_the_report_publishes_the_measures_in_every_format(app: Any, tmp_path: Any) -> None:
    from docx import Document
    from openpyxl import load_workbook

    from caseworker.reports.service import export_report

    _data_set(app)
    ctx = app.context(today=lambda: AFTER)
    counted = report(ctx, YEAR)
    table = counted.table("tsm-ch01-ch02")
    assert table.value("CH01: complaints received per 1,000 homes", "Stage 1") == 4.0
    assert table.value("CH02: % responded to within the Code's timescales", "Stage 2") == 50.0

    xlsx = export_report(ctx, counted, tmp_path / "r.xlsx")
    sheet = load_workbook(xlsx)["tsm-ch01-ch02"]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["CH01: complaints received per 1,000 homes", 4.0, 0.8] in cells

    docx = export_report(ctx, counted, tmp_path / "r.docx")
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "Tenant Satisfaction Measures" in text
    words = [c.text for t in Document(str(docx)).tables for row in t.rows for c in row.cells]
    assert "CH01: complaints received per 1,000 homes" in words


def test_only_a_complaints_manager_records_the_homes_and_it_is_audited(app: Any) -> None:
    with app.uow() as uow:
        uow.session.add(
            Officer(
                name="Lee Line",
                email="lee@council.example",
                role=Role.LINE_MANAGER,
                service_area="Housing",
                login="lee",
            )
        )
        uow.commit()
    lee = app.context(actor="lee", today=lambda: AFTER)
    with pytest.raises(Refused, match="complaints manager"):
        record_homes(lee, homes=100, as_at=D(2027, 3, 31))
    ctx = app.context(today=lambda: AFTER)
    with pytest.raises(UserError, match="has not come"):
        record_homes(ctx, homes=100, as_at=D(2027, 5, 1))
    with pytest.raises(UserError, match="negative"):
        record_homes(ctx, homes=-1, as_at=D(2027, 3, 31))
    with app.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(HomesOwned)) == 0
    record_homes(ctx, homes=4321, as_at=D(2027, 3, 31), source="stock return")
    assert [(f.homes, f.recorded_by) for f in homes_history(lee)] == [(4321, "tester")]
    with app.uow() as uow:
        event = uow.session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "homes_owned")
        ).one()
        assert event.actor == "tester" and '"homes": "4321"' in (event.new_value or "")


def test_the_commands_record_the_homes_and_print_the_measures(
    app: Any, tmp_path: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from caseworker.cli.main import main

    _data_set(app)
    monkeypatch.setattr("caseworker.bootstrap.current_login", lambda: "tester")
    url = f"sqlite:///{tmp_path / 'test.sqlite'}"
    assert main(["--db", url, "homes", "--set", "1,250", "--as-at", "2026-03-31"]) == 0
    assert "recorded 1,250 homes as at 2026-03-31" in capsys.readouterr().out
    assert main(["--db", url, "homes", "--set", "many", "--as-at", "2026-03-31"]) == 2
    assert "'many' is not a whole number" in capsys.readouterr().err
    assert main(["--db", url, "homes"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in listing] == [
        ["2027-04-15", "3,000"],
        ["2027-03-31", "2,500"],
        ["2026-04-01", "2,000"],
        ["2026-03-31", "1,250"],
    ]
    assert main(["--db", url, "tsm", "--period", "2026/27"]) == 0
    out = capsys.readouterr().out
    assert "homes owned: 2,500 as at 2027-03-31" in out
    assert "stage 1: CH01 4.0 per 1,000 homes (10 received); CH02 50.0% (4 of 8" in out
    assert "stage 2: CH01 0.8 per 1,000 homes (2 received); CH02 50.0% (1 of 2" in out
