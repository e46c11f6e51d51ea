"""Opening a database that is already current costs one query, not Alembic: the schema revision is
read from ``alembic_version`` and compared with the newest migration, found in the migration
files themselves. An older database is still backed up and upgraded (tests/integration/
test_upgrade.py), now also across migration 0007, which adds the Stage 2 quick view's index."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from caseworker.bootstrap import open_app
from caseworker.storage.database import (
    alembic_config,
    head_revision,
    make_engine,
    migration_revisions,
    schema_revision,
)

ROOT = Path(__file__).resolve().parents[2]


def test_the_revisions_read_from_the_files_are_alembics(app) -> None:  # noqa: ANN001
    scripts = ScriptDirectory.from_config(alembic_config(app.engine))
    assert migration_revisions() == {
        script.revision: script.down_revision for script in scripts.walk_revisions()
    }
    assert head_revision() == scripts.get_current_head()
    assert schema_revision(app.engine) == head_revision()


def test_a_current_database_opens_without_importing_alembic(tmp_path: Path) -> None:
    """Nor the charts' matplotlib or the Word reports' python-docx (about 0.4 s and 60 MB at
    start-up): imported when a report is written, not for the main window's Reports menu."""
    url = f"sqlite:///{tmp_path / 'current.sqlite'}"
    open_app(url, actor="tester").close()  # created and migrated here, in the test process
    child = (
        "import json, sys\n"
        "from caseworker.bootstrap import open_app\n"
        f"app = open_app({url!r}, actor='tester')\n"
        "from caseworker_ui.app import application, main_window\n"
        "application()\n"
        "window = main_window(app)\n"
        "window.load_choices_and_counts()  # what follows the first paint: the Reports menu\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'alembic', 'matplotlib', 'docx'})))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", child],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_an_older_database_is_still_upgraded_with_a_backup(
    tmp_path: Path, isolated_home: Path
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0006")
    engine.dispose()
    app = open_app(f"sqlite:///{tmp_path / 'old.sqlite'}", actor="tester")
    try:
        assert schema_revision(app.engine) == head_revision()
        backups = list((isolated_home / "backups").glob("*before-upgrade-from-0006*"))
        assert len(backups) == 1
    finally:
        app.close()


def test_migration_0007_adds_the_stage_2_index_in_place(app) -> None:  # noqa: ANN001
    def indexes() -> dict[str, list[str]]:
        with app.engine.connect() as connection:
            return {i["name"]: i["column_names"] for i in inspect(connection).get_indexes("cases")}

    assert indexes()["ix_cases_stage_status_received"] == ["stage", "status", "received"]
    config = alembic_config(app.engine)
    with app.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
    assert "ix_cases_stage_status_received" not in indexes()
    with app.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    assert "ix_cases_stage_status_received" in indexes()


def test_the_stage_2_view_uses_its_index(app) -> None:  # noqa: ANN001
    from caseworker.services.lists import caselist as cl

    query = cl.page_query(
        cl.CaseFilter(view=cl.QuickView.STAGE_2), cl.CaseSort(), today=dt.date(2027, 1, 15)
    )
    sql = str(query.compile(app.engine, compile_kwargs={"literal_binds": True}))
    with app.engine.connect() as connection:
        plan = " ".join(
            str(row[-1]) for row in connection.execute(text(f"EXPLAIN QUERY PLAN {sql}"))
        )
    # the page: the live cases' stage index (migration 0018); the count: 0007's
    assert "ix_cases_live_stage" in plan, plan
    count = cl.count_query(cl.CaseFilter(view=cl.QuickView.STAGE_2), today=dt.date(2027, 1, 15))
    sql = str(count.compile(app.engine, compile_kwargs={"literal_binds": True}))
    with app.engine.connect() as connection:
        plan = " ".join(
            str(row[-1]) for row in connection.execute(text(f"EXPLAIN QUERY PLAN {sql}"))
        )
    assert "ix_cases_stage_status_received" in plan or "ix_cases_live_stage" in plan, plan
