"""The officer's offline copy kept by the app (and ``caseworker offline take / status /
bring-back``): the officer's open cases into a private folder with the council's own files; on
the copy, what needs the team refused with the reason; a copy out longer than the council allows
is warned of; bringing back removes the copy only once every case is back."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from caseworker.bootstrap import open_app
from caseworker.cli.main import main
from caseworker.domain.enums import CaseStatus, Channel, RouteId
from caseworker.domain.refusals import NotPermitted
from caseworker.policy.loader import clear_policy_cache, get_policy
from caseworker.reports.service import why_not_report
from caseworker.resources import POLICIES, bundled_dir
from caseworker.services.cases.allocation import allocate, may_allocate, why_not_allocate_here
from caseworker.services.cases.records import refresh_clock
from caseworker.services.investigation import issues as investigation
from caseworker.services.permissions import Action, authorise
from caseworker.services.team.concurrency import save_case_edits
from caseworker.services.team.offline import OfflineError, Outcome
from caseworker.services.team.offline_copy import (
    age_warning,
    bring_back,
    find_copy,
    my_open_cases,
    offline_dir,
    open_copy,
    take_offline,
)
from caseworker.storage.location import use_council_files
from caseworker.storage.models import Case, Checkout, Complainant, Issue
from tests.officers import add_team


@pytest.fixture
def central(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A team database (SQLite here; PostgreSQL in test_offline_app): Lee, a line manager, has
    two open cases and a closed one (in Waste); Hal has one in Housing, not her area."""
    monkeypatch.setattr("caseworker.bootstrap.current_login", lambda: "lee")
    app = open_app(f"sqlite:///{tmp_path / 'team.sqlite'}", actor="lee")
    ids = add_team(app)
    with app.uow() as uow:
        for n, (owner, status) in enumerate(
            [
                ("lee", CaseStatus.OPEN),
                ("lee", CaseStatus.OPEN),
                ("lee", CaseStatus.CLOSED),
                ("hal", CaseStatus.OPEN),
            ],
            start=1,
        ):
            row = Case(
                reference=f"CW-2026-0020{n}",
                policy_id="stockport",
                route=RouteId.CORPORATE,
                stage=1,
                status=status,
                received=dt.date(2026, 11, n),
                channel=Channel.EMAIL,
                service_area="Housing" if owner == "hal" else "Waste",
                summary=f"Case {n}",
                officer_id=ids[owner],
                complainant=Complainant(name=f"Person {n}", address="1 High Street"),
            )
            row.issues = [Issue(number=1, summary="Bins missed")]
            refresh_clock(row, get_policy("stockport"))
            uow.session.add(row)
        uow.commit()
    yield app
    use_council_files(None)
    clear_policy_cache()
    app.close()


def council_policy(home: Path, days: int) -> None:
    """The council's own copy of its policy, with its offline limit."""
    text = (bundled_dir(POLICIES) / "stockport.toml").read_text()
    folder = home / "policies"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "stockport.toml").write_text(
        text.replace("[rules]\n", f"[rules]\noffline_copy_days = {days}\n", 1)
    )
    clear_policy_cache()


def checkouts(app: Any) -> int:
    with app.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(Checkout)) or 0


def test_my_open_cases_go_into_a_private_folder_with_the_councils_files(
    central: Any, isolated_home: Path
) -> None:
    council_policy(isolated_home, 30)
    lee = central.context()
    assert my_open_cases(lee) == ["CW-2026-00201", "CW-2026-00202"]  # not closed, not Hal's
    done = take_offline(lee)
    assert done.references == ["CW-2026-00201", "CW-2026-00202"]
    folder = offline_dir()
    assert done.path.parent == folder and folder.parent == isolated_home
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert {p.name for p in files} == {"cases.sqlite", "stockport.toml"}
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files)
    copy = find_copy()
    assert copy is not None and copy.references == ("CW-2026-00201", "CW-2026-00202")

    # Only the cases taken, nobody else's.
    laptop = open_copy(copy)
    with laptop.uow() as uow:
        assert sorted(uow.session.scalars(select(Case.reference))) == list(copy.references)
    laptop.close()

    # A second copy is refused while one is out; nothing more is checked out.
    before = checkouts(central)
    with pytest.raises(OfflineError, match="already on this machine .*bring it back"):
        take_offline(lee, ["CW-2026-00204"])
    assert checkouts(central) == before
    # Hal's case is not Lee's to take (after bringing hers back): refused, nothing left behind.
    assert bring_back(lee).cases and find_copy() is None and not folder.exists()
    with pytest.raises(NotPermitted):
        take_offline(lee, ["CW-2026-00204"])
    assert find_copy() is None and not folder.exists()


