"""The files shipped with the program: the council policies, the letter templates and the schema
migrations, found through the package's own folder so that one lookup serves all three ways
Caseworker runs:

* **an installed wheel** (``pip install .``): setup.py copies the top-level ``policies/`` and
  ``letter_templates/`` into ``caseworker/_bundled/``; the migrations are package data of
  :mod:`caseworker.storage.migrations`;
* **the desktop bundle** (PyInstaller, ``packaging/caseworker.spec``): the same files at the same
  places under the bundle's ``caseworker/`` folder (:data:`BUNDLED_DATA` says where, and the spec
  reads it from here);
* **a source checkout or editable install**: no ``_bundled/`` folder, so the repository's own
  ``policies/`` and ``letter_templates/`` beside the package, where a developer edits them.

:data:`PACKAGE` is the folder ``importlib.resources.files("caseworker")`` names in each of them (a
test checks they agree), found from this module's path because importing
``importlib.resources`` would cost the app's quick start about 10 ms.
"""

from __future__ import annotations

from pathlib import Path

from caseworker.errors import UserError

PACKAGE = Path(__file__).resolve().parent
"""The ``caseworker`` package's folder (in a frozen bundle, ``caseworker/`` inside it)."""

BUNDLED = "_bundled"
POLICIES = "policies"
LETTER_TEMPLATES = "letter_templates"

BUNDLED_DATA: dict[str, str] = {
    POLICIES: f"caseworker/{BUNDLED}/{POLICIES}",
    LETTER_TEMPLATES: f"caseworker/{BUNDLED}/{LETTER_TEMPLATES}",
    "caseworker/storage/migrations": "caseworker/storage/migrations",
}
"""Each shipped folder of the source tree (relative to the repository) and where a built
program carries it (relative to the folder that holds the ``caseworker`` package)."""


def migrations_dir() -> Path:
    """The Alembic script folder: ``env.py``, ``script.py.mako`` and ``versions/``."""
    return PACKAGE / "storage" / "migrations"


MIGRATIONS = migrations_dir()


def bundled_dir(name: str) -> Path:
    """The shipped folder ``name`` (:data:`POLICIES` or :data:`LETTER_TEMPLATES`): the built
    program's copy, else the source checkout's; refused with both places named when neither
    exists."""
    candidates = (PACKAGE / BUNDLED / name, PACKAGE.parent / name)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    what = name.replace("_", " ")
    raise UserError(
        f"the bundled {what} are missing: looked in {candidates[0]} and {candidates[1]}"
    )
