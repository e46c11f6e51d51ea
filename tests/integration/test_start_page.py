"""The start-up page: the list's first page read with the driver alone, before the database layer
is loaded, is exactly the page the case list reads (of the cases the officer may see); and it is
read only when its recipe fits. On SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, literal, select, text
from sqlalchemy.dialects import sqlite

from caseworker.bootstrap import open_app
from caseworker.demo import generate_demo
from caseworker.domain.enums import CaseStatus, Channel, Role, RouteId
from caseworker.policy.files import bundled_policy_dir
from caseworker.policy.loader import clear_policy_cache
from caseworker.services.lists import caselist as cl
from caseworker.services.lists import startpage
from caseworker.services.team.offline import check_out
from caseworker.storage.models import Case, Complainant, Officer
from tests.officers import complaints_managers

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2027, 1, 15)
CLOSED_DAYS = [TODAY + dt.timedelta(days=n) for n in range(3, 17)]
"""A council closure over the next fortnight: every Stockport case due after it loses days."""


@pytest.fixture(autouse=True)
def fresh_policies():
    clear_policy_cache()
    yield
    clear_policy_cache()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'start.sqlite'}"
    return request.getfixturevalue("pg_url")


def council_closure(home: Path, days: list[dt.date] = CLOSED_DAYS) -> Path:
    """Stockport's policy in the council's own folder, closed on ``days``."""
    text_ = (bundled_policy_dir() / "stockport.toml").read_text("utf-8")
    listed = ", ".join(day.isoformat() for day in days)
    text_ = text_.replace("\nclosure_days = []", f"\nclosure_days = [{listed}]")
    folder = home / "policies"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "stockport.toml").write_text(text_, "utf-8")
    clear_policy_cache()
    return folder / "stockport.toml"


def filled(url: str, tmp_path: Path) -> None:
    """150 demo cases, the newest of them checked out, and an anonymous unallocated one newer
    still."""
    app = open_app(url, actor="tester")
    try:
        generate_demo(app.engine, 150, seed=3, today=TODAY)
        complaints_managers(app, "tester")  # who sees every case
        newest = (
            cl.CaseList(app.context(today=lambda: TODAY))
            .page(cl.CaseFilter(), cl.CaseSort(), limit=1)[0]
            .summary.reference
        )
        complaints_managers(app, "demo")  # an officer checks out: one who may work on it
        check_out(
            app.context(actor="demo"), [newest], tmp_path / "laptop.sqlite", machine="ann-laptop"
        )
        with app.uow() as uow:
            uow.session.add(
                Case(
                    reference="CW-2027-09999",
                    policy_id="stockport",
                    route=RouteId.CORPORATE,
                    stage=1,
                    status=CaseStatus.OPEN,
                    received=TODAY,
                    channel=Channel.PHONE,
                    service_area="Highways",
                    complainant=Complainant(name=""),
                    anonymous=True,
                    respond_by=TODAY + dt.timedelta(days=28),
                )
            )
            uow.commit()
    finally:
        app.close()


def list_page(url: str, login: str = "tester") -> tuple[list[cl.CaseRow], int]:
    app = open_app(url, actor=login)
    try:
        cases = cl.CaseList(app.context(today=lambda: TODAY))
        return cases.page(cl.CaseFilter(), cl.CaseSort()), cases.count(cl.CaseFilter())
    finally:
        app.close()


def keep_recipe(url: str, login: str = "tester") -> bool:
    app = open_app(url, actor=login)
    try:
        return cl.write_start_recipe(app.context())
    finally:
        app.close()


def test_the_start_page_is_the_case_lists_first_page(url, tmp_path, isolated_home) -> None:
    council_closure(isolated_home)
    filled(url, tmp_path)
    rows, total = list_page(url)
    assert keep_recipe(url)

    page = startpage.read_start_page(url, today=lambda: TODAY)

    assert page is not None
    assert page.page(cl.CaseFilter(), cl.CaseSort()) == rows
    assert page.count(cl.CaseFilter()) == total == 151
    # The page has what makes rows differ: no complainant or officer, a checkout with its
    # officer's name and machine, several statuses, and the council's closure days counted.
    assert rows[0].summary.reference == "CW-2027-09999" and rows[0].summary.complainant == ""
    assert rows[0].summary.officer == ""
    marked = [row for row in rows if row.checkout is not None]
    assert len(marked) == 1 and marked[0].checkout.machine == "ann-laptop"
    assert isinstance(marked[0].checkout.since, dt.datetime)
    assert {row.summary.status for row in rows} >= {CaseStatus.OPEN, CaseStatus.CLOSED}
    stockport = [
        row
        for row in rows
        if row.summary.policy_id == "stockport"
        and row.days_left is not None
        and row.summary.due > CLOSED_DAYS[-1]
    ]
    assert stockport
    plain = cl.PolicyCalendars(lambda _id: (_ for _ in ()).throw(cl.UserError("none")))
    for row in stockport:  # ten closed working days fewer than weekends and holidays alone
        assert (
            row.days_left == cl.days_left(plain(row.summary.policy_id), TODAY, row.summary.due) - 10
        )


def test_the_start_page_shows_only_what_the_officer_may_see(url, tmp_path) -> None:
    """An investigating officer's start page is their first page, not everyone's; and a kept
    page whose officer is no longer who they were (another role, another area, inactive, the
    login given to someone else) shows nothing until the list is read the ordinary way."""
    filled(url, tmp_path)
    app = open_app(url, actor="tester")
    try:
        with app.uow() as uow:
            busiest = uow.session.execute(
                select(Officer)
                .join(Case, Case.officer_id == Officer.id)
                .where(Officer.role == Role.INVESTIGATING_OFFICER, Officer.active.is_(True))
                .group_by(Officer.id)
                .order_by(func.count().desc(), Officer.id)
                .limit(1)
            ).scalar_one()
            busiest.login = "ann"
            uow.commit()
            ann = busiest.id
    finally:
        app.close()
    rows, total = list_page(url, "ann")
    assert 0 < total < 151 and busiest.name in {row.summary.officer for row in rows}
    assert keep_recipe(url, "ann")
    page = startpage.read_start_page(url, today=lambda: TODAY)
    assert page is not None
    assert page.page(cl.CaseFilter(), cl.CaseSort()) == rows
    assert page.count(cl.CaseFilter()) == total

    for change in (
        lambda o: setattr(o, "role", Role.LINE_MANAGER),
        lambda o: setattr(o, "service_area", "Elsewhere"),
        lambda o: setattr(o, "active", False),
        lambda o: setattr(o, "login", None),
    ):
        app = open_app(url, actor="tester")
        try:
            with app.uow() as uow:
                officer = uow.session.get(Officer, ann)
                before = (officer.role, officer.service_area, officer.active, officer.login)
                change(officer)
                uow.commit()
            page = startpage.read_start_page(url, today=lambda: TODAY)
            assert page is not None
            assert page.page(cl.CaseFilter(), cl.CaseSort()) == []
            assert page.count(cl.CaseFilter()) == 0
            with app.uow() as uow:
                officer = uow.session.get(Officer, ann)
                officer.role, officer.service_area, officer.active, officer.login = before
                uow.commit()
        finally:
            app.close()
    again = startpage.read_start_page(url, today=lambda: TODAY)
    assert again is not None and again.page(cl.CaseFilter(), cl.CaseSort()) == rows

    assert keep_recipe(url, "visitor")  # a login linked to no officer: nothing at all
    nobody = startpage.read_start_page(url, today=lambda: TODAY)
    assert nobody is not None and nobody.count(cl.CaseFilter()) == 0


def test_another_page_waits_for_the_app(url, tmp_path) -> None:
    filled(url, tmp_path)
    keep_recipe(url)
    page = startpage.read_start_page(url, today=lambda: TODAY)
    assert page is not None
    for call in (
        lambda: page.page(cl.CaseFilter(view=cl.QuickView.OVERDUE), cl.CaseSort()),
        lambda: page.page(cl.CaseFilter(), cl.CaseSort(cl.SortKey.REFERENCE)),
        lambda: page.page(cl.CaseFilter(), cl.CaseSort(), after=page.first_rows[-1].summary),
        lambda: page.count(cl.CaseFilter(text="larch")),
    ):
        with pytest.raises(startpage.NotReady):
            call()


def test_the_page_is_read_only_when_its_recipe_fits(tmp_path, isolated_home) -> None:
    url = f"sqlite:///{tmp_path / 'start.sqlite'}"
    filled(url, tmp_path)

    def read() -> startpage.StartPage | None:
        clear_policy_cache()
        return startpage.read_start_page(url, today=lambda: TODAY)

    assert read() is None  # never run on this machine: no recipe yet
    keep_recipe(url)
    assert read() is not None

    # A council policy file added (or edited, or removed) since the recipe was kept.
    added = council_closure(isolated_home)
    assert read() is None
    added.unlink()
    assert read() is not None

    # Another version of Caseworker, or another schema revision, kept it.
    path = startpage.recipe_path("sqlite")
    kept = json.loads(path.read_text("utf-8"))
    path.write_text(json.dumps({**kept, "version": "0.0.1"}), "utf-8")
    assert read() is None
    path.write_text(json.dumps({**kept, "revision": "0001"}), "utf-8")
    assert read() is None
    path.write_text("{not json", "utf-8")
    assert read() is None
    path.write_text(json.dumps(kept), "utf-8")
    assert read() is not None

    # The database itself at another revision (an older copy, say): the ordinary start
    # upgrades it.
    app = open_app(url, actor="tester")
    with app.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0007'"))
    assert read() is None
    with app.engine.begin() as connection:
        connection.execute(text(f"UPDATE alembic_version SET version_num = '{kept['revision']}'"))
    app.close()
    assert read() is not None

    # URLs the driver cannot be given as they are, and a file that is not there (not created).
    for other in (
        f"{url}?mode=ro",
        "sqlite://",
        f"sqlite:///{tmp_path / 'none.sqlite'}",
        "mysql://someone@host/db",
    ):
        assert startpage.read_start_page(other) is None
    assert not (tmp_path / "none.sqlite").exists()

    # A file that is not a database.
    (tmp_path / "junk.sqlite").write_bytes(b"not the bytes of SQLite" * 100)
    assert startpage.read_start_page(f"sqlite:///{tmp_path / 'junk.sqlite'}") is None


def test_the_recipe_is_written_when_it_changes(tmp_path, isolated_home) -> None:
    url = f"sqlite:///{tmp_path / 'start.sqlite'}"
    app = open_app(url, actor="tester")
    complaints_managers(app, "tester", "cam")
    app.close()
    assert keep_recipe(url)
    assert not keep_recipe(url)  # the same: not written again
    assert keep_recipe(url, "cam")  # another officer
    assert keep_recipe(url)
    council_closure(isolated_home)
    assert keep_recipe(url)
    kept = startpage.load_recipe("sqlite")
    assert kept is not None
    assert kept.closure_days["stockport"] == [day.isoformat() for day in CLOSED_DAYS]
    assert "LIMIT" in kept.page.sql and kept.page.params[-2:] == [cl.PAGE_SIZE, 0]


def test_a_statement_that_depends_on_the_day_is_not_kept() -> None:
    with pytest.raises(ValueError, match="depends on more than the database"):
        cl._statement(select(literal(TODAY)), sqlite.dialect())


def test_reading_it_loads_nothing_of_the_database_layer(url, tmp_path) -> None:
    """Not SQLAlchemy, and on PostgreSQL not psycopg either (80 ms to import): libpq alone."""
    filled(url, tmp_path)
    keep_recipe(url)
    child = (
        "import json, sys\n"
        "import caseworker.cli.main, caseworker_ui.launch, caseworker_ui.app\n"
        "import caseworker_ui.main_window\n"
        "from caseworker.services.lists.startpage import read_start_page\n"
        f"page = read_start_page({url!r})\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'sqlalchemy', 'alembic', 'pydantic', 'psycopg', 'holidays', 'docx'})\n"
        "print(json.dumps([len(page.first_rows), page.total, heavy]))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    for _start in range(2):  # the first keeps the bank holidays in this data folder's cache
        done = subprocess.run(
            [sys.executable, "-c", child],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [100, 151, []]


@pytest.mark.postgres
def test_a_server_that_does_not_answer_means_the_ordinary_start(pg_url) -> None:
    app = open_app(pg_url, actor="tester")
    complaints_managers(app, "tester")
    app.close()
    keep_recipe(pg_url)
    assert startpage.read_start_page(pg_url) is not None
    assert startpage.read_start_page("postgresql+psycopg://nobody@127.0.0.1:1/none") is None


def rows_of(n: int) -> list[cl.CaseRow]:
    return [
        cl.CaseRow(
            cl.CaseSummary(
                n,
                f"CW-2027-{n:05d}",
                "Ann",
                "Highways",
                "stockport",
                RouteId.CORPORATE,
                1,
                "",
                TODAY,
                None,
                CaseStatus.OPEN,
                None,
            ),
            None,
        )
    ]


def test_a_page_being_read_is_waited_for_when_the_window_asks() -> None:
    import threading

    go = threading.Event()

    def read(day: dt.date):
        go.wait(10)
        assert day == TODAY
        return rows_of(1), 1

    page = startpage.StartPage.being_read(read, today=lambda: TODAY)
    assert not page.wait(0.05)  # still reading
    go.set()
    assert page.page(cl.CaseFilter(), cl.CaseSort()) == rows_of(1)
    assert page.count(cl.CaseFilter()) == 1


def test_a_page_that_fails_or_is_slow_to_read_waits_for_the_app(monkeypatch) -> None:
    import threading

    def fail(_day: dt.date):
        raise OSError("server closed the connection unexpectedly")

    failed = startpage.StartPage.being_read(fail, today=lambda: TODAY)
    assert not failed.wait()
    with pytest.raises(startpage.NotReady):
        failed.page(cl.CaseFilter(), cl.CaseSort())
    with pytest.raises(startpage.NotReady):
        failed.count(cl.CaseFilter())

    monkeypatch.setattr(startpage, "WAIT_AT_MOST", 0.05)
    answer = threading.Event()

    def slow(_day: dt.date):
        answer.wait(10)
        return rows_of(2), 1

    late = startpage.StartPage.being_read(slow, today=lambda: TODAY)
    with pytest.raises(startpage.NotReady):  # the window does not wait for a slow server
        late.page(cl.CaseFilter(), cl.CaseSort())
    answer.set()
    assert late.wait(10)
