"""``pip install .`` (not only an editable install) carries the policies, templates and
migrations."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_wheel_carries_policies_templates_and_migrations(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        cwd=tmp_path,
    )
    wheel = next(tmp_path.glob("caseworker-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())

    for policy in (ROOT / "policies").glob("*.toml"):
        assert f"caseworker/_bundled/policies/{policy.name}" in names
    for template in (ROOT / "letter_templates").rglob("*.docx"):
        relative = template.relative_to(ROOT / "letter_templates").as_posix()
        assert f"caseworker/_bundled/letter_templates/{relative}" in names
    assert "caseworker/storage/migrations/env.py" in names
    assert "caseworker/storage/migrations/script.py.mako" in names
    assert "caseworker/storage/migrations/versions/0001_first_schema.py" in names
    assert any(name.startswith("caseworker_ui/") for name in names)
    assert not any(name.startswith("ui/") for name in names)  # no generic top-level name
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    assert (
        "caseworker = caseworker_ui.launch:main"
        in zipfile.ZipFile(wheel).read(entry_points).decode()
    )
