"""Where the council policies are read from, without loading the validator (the app's start-up
page needs to know whether the files changed, before pydantic is imported)."""

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


def policy_files_stamp() -> list[list[object]]:
    """Every policy file the app reads by default (the bundled folder's, then the council's
    own), each as ``[path, size, modified (ns)]``: equal stamps mean nothing was edited, added,
    removed or replaced since the stamp was taken."""
    stamp: list[list[object]] = []
    for folder in (bundled_policy_dir(), user_policy_dir()):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            info = path.stat()
            stamp.append([str(path), info.st_size, info.st_mtime_ns])
    return stamp
