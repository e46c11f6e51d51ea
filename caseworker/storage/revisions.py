"""The schema revisions this version of Caseworker knows, read from the migration files without
importing Alembic or SQLAlchemy (about 0.1 s at every start, for a database that is almost
always already current)."""

from __future__ import annotations

import functools
import re
from types import ModuleType

from caseworker.resources import MIGRATIONS

_REVISION_LINE = re.compile(
    r"^(down_revision|revision)\s*(?::[^=\n]*)?=\s*(?:[\"']([^\"']+)[\"']|None)", re.MULTILINE
)


@functools.cache
def migration_revisions() -> dict[str, str | None]:
    """Each migration's revision and the one it follows, read from the migration files' own
    ``revision = "…"`` and ``down_revision = "…"`` lines."""
    revisions: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        found: dict[str, str] = {
            m.group(1): m.group(2) for m in _REVISION_LINE.finditer(path.read_text("utf-8"))
        }
        if found.get("revision"):
            revisions[found["revision"]] = found.get("down_revision")
    return revisions


def head_revision() -> str:
    """The newest schema revision this version of Caseworker knows."""
    revisions = migration_revisions()
    heads = sorted(set(revisions) - set(revisions.values()))
    if len(heads) != 1:  # a development mistake: two migrations with the same parent
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        heads = [str(head) for head in ScriptDirectory.from_config(config).get_heads()]
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {', '.join(heads)}")
    return heads[0]


def known_revision(revision: str) -> bool:
    return revision in migration_revisions()


def earlier_migration(number: str) -> ModuleType:
    """An earlier migration's module, loaded from its file (``number``: the start of its name,
    "0006"), for a later migration that makes again what that one made (a trigger, a function)
    from the same definitions. Migrations are files Alembic loads, not an importable package."""
    import importlib.util

    (path,) = (MIGRATIONS / "versions").glob(f"{number}_*.py")
    spec = importlib.util.spec_from_file_location(f"caseworker_migration_{number}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
