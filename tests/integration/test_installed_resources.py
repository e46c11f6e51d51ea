"""Installed from a wheel (not a checkout), Caseworker finds its policies, letter templates and
migrations inside the installed package, and opens a database with them. (The frozen bundle is
checked for real by ``.ci/bundle-smoke``; tests/unit/test_resources.py checks its layout.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import json, sys
from caseworker import resources
from caseworker.bootstrap import open_app
from caseworker.letters.templates import bundled_template_dir
from caseworker.policy.files import bundled_policy_dir
from caseworker.policy.loader import load_policies
from caseworker.storage.revisions import MIGRATIONS, head_revision

app = open_app("sqlite:///" + sys.argv[1], actor="tester")
with app.engine.connect() as connection:
    revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
app.close()
print(json.dumps({
    "package": str(resources.PACKAGE),
    "policies": str(bundled_policy_dir()),
    "templates": str(bundled_template_dir()),
    "migrations": str(MIGRATIONS),
    "policy_ids": sorted(load_policies()),
    "head": head_revision(),
    "revision": revision,
}))
"""


@pytest.mark.slow
def test_an_installed_wheel_finds_its_files_inside_the_package(tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target)]
        + ["--disable-pip-version-check", str(ROOT)],
        check=True,
        cwd=tmp_path,
        timeout=300,
    )
    work = tmp_path / "elsewhere"  # not the checkout: nothing of it on the path
    work.mkdir()
    env = dict(os.environ, PYTHONPATH=str(target))
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(work / "new.sqlite")],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.splitlines()[-1])

    package = (target / "caseworker").resolve()
    assert Path(found["package"]) == package
    assert Path(found["policies"]) == package / "_bundled" / "policies"
    assert Path(found["templates"]) == package / "_bundled" / "letter_templates"
    assert Path(found["migrations"]) == package / "storage" / "migrations"
    assert found["policy_ids"] == sorted(p.stem for p in (ROOT / "policies").glob("*.toml"))
    assert found["revision"] == found["head"]  # migrated with the installed migrations
