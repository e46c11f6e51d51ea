"""The shipped policies, letter templates and migrations are found from the package's own folder,
the same way in a checkout, an installed wheel and the frozen desktop bundle (where
``packaging/caseworker.spec`` puts them where :data:`caseworker.resources.BUNDLED_DATA` says)."""

from __future__ import annotations

import importlib.resources
import shutil
from pathlib import Path

import pytest

from caseworker import resources
from caseworker.errors import UserError
from caseworker.letters.templates import bundled_template_dir
from caseworker.policy.files import bundled_policy_dir
from caseworker.policy.loader import load_policies
from caseworker.resources import BUNDLED_DATA, LETTER_TEMPLATES, POLICIES, bundled_dir
from caseworker.storage.revisions import MIGRATIONS

ROOT = Path(__file__).resolve().parents[2]


def test_the_package_folder_is_the_one_importlib_resources_names() -> None:
    assert resources.PACKAGE == Path(str(importlib.resources.files("caseworker"))).resolve()


def test_a_checkout_uses_its_own_folders() -> None:
    assert bundled_policy_dir() == ROOT / "policies"
    assert bundled_template_dir() == ROOT / "letter_templates"
    assert MIGRATIONS == ROOT / "caseworker" / "storage" / "migrations"


def frozen_tree(tmp_path: Path) -> Path:
    """What packaging/caseworker.spec lays out: each of BUNDLED_DATA's folders copied to where it
    says, beside (not in) the package's modules, and no top-level policies/ or templates."""
    for source, target in BUNDLED_DATA.items():
        shutil.copytree(
            ROOT / source, tmp_path / target, ignore=shutil.ignore_patterns("__pycache__")
        )
    return tmp_path / "caseworker"


def test_the_frozen_layout_is_found_where_the_spec_puts_it(tmp_path, monkeypatch) -> None:
    package = frozen_tree(tmp_path)
    monkeypatch.setattr(resources, "PACKAGE", package)

    assert bundled_dir(POLICIES) == package / "_bundled" / "policies"
    assert bundled_dir(LETTER_TEMPLATES) == package / "_bundled" / "letter_templates"
    assert (resources.migrations_dir() / "env.py").is_file()
    assert (resources.migrations_dir() / "versions" / "0001_first_schema.py").is_file()
    assert resources.migrations_dir().is_relative_to(tmp_path)
    assert {p.name for p in bundled_dir(POLICIES).glob("*.toml")} == {
        p.name for p in (ROOT / "policies").glob("*.toml")
    }
    assert (bundled_dir(LETTER_TEMPLATES) / "letter.docx").is_file()


def test_the_bundled_copy_wins_over_a_folder_beside_the_package(tmp_path, monkeypatch) -> None:
    package = frozen_tree(tmp_path)
    (tmp_path / "policies").mkdir()  # an empty folder of that name beside the package
    monkeypatch.setattr(resources, "PACKAGE", package)
    assert bundled_dir(POLICIES) == package / "_bundled" / "policies"
    assert "stockport" in load_policies()  # the loader reads the bundled copy


def test_missing_shipped_files_are_refused_naming_both_places(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(resources, "PACKAGE", tmp_path / "caseworker")
    with pytest.raises(UserError) as refused:
        bundled_policy_dir()
    message = str(refused.value)
    assert "the bundled policies are missing" in message
    assert str(tmp_path / "caseworker" / "_bundled" / "policies") in message
    assert str(tmp_path / "policies") in message
