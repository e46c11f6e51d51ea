"""The core never loads Qt: the command line, reports and servers run without a display."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import importlib, json, pkgutil, sys
import caseworker
names, failed = [], {}
for info in pkgutil.walk_packages(caseworker.__path__, "caseworker."):
    if ".migrations.versions." in info.name or info.name.endswith(".migrations.env"):
        continue  # Alembic scripts run only inside Alembic
    try:
        importlib.import_module(info.name)
        names.append(info.name)
    except Exception as error:  # a broken module is another test's business
        failed[info.name] = repr(error)
importlib.import_module("caseworker_ui.launch")  # the installed script: Qt only once the app runs
names.append("caseworker_ui.launch")
qt = sorted(name for name in sys.modules if name.split(".")[0] in ("PySide6", "shiboken6"))
print(json.dumps({"imported": names, "failed": failed, "qt": qt}))
"""


def test_importing_every_core_module_loads_no_qt():
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert "caseworker.services.lists.caselist" in result["imported"]
    assert "caseworker.cli.main" in result["imported"]
    assert result["qt"] == [], result["qt"]
