"""Shared fixtures: every test gets its own data folder and database; Qt runs offscreen.

A real PostgreSQL database for the tests marked ``postgres`` (``pg_url``): ``.ci/run`` starts a
server and sets ``CASEWORKER_TEST_PG`` to a URL of a database the tests may empty. Without it
the PostgreSQL tests are skipped with the reason (never silently passed)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


PG_ENV = "CASEWORKER_TEST_PG"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """The URL of the PostgreSQL test database, its schema emptied (skipped without one)."""
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set: run the suite through .ci/run to test PostgreSQL")
    from caseworker.storage.database import make_engine
    from tests.pgschema import empty_public_schema

    engine = make_engine(url)
    empty_public_schema(engine)
    engine.dispose()
    yield url


@pytest.fixture(autouse=True)
def garbage_collected_after_each_test() -> Iterator[None]:
    """Once a UI test has run, Python collects garbage on the window's thread only
    (:mod:`caseworker_ui.garbage`, ``tests/ui/conftest.py``): what is due is collected after
    each test, as the app's timer would, UI or not."""
    yield
    garbage = sys.modules.get("caseworker_ui.garbage")
    if garbage is not None:
        from PySide6.QtCore import QCoreApplication

        app = QCoreApplication.instance()
        collector = app.findChild(garbage.MainThreadCollector) if app is not None else None
        if collector is not None:
            collector.collect()


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data folder at a temporary one and forget any database URL from outside."""
    home = tmp_path / "caseworker-home"
    monkeypatch.setenv("CASEWORKER_HOME", str(home))
    monkeypatch.delenv("CASEWORKER_DB", raising=False)
    return home


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new SQLite database migrated to this version's schema once for the whole run: each
    test's ``app`` is a copy of it, where migrating a new file each time was about 150 ms for
    each of a thousand tests. Opened as the app opens any new database (:func:`open_app`)."""
    from caseworker.bootstrap import open_app

    folder = tmp_path_factory.mktemp("migrated")
    path = folder / "migrated.sqlite"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CASEWORKER_HOME", str(folder / "caseworker-home"))
        open_app(f"sqlite:///{path}", actor="tester").close()
    # Closing the last connection wrote the write-ahead log into the file: the file is whole.
    assert sorted(p.name for p in folder.glob("migrated.sqlite*")) == ["migrated.sqlite"]
    return path


@pytest.fixture
def app(tmp_path: Path, migrated_sqlite: Path) -> Iterator:
    """A migrated SQLite database in the test's folder (a copy of :func:`migrated_sqlite`),
    opened as 'tester'."""
    from caseworker.bootstrap import open_app

    database = tmp_path / "test.sqlite"
    shutil.copy(migrated_sqlite, database)
    opened = open_app(f"sqlite:///{database}", actor="tester")
    yield opened
    opened.close()


PINNED_DAY = dt.date(2026, 11, 25)
"""Wednesday 25 November 2026: the day the tests that need one "today" share."""


@pytest.fixture
def desk(app, signed_in):
    """The services' Context on the test database, acting as 'tester' (a complaints manager),
    on :data:`PINNED_DAY`: what the app's windows are given, for the tests that drive them."""
    from caseworker.services.context import Context

    return Context(app.sessions, actor=app.actor, today=lambda: PINNED_DAY)


@pytest.fixture
def ctx(app):
    """What the services are given: the test database, acting as 'tester', on the real date
    (a test that needs a pinned day builds its own: ``app.context(today=lambda: DAY)``)."""
    return app.context()


@pytest.fixture(autouse=True)
def _tester_is_an_officer(request: pytest.FixtureRequest) -> None:
    """Every test that opens the ``app`` database acts, through the services, as an officer who
    may do everything to an open case (the desk services check who is acting), unless marked
    ``no_officer`` (first-run and unlinked-login tests). Tests of what a role may not do act
    under other logins."""
    if "app" in request.fixturenames and request.node.get_closest_marker("no_officer") is None:
        request.getfixturevalue("signed_in")


@pytest.fixture
def signed_in(app):
    """The officer the tests act as: the 'tester' login linked to a complaints manager (who may
    do everything to an open case), created once per database. Use it in any test that acts
    through the desk services, which check the acting officer's permissions."""
    from sqlalchemy import select

    from caseworker.domain.enums import Role
    from caseworker.storage.models import Officer

    with app.uow() as uow:
        officer = uow.session.scalar(select(Officer).where(Officer.login == app.actor))
        if officer is None:
            officer = Officer(
                name="Terry Tester",
                email="terry.tester@council.example",
                role=Role.COMPLAINTS_MANAGER,
                service_area="Corporate complaints",
                login=app.actor,
                active=True,
            )
            uow.session.add(officer)
            uow.commit()
        return officer.id
