"""Where Caseworker keeps its files and which database it opens, without loading the database
layer (the commands read these before SQLAlchemy is imported).

The default database is SQLite in the user's data folder, created on first run. A team gives a
PostgreSQL URL instead (``--db`` or ``CASEWORKER_DB``).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Caseworker"
ENV_DB = "CASEWORKER_DB"
ENV_HOME = "CASEWORKER_HOME"


def data_dir() -> Path:
    """The folder Caseworker keeps its files in: ``$CASEWORKER_HOME`` or the user's data folder.

    It holds complainants' personal data (the SQLite database, backups, offline copies), so it
    is private to the account: made 0700, and tightened to that if it was wider. (On Windows the
    user's own profile folder is private already.)"""
    folder = data_dir_path()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    make_private(folder)
    return folder


def data_dir_path() -> Path:
    """Where the data folder is, without making it (a command that fails before it needs the
    folder leaves nothing behind)."""
    override = os.environ.get(ENV_HOME)
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))


def make_private(path: Path) -> None:
    """Let only the account read ``path``: 0700 for a folder, 0600 for a file (POSIX only)."""
    if os.name != "posix":
        return
    mode = 0o700 if path.is_dir() else 0o600
    try:
        if path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
    except OSError:  # not ours to change (a shared folder set up by IT): leave it as it is
        pass


_council_files: Path | None = None


def council_files_dir() -> Path:
    """Where the council's own policies and letter templates are read from: the data folder, or,
    while the app works on an offline copy, the copy's folder (the files as they were when the
    cases were taken: :mod:`caseworker.services.team.offline_copy`)."""
    return _council_files if _council_files is not None else data_dir()


def use_council_files(folder: Path | None) -> None:
    """Read the council's policies and templates from ``folder`` (None: the data folder again)."""
    global _council_files
    _council_files = folder


def cache_dir() -> Path:
    """Where files that can always be worked out again are kept (bank holidays, the start-up
    page's statements): ``$CASEWORKER_HOME/cache`` or the user's cache folder. Not created
    here: whoever writes there makes it, and a folder that cannot be made is not an error."""
    home = os.environ.get(ENV_HOME)
    return Path(home) / "cache" if home else Path(platformdirs.user_cache_dir(APP_NAME, False))


def database_url(given: str | None = None) -> str:
    """The URL to open: as given, else ``$CASEWORKER_DB``, else SQLite in the data folder."""
    url = given or os.environ.get(ENV_DB)
    if url:
        return url
    return f"sqlite:///{data_dir() / 'caseworker.sqlite'}"


def describe_database(url: str) -> str:
    """A short name for a database URL, for a window title: a SQLite file's name, else
    ``host/database`` (never the password)."""
    scheme, _, rest = url.partition("://")
    if scheme.startswith("sqlite"):
        path = rest[1:] if rest.startswith("/") else rest
        if not path or path == ":memory:":
            return "in-memory database"
        return path.replace("\\", "/").rsplit("/", 1)[-1]
    location = rest.rsplit("@", 1)[-1].split("?", 1)[0]
    return location or url
