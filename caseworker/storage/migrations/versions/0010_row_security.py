"""The team database enforces the permission rules itself (issue 17): PostgreSQL row-level
security on cases and everything that hangs off a case, mirroring
:func:`caseworker.services.permissions.check` for whoever connects, through the app or not.

The connected officer is the active officer whose ``login`` is ``session_user``:

* seeing a case (and its complainant, issues, notes, letters, documents…): a complaints manager
  every case; an investigating officer the cases allocated to them and those they handled at
  stage 1; a line manager those too and every case of their service area;
* changing one: a complaints manager any; a line manager their own and their service area's;
  an investigating officer their own. Anyone may record a new stage 1 case (unallocated, or
  allocated as the new-case rules allow). Deleting a case (retention purge) is a complaints
  manager's;
* the officers table is read by everyone and changed only by complaints managers (the very first
  officer of an empty team records themselves);
* nobody writes an audit event in another login's name.

Rows written in the current transaction are visible to it (``xmin``), so recording a case and
its issues in one step works for an officer who may not see the case afterwards. (A row not yet
stored has no reliable ``xmin``: so new-row checks never rely on it, and cases and complainants
are inserted without RETURNING, which would have to see the new row.)

The table owner (the administrator who runs the migrations) and superusers are not subject to
row-level security. Nothing changes on SQLite, the one-officer database.

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CASE_CHILDREN = (
    "representatives",
    "case_subjects",
    "extensions",
    "suspensions",
    "issues",
    "interviews",
    "risk_assessments",
    "contact_attempts",
    "letters",
    "allocations",
    "ombudsman_cases",
    "checkouts",
    "documents",
    "correspondence",
)
"""Tables whose rows belong to one case through ``case_id``."""

SECURED = (
    "cases",
    "complainants",
    "notes",
    "contact_restrictions",
    "officers",
    "audit_events",
    *CASE_CHILDREN,
)

_FUNCTIONS = (
    # Who is connected: SECURITY DEFINER so that reading the officers table here is not itself
    # subject to the policies; STABLE, and called as (SELECT ...) below so that a query asks once.
    """
CREATE FUNCTION caseworker_officer_id() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT id FROM officers WHERE login = session_user AND active
$$""",
    """
CREATE FUNCTION caseworker_officer_role() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT role FROM officers WHERE login = session_user AND active
$$""",
    # rules.same_area: case and runs of spaces ignored.
    """
