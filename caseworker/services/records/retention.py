"""Retention: purging the personal data of cases closed longer ago than their policy keeps them.

Stockport 3.3: "retain complaints documentation for up to 3 years only from the date of the
complaint being closed" (``retention.years_after_closure`` in the policy file; a policy without a
period never lists a case). A case is due once the anniversary of its closure that many years on
has passed: closed on 4 March 2023, it is kept to the end of 4 March 2026 and due on 5 March 2026.

:func:`retention_list` lists the cases due, for a complaints manager to check, and the ones held
back although due (an Ombudsman's enquiry or remedy still open; a request for the next stage
waiting for a decision). :func:`purge` removes the personal data and documents of the cases the
manager confirmed, by reference, and nothing else:

* gone: the complainant (their row, once no other case of theirs remains, with any contact
  restrictions on them), the representative, the staff named in the complaint, the councillor or
  MP who raised it, the complaint's words and every free text on the case (summary, understanding,
  steps taken, evidence, reasons given), the issue texts, investigation notes, interviews,
  home-visit risk assessments, contact attempts, the letters' documents and drafts, the reasons
  for extensions, suspensions and allocations, the Ombudsman's reference and words, the copy of
  the case's records an offline checkout keeps;
* kept, so reports over past periods still add up: the case row with its reference, policy,
  route, stage, status, channel, service area, dates and outcome; each issue's number and
  finding and whether it had a remedy, a lesson and an action (with the kinds of remedy,
  :func:`caseworker.reports.remedies.retained_text`) and the action dates; the dates of
  extensions, suspensions, letters and Ombudsman involvement; whether reasonable adjustments were
  made for the complainant (``Case.adjustments_made``).

The purge runs as plain SQL statements, not through the ORM's flush, so the audit trail does not
copy the removed values into itself; instead one audit event per case (action ``purge``) records
who confirmed it and under which policy. It is the one change the append-only trail allows: in
the same transaction the values in the case's earlier audit rows (and those of a complainant
removed) are replaced by :data:`~caseworker.storage.audit.PURGED_VALUE`, keeping who, when and
which field, and the values of fields that say nothing about a person (dates, stage, status,
outcome: :data:`~caseworker.storage.audit.KEPT_WHEN_PURGED`). The full-text indexes lose the
removed words (their triggers, then on SQLite an FTS5 ``optimize`` so that no old segment keeps
them). After the commit the freed space is reclaimed: on SQLite (which runs with
``secure_delete``) ``VACUUM`` and a checkpoint that empties the write-ahead log, on PostgreSQL a
``VACUUM`` of the tables touched, so that no old copy of a row keeps the data.

On PostgreSQL the database writes the trail (:mod:`caseworker.storage.pgaudit`): the purge tells
its triggers so (``caseworker.purge``, honoured for a complaints manager only), the purge event
comes from the trigger on the case's ``purged_on``, the purged records' changes are recorded
with the values replaced by the marker, and the earlier rows are scrubbed by the database's own
``caseworker_scrub_audit``.

Only a complaints manager may purge (:func:`caseworker.services.permissions.purge_refusal`,
asked by the app through :func:`why_not_purge`), and only cases on the list on the real date
(``ctx.today()``; no date can be given to :func:`purge`): a reference that is not due (unknown,
open, not yet due, already purged, held back) refuses the whole request and nothing is removed.
The list may look ahead (:func:`retention_list` with a later ``on``) to show what will become
due; that never makes a case purgeable early. Managers see the list (the figures' rule,
:func:`caseworker.services.permissions.figures_refusal`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import (
    CursorResult,
    Engine,
    Table,
    and_,
    bindparam,
    case,
    delete,
    exists,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from caseworker.domain.enums import CaseStatus
from caseworker.domain.refusals import Refused
from caseworker.errors import UserError
from caseworker.policy.clock import add_months
from caseworker.policy.schema import Policy
from caseworker.reports.remedies import RETAINED, retained_text
from caseworker.services.context import Context
from caseworker.services.permissions import acting_officer, figures_refusal, purge_refusal
from caseworker.storage.audit import (
    KEPT_WHEN_PURGED,
    PURGED_VALUE,
    database_writes_trail,
    trail_context,
)
from caseworker.storage.models import (
    FULLTEXT_TABLES,
    Allocation,
    AuditEvent,
    Base,
    Case,
    CaseSubject,
    Checkout,
    Complainant,
    ContactAttempt,
    Correspondence,
    Document,
    Extension,
    Interview,
    Issue,
    Letter,
    Note,
    OmbudsmanCase,
    Representative,
    RiskAssessment,
    Suspension,
)


def _table(model: type[Base]) -> Table:
    """A model's table, for statements that bypass the ORM's flush (and so the audit hook)."""
    return cast(Table, model.__table__)


CHUNK = 500
"""Cases per statement (SQLite allows at most 32,766 bound values in one)."""

HELD_OMBUDSMAN = "the Ombudsman's enquiry or an agreed remedy is still open"
HELD_ESCALATION = "a request for the next stage is waiting for a decision"


@dataclass(frozen=True, slots=True)
class DueCase:
    """A case closed longer ago than its policy keeps it. No personal data: the list is shown to
    the manager who confirms it and printed by ``caseworker retention --list``."""

    case_id: int
    reference: str
    policy_id: str
    council: str
    closed_on: dt.date
    kept_until: dt.date
    """The last day the policy keeps it (closure plus the policy's years)."""
    years: int
    held: str = ""
    """Why it is held back although due; empty when it may be purged."""

    @property
    def due_on(self) -> dt.date:
        """The first day it may be purged (the day after :attr:`kept_until`)."""
        return self.kept_until + dt.timedelta(days=1)


@dataclass(frozen=True)
class RetentionList:
    today: dt.date
    """The date counted to: the real date, or a later one looked ahead to (:attr:`ahead`)."""
    ahead: bool = False
    """Listed for a later date than today: what will be due by then, not what may be purged now
    (only cases with :attr:`DueCase.due_on` on or before the real date may be)."""
    due: list[DueCase] = field(default_factory=list)
    """Cases that may be purged, oldest closure first."""
    held: list[DueCase] = field(default_factory=list)
    """Cases due but held back, with the reason."""
    policies_without_period: list[str] = field(default_factory=list)
    """Councils whose policy sets no retention period: none of their cases is ever listed."""

    def references(self) -> list[str]:
        return [case.reference for case in self.due]


@dataclass(frozen=True)
class PurgeResult:
    references: list[str]
    complainants_removed: int
    confirmed_by: str

    @property
    def count(self) -> int:
        return len(self.references)


def kept_until(closed_on: dt.date, years: int) -> dt.date:
    """The last day a case closed on ``closed_on`` is kept: the same date ``years`` on (28
    February for 29 February in a year that is not a leap year)."""
    return add_months(closed_on, 12 * years)


def why_not_purge(ctx: Context) -> str | None:
    """Why the person at the keyboard may not purge, in the rule's words (no "Refused: " in
    front); ``None`` for a complaints manager."""
    try:
        with ctx.unit() as uow:
            refusal = purge_refusal(acting_officer(uow))
    except Refused as refused:
        refusal = refused
    return None if refusal is None else str(refusal).removeprefix("Refused: ")


def retention_list(ctx: Context, *, on: dt.date | None = None) -> RetentionList:
    """The closed cases past their policy's retention period today (``ctx.today()``), not yet
    purged; with ``on`` (today or later), those that will be by then.

    Refused, with the rule's words, to anyone but a manager.
    """
    today = ctx.today()
    if on is not None and on < today:
        raise UserError(
            f"the retention list looks ahead to what will become due, not back: {on.isoformat()} "
            f"is before today ({today.isoformat()})"
        )
    with ctx.unit() as uow:
        refusal = figures_refusal(acting_officer(uow), "see the retention list")
        if refusal is not None:
            raise refusal
        listed = _retention_list(uow.session, today=on or today, policies=_policies(ctx))
    return RetentionList(
        listed.today,
        listed.today > today,
        listed.due,
        listed.held,
        listed.policies_without_period,
    )


def _policies(ctx: Context) -> Mapping[str, Policy]:
    return {policy.id: policy for policy in ctx.policies()}


def _retention_list(
    session: Session, *, today: dt.date, policies: Mapping[str, Policy]
) -> RetentionList:
    """The closed cases past their policy's retention period on ``today``, not yet purged."""
    result = RetentionList(today)
    ombudsman_open = exists(
        select(OmbudsmanCase.id).where(
            OmbudsmanCase.case_id == Case.id,
            or_(
                OmbudsmanCase.decision_on.is_(None),
                and_(OmbudsmanCase.remedy_agreed != "", OmbudsmanCase.complied_on.is_(None)),
            ),
        )
    )
    awaiting = and_(
        Case.escalation_requested.is_not(None),
        Case.response_sent.is_not(None),
        Case.escalation_requested >= Case.response_sent,
        Case.escalation_decision.is_(None),
    )
    for policy_id, policy in sorted(policies.items()):
        years = policy.retention.years_after_closure
        if years is None:
            if not policy.baseline:
                result.policies_without_period.append(policy.council_name)
            continue
        # Kept to the end of kept_until(closed_on): due when closed before today - years.
        cutoff = add_months(today, -12 * years)
        rows = session.execute(
            select(Case.id, Case.reference, Case.closed_on, ombudsman_open, awaiting)
            .where(
                Case.policy_id == policy_id,
                Case.status == CaseStatus.CLOSED,
                Case.closed_on.is_not(None),
                Case.closed_on < cutoff,
                Case.purged_on.is_(None),
            )
            .order_by(Case.closed_on, Case.reference)
        ).all()
        for case_id, reference, closed_on, ombudsman, escalation in rows:
            assert closed_on is not None  # the query asks for it
            held = HELD_OMBUDSMAN if ombudsman else (HELD_ESCALATION if escalation else "")
            entry = DueCase(
                case_id,
                reference,
                policy_id,
                policy.council_name,
                closed_on,
                kept_until(closed_on, years),
                years,
                held,
            )
            (result.held if held else result.due).append(entry)
    result.due.sort(key=lambda c: (c.closed_on, c.reference))
    result.held.sort(key=lambda c: (c.closed_on, c.reference))
    return result


def purge(ctx: Context, references: Sequence[str]) -> PurgeResult:
    """Purge the personal data and documents of the cases ``references``, all of which must be on
    the retention list on the real date (``ctx.today()``), and commit; one audit event per case
    names who confirmed it.

    Refused (nothing removed) unless the acting officer is a complaints manager, ``references``
    is not empty, and every reference is due today.
    """
    today = ctx.today()
    policies = _policies(ctx)
    with ctx.unit() as uow:
        officer = acting_officer(uow)
        refusal = purge_refusal(officer)
        if refusal is not None:
            raise refusal
        wanted = [ref.strip() for ref in references if ref.strip()]
        if not wanted:
            raise Refused("no cases were confirmed for purging: name each case by its reference")
        session = uow.session
        listed = _retention_list(session, today=today, policies=policies)
        due = {case.reference: case for case in listed.due}
        held = {case.reference: case for case in listed.held}
        problems = []
        for reference in dict.fromkeys(wanted):
            if reference in due:
                continue
            if reference in held:
                problems.append(f"{reference} is held back: {held[reference].held}")
            else:
                why = _why_not_due(session, reference, policies)
                problems.append(f"{reference} is not due: {why}")
        if problems:
            raise Refused("nothing was purged: " + "; ".join(problems))

        chosen = [due[reference] for reference in dict.fromkeys(wanted)]
        removed = 0
        for chunk in _chunks(chosen, CHUNK):
            removed += _purge_chunk(
                session,
                chunk,
                today=today,
                actor=uow.actor,
                confirmed_by=f"{officer.name} ({uow.actor})",
            )
        _optimise_fulltext(session)
        engine = session.get_bind()
        uow.commit()
    reclaim_space(cast(Engine, engine))
    return PurgeResult([case.reference for case in chosen], removed, uow.actor)


PURGED_TABLES = (
    "cases",
    "complainants",
    "contact_restrictions",
    "issues",
    "notes",
    "documents",
    "correspondence",
    "interviews",
    "risk_assessments",
    "contact_attempts",
    "representatives",
    "case_subjects",
    "letters",
    "extensions",
    "suspensions",
    "allocations",
    "ombudsman_cases",
    "checkouts",
    "audit_events",
)
"""The tables a purge changes, vacuumed after it on PostgreSQL."""


def _optimise_fulltext(session: Session) -> None:
    """SQLite: merge the full-text indexes' segments, so that the words of deleted and changed
    rows (kept in older segments until a merge) are gone from the file too."""
    if session.get_bind().dialect.name != "sqlite":
        return
    for fts in FULLTEXT_TABLES:
        session.execute(text(f"INSERT INTO {fts}({fts}) VALUES ('optimize')"))


def reclaim_space(engine: Engine) -> None:
    """After a purge, give back the space the removed data took, so no copy of it stays on disk:
    SQLite (run with ``secure_delete``, which overwrites what is deleted) is vacuumed and its
    write-ahead log emptied; PostgreSQL vacuums the tables the purge touched (their dead rows).
    Best effort: a database busy with colleagues' reads is left for next time (SQLite has already
    overwritten the freed pages; PostgreSQL's autovacuum follows), never an error after the purge
    was committed. On PostgreSQL only the tables' owner may vacuum: for anyone else the server
    skips them with a warning and autovacuum does it."""
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql("VACUUM")
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            elif engine.dialect.name == "postgresql":
                connection.exec_driver_sql(
                    "VACUUM " + ", ".join(f'"{table}"' for table in PURGED_TABLES)
                )
    except OperationalError:
        pass


def _why_not_due(session: Session, reference: str, policies: Mapping[str, Policy]) -> str:
    row = session.execute(
        select(Case.policy_id, Case.status, Case.closed_on, Case.purged_on).where(
            Case.reference == reference
        )
    ).one_or_none()
    if row is None:
        return "there is no case with this reference"
    policy_id, status, closed_on, purged_on = row
    if purged_on is not None:
        return f"it was purged on {purged_on.isoformat()}"
    if status != CaseStatus.CLOSED or closed_on is None:
        return "it is not closed"
    policy = policies.get(policy_id)
    years = policy.retention.years_after_closure if policy is not None else None
    if years is None:
        return f"its policy ({policy_id}) sets no retention period"
    return (
        f"closed on {closed_on.isoformat()}, it is kept until "
        f"{kept_until(closed_on, years).isoformat()} ({years} years, policy {policy_id})"
    )


def _chunks(items: Sequence[DueCase], size: int) -> Iterator[Sequence[DueCase]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _purge_chunk(
    session: Session, chosen: Iterable[DueCase], *, today: dt.date, actor: str, confirmed_by: str
) -> int:
    """Purge one chunk of cases with table-level statements (no ORM flush, so no audit rows of
    the removed values); returns how many complainant records were removed."""
    chosen = list(chosen)
    purge_text = {due.case_id: _purge_words(due, confirmed_by) for due in chosen}
    connection = session.connection()
    with trail_context(
        connection,
        purge="on",
        event={"action": "purge", "field": "retention", "by_case": purge_text},
    ):
        removed = _purge_rows(session, chosen, today=today, actor=actor)
    if not database_writes_trail(connection):
        now = dt.datetime.now(dt.UTC)
        session.execute(
            insert(_table(AuditEvent)),
            [
                {
                    "at": now,
                    "actor": actor,
                    "case_id": due.case_id,
                    "entity": "cases",
                    "entity_id": due.case_id,
                    "action": "purge",
                    "field": "retention",
                    "old_value": None,
                    "new_value": purge_text[due.case_id],
                }
                for due in chosen
            ],
        )
    return removed


def _purge_words(due: DueCase, confirmed_by: str) -> str:
    return (
        f"personal data and documents purged under the retention policy of "
        f"{due.council}: closed on {due.closed_on.isoformat()}, kept "
        f"{due.years} years to {due.kept_until.isoformat()}; confirmed by "
        f"{confirmed_by}"
    )


def _scrub_trail(session: Session, case_ids: list[int], complainant_ids: list[int]) -> None:
    """Replace the values in the purged cases' earlier audit rows (and those of the complainants
    removed) with the marker: who, when and which field stay, and the values of fields that say
    nothing about a person."""
    if database_writes_trail(session):
        session.execute(
            text(
                "SELECT caseworker_scrub_audit(CAST(:cases AS integer[]), "
                "CAST(:people AS integer[]))"
            ),
            {"cases": case_ids, "people": complainant_ids},
        )
        return
    audit = _table(AuditEvent)
    people = _table(Complainant)
    kept = and_(audit.c.action == "update", audit.c.field.in_(sorted(KEPT_WHEN_PURGED)))
    session.execute(
        update(audit)
        .where(
            audit.c.action != "purge",
            ~kept,
            or_(
                audit.c.case_id.in_(case_ids),
                and_(
                    audit.c.entity == "complainants",
                    audit.c.entity_id.in_(complainant_ids or [-1]),
                    ~exists(select(people.c.id).where(people.c.id == audit.c.entity_id)),
                ),
            ),
            or_(
                and_(audit.c.old_value.is_not(None), audit.c.old_value != PURGED_VALUE),
                and_(audit.c.new_value.is_not(None), audit.c.new_value != PURGED_VALUE),
            ),
        )
        .values(
            old_value=case((audit.c.old_value.is_(None), None), else_=PURGED_VALUE),
            new_value=case((audit.c.new_value.is_(None), None), else_=PURGED_VALUE),
        )
    )


def _purge_rows(session: Session, chosen: list[DueCase], *, today: dt.date, actor: str) -> int:
    ids = [case.case_id for case in chosen]
    cases, issues = _table(Case), _table(Issue)
    execute = session.execute

    # Whether reasonable adjustments were made, before the complainant goes.
    complainant_ids = set()
    adjusted = set()
    for case_id, complainant_id, adjustments in execute(
        select(cases.c.id, cases.c.complainant_id, Complainant.reasonable_adjustments)
        .select_from(cases.outerjoin(_table(Complainant), Complainant.id == cases.c.complainant_id))
        .where(cases.c.id.in_(ids))
    ):
        if complainant_id is not None:
            complainant_ids.add(complainant_id)
        if (adjustments or "").strip():
            adjusted.add(case_id)
    settlements = [
        {"b_id": case_id, "b_terms": retained_text(terms)}
        for case_id, terms in execute(
            select(cases.c.id, cases.c.settlement_terms).where(
                cases.c.id.in_(ids), cases.c.settlement_terms != ""
            )
        )
    ]
    remedies = [
        {
            "b_id": issue_id,
            "b_remedy": retained_text(remedy),
            "b_stage2_remedy": retained_text(stage2_remedy),
        }
        for issue_id, remedy, stage2_remedy in execute(
            select(issues.c.id, issues.c.remedy, issues.c.stage2_remedy).where(
                issues.c.case_id.in_(ids),
                or_(issues.c.remedy != "", issues.c.stage2_remedy != ""),
            )
        )
    ]

    # The case itself: free text blanked, people unlinked, the purge recorded.
    execute(
        update(cases)
        .where(cases.c.id.in_(ids))
        .values(
            summary="",
            complaint_subject="",
            referrer_name="",
            referrer_title="",
            referrer_addressed_as="",
            referrer_address="",
            time_limit_waived_by="",
            understanding="",
            steps_taken="",
            evidence_considered="",
            escalation_reason="",
            escalation_refusal_reasons="",
            refusal_reasons="",
            refusal_route="",
            reopening_reason="",
            complainant_id=None,
            adjustments_made=case((cases.c.id.in_(adjusted or [-1]), True), else_=False),
            purged_on=today,
            purged_by=actor,
            version=cases.c.version + 1,
        )
    )
    if settlements:
        execute(
            update(cases)
            .where(cases.c.id == bindparam("b_id"))
            .values(settlement_terms=bindparam("b_terms")),
            settlements,
        )

    # Issues keep their number, finding, remedy kinds and action dates.
    issue_ids = select(issues.c.id).where(issues.c.case_id.in_(ids))
    execute(delete(_table(Note)).where(_table(Note).c.issue_id.in_(issue_ids)))
    kept = case((issues.c.lesson_learnt != "", RETAINED), else_="")
    execute(
        update(issues)
        .where(issues.c.case_id.in_(ids))
        .values(
            summary=RETAINED,
            explanation="",
            stage2_explanation="",
            lesson_learnt=kept,
            action=case((issues.c.action != "", RETAINED), else_=""),
            action_public=case((issues.c.action_public != "", RETAINED), else_=""),
        )
    )
    if remedies:
        execute(
            update(issues)
            .where(issues.c.id == bindparam("b_id"))
            .values(remedy=bindparam("b_remedy"), stage2_remedy=bindparam("b_stage2_remedy")),
            remedies,
        )

    # Records that are nothing but personal data or documents go.
    # Documents before the correspondence they may belong to.
    for model in (
        Document,
        Correspondence,
        Interview,
        RiskAssessment,
        ContactAttempt,
        Representative,
        CaseSubject,
    ):
        table = _table(model)
        execute(delete(table).where(table.c.case_id.in_(ids)))
    letters = _table(Letter)
    execute(
        update(letters)
        .where(letters.c.case_id.in_(ids))
        .values(content=None, draft=None, filename="", sent_despite="")
    )
    for dated in (Extension, Suspension):
        table = _table(dated)
        execute(update(table).where(table.c.case_id.in_(ids)).values(reason=RETAINED))
    allocations = _table(Allocation)
    execute(update(allocations).where(allocations.c.case_id.in_(ids)).values(reason=""))
    # An offline checkout keeps a copy of the case's records as they were: it goes too.
    checkouts = _table(Checkout)
    execute(update(checkouts).where(checkouts.c.case_id.in_(ids)).values(base=None))
    ombudsman = _table(OmbudsmanCase)
    execute(
        update(ombudsman)
        .where(ombudsman.c.case_id.in_(ids))
        .values(
            reference="",
            decision=case((ombudsman.c.decision != "", RETAINED), else_=""),
            remedy_agreed=case((ombudsman.c.remedy_agreed != "", RETAINED), else_=""),
        )
    )

    # A complainant with no case left goes too (their contact restrictions cascade).
    removed = 0
    if complainant_ids:
        people = _table(Complainant)
        deleted = cast(
            CursorResult,
            execute(
                delete(people).where(
                    people.c.id.in_(complainant_ids),
                    ~exists(select(cases.c.id).where(cases.c.complainant_id == people.c.id)),
                )
            ),
        )
        removed = deleted.rowcount or 0

    # The personal values in the trail written before go too (the one change it allows).
    _scrub_trail(session, ids, sorted(complainant_ids))
    return removed


__all__ = [
    "DueCase",
    "PurgeResult",
    "RetentionList",
    "kept_until",
    "purge",
    "retention_list",
    "why_not_purge",
]
