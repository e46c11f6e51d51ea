"""Names and addressing, the complaint's subject, and what the complainant reads (issue 18).

* ``title`` and ``addressed_as`` ("how they like to be addressed") on the complainant, the
  representative and the councillor or MP (``cases.referrer_title``,
  ``cases.referrer_addressed_as``), so a letter greets "Mrs van der Berg", "Sir Paddy" or "Jo".
* ``cases.complaint_subject``: what the complaint is about, as it reads after "your complaint
  about…", apart from the case list's summary. Existing cases are left empty: their letters say
  "your complaint about the Planning service" and the letter check asks for the subject.
* ``complainants.adjustments_public``: the agreed adjustments as the complainant would read them
  (the letters print only these; ``reasonable_adjustments`` stays the officers' note).
* ``issues.action_public``: an action as the complainant would read it (letters print only
  actions that have one; ``action`` stays the internal task).

Columns added in place with empty defaults: no table is rebuilt.

Revision ID: 0014
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("complainants", "title", sa.String(length=40)),
    ("complainants", "addressed_as", sa.String(length=200)),
    ("complainants", "adjustments_public", sa.Text()),
    ("representatives", "title", sa.String(length=40)),
    ("representatives", "addressed_as", sa.String(length=200)),
    ("cases", "referrer_title", sa.String(length=40)),
    ("cases", "referrer_addressed_as", sa.String(length=200)),
    ("cases", "complaint_subject", sa.Text()),
    ("issues", "action_public", sa.Text()),
)


def upgrade() -> None:
    for table, name, kind in COLUMNS:
        op.add_column(table, sa.Column(name, kind, nullable=False, server_default=""))


def downgrade() -> None:
    for table, name, _ in reversed(COLUMNS):
        op.drop_column(table, name)
