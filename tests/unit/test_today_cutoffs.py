"""Today's cut-off dates say the same as counting working days case by case: "due within n
working days" is "due before one date", "no contact for n working days" is "last contact on or
before one date", over Christmas and a council closure day."""

from __future__ import annotations

import datetime as dt

import pytest

from caseworker.policy.clock import calendar_for
from caseworker.services.lists import today as today_module
from caseworker.services.lists.today import _Policies


@pytest.mark.parametrize("closed", [(), (dt.date(2026, 12, 29), dt.date(2026, 12, 30))])
@pytest.mark.parametrize("ahead", [0, 2, 5, 10])
def test_cutoffs_agree_with_counting_working_days(
    monkeypatch: pytest.MonkeyPatch, closed: tuple[dt.date, ...], ahead: int
) -> None:
    calendar = calendar_for(closed)
    monkeypatch.setattr(today_module, "_calendar", lambda policy_id: calendar)
    policy_id = "any"
    start = dt.date(2026, 12, 14)
    for offset in range(0, 30):
        today = start + dt.timedelta(days=offset)
        policies = _Policies(today)
        before = policies.due_before(policy_id, ahead)
        quiet = policies.quiet_since(policy_id, ahead)
        for delta in range(-40, 40):
            day = today + dt.timedelta(days=delta)
            assert (day < before) == (calendar.working_days_between(today, day) <= ahead), day
            assert (day <= quiet) == (calendar.working_days_between(day, today) >= ahead), day
