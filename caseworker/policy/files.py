"""Where the council policies are read from, without loading the validator."""

from __future__ import annotations

from pathlib import Path

from caseworker.resources import POLICIES, bundled_dir


def bundled_policy_dir() -> Path:
    """The folder of policies shipped with the program (:func:`caseworker.resources.bundled_dir`:
    a wheel's or the desktop bundle's ``caseworker/_bundled/policies``, else the repository's
    ``policies/``)."""
    return bundled_dir(POLICIES)


def user_policy_dir() -> Path:
    """The council's own policies folder: ``policies/`` in the data folder (which may not exist;
    on an offline copy, the copy's: :func:`~caseworker.storage.location.council_files_dir`)."""
    from caseworker.storage.location import council_files_dir

    return council_files_dir() / "policies"
