"""Copies of personal data that must not outlive the work they are for (issue 17).

Two things write such copies outside the database: opening a document for the system viewer
(the document's bytes, written to a file the viewer can read) and a backup in progress (the
whole database, written to ``FILE.partial`` until it is complete). Both live only as long as
the process that made them:

* an opened document goes to a folder of the session's own inside the private data folder
  (``opened/<process id>``, 0700, its files 0600), removed when the process ends;
* a backup in progress records its ``.partial`` file in the data folder's ``in-progress/``
  before writing it, and removes both when it is done, whether it worked or not.

A process that is killed cleans up nothing, so every start of Caseworker (the app or any
command) calls :func:`sweep`, which removes what sessions no longer running left behind. The
same start makes every file directly in the data folder private (0600): databases and backups
made by an older Caseworker were 0644.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from caseworker.storage.location import data_dir, data_dir_path, make_private

OPENED = "opened"
IN_PROGRESS = "in-progress"
STALE_AFTER = 24 * 3600
"""Where whether a process still runs cannot be asked (Windows), a session's leftovers older
than this are taken as abandoned."""

_made: set[Path] = set()


def _private_folder(path: Path) -> Path:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    make_private(path)
    return path


def session_folder() -> Path:
    """This process's folder for opened documents, made private on first use and removed when
    the process ends."""
    folder = _private_folder(data_dir() / OPENED / str(os.getpid()))
    if folder not in _made:
        _made.add(folder)
        atexit.register(shutil.rmtree, folder, True)
    return folder


def write_private(path: Path, content: bytes) -> Path:
    """Write ``content`` to a new file at ``path`` that only this account can read."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
    make_private(path)
    return path


@contextlib.contextmanager
def in_progress(partial: Path) -> Iterator[Path]:
    """Note ``partial`` as being written by this process while the block runs, and remove it
    (and the note) when the block ends, however it ends; a note left by a killed process tells
    :func:`sweep` what to remove."""
    notes = _private_folder(data_dir() / IN_PROGRESS)
    note = notes / f"{os.getpid()}-{time.monotonic_ns()}"
    note.write_text(str(partial.resolve()), "utf-8")
    make_private(note)
    try:
        yield partial
    finally:
        partial.unlink(missing_ok=True)
        note.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: not one of ours, but alive
        return True
    except OSError:
        return False
    return True


def _abandoned(entry: Path, pid_text: str) -> bool:
    try:
        pid = int(pid_text)
    except ValueError:
        return True
    if os.name == "posix":
        return not _running(pid)
    # os.kill on Windows ends the process rather than asking after it: go by age instead.
    try:
        return time.time() - entry.stat().st_mtime > STALE_AFTER
    except OSError:
        return False


def sweep() -> list[Path]:
    """Remove what sessions no longer running left behind (opened documents, partial backups)
    and make the data folder's own files private; return what was removed. Never fails: a file
    that cannot be removed now is tried again at the next start."""
    removed: list[Path] = []
    home = data_dir_path()
    if not home.is_dir():  # nothing left behind, and nothing made just to look
        return removed
    make_private(home)
    opened = home / OPENED
    if opened.is_dir():
        for folder in opened.iterdir():
            if _abandoned(folder, folder.name):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    notes = home / IN_PROGRESS
    if notes.is_dir():
        for note in notes.iterdir():
            if not _abandoned(note, note.name.split("-", 1)[0]):
                continue
            with contextlib.suppress(OSError, ValueError):
                partial = Path(note.read_text("utf-8").strip())
                if partial.name.endswith(".partial"):
                    partial.unlink(missing_ok=True)
                    removed.append(partial)
            note.unlink(missing_ok=True)
    for folder in (home, home / "backups"):
        if folder.is_dir():
            for entry in folder.iterdir():
                if entry.is_file():
                    make_private(entry)
    return removed
