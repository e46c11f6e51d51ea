"""The stage 1 refusal letter, letters sent despite their checks, and formats to arrange (issue 18).

* ``cases.refusal_reasons`` and ``cases.refusal_route``: why a complaint is not taken on at
  stage 1 and where it goes instead, as the complainant reads them in the refusal letter.
* ``letters.sent_despite``: the officer's reason for sending a letter whose checks fail.
* ``letters.formats`` and ``letters.formats_arranged``: the other formats (Braille, audio,
  another language…) asked for when the letter was kept, and when the copies were arranged.

The letter kind ``refusal`` needs no change: kinds are stored as text with no check constraint.
Columns added in place with empty defaults: no table is rebuilt.

Revision ID: 0021
Revises: 0019
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEXT_COLUMNS = (
    ("cases", "refusal_reasons", sa.Text()),
    ("cases", "refusal_route", sa.Text()),
    ("letters", "sent_despite", sa.Text()),
    ("letters", "formats", sa.String(length=200)),
)


def upgrade() -> None:
    for table, name, kind in TEXT_COLUMNS:
        op.add_column(table, sa.Column(name, kind, nullable=False, server_default=""))
    op.add_column("letters", sa.Column("formats_arranged", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("letters", "formats_arranged")
    for table, name, _ in reversed(TEXT_COLUMNS):
        op.drop_column(table, name)
