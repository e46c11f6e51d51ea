"""The audit trail written by the database, and erasure that erases (issue 17, items 3 and 4).

PostgreSQL: a trigger on every audited table records each insert, update and delete from any
client, with ``session_user`` as the actor (:mod:`caseworker.storage.pgaudit`; ``caseworker team
setup`` recreates them). The append-only trigger of the first migration allows one change: the
retention purge replacing the values in a purged case's rows by the marker.

SQLite: the app still writes the trail; its refusal of UPDATE on ``audit_events`` allows the same
one change (values replaced by the marker in the rows of a purged case or of a complainant who is
gone), so the purge can remove the personal values the trail held.

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

from alembic import op

from caseworker.storage import pgaudit
from caseworker.storage.audit import PURGED_VALUE

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = "the audit trail is append-only"
_MARKER = "'" + PURGED_VALUE.replace("'", "''") + "'"
_SCRUB_ONLY = (
    "NEW.id = OLD.id AND NEW.at IS OLD.at AND NEW.actor IS OLD.actor "
    "AND NEW.case_id IS OLD.case_id AND NEW.entity IS OLD.entity "
    "AND NEW.entity_id IS OLD.entity_id AND NEW.action IS OLD.action "
    "AND NEW.field IS OLD.field AND NEW.origin IS OLD.origin "
    f"AND (NEW.old_value IS OLD.old_value OR NEW.old_value = {_MARKER}) "
    f"AND (NEW.new_value IS OLD.new_value OR NEW.new_value = {_MARKER}) "
    "AND (EXISTS (SELECT 1 FROM cases WHERE cases.id = OLD.case_id "
    "AND cases.purged_on IS NOT NULL) "
    "OR (OLD.entity = 'complainants' AND NOT EXISTS "
    "(SELECT 1 FROM complainants WHERE complainants.id = OLD.entity_id)))"
)

_SEES_BEFORE = (
    "(complainants.xmin = (SELECT pg_current_xact_id_if_assigned()::xid) "
    "OR EXISTS (SELECT 1 FROM cases c WHERE c.complainant_id = complainants.id))"
)
_SEES = f"({_SEES_BEFORE} OR (SELECT caseworker_officer_role()) = 'complaints-manager')"
"""Who sees a complainant (migration 0010's rule, and, from here, a complaints manager)."""


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute(
            "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
            f"WHEN NOT ({_SCRUB_ONLY}) BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
        )
    elif dialect == "postgresql":
        pgaudit.install(op.get_bind())
        # A complaints manager sees every complainant, also one no case links to any more (the
        # purge unlinks the complainant, then removes them: it must see them to).
        op.execute("DROP POLICY complainants_see ON complainants")
        op.execute(f"CREATE POLICY complainants_see ON complainants FOR SELECT USING ({_SEES})")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute(
            "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
        )
    elif dialect == "postgresql":
        op.execute("DROP POLICY complainants_see ON complainants")
        op.execute(
            f"CREATE POLICY complainants_see ON complainants FOR SELECT USING ({_SEES_BEFORE})"
        )
        pgaudit.uninstall(op.get_bind())
        op.execute(
            "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END $$"
        )
