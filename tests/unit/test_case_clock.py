"""The clock stored on a case, recomputed from its policy."""

from __future__ import annotations

import datetime as dt

import pytest

from caseworker.domain.enums import Channel, RouteId
from caseworker.errors import UserError
from caseworker.policy.loader import get_policy
from caseworker.services.cases.records import refresh_clock
from caseworker.storage.models import Case, Extension, Suspension

D = dt.date


MONDAY = D(2026, 11, 23)


def _case(policy: str = "stockport", received: dt.date = MONDAY, **kw: object) -> Case:
    case = Case(
        reference="CW-2026-00001",
        policy_id=policy,
        route=RouteId.CORPORATE,
        stage=1,
        received=received,
        channel=Channel.EMAIL,
        service_area="Highways",
        **kw,
    )
    case.extensions = []
    case.suspensions = []
    return case


def test_stockport_case_received_monday_23_november_2026() -> None:
    case = _case()
    refresh_clock(case, get_policy("stockport"))
    # 5 working days after Mon 23 Nov: 24, 25, 26, 27, 30 Nov.
    assert case.acknowledge_by == D(2026, 11, 30)
    # 20 working days: 24-27 Nov (4), 30 Nov-4 Dec (9), 7-11 (14), 14-18 (19), Mon 21 Dec (20).
    assert case.respond_by == D(2026, 12, 21)
    # Extension of 10 more (the Code's limit, Stockport's chosen reading): 22, 23, 24 Dec,
    # (25, 26 bank holidays, 28 Dec substitute for Boxing Day) 29, 30, 31 Dec, (1 Jan) 4, 5, 6, 7
    # Jan.
    assert case.respond_by_latest == D(2027, 1, 7)


def test_an_agreed_extension_moves_the_response_date_within_the_limit() -> None:
    case = _case()
    case.extensions = [Extension(stage=1, new_date=D(2027, 1, 6), reason="Awaiting contractor")]
    refresh_clock(case, get_policy("stockport"))
    assert case.respond_by == D(2027, 1, 6)
    case.extensions = [Extension(stage=1, new_date=D(2027, 2, 1), reason="Too long")]
    with pytest.raises(UserError):
        refresh_clock(case, get_policy("stockport"))


def test_an_open_suspension_stops_the_response_clock() -> None:
    case = _case()
    case.suspensions = [Suspension(start=D(2026, 12, 1), end=None, reason="Court proceedings")]
    refresh_clock(case, get_policy("stockport"))
    assert case.acknowledge_by == D(2026, 11, 30)
    assert case.respond_by is None
    # Resumed after a week: the working days 1-7 Dec (5) do not count, so 21 Dec moves 5 on:
    # 22, 23, 24 Dec, 29, 30 Dec (25, 28 Dec bank holiday and substitute).
    case.suspensions[0].end = D(2026, 12, 7)
    refresh_clock(case, get_policy("stockport"))
    assert case.respond_by == D(2026, 12, 30)


def test_stage_2_runs_from_the_escalation_request() -> None:
    case = _case("information-governance", escalation_requested=D(2027, 1, 4))
    case.stage = 2
    refresh_clock(case, get_policy("information-governance"))
    # Acknowledge within 5 working days of Mon 4 Jan 2027: 5, 6, 7, 8, 11 Jan.
    assert case.acknowledge_by == D(2027, 1, 11)
    # Respond within 20 working days of that acknowledgement: 12-15 Jan (4), 18-22 (9),
    # 25-29 (14), 1-5 Feb (19), Mon 8 Feb (20).
    assert case.respond_by == D(2027, 2, 8)
