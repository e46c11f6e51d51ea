"""Kept sort keys and an index for every column the case list sorts by (issue 20).

The list pages through its cases with keyset paging (``ORDER BY <column>, id`` continuing after
the last row shown), which costs one index walk per page only where an index gives that order.
Three of its columns were expressions over other tables or columns, so sorting by them read and
sorted every case the filters matched (160-270 ms with 250,000, growing with the cases):

* ``due_key``: the date the case is due, ``coalesce(respond_by, acknowledge_by)``, with
  9999-12-31 for none (``caseworker.domain.caselist.NO_DUE_DATE``), so that ordering and paging
  by it are a total order. The quick views Due this week and Overdue compare it too.
* ``complainant_key`` and ``officer_key``: the complainant's and the officer's name ('' for
  none).

All three are kept by the database, by triggers on ``cases`` (a new case, another complainant
or officer, a new due date), ``complainants`` and ``officers`` (a name changed): whatever writes
the rows (the app, a restore, an offline check-in) cannot forget them. (Not generated columns:
the backups and offline copies copy every column, and a generated one cannot be written.) On
PostgreSQL the trigger functions are ``SECURITY DEFINER``: a name changed by an officer is kept
on every case of that person, also those row-level security (0010) hides from the officer.

Then ``(<column>, id)`` for each sort column (replacing the one-column indexes on ``received`` and
``service_area``), and a partial index of the open cases by due date for the Overdue and Due
this week views and their counts.

On SQLite, which gathers no statistics unless asked and then plans from samples of whatever the
database holds, the planner is given fixed statistics of ``cases`` and its indexes instead
(``sqlite_stat1``, as SQLite's documentation describes for this): a council-sized table where a
status matches a large share of the cases, and a stage (as stage 2 does) or an officer a small
one. Without them
it read every open case through the status index for an investigating officer's Overdue, and
with statistics gathered from a test database of ten cases it would plan for ten cases.

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DUE_KEY = "coalesce(respond_by, acknowledge_by, '9999-12-31')"
"""Kept in step with ``caseworker.storage.models.Case.due_key``."""

SORT_INDEXES = {
    "ix_cases_sort_reference": "reference",
    "ix_cases_sort_complainant": "complainant_key",
    "ix_cases_sort_service": "service_area",
    "ix_cases_sort_stage": "stage",
    "ix_cases_sort_officer": "officer_key",
    "ix_cases_sort_received": "received",
    "ix_cases_sort_due": "due_key",
    "ix_cases_sort_status": "status",
}
OPEN_DUE_INDEX = "ix_cases_open_due"

_SQLITE_KEYS = (
    "due_key = coalesce(NEW.respond_by, NEW.acknowledge_by, '9999-12-31'), "
    "complainant_key = coalesce((SELECT name FROM complainants WHERE id = NEW.complainant_id), "
    "''), officer_key = coalesce((SELECT name FROM officers WHERE id = NEW.officer_id), '')"
)

_PG_FUNCTIONS = """
CREATE FUNCTION caseworker_case_sort_keys() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    NEW.due_key := coalesce(NEW.respond_by, NEW.acknowledge_by, DATE '9999-12-31');
    NEW.complainant_key := coalesce(
        (SELECT name FROM complainants WHERE id = NEW.complainant_id), '');
    NEW.officer_key := coalesce((SELECT name FROM officers WHERE id = NEW.officer_id), '');
    RETURN NEW;
END $$;
CREATE FUNCTION caseworker_complainant_sort_key() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    UPDATE cases SET complainant_key = coalesce(NEW.name, '')
    WHERE complainant_id = NEW.id AND complainant_key IS DISTINCT FROM coalesce(NEW.name, '');
    RETURN NULL;
END $$;
CREATE FUNCTION caseworker_officer_sort_key() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    UPDATE cases SET officer_key = coalesce(NEW.name, '')
    WHERE officer_id = NEW.id AND officer_key IS DISTINCT FROM coalesce(NEW.name, '');
    RETURN NULL;