def test_on_the_copy_team_actions_are_refused_with_the_reason_and_drafting_is_not(
    central: Any,
) -> None:
    take_offline(central.context(), ["CW-2026-00201"])
    copy = find_copy()
    assert copy is not None
    laptop = open_copy(copy)
    try:
        lee = laptop.context()
        case_id = laptop_case(laptop, "CW-2026-00201")
        assert may_allocate(lee)  # she is a manager: the menu is there, off, saying why
        assert "offline copy" in (why_not_allocate_here(lee) or "")
        with pytest.raises(NotPermitted, match="offline copy"):
            allocate(lee, case_id, officer_id=1)
        assert "offline copy" in (why_not_report(lee) or "")
        with laptop.uow() as uow:
            for action in (Action.ALLOCATE, Action.MANAGE, Action.DECIDE_ESCALATION):
                with pytest.raises(NotPermitted, match="bring your work back"):
                    authorise(uow, case_id, action)
            authorise(uow, case_id, Action.WORK)  # drafting is hers
            issue_id = uow.session.scalars(select(Issue.id).where(Issue.case_id == case_id)).one()
        investigation.add_note(lee, issue_id, "fact", "Seen on the visit")
        # On the team database the same manager may allocate.
        assert why_not_allocate_here(central.context()) is None
    finally:
        laptop.close()


def laptop_case(app: Any, reference: str) -> int:
    with app.uow() as uow:
        return uow.session.scalars(select(Case.id).where(Case.reference == reference)).one()


def test_a_copy_out_longer_than_the_council_allows_is_warned_of(
    central: Any, isolated_home: Path
) -> None:
    take_offline(central.context(), ["CW-2026-00201"])
    copy = find_copy()
    assert copy is not None
    taken = copy.taken_at.date()
    assert age_warning(copy, taken + dt.timedelta(days=14)) is None  # the default: 14 days
    warning = age_warning(copy, taken + dt.timedelta(days=15))
    assert warning is not None and "15 days" in warning and "allows 14" in warning
    council_policy(isolated_home, 30)  # the council's own setting
    assert age_warning(copy, taken + dt.timedelta(days=15)) is None
    assert "allows 30" in (age_warning(copy, taken + dt.timedelta(days=31)) or "")


def test_the_commands_take_report_and_bring_back_through_the_same_services(
    central: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = central.url
    assert main(["--db", url, "offline", "take"]) == 0
    assert "took CW-2026-00201, CW-2026-00202 offline" in capsys.readouterr().out
    assert main(["--db", url, "offline", "status"]) == 0
    assert "CW-2026-00201, CW-2026-00202 (taken by lee" in capsys.readouterr().out

    # Changed on both sides: the copy stays until decided.
    copy = find_copy()
    assert copy is not None
    laptop = open_copy(copy)
    lee_copy = laptop.context()
    case_copy = laptop_case(laptop, "CW-2026-00202")
    with lee_copy.unit() as uow:
        save_case_edits(
            uow, case_copy, uow.session.get(Case, case_copy).version, {"summary": "Lee's"}
        )
    laptop.close()
    use_council_files(None)
    central_id = laptop_case(central, "CW-2026-00202")
    with central.uow() as uow:
        version = uow.session.get(Case, central_id).version
    with central.context(actor="cam").unit() as uow:
        save_case_edits(uow, central_id, version, {"summary": "Cam's"})

    assert main(["--db", url, "offline", "bring-back"]) == 1
    out = capsys.readouterr().out
    assert "CW-2026-00202: changed on both sides" in out
    assert "caseworker offline bring-back --keep mine CW-2026-00202" in out
    assert "the offline copy stays" in out and find_copy() is not None
    assert main(["--db", url, "offline", "bring-back", "--keep", "theirs", "CW-2026-00202"]) == 0
    assert "everything is back: the offline copy has been removed" in capsys.readouterr().out
    assert find_copy() is None
    with central.uow() as uow:
        assert uow.session.get(Case, central_id).summary == "Cam's"
        results = dict(uow.session.execute(select(Checkout.case_id, Checkout.result)).all())
    assert results[central_id] == Outcome.KEPT_THEIRS.value
    assert main(["--db", url, "offline", "status"]) == 0
    assert "there is no offline copy" in capsys.readouterr().out
