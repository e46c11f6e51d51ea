"""The database tables, as SQLAlchemy 2.0 typed declarative classes.

Every change to a row here is written to :class:`AuditEvent` by :mod:`caseworker.storage.audit`;
complaint files are evidence. Enumerations are stored by value as plain strings so that adding a
value needs no migration.

No ``from __future__ import annotations`` here: Python evaluates the columns' annotations as each
class is made, where SQLAlchemy would otherwise ``eval`` about 600 strings at every start (about
8 ms); only the relationships to classes defined further down are written as strings.
"""

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, deferred, mapped_column, relationship

from caseworker.domain.enums import (
    CaseStatus,
    Channel,
    ContactMethod,
    Finding,
    InterviewMethod,
    LetterKind,
    NoteKind,
    Outcome,
    ReferrerRole,
    RiskDecision,
    Role,
    RouteId,
    SendMethod,
)
from caseworker.domain.lifecycle import EscalationDecision, OmbudsmanBody

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _enum(enum_class: type[StrEnum]) -> Enum:
    """Store an enumeration by its value in a VARCHAR, without a database-level enum type."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda cls: [member.value for member in cls],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Officer(Base):
    __tablename__ = "officers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    role: Mapped[Role] = mapped_column(_enum(Role))
    service_area: Mapped[str] = mapped_column(String(200))
    login: Mapped[str | None] = mapped_column(String(200), unique=True)
    """The operating-system account (or database login) that this officer works under."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Complainant(Base):
    __tablename__ = "complainants"
    __table_args__ = ({"implicit_returning": False},)  # as Case's, for the same reason

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(40), default="", server_default="")
    """Mr, Mrs, Ms, Mx, Dr, Sir, Dame... (letters greet them with it: ``letters/names.py``)."""
    addressed_as: Mapped[str] = mapped_column(String(200), default="", server_default="")
    """How they like to be addressed, where they said ("Jo", "Father Brendan"): the letters'
    "Dear …" and the name in the body."""
    address: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(String(16), default="", index=True)
    email: Mapped[str] = mapped_column(String(254), default="", index=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    preferred_contact: Mapped[ContactMethod | None] = mapped_column(_enum(ContactMethod))
    reasonable_adjustments: Mapped[str] = mapped_column(Text, default="")
    """The adjustments agreed, as officers note them for each other (never printed)."""
    adjustments_public: Mapped[str] = mapped_column(Text, default="", server_default="")
    """The adjustments agreed, as the complainant would read them: what the letters print."""
    adjustments_review_on: Mapped[dt.date | None] = mapped_column(Date)
    vulnerabilities: Mapped[str] = mapped_column(Text, default="")
    """Disabilities or vulnerabilities the complainant has disclosed (Stoke: recorded, reviewed)."""

    cases: Mapped[list["Case"]] = relationship(back_populates="complainant")


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_status_respond_by", "status", "respond_by"),
        # an officer's cases by status; with the purge date, Today's "their cases not purged"
        # is the index alone (migration 0029)
        Index("ix_cases_officer_status", "officer_id", "status", "purged_on"),
        # a case its recording officer sees until it is allocated (migration 0024). The
        # partial indexes' conditions ("where") are given to the database's dialect when an
        # engine is made (partial_indexes): a dialect's option written here (sqlite_where,
        # postgresql_where) would make SQLAlchemy import that dialect at every start, on
        # either database, for an option only the other uses.
        Index(
            "ix_cases_recorded_unallocated", "recorded_by_id", info={"where": "officer_id IS NULL"}
        ),
        # the Stage 2 quick view: its page and count without reading every live case
        Index("ix_cases_stage_status_received", "stage", "status", "received"),
        # the list's sort orders, each walked a page at a time (keyset paging; migration 0012)
        Index("ix_cases_sort_reference", "reference", "id"),
        Index("ix_cases_sort_complainant", "complainant_key", "id"),
        Index("ix_cases_sort_service", "service_area", "id"),
        Index("ix_cases_sort_stage", "stage", "id"),
        Index("ix_cases_sort_officer", "officer_key", "id"),
        Index("ix_cases_sort_received", "received", "id"),
        Index("ix_cases_sort_due", "due_key", "id"),
        Index("ix_cases_sort_status", "status", "id"),
        # Overdue and Due this week, and their counts: the open cases by due date
        Index("ix_cases_open_due", "due_key", info={"where": "status = 'open'"}),
        # Overdue's page (newest first, the due date read from the index) and Stage 2's page
        # (migration 0018): the conditions are written as literals in the list's statements
        Index(
            "ix_cases_open_received",
            "received",
            "id",
            "due_key",
            info={"where": "status = 'open'"},
        ),
        Index(
            "ix_cases_live_stage",
            "stage",
            "received",
            "id",
            info={"where": "status IN ('open', 'suspended')"},
        ),
        # Unallocated's page, newest first (migration 0027)
        Index(
            "ix_cases_live_unallocated",
            "received",
            "id",
            info={"where": "status IN ('open', 'suspended') AND officer_id IS NULL"},
        ),
        # Each officer's cases waiting for a response, by response date: the allocation view's
        # "due this week" and "overdue" for every officer, a seek each (migration 0030)
        Index(
            "ix_cases_officer_waiting",
            "officer_id",
            "respond_by",
            info={"where": "response_sent IS NULL AND status != 'closed'"},
        ),
        # No INSERT ... RETURNING: on a team database an officer records a case they may not
        # then see (row-level security, migration 0010), and RETURNING would need to see it.
        {"implicit_returning": False},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    policy_id: Mapped[str] = mapped_column(String(64))
    route: Mapped[RouteId] = mapped_column(_enum(RouteId))
    stage: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[CaseStatus] = mapped_column(_enum(CaseStatus), default=CaseStatus.OPEN)
    received: Mapped[dt.date] = mapped_column(Date)
    channel: Mapped[Channel] = mapped_column(_enum(Channel))
    service_area: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    """The case list's note for officers (never printed in a letter)."""
    complaint_subject: Mapped[str] = mapped_column(Text, default="", server_default="")
    """What the complaint is about, as it reads after "your complaint about…" ("the repairs
    to your kitchen ceiling"): the letters' subject and Re: line."""
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    time_limit_waived_by: Mapped[str] = mapped_column(String(200), default="")

    complainant_id: Mapped[int | None] = mapped_column(ForeignKey("complainants.id"), index=True)
    referrer_name: Mapped[str] = mapped_column(String(200), default="")
    """The councillor or MP the complaint came through, if any."""
    referrer_role: Mapped[ReferrerRole | None] = mapped_column(_enum(ReferrerRole))
    referrer_title: Mapped[str] = mapped_column(String(40), default="", server_default="")
    referrer_addressed_as: Mapped[str] = mapped_column(String(200), default="", server_default="")
    referrer_address: Mapped[str] = mapped_column(Text, default="")

    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    """The officer who recorded the case (took the phone call, typed the letter in): they see it
    until it is allocated, so they can answer the complainant who rings back and check what they
    typed (:func:`caseworker.services.permissions.check`). ``None`` for cases recorded before
    this was kept, and for imported ones."""
    stage1_officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"), index=True)
    """Who handled stage 1, kept when the case moves on so stage 2 can be checked against it
    (indexed: an officer sees the cases they handled at stage 1)."""

    acknowledged: Mapped[dt.date | None] = mapped_column(Date)
    acknowledge_by: Mapped[dt.date | None] = mapped_column(Date)
    respond_by: Mapped[dt.date | None] = mapped_column(Date)
    respond_by_latest: Mapped[dt.date | None] = mapped_column(Date)
    response_sent: Mapped[dt.date | None] = mapped_column(Date)
    response_method: Mapped[SendMethod | None] = mapped_column(_enum(SendMethod))
    escalation_requested: Mapped[dt.date | None] = mapped_column(Date)
    """The latest request for a next stage: once accepted, the date the case's current stage
    began; a request logged after the current stage's response is the next stage's."""
    stage_started: Mapped[dt.date | None] = mapped_column(Date)
    """The date the current stage's clock starts from, for a stage after the first: the request
    it accepted. Kept apart from ``escalation_requested`` so that a request for the stage after
    (Warwickshire's children's services have three) does not move the current stage's clock.
    ``None`` at stage 1 (the clock runs from ``received``)."""
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[Outcome | None] = mapped_column(_enum(Outcome))

    # What the letters say beyond the issues (seeds 001, 002, 004: decision letter elements).
    understanding: Mapped[str] = mapped_column(Text, default="", server_default="")
    """Our understanding of the complaint at the current stage (the complaint definition)."""
    steps_taken: Mapped[str] = mapped_column(Text, default="", server_default="")
    """The steps taken to investigate (people spoken to, records read, site visits)."""
    evidence_considered: Mapped[str] = mapped_column(Text, default="", server_default="")
    """The information and evidence taken into account."""
    settlement_terms: Mapped[str] = mapped_column(Text, default="", server_default="")
    """What was agreed when the complaint was settled (Stockport Appendix A: compensation,
    changes to policy or procedure...)."""
    withdrawn_on: Mapped[dt.date | None] = mapped_column(Date)
    withdrawal_method: Mapped[ContactMethod | None] = mapped_column(_enum(ContactMethod))
    """How the complainant told us they were withdrawing (the letter confirms it in writing)."""
    escalation_refusal_reasons: Mapped[str] = mapped_column(Text, default="", server_default="")
    """Why a request for the next stage was refused (Stoke: a full explanation)."""
    refusal_reasons: Mapped[str] = mapped_column(Text, default="", server_default="")
    """Why the complaint is not taken on at stage 1, as the complainant will read it (Stoke:
    "a full written explanation of the reasons why")."""
    refusal_route: Mapped[str] = mapped_column(Text, default="", server_default="")
    """Where the matter goes instead (an appeal, another procedure, another body), as the
    complainant will read it (Stockport 2.2, Warwickshire 2b, Southampton 9)."""

    # The request for the next stage and its decision (caseworker.services.cases.escalation).
    escalation_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    """Why the complainant asked for the next stage, in their words (optional: the Code says no
    reason may be demanded; flagged where the policy demands one)."""
    escalation_late: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """The request came after the window counted from deemed receipt: flagged for a decision."""
    escalation_reason_missing: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    """The policy demands reasons for escalating and none were given: flagged for a decision."""
    escalation_decide_by: Mapped[dt.date | None] = mapped_column(Date)
    """When the decision on the request is due (Stoke: 5 working days), where the policy says."""
    escalation_decision: Mapped[EscalationDecision | None] = mapped_column(
        _enum(EscalationDecision)
    )
    escalation_decided_on: Mapped[dt.date | None] = mapped_column(Date)

    # The rest of the lifecycle (caseworker.services.cases.lifecycle).
    discontinued_on: Mapped[dt.date | None] = mapped_column(Date)
    """When a manager decided to stop (Warwickshire section 7); the case closes once it is sent."""
    reopened_on: Mapped[dt.date | None] = mapped_column(Date)
    reopening_ground: Mapped[str] = mapped_column(Text, default="", server_default="")
    """The policy's ground for re-opening the case, where the policy lists grounds."""
    reopening_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    # Retention (caseworker.services.records.retention): personal data purged once the policy's
    # period after closure has passed, leaving an anonymous record that past reports still count.
    purged_on: Mapped[dt.date | None] = mapped_column(Date)
    """When the case's personal data and documents were purged; None while it keeps them."""
    purged_by: Mapped[str] = mapped_column(String(200), default="", server_default="")
    """The login of the manager who confirmed the purge."""
    adjustments_made: Mapped[bool | None] = mapped_column(Boolean)
    """Set by the purge: whether reasonable adjustments were recorded for the complainant, so
    reports still count them once the complainant's details are gone. None until purged."""

    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, index=True
    )
    """Indexed so that a case list polling for colleagues' changes asks cheaply."""
    version: Mapped[int] = mapped_column(Integer, default=1)
    """Counts the saves of this row: a save states the version it started from and fails,
    rather than overwrite, when someone saved in between (see
    :mod:`caseworker.services.team.concurrency`)."""

    # The list's sort keys (migration 0012), kept by the database, never written here: deferred,
    # so loading a case does not read them and a new case's audit entry does not ask for them.
    due_key: Mapped[dt.date] = deferred(
        mapped_column(Date, nullable=False, server_default="9999-12-31")
    )
    """When the case is due, ``coalesce(respond_by, acknowledge_by)``
    (:data:`caseworker.domain.caselist.NO_DUE_DATE` for never), kept by triggers."""
    complainant_key: Mapped[str] = deferred(
        mapped_column(String(200), nullable=False, server_default="")
    )
    """The complainant's name ('' for none), kept by triggers."""
    officer_key: Mapped[str] = deferred(
        mapped_column(String(200), nullable=False, server_default="")
    )
    """The officer's name ('' for none), kept by triggers."""

    complainant: Mapped["Complainant | None"] = relationship(back_populates="cases")
    officer: Mapped["Officer | None"] = relationship(foreign_keys=[officer_id])
    stage1_officer: Mapped["Officer | None"] = relationship(foreign_keys=[stage1_officer_id])
    representative: Mapped["Representative | None"] = relationship(
        back_populates="case", cascade="all, delete-orphan", uselist=False
    )
    subjects: Mapped[list["CaseSubject"]] = relationship(
        back_populates="case", cascade="all, delete-orphan"
    )
    issues: Mapped[list["Issue"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Issue.number"
    )
    extensions: Mapped[list["Extension"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Extension.id"
    )
    suspensions: Mapped[list["Suspension"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Suspension.start"
    )
    interviews: Mapped[list["Interview"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Interview.held_on"
    )
    risk_assessments: Mapped[list["RiskAssessment"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="RiskAssessment.id"
    )
    contact_attempts: Mapped[list["ContactAttempt"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="ContactAttempt.at"
    )
    letters: Mapped[list["Letter"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Letter.id"
    )
    allocations: Mapped[list["Allocation"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Allocation.id"
    )
    ombudsman_cases: Mapped[list["OmbudsmanCase"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="OmbudsmanCase.id"
    )

    __mapper_args__ = {"version_id_col": version}


class Representative(Base):
    """Someone acting for the complainant, with the date signed consent was received."""

    __tablename__ = "representatives"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(40), default="", server_default="")
    addressed_as: Mapped[str] = mapped_column(String(200), default="", server_default="")
    relationship_to_complainant: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    consent_received: Mapped[dt.date | None] = mapped_column(Date)

    case: Mapped["Case"] = relationship(back_populates="representative")


class CaseSubject(Base):
    """A member of staff the complaint is about: they may not investigate it."""

    __tablename__ = "case_subjects"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))

    case: Mapped["Case"] = relationship(back_populates="subjects")
    officer: Mapped["Officer | None"] = relationship()


class Extension(Base):
    __tablename__ = "extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    stage: Mapped[int] = mapped_column(Integer)
    new_date: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    complainant_told: Mapped[dt.date | None] = mapped_column(Date)
    told_method: Mapped[ContactMethod | None] = mapped_column(_enum(ContactMethod))

    case: Mapped["Case"] = relationship(back_populates="extensions")


class Suspension(Base):
    """A period when the clock stops (concurrent proceedings: Warwickshire section 6)."""

    __tablename__ = "suspensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)

    case: Mapped["Case"] = relationship(back_populates="suspensions")


class Issue(Base):
    """One numbered point of a complaint, in the complainant's words, and its finding."""

    __tablename__ = "issues"
    __table_args__ = (
        UniqueConstraint("case_id", "number"),
        # Today's actions falling due: the issues with an open action, by case (migration 0029)
        Index(
            "ix_issues_open_actions",
            "case_id",
            info={"where": "action_due IS NOT NULL AND action_completed IS NULL"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text)
    finding: Mapped[Finding | None] = mapped_column(_enum(Finding))
    explanation: Mapped[str] = mapped_column(Text, default="")
    remedy: Mapped[str] = mapped_column(Text, default="")
    lesson_learnt: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[str] = mapped_column(Text, default="")
    """The action as officers write it for each other (the internal task: never printed)."""
    action_public: Mapped[str] = mapped_column(Text, default="", server_default="")
    """The action as the complainant would read it: letters print only actions that have one."""
    action_due: Mapped[dt.date | None] = mapped_column(Date)
    action_completed: Mapped[dt.date | None] = mapped_column(Date)
    raised_at_stage: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """The stage whose request raised the point (2: added by the request for stage 2)."""
    stage2_finding: Mapped[Finding | None] = mapped_column(_enum(Finding))
    """The stage 2 review's own finding on the point; ``finding`` stays stage 1's, as sent."""
    stage2_explanation: Mapped[str] = mapped_column(Text, default="", server_default="")
    stage2_remedy: Mapped[str] = mapped_column(Text, default="", server_default="")

    case: Mapped["Case"] = relationship(back_populates="issues")
    notes: Mapped[list["Note"]] = relationship(
        back_populates="issue", cascade="all, delete-orphan", order_by="Note.created_at"
    )


class Note(Base):
    """An investigation note on one issue, tagged so that hearsay is kept apart from fact."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), index=True)
    kind: Mapped[NoteKind] = mapped_column(_enum(NoteKind))
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(300), default="")
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    """When the note was withdrawn as recorded in error: it stays in the case file, marked,
    and is left out of the investigation list and the letters."""
    withdrawn_by: Mapped[str] = mapped_column(String(200), default="", server_default="")
    withdrawn_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    issue: Mapped["Issue"] = relationship(back_populates="notes")


class Interview(Base):
    __tablename__ = "interviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    interviewee: Mapped[str] = mapped_column(String(200))
    interviewee_role: Mapped[str] = mapped_column(String(200), default="")
    held_on: Mapped[dt.date] = mapped_column(Date)
    method: Mapped[InterviewMethod] = mapped_column(_enum(InterviewMethod))
    accompanied_by: Mapped[str] = mapped_column(String(200), default="")
    accompanied_as: Mapped[str] = mapped_column(String(40), default="")
    """'colleague' or 'union representative' where the interviewee was accompanied."""
    notes: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    summary_read_back: Mapped[bool] = mapped_column(Boolean, default=False)
    further_information_invited: Mapped[bool] = mapped_column(Boolean, default=False)
    further_information: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(200), default="")

    case: Mapped["Case"] = relationship(back_populates="interviews")


class RiskAssessment(Base):
    """The risk assessment required before a home visit (Stockport 1.8, Appendix A)."""

    __tablename__ = "risk_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    visit_on: Mapped[dt.date | None] = mapped_column(Date)
    address: Mapped[str] = mapped_column(Text, default="")
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    known_risks: Mapped[str] = mapped_column(Text, default="")
    colleague_attending: Mapped[str] = mapped_column(String(200), default="")
    means_of_contact: Mapped[str] = mapped_column(String(200), default="")
    call_if_concerned: Mapped[str] = mapped_column(String(200), default="")
    decision: Mapped[RiskDecision | None] = mapped_column(_enum(RiskDecision))
    assessed_by: Mapped[str] = mapped_column(String(200), default="")
    approved_by: Mapped[str] = mapped_column(String(200), default="")
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    case: Mapped["Case"] = relationship(back_populates="risk_assessments")


class ContactAttempt(Base):
    __tablename__ = "contact_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    method: Mapped[ContactMethod] = mapped_column(_enum(ContactMethod))
    result: Mapped[str] = mapped_column(Text, default="")
    made_by: Mapped[str] = mapped_column(String(200), default="")
    answered: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """The complainant replied to this attempt (discontinuation counts unanswered ones only)."""

    case: Mapped["Case"] = relationship(back_populates="contact_attempts")


class Letter(Base):
    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[LetterKind] = mapped_column(_enum(LetterKind))
    stage: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[Outcome | None] = mapped_column(_enum(Outcome))
    filename: Mapped[str] = mapped_column(String(300), default="")
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    """The Word document as generated, kept with the case as evidence."""
    draft: Mapped[dict[str, Any] | None] = deferred(mapped_column(JSON))
    """The structured draft (addressee, sections) the document was made from."""
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    sent_on: Mapped[dt.date | None] = mapped_column(Date)
    sent_method: Mapped[SendMethod | None] = mapped_column(_enum(SendMethod))
    sent_despite: Mapped[str] = mapped_column(Text, default="", server_default="")
    """Why the letter was sent although its checks failed (the officer's words, audited)."""
    formats: Mapped[str] = mapped_column(String(200), default="", server_default="")
    """The other formats the complainant asked for when the letter was kept ("Braille; audio"),
    each a copy for the officer to arrange; empty for none."""
    formats_arranged: Mapped[dt.date | None] = mapped_column(Date)
    """When the officer recorded the copies in those formats as arranged."""

    case: Mapped["Case"] = relationship(back_populates="letters")


class Allocation(Base):
    """Who a case was given to at which stage, by whom and why (the reason the audit trail
    cannot hold). The latest row at a stage is the case's officer at that stage."""

    __tablename__ = "allocations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    stage: Mapped[int] = mapped_column(Integer)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), index=True)
    previous_officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    allocated_by_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    allocated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")

    case: Mapped["Case"] = relationship(back_populates="allocations")
    officer: Mapped["Officer"] = relationship(foreign_keys=[officer_id])
    previous_officer: Mapped["Officer | None"] = relationship(foreign_keys=[previous_officer_id])
    allocated_by: Mapped["Officer | None"] = relationship(foreign_keys=[allocated_by_id])


class ContactRestriction(Base):
    """Restrictions on how a complainant behaving unreasonably may contact the council, with the
    date they must be told in writing and a review date (Warwickshire section 10, appendix 5)."""

    __tablename__ = "contact_restrictions"

    id: Mapped[int] = mapped_column(primary_key=True)
    complainant_id: Mapped[int] = mapped_column(
        ForeignKey("complainants.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    """The case the decision was made on; its policy sets the notification deadline."""
    policy_id: Mapped[str] = mapped_column(String(64))
    restrictions: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Values of :class:`caseworker.domain.lifecycle.Restriction`."""
    details: Mapped[str] = mapped_column(Text, default="")
    """The single point of contact, the one contact method allowed, and so on."""
    reason: Mapped[str] = mapped_column(Text)
    """The behaviour and the evidence the decision rests on."""
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    decided_on: Mapped[dt.date] = mapped_column(Date)
    notify_by: Mapped[dt.date] = mapped_column(Date)
    notified_on: Mapped[dt.date | None] = mapped_column(Date)
    notified_method: Mapped[ContactMethod | None] = mapped_column(_enum(ContactMethod))
    review_on: Mapped[dt.date] = mapped_column(Date, index=True)
    reviewed_on: Mapped[dt.date | None] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    end_reason: Mapped[str] = mapped_column(Text, default="")

    complainant: Mapped["Complainant"] = relationship()
    decided_by: Mapped["Officer | None"] = relationship()


class OmbudsmanCase(Base):
    """An Ombudsman's involvement in a case: enquiry, decision, remedy agreed, compliance."""

    __tablename__ = "ombudsman_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    body: Mapped[OmbudsmanBody] = mapped_column(_enum(OmbudsmanBody))
    reference: Mapped[str] = mapped_column(String(64), default="")
    enquiry_on: Mapped[dt.date] = mapped_column(Date)
    decision: Mapped[str] = mapped_column(Text, default="")
    decision_on: Mapped[dt.date | None] = mapped_column(Date)
    remedy_agreed: Mapped[str] = mapped_column(Text, default="")
    remedy_due: Mapped[dt.date | None] = mapped_column(Date)
    complied_on: Mapped[dt.date | None] = mapped_column(Date)

    case: Mapped["Case"] = relationship(back_populates="ombudsman_cases")


_TRAIL_DATES = (
    "entity = 'cases' AND action = 'update' AND field IN ('stage', 'acknowledged', 'response_sent')"
)


class AuditEvent(Base):
    """One recorded change: who, when, what, old and new value. Never updated or deleted."""

    __tablename__ = "audit_events"
    __table_args__ = (
        # the yearly report's CH02: a case's stage 1 dates that its change to stage 2 replaced
        # (migration 0025); partial on both databases (partial_indexes)
        Index("ix_audit_events_case_dates", "case_id", info={"where": _TRAIL_DATES}),
        # the trail of one thing that is not a case's row: a Timeline's complainant (0027)
        Index("ix_audit_events_entity", "entity", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.current_timestamp()
    )
    actor: Mapped[str] = mapped_column(String(200))
    case_id: Mapped[int | None] = mapped_column(Integer, index=True)
    """Deliberately not a foreign key: the trail outlives what it describes."""
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    """'create', 'update' or 'delete'."""
    field: Mapped[str] = mapped_column(String(64), default="")
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(300), default="", server_default="")
    """Empty for a change made here; for one made in an offline copy and carried in at check-in,
    which copy it came from (the actor and time are the original ones)."""


class Checkout(Base):
    """A case checked out to an offline copy (a SQLite file on a laptop), so colleagues see who
    has it and since when; see :mod:`caseworker.services.team.offline`.

    The central database holds one row per case and copy; the copy holds the same rows, with
    ``base`` (the case's records as they were when copied) for comparing at check-in. A checkout
    is open until ``checked_in_at`` is set."""

    __tablename__ = "checkouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    copy_id: Mapped[str] = mapped_column(String(36), index=True)
    """Identifies the offline copy (the same in the central database and in the copy)."""
    checked_out_by: Mapped[str] = mapped_column(String(200))
    machine: Mapped[str] = mapped_column(String(200), default="")
    file: Mapped[str] = mapped_column(Text, default="")
    checked_out_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    base_version: Mapped[int] = mapped_column(Integer)
    """The case's version when it was copied."""
    base_audit_id: Mapped[int] = mapped_column(Integer, default=0)
    """The highest audit event id when it was copied (in the copy: the last event copied, so
    later ones were made offline)."""
    base: Mapped[dict[str, Any] | None] = deferred(mapped_column(JSON))
    """In the copy only: the case's records as copied, for the three-way comparison."""
    checked_in_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    checked_in_by: Mapped[str] = mapped_column(String(200), default="")
    result: Mapped[str] = mapped_column(String(32), default="")
    """How the check-in went: 'unchanged', 'applied', 'discarded', 'kept-mine', 'kept-theirs'."""


class Counter(Base):
    """Per-year sequence for case references (``CW-2026-00042``)."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class Document(Base):
    """A file attached to a case or to one of its issues: photographs, PDFs, Word files, emails'
    attachments. The bytes live in their own deferred column so that listing documents (or cases)
    never reads them. Removal is soft and needs a reason; the audit trail keeps the change."""

    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_case_removed", "case_id", "removed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    issue_id: Mapped[int | None] = mapped_column(
        ForeignKey("issues.id", ondelete="SET NULL"), index=True
    )
    correspondence_id: Mapped[int | None] = mapped_column(
        ForeignKey("correspondence.id", ondelete="SET NULL"), index=True
    )
    """The email it came attached to, if any."""
    filename: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(200), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    added_by: Mapped[str] = mapped_column(String(200), default="")
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    removed_by: Mapped[str] = mapped_column(String(200), default="")
    removal_reason: Mapped[str] = mapped_column(Text, default="")


class Correspondence(Base):
    """A piece of correspondence on a case: an email received (imported from .eml or .msg)."""

    __tablename__ = "correspondence"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(8), default="in")
    sender: Mapped[str] = mapped_column(String(300), default="")
    recipients: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    body: Mapped[str] = mapped_column(Text, default="")
    source_filename: Mapped[str] = mapped_column(String(300), default="")
    added_by: Mapped[str] = mapped_column(String(200), default="")
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HomesOwned(Base):
    """The number of homes the council owns as landlord, as at a date: the denominator of the
    Tenant Satisfaction Measure CH01 (complaints per 1,000 homes). A row per figure recorded,
    never changed: a new count is a new row, so last year's report keeps last year's figure."""

    __tablename__ = "homes_owned"

    id: Mapped[int] = mapped_column(primary_key=True)
    homes: Mapped[int] = mapped_column(Integer)
    as_at: Mapped[dt.date] = mapped_column(Date, index=True)
    source: Mapped[str] = mapped_column(Text, default="", server_default="")
    """Where the figure comes from (the stock return, the housing register…)."""
    recorded_by: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SubjectAccessRequest(Base):
    """A person's request for the personal data held about them (UK GDPR article 15), with its
    clock: one calendar month from receipt, extendable by two further months for a complex
    request where the requester is told within the first month
    (:mod:`caseworker.services.records.subjectaccess`)."""

    __tablename__ = "subject_access_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    requester: Mapped[str] = mapped_column(String(200))
    """Who asked (the person, or someone acting for them)."""
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(String(16), default="")
    received: Mapped[dt.date] = mapped_column(Date)
    due: Mapped[dt.date] = mapped_column(Date, index=True)
    """One calendar month from receipt (the next working day where that is not one)."""
    extended_to: Mapped[dt.date | None] = mapped_column(Date)
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    requester_told: Mapped[dt.date | None] = mapped_column(Date)
    """When the requester was told of the extension and why (within the first month)."""
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


SEARCH_INDEX_PREFIX = "search_fts"
LIST_INDEX_PREFIX = "caselist_fts"
FULLTEXT_TABLES = (SEARCH_INDEX_PREFIX, LIST_INDEX_PREFIX)
FULLTEXT_INDEX_SUFFIX = "_fulltext"
"""The full-text indexes created by migrations 0006 (search) and 0007 and 0031 (the case list's
filter): on SQLite FTS5 virtual tables and their shadow tables, on PostgreSQL GIN indexes over
``to_tsvector`` expressions (``ix_<table>_fulltext``, ``ix_<table>_<what>_fulltext``). None can
be a model, so schema comparison is told to leave them alone (below)."""
CASE_WORDS_TABLE = SEARCH_INDEX_PREFIX + "_cases"
"""On PostgreSQL, each case's words for search (id, words), kept by a trigger on the cases
(migration 0026): the search's index too, not data. Not audited, not granted to officers'
logins, not backed up as rows (the cases' trigger fills it again)."""
RECORD_WORDS_TABLES = {
    table: f"{SEARCH_INDEX_PREFIX}_{table}" for table in ("issues", "notes", "interviews")
}
"""On PostgreSQL, the words of issues, notes and interviews for search, each row with its case's
id and the case's columns that decide who sees it (``SEEN_BY_COLUMNS``), kept by triggers
(migration 0028): the search's index, like :data:`CASE_WORDS_TABLE`."""
SEEN_BY_COLUMNS = ("officer_id", "stage1_officer_id", "recorded_by_id", "service_area")
"""The columns of a case that decide who sees it, copied to :data:`RECORD_WORDS_TABLES`."""
KEPT_WORDS_TABLES = (CASE_WORDS_TABLE, *RECORD_WORDS_TABLES.values())
"""Every table of words PostgreSQL keeps for search (0026, 0028)."""


def partial_indexes(dialect: str) -> None:
    """Make the partial indexes (the cases', the issues' and the audit trail's) partial for
    ``dialect`` (``sqlite`` or ``postgresql``): each index's condition, kept in its
    ``info["where"]``, becomes the dialect's ``where`` option. Not declared as ``sqlite_where`` or
    ``postgresql_where`` with the models: a dialect's option makes SQLAlchemy import that
    dialect (about 20 ms for SQLite's, 70 ms for PostgreSQL's) at every start, on a database
    that never uses it. Called for every engine
    (``make_engine``) and by the migrations' environment, before any table is created or
    compared; idempotent."""
    for table in Base.metadata.tables.values():
        for index in table.indexes:
            where = index.info.get("where")
            if where is not None:
                index.dialect_options[dialect]["where"] = text(where)


def _is_search_index(op: Any) -> bool:
    from alembic.operations.ops import DropIndexOp, DropTableOp

    if isinstance(op, DropTableOp):
        return op.table_name.startswith(FULLTEXT_TABLES)
    if isinstance(op, DropIndexOp):  # (the kept words' tables have other indexes too, 0028)
        return str(op.index_name).endswith(FULLTEXT_INDEX_SUFFIX) or str(op.table_name).startswith(
            FULLTEXT_TABLES
        )
    return False


_COMPARING_REGISTERED = False


def leave_search_index_alone() -> None:
    """Tell Alembic's schema comparison (autogenerate, and the test that the migrations match
    these models) to leave the full-text index alone. Called by whoever compares, not at import:
    importing Alembic's comparison machinery costs about 0.1 s at every start of the app."""
    global _COMPARING_REGISTERED
    if _COMPARING_REGISTERED:
        return
    _COMPARING_REGISTERED = True
    from alembic.autogenerate.compare import comparators
    from alembic.operations.ops import ModifyTableOps
    from alembic.util.langhelpers import DispatchPriority

    @comparators.dispatch_for("autogenerate", priority=DispatchPriority.LAST)
    def _drop_search_index_ops(autogen_context: Any, upgrade_ops: Any) -> None:
        kept = []
        for op in upgrade_ops.ops:
            if isinstance(op, ModifyTableOps):
                op.ops[:] = [inner for inner in op.ops if not _is_search_index(inner)]
                if not op.ops:
                    continue
            elif _is_search_index(op):
                continue
            kept.append(op)
        upgrade_ops.ops[:] = kept