CREATE FUNCTION caseworker_area(value text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT lower(regexp_replace(btrim(value), '\\s+', ' ', 'g'))
$$""",
    """
CREATE FUNCTION caseworker_officer_area() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT caseworker_area(service_area) FROM officers WHERE login = session_user AND active
$$""",
    """
CREATE FUNCTION caseworker_no_officers() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT NOT EXISTS (SELECT 1 FROM officers)
$$""",
)

_ME = "(SELECT caseworker_officer_id())"
_CM = "((SELECT caseworker_officer_role()) = 'complaints-manager')"
_LM = "((SELECT caseworker_officer_role()) = 'line-manager')"
_FRESH = "{t}.xmin = (SELECT pg_current_xact_id_if_assigned()::xid)"
"""The row was written by this transaction."""


def _sees(t: str) -> str:
    """``t`` (a cases row) is one the connected officer may see (Action.VIEW)."""
    return (
        f"({_CM} OR {t}.officer_id = {_ME} OR {t}.stage1_officer_id = {_ME} "
        f"OR ({_LM} AND caseworker_area({t}.service_area) = (SELECT caseworker_officer_area())))"
    )


def _changes(t: str) -> str:
    """``t`` (a cases row) is one the connected officer may change: their own, or their service
    area's for a line manager, or any for a complaints manager."""
    return (
        f"({_CM} OR {t}.officer_id = {_ME} "
        f"OR ({_LM} AND caseworker_area({t}.service_area) = (SELECT caseworker_officer_area())))"
    )


def _records(t: str) -> str:
    """``t`` (a new cases row) is one the connected officer may record."""
    return (
        f"({_CM} OR ({_ME} IS NOT NULL AND {t}.stage = 1 AND ({t}.officer_id IS NULL "
        f"OR {t}.officer_id = {_ME} OR ({_LM} AND caseworker_area({t}.service_area) = "
        "(SELECT caseworker_officer_area())))))"
    )


def _case_row(case_id: str, condition: str) -> str:
    """The case ``case_id`` exists, is visible, and meets ``condition`` (of ``c``)."""
    return (
        f"EXISTS (SELECT 1 FROM cases c WHERE c.id = {case_id} "
        f"AND ({condition} OR {_FRESH.format(t='c')}))"
    )


def _policies() -> list[tuple[str, str, str, str | None, str | None]]:
    """(table, name, command, USING, WITH CHECK) of every policy."""
    fresh = _FRESH.format(t="cases")
    policies: list[tuple[str, str, str, str | None, str | None]] = [
        ("cases", "cases_see", "SELECT", f"({_sees('cases')} OR {fresh})", None),
        ("cases", "cases_record", "INSERT", None, _records("cases")),
        (
            "cases",
            "cases_change",
            "UPDATE",
            f"({_changes('cases')} OR {fresh})",
            f"({_changes('cases')} OR {_records('cases')})",
        ),
        ("cases", "cases_delete", "DELETE", _CM, None),
    ]
    for table in CASE_CHILDREN:
        sees = _case_row(f"{table}.case_id", "TRUE")
        changes = _case_row(f"{table}.case_id", _changes("c"))
        policies += [
            (table, f"{table}_see", "SELECT", sees, None),
            (table, f"{table}_add", "INSERT", None, changes),
            (table, f"{table}_change", "UPDATE", changes, changes),
            (table, f"{table}_delete", "DELETE", changes, None),
        ]
    # Notes hang off an issue, which hangs off its case.
    note_case = "(SELECT i.case_id FROM issues i WHERE i.id = notes.issue_id)"
    note_changes = _case_row(note_case, _changes("c"))
    policies += [
        ("notes", "notes_see", "SELECT", _case_row(note_case, "TRUE"), None),
        ("notes", "notes_add", "INSERT", None, note_changes),
        ("notes", "notes_change", "UPDATE", note_changes, note_changes),
        ("notes", "notes_delete", "DELETE", note_changes, None),
    ]
    # A complainant is seen with any of their cases the officer sees, and anyone records one.
    fresh = _FRESH.format(t="complainants")
    of_complainant = "c.complainant_id = complainants.id"
    sees = f"({fresh} OR EXISTS (SELECT 1 FROM cases c WHERE {of_complainant}))"
    changes = (
        f"({_CM} OR {fresh} OR EXISTS (SELECT 1 FROM cases c WHERE {of_complainant} "
        f"AND {_changes('c')}))"
    )
    policies += [
        ("complainants", "complainants_see", "SELECT", sees, None),
        ("complainants", "complainants_add", "INSERT", None, f"{_ME} IS NOT NULL"),
        ("complainants", "complainants_change", "UPDATE", changes, f"{_ME} IS NOT NULL"),
        ("complainants", "complainants_delete", "DELETE", f"({_CM} OR {fresh})", None),
    ]
    # Contact restrictions: a manager's decision on the case (or, with no case, a complaints
    # manager's); seen with the complainant.
    restriction_sees = (
        "EXISTS (SELECT 1 FROM complainants p WHERE p.id = contact_restrictions.complainant_id)"
    )
    restriction_changes = (
        f"({_CM} OR (contact_restrictions.case_id IS NOT NULL AND "
        f"{_case_row('contact_restrictions.case_id', _changes('c'))}))"
    )
    policies += [
        ("contact_restrictions", "contact_restrictions_see", "SELECT", restriction_sees, None),
        ("contact_restrictions", "contact_restrictions_add", "INSERT", None, restriction_changes),
        (
            "contact_restrictions",
            "contact_restrictions_change",
            "UPDATE",
            restriction_changes,
            restriction_changes,
        ),
        (
            "contact_restrictions",
            "contact_restrictions_delete",
            "DELETE",
            restriction_changes,
            None,
        ),
    ]
    # The team: everyone reads it, complaints managers change it; the first officer of an empty
    # team records themselves (as the app does when it first opens a database).
    first = "((SELECT caseworker_no_officers()) AND officers.login = session_user)"
    policies += [
        ("officers", "officers_see", "SELECT", "TRUE", None),
        ("officers", "officers_add", "INSERT", None, f"({_CM} OR {first})"),
        ("officers", "officers_change", "UPDATE", "TRUE", _CM),  # refused aloud, not skipped
        ("officers", "officers_delete", "DELETE", _CM, None),
    ]
    # The audit trail: seen with its case (or, not about a case, by everyone); written only in
    # one's own name. It is never updated or deleted (the triggers of the first migration).
    audit_sees = (
        "(audit_events.case_id IS NULL "
        "OR EXISTS (SELECT 1 FROM cases c WHERE c.id = audit_events.case_id) "
        f"OR {_CM})"
    )
    policies += [
        ("audit_events", "audit_events_see", "SELECT", audit_sees, None),
        ("audit_events", "audit_events_add", "INSERT", None, "audit_events.actor = session_user"),
        # Let an UPDATE or DELETE reach the rows, for the append-only trigger to refuse it
        # aloud rather than the policy to skip the rows silently.
        ("audit_events", "audit_events_change", "UPDATE", "TRUE", "TRUE"),
        ("audit_events", "audit_events_delete", "DELETE", "TRUE", None),
    ]
    return policies


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for function in _FUNCTIONS:
        op.execute(function)
    for table, name, command, using, check in _policies():
        statement = f"CREATE POLICY {name} ON {table} FOR {command}"
        if using is not None:
            statement += f" USING ({using})"
        if check is not None:
            statement += f" WITH CHECK ({check})"
        op.execute(statement)
    for table in SECURED:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in SECURED:
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    for table, name, _command, _using, _check in _policies():
        op.execute(f"DROP POLICY IF EXISTS {name} ON {table}")
    for name in (
        "caseworker_no_officers()",
        "caseworker_officer_area()",
        "caseworker_area(text)",
        "caseworker_officer_role()",
        "caseworker_officer_id()",
    ):
        op.execute(f"DROP FUNCTION IF EXISTS {name}")
