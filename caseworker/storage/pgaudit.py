"""On PostgreSQL the database writes the audit trail itself (issue 17): triggers on every table
the app audits record each INSERT, UPDATE and DELETE, from the app, psql or any client, with the
database login (``session_user``) as the actor and the old and new values rendered as
:func:`caseworker.storage.audit.render` renders them, so the Timeline and the case file read the
rows alike whichever wrote them. The session's flush hook writes nothing on PostgreSQL.

The trigger functions are ``SECURITY DEFINER`` (they run as the tables' owner, who alone may
write ``audit_events``: officers are granted SELECT on it and nothing more). What the app adds
to a change it passes in transaction-local settings that the trigger reads, never as rows of its
own:

* ``caseworker.actor``: the name to record, honoured only for the tables' owner or a superuser
  (the administrator, who could rewrite the trail anyway): an officer's login is always the actor;
* ``caseworker.at`` and ``caseworker.origin``: the time a change was made offline and which copy
  it came from (offline check-in), honoured only for a case checked out now, and the time only
  between its checkout and now (nobody backdates a change made at the desk);
* ``caseworker.event``: a check-out, check-in or purge, recorded as one event with the app's
  words instead of the row's columns, honoured only on the row change it describes (a checkout
  inserted, a checkout's ``checked_in_at`` set, a case's ``purged_on`` set during a purge);
* ``caseworker.purge``: the retention purge is under way. Honoured only for a complaints manager
  (or the owner): the purged cases' changes are recorded with their values replaced by
  :data:`~caseworker.storage.audit.PURGED_VALUE`, and :func:`caseworker_scrub_audit` replaces the
  values in their earlier rows, the one change to the trail the append-only trigger allows.

:func:`install` (re)creates the functions and triggers; migration 0011 runs it and so does
``caseworker team setup``. It reads the tables from the database; a table a later migration
adds is covered as that migration runs (:func:`cover_new_tables`, from the migrations'
environment).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from caseworker.storage.audit import KEPT_WHEN_PURGED, NOISE, PURGED_VALUE
from caseworker.storage.models import FULLTEXT_TABLES

NOT_AUDITED = ("audit_events", "counters", "alembic_version")
TRIGGER = "caseworker_audit"
APPEND_ONLY = "the audit trail is append-only"

FUNCTIONS = (
    "caseworker_json(jsonb)",
    "caseworker_render(jsonb, text)",
    "caseworker_audit_actor()",
    "caseworker_purging()",
    "caseworker_audit_row()",
    "caseworker_scrub_audit(integer[], integer[])",
)
"""Created by :func:`install` (``DROP FUNCTION`` signatures, for a restore)."""


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


_OWNER = "(SELECT c.relowner FROM pg_class c WHERE c.oid = 'audit_events'::regclass)"
_IS_OWNER = f"pg_has_role(session_user, {_OWNER}, 'MEMBER')"


def _definitions() -> list[str]:
    marker = _literal(PURGED_VALUE)
    kept = "ARRAY[" + ", ".join(_literal(f) for f in sorted(KEPT_WHEN_PURGED)) + "]::text[]"
    noise = ", ".join(_literal(column) for column in NOISE)
    return [
        # json.dumps(value, sort_keys=True): keys in code-point order, ", " and ": ".
        """
