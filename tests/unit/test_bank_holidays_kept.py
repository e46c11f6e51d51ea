"""The bank holidays the ``holidays`` package gives are worked out once per version of it and kept
in a file, so that starting the app does not import the package's rules for every country."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import holidays
import pytest

from caseworker.policy import clock

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fresh():
    clock._stored_bank_holidays.cache_clear()
    clock._bank_holiday_ordinals.cache_clear()
    yield
    clock._stored_bank_holidays.cache_clear()
    clock._bank_holiday_ordinals.cache_clear()


def test_the_kept_days_are_the_packages_for_every_year(fresh, isolated_home: Path) -> None:
    path = clock.bank_holidays_file()
    assert path.is_relative_to(isolated_home) and holidays.__version__ in path.name
    assert not path.exists()
    stored = clock._stored_bank_holidays()
    assert path.exists()
    assert set(stored) == set(range(2000, 2041))
    for year in range(2000, 2041):
        expected = {d.toordinal() for d in holidays.UnitedKingdom(subdiv="ENG", years=year)}
        assert stored[year] == expected, year
    assert clock.bank_holidays(2027)[-2:] == [
        clock.dt.date(2027, 12, 27),
        clock.dt.date(2027, 12, 28),
    ]


def test_a_damaged_file_is_worked_out_again(fresh) -> None:
    path = clock.bank_holidays_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json", "utf-8")
    expected = {d.toordinal() for d in holidays.UnitedKingdom(subdiv="ENG", years=2026)}
    assert clock._stored_bank_holidays()[2026] == expected
    assert json.loads(path.read_text("utf-8"))["2026"]  # and written again


def test_a_later_start_reads_the_file_without_importing_the_package(fresh) -> None:
    clock._stored_bank_holidays()  # worked out and kept here
    child = (
        "import sys, datetime as dt\n"
        "from caseworker.policy.clock import calendar_for\n"
        "calendar = calendar_for(())\n"
        "print(calendar.next_working_day(dt.date(2027, 12, 24)), 'holidays' in sys.modules)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", child],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.split() == ["2027-12-29", "False"]  # past a weekend and two bank holidays


def test_the_file_is_named_after_the_installed_version_of_the_package() -> None:
    from importlib.metadata import version

    assert clock._holidays_version() == version("holidays")
    assert clock.bank_holidays_file().name == f"bank-holidays-england-{version('holidays')}.json"