END $$;
"""


def _sqlite_upgrade() -> None:
    op.execute(
        f"CREATE TRIGGER cases_sort_keys_ai AFTER INSERT ON cases BEGIN "
        f"UPDATE cases SET {_SQLITE_KEYS} WHERE id = NEW.id; END"
    )
    op.execute(
        f"CREATE TRIGGER cases_sort_keys_au AFTER UPDATE OF complainant_id, officer_id, "
        f"respond_by, acknowledge_by "
        f"ON cases BEGIN UPDATE cases SET {_SQLITE_KEYS} WHERE id = NEW.id; END"
    )
    op.execute(
        "CREATE TRIGGER complainants_sort_key_au AFTER UPDATE OF name ON complainants BEGIN "
        "UPDATE cases SET complainant_key = coalesce(NEW.name, '') "
        "WHERE complainant_id = NEW.id; END"
    )
    op.execute(
        "CREATE TRIGGER officers_sort_key_au AFTER UPDATE OF name ON officers BEGIN "
        "UPDATE cases SET officer_key = coalesce(NEW.name, '') WHERE officer_id = NEW.id; END"
    )


def _pg_upgrade() -> None:
    op.execute(_PG_FUNCTIONS)
    op.execute(
        "CREATE TRIGGER cases_sort_keys BEFORE INSERT OR UPDATE OF complainant_id, officer_id, "
        "respond_by, acknowledge_by ON cases "
        "FOR EACH ROW EXECUTE FUNCTION caseworker_case_sort_keys()"
    )
    op.execute(
        "CREATE TRIGGER complainants_sort_key AFTER UPDATE OF name ON complainants "
        "FOR EACH ROW EXECUTE FUNCTION caseworker_complainant_sort_key()"
    )
    op.execute(
        "CREATE TRIGGER officers_sort_key AFTER UPDATE OF name ON officers "
        "FOR EACH ROW EXECUTE FUNCTION caseworker_officer_sort_key()"
    )


SQLITE_STATISTICS = {
    None: "250000",
    "sqlite_autoindex_cases_1": "250000 1",
    "ix_cases_sort_reference": "250000 1 1",
    "ix_cases_sort_complainant": "250000 3 1",
    "ix_cases_sort_service": "250000 12000 1",
    "ix_cases_sort_stage": "250000 10000 1",
    "ix_cases_sort_officer": "250000 2500 1",
    "ix_cases_sort_received": "250000 150 1",
    "ix_cases_sort_due": "250000 150 1",
    "ix_cases_sort_status": "250000 40000 1",
    "ix_cases_open_due": "55000 60",
    "ix_cases_status_respond_by": "250000 40000 150",
    "ix_cases_officer_status": "250000 500 100",
    "ix_cases_stage_status_received": "250000 10000 2000 10",
    "ix_cases_stage1_officer_id": "250000 500",
    "ix_cases_complainant_id": "250000 2",
    "ix_cases_updated_at": "250000 1",
}
"""``sqlite_stat1`` rows for ``cases``: the rows, then for each index the rows per distinct value
of its first column, its first two, and so on (a 250,000-case council database's shape)."""


def sqlite_statistics() -> None:
    """Give SQLite's planner :data:`SQLITE_STATISTICS` for ``cases`` (also after a restore)."""
    op.execute("ANALYZE alembic_version")  # makes sqlite_stat1 if it is not there yet
    op.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'cases'")
    for index, stat in SQLITE_STATISTICS.items():
        op.execute(
            sa.text(
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('cases', :idx, :stat)"
            ).bindparams(idx=index, stat=stat)
        )
    op.execute("ANALYZE sqlite_schema")  # the planner reads them again


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column(
        "cases", sa.Column("due_key", sa.Date, nullable=False, server_default="9999-12-31")
    )
    for key in ("complainant_key", "officer_key"):
        op.add_column("cases", sa.Column(key, sa.String(200), nullable=False, server_default=""))
    if sqlite:
        _sqlite_upgrade()
    else:
        _pg_upgrade()
    op.execute(
        f"UPDATE cases SET due_key = {DUE_KEY}, "
        "complainant_key = coalesce((SELECT name FROM complainants "
        "WHERE complainants.id = cases.complainant_id), ''), "
        "officer_key = coalesce((SELECT name FROM officers "
        "WHERE officers.id = cases.officer_id), '')"
    )
    for name, column in SORT_INDEXES.items():
        op.create_index(name, "cases", [column, "id"])
    op.create_index(
        OPEN_DUE_INDEX,
        "cases",
        ["due_key"],
        sqlite_where=sa.text("status = 'open'"),
        postgresql_where=sa.text("status = 'open'"),
    )
    # The indexes this makes redundant (the same leading column).
    op.drop_index("ix_cases_received", table_name="cases")
    op.drop_index("ix_cases_service_area", table_name="cases")
    if sqlite:
        sqlite_statistics()


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_index("ix_cases_received", "cases", ["received"])
    op.create_index("ix_cases_service_area", "cases", ["service_area"])
    op.drop_index(OPEN_DUE_INDEX, table_name="cases")
    for name in SORT_INDEXES:
        op.drop_index(name, table_name="cases")
    if sqlite:
        op.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'cases'")
        for trigger in (
            "cases_sort_keys_ai",
            "cases_sort_keys_au",
            "complainants_sort_key_au",
            "officers_sort_key_au",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    else:
        op.execute("DROP TRIGGER IF EXISTS cases_sort_keys ON cases")
        op.execute("DROP TRIGGER IF EXISTS complainants_sort_key ON complainants")
        op.execute("DROP TRIGGER IF EXISTS officers_sort_key ON officers")
        for function in (
            "caseworker_case_sort_keys",
            "caseworker_complainant_sort_key",
            "caseworker_officer_sort_key",
        ):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+), not a rebuild of cases under its triggers
    for column in ("due_key", "officer_key", "complainant_key"):
        op.execute(f"ALTER TABLE cases DROP COLUMN {column}")
