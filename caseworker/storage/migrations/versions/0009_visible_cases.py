"""An index on ``cases.stage1_officer_id``, for what an officer may see.

Every list of cases (the list, its counts, search, Today, previous complaints) shows an
investigating officer or a line manager only the cases they may see: their own
(``officer_id``), those they handled at stage 1 (``stage1_officer_id``) and, for a line
manager, their service area's (:func:`caseworker.services.permissions.visible_to`). Each term
of that ``OR`` needs an index of its own for the database to combine them (SQLite's
multi-index OR, PostgreSQL's bitmap OR); without one on ``stage1_officer_id`` every list of an
investigating officer read all 250,000 cases. One index: ``cases`` is not rebuilt.

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_cases_stage1_officer_id"


def upgrade() -> None:
    op.create_index(INDEX, "cases", ["stage1_officer_id"], unique=False)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="cases")