CREATE OR REPLACE FUNCTION caseworker_json(value jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF jsonb_typeof(value) = 'object' THEN
        RETURN '{' || coalesce((SELECT string_agg(to_json(k)::text || ': ' || caseworker_json(v),
            ', ' ORDER BY k COLLATE "C") FROM jsonb_each(value) AS e(k, v)), '') || '}';
    ELSIF jsonb_typeof(value) = 'array' THEN
        RETURN '[' || coalesce((SELECT string_agg(caseworker_json(v), ', ' ORDER BY n)
            FROM jsonb_array_elements(value) WITH ORDINALITY AS e(v, n)), '') || ']';
    END IF;
    RETURN value::text;
END $$""",
        # One column's value (from to_jsonb of the row) as audit.render writes it.
        """
CREATE OR REPLACE FUNCTION caseworker_render(value jsonb, type text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    raw bytea;
BEGIN
    IF value IS NULL OR jsonb_typeof(value) = 'null' THEN
        RETURN NULL;
    ELSIF type = 'bytea' THEN
        raw := decode(substr(value #>> '{}', 3), 'hex');
        RETURN '<' || length(raw) || ' bytes, sha256 '
            || left(encode(sha256(raw), 'hex'), 16) || '>';
    ELSIF type = 'boolean' THEN
        RETURN CASE WHEN value = 'true'::jsonb THEN 'True' ELSE 'False' END;
    ELSIF type IN ('json', 'jsonb') THEN
        RETURN caseworker_json(value);
    END IF;
    RETURN value #>> '{}';
END $$""",
        f"""
CREATE OR REPLACE FUNCTION caseworker_audit_actor() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT CASE WHEN coalesce(current_setting('caseworker.actor', true), '') <> ''
        AND {_IS_OWNER} THEN current_setting('caseworker.actor', true)
        ELSE session_user::text END
$$""",
        f"""
CREATE OR REPLACE FUNCTION caseworker_purging() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT coalesce(current_setting('caseworker.purge', true), '') = 'on'
        AND (coalesce(caseworker_officer_role() = 'complaints-manager', false) OR {_IS_OWNER})
$$""",
        f"""
CREATE OR REPLACE FUNCTION caseworker_audit_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public SET TimeZone = 'UTC' SET bytea_output = 'hex' AS $$
DECLARE
    old_row jsonb;
    new_row jsonb;
    the_row jsonb;
    who text := caseworker_audit_actor();
    stamp timestamptz := clock_timestamp();
    offline timestamptz := nullif(current_setting('caseworker.at', true), '')::timestamptz;
    came_from text := '';
    event jsonb := nullif(current_setting('caseworker.event', true), '')::jsonb;
    the_id integer;
    the_case integer;
    hidden boolean;
    snapshot text;
    col record;
    o text;
    n text;
BEGIN
    IF TG_OP <> 'INSERT' THEN old_row := to_jsonb(OLD); END IF;
    IF TG_OP <> 'DELETE' THEN new_row := to_jsonb(NEW); END IF;
    the_row := coalesce(new_row, old_row);
    the_id := (the_row ->> 'id')::integer;
    the_case := CASE
        WHEN TG_TABLE_NAME = 'cases' THEN the_id
        -- A note's case is its issue's; for a note removed with its issue, the one the trail
        -- recorded for the issue.
        WHEN TG_TABLE_NAME = 'notes' THEN coalesce(
            (SELECT i.case_id FROM issues i WHERE i.id = (the_row ->> 'issue_id')::integer),
            (SELECT a.case_id FROM audit_events a WHERE a.entity = 'issues'
                AND a.entity_id = (the_row ->> 'issue_id')::integer AND a.case_id IS NOT NULL
                ORDER BY a.id DESC LIMIT 1))
        ELSE (the_row ->> 'case_id')::integer END;

    -- A change carried in from an offline copy: which copy, and when it was made there, only
    -- for a case checked out now, and a time between its checkout and now.
    IF coalesce(current_setting('caseworker.origin', true), '') <> '' AND EXISTS (
        SELECT 1 FROM checkouts k WHERE k.case_id = the_case AND k.checked_in_at IS NULL
    ) THEN
        came_from := current_setting('caseworker.origin', true);
        IF offline IS NOT NULL AND EXISTS (
            SELECT 1 FROM checkouts k WHERE k.case_id = the_case AND k.checked_in_at IS NULL
                AND offline BETWEEN k.checked_out_at AND clock_timestamp()
        ) THEN
            stamp := offline;
        END IF;
    END IF;

    -- A check-out, check-in or purge: one event in the app's words, on the change it describes.
    IF event IS NOT NULL AND (
        (TG_TABLE_NAME = 'checkouts' AND TG_OP = 'INSERT' AND event ->> 'action' = 'check-out')
        OR (TG_TABLE_NAME = 'checkouts' AND TG_OP = 'UPDATE' AND event ->> 'action' = 'check-in'
            AND old_row ->> 'checked_in_at' IS NULL AND new_row ->> 'checked_in_at' IS NOT NULL)
        OR (TG_TABLE_NAME = 'cases' AND TG_OP = 'UPDATE' AND event ->> 'action' = 'purge'
            AND caseworker_purging()
            AND old_row ->> 'purged_on' IS NULL AND new_row ->> 'purged_on' IS NOT NULL)
    ) THEN
        INSERT INTO audit_events
            (at, actor, case_id, entity, entity_id, action, field, old_value, new_value, origin)
        VALUES (stamp, who, the_case, TG_TABLE_NAME,
            CASE WHEN event ? 'entity_id' THEN (event ->> 'entity_id')::integer ELSE the_id END,
            event ->> 'action', coalesce(event ->> 'field', ''), NULL,
            event -> 'by_case' ->> the_case::text, came_from);
        RETURN NULL;
    END IF;

    -- During a purge, the purged cases' changes keep who, when and which field, not the values.
    hidden := caseworker_purging() AND (
        (TG_OP = 'DELETE' AND TG_TABLE_NAME IN ('complainants', 'contact_restrictions'))
        OR EXISTS (SELECT 1 FROM cases c WHERE c.id = the_case AND c.purged_on IS NOT NULL));

    IF TG_OP = 'UPDATE' THEN
        FOR col IN
            SELECT a.attname::text AS name, format_type(a.atttypid, NULL) AS type
            FROM pg_attribute a
            WHERE a.attrelid = TG_RELID AND a.attnum > 0 AND NOT a.attisdropped
                AND a.attname NOT IN ({noise})
            ORDER BY a.attnum
        LOOP
            o := caseworker_render(old_row -> col.name, col.type);
            n := caseworker_render(new_row -> col.name, col.type);
            IF o IS DISTINCT FROM n THEN
                IF hidden THEN
                    o := CASE WHEN o IS NULL THEN NULL ELSE {marker} END;
                    n := CASE WHEN n IS NULL THEN NULL ELSE {marker} END;
                END IF;
                INSERT INTO audit_events (at, actor, case_id, entity, entity_id, action, field,
                    old_value, new_value, origin)
                VALUES (stamp, who, the_case, TG_TABLE_NAME, the_id, 'update', col.name, o, n,
                    came_from);
            END IF;
        END LOOP;
        RETURN NULL;
    END IF;

    SELECT '{{' || coalesce(string_agg(to_json(a.attname::text)::text || ': ' || coalesce(
            to_json(caseworker_render(the_row -> a.attname::text,
                format_type(a.atttypid, NULL)))::text, 'null'),
            ', ' ORDER BY a.attname::text COLLATE "C"), '') || '}}'
    INTO snapshot
    FROM pg_attribute a
    WHERE a.attrelid = TG_RELID AND a.attnum > 0 AND NOT a.attisdropped
        AND a.attname NOT IN ({noise});
    IF hidden THEN snapshot := {marker}; END IF;
    INSERT INTO audit_events
        (at, actor, case_id, entity, entity_id, action, field, old_value, new_value, origin)
    VALUES (stamp, who, the_case, TG_TABLE_NAME, the_id,
        CASE WHEN TG_OP = 'INSERT' THEN 'create' ELSE 'delete' END, '',
        CASE WHEN TG_OP = 'DELETE' THEN snapshot END,
        CASE WHEN TG_OP = 'INSERT' THEN snapshot END, came_from);
    RETURN NULL;
END $$""",
        # The trail is append-only; the one change allowed is the purge's scrub (below), run as
        # the owner, replacing values by the marker and nothing else.
        f"""
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND coalesce(current_setting('caseworker.scrubbing', true), '') = 'on'
        AND pg_has_role(current_user, {_OWNER}, 'MEMBER')
        AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.actor = OLD.actor
        AND NEW.case_id IS NOT DISTINCT FROM OLD.case_id AND NEW.entity = OLD.entity
        AND NEW.entity_id IS NOT DISTINCT FROM OLD.entity_id AND NEW.action = OLD.action
        AND NEW.field = OLD.field AND NEW.origin = OLD.origin
        AND (NEW.old_value IS NOT DISTINCT FROM OLD.old_value OR NEW.old_value = {marker})
        AND (NEW.new_value IS NOT DISTINCT FROM OLD.new_value OR NEW.new_value = {marker})
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{APPEND_ONLY}';
END $$""",
        f"""
CREATE OR REPLACE FUNCTION caseworker_scrub_audit(case_ids integer[], complainant_ids integer[])
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    done integer;
BEGIN
    IF NOT caseworker_purging() THEN
        RAISE EXCEPTION 'only a complaints manager''s retention purge removes values from the '
            'audit trail';
    END IF;
    PERFORM set_config('caseworker.scrubbing', 'on', true);
    UPDATE audit_events a SET
        old_value = CASE WHEN a.old_value IS NULL
            OR (a.action = 'update' AND a.field = ANY({kept})) THEN a.old_value ELSE {marker} END,
        new_value = CASE WHEN a.new_value IS NULL
            OR (a.action = 'update' AND a.field = ANY({kept})) THEN a.new_value ELSE {marker} END
    WHERE a.action <> 'purge'
        AND (a.case_id IN (SELECT c.id FROM cases c
                WHERE c.id = ANY(case_ids) AND c.purged_on IS NOT NULL)
            OR (a.entity = 'complainants' AND a.entity_id = ANY(complainant_ids)
                AND NOT EXISTS (SELECT 1 FROM complainants p WHERE p.id = a.entity_id)))
        AND NOT (a.action = 'update' AND a.field = ANY({kept}))
        AND (a.old_value IS DISTINCT FROM {marker} AND a.old_value IS NOT NULL
            OR a.new_value IS DISTINCT FROM {marker} AND a.new_value IS NOT NULL);
    GET DIAGNOSTICS done = ROW_COUNT;
    PERFORM set_config('caseworker.scrubbing', '', true);
    RETURN done;
END $$""",
    ]


def audited_tables(connection: Connection) -> list[str]:
    """The tables whose changes the database records: every table of the schema but the trail
    itself, the reference counters, Alembic's and the search's index (the cases' words, kept
    from the cases' own audited columns)."""
    return [
        name
        for name in connection.execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "ORDER BY tablename"
            )
        ).scalars()
        if name not in NOT_AUDITED and not name.startswith(FULLTEXT_TABLES)
    ]


def install(connection: Connection) -> list[str]:
    """(Re)create the trail's functions and a trigger on every audited table; the statements run.
    The connection must be the tables' owner's."""
    statements = _definitions()
    for table in audited_tables(connection):
        statements.append(f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{table}"')
        statements.append(
            f'CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
            "FOR EACH ROW EXECUTE FUNCTION caseworker_audit_row()"
        )
    for statement in statements:
        connection.exec_driver_sql(statement)
    return statements


def uninstall(connection: Connection) -> None:
    for table in audited_tables(connection):
        connection.execute(text(f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{table}"'))
    for function in reversed(FUNCTIONS):
        connection.execute(text(f"DROP FUNCTION IF EXISTS {function}"))


def cover_new_tables(connection: Connection) -> list[str]:
    """Add the trigger to every audited table that lacks it, once the trail's functions exist
    (migration 0011 has run); the tables covered. Run after any migration, so that a table a
    later migration creates is never written unrecorded until the next ``team setup``."""
    installed = connection.execute(
        text("SELECT to_regprocedure('caseworker_audit_row()') IS NOT NULL")
    ).scalar_one()
    if not installed:
        return []
    covered = set(
        connection.execute(
            text(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = :name AND NOT t.tgisinternal"
            ),
            {"name": TRIGGER},
        ).scalars()
    )
    added = [table for table in audited_tables(connection) if table not in covered]
    for table in added:
        connection.exec_driver_sql(
            f'CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
            "FOR EACH ROW EXECUTE FUNCTION caseworker_audit_row()"
        )
    return added
