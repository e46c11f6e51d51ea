"""The rules managers' work is checked against, each with where it comes from, and the plain
checks behind them (no database, no policy loading).

The texts go at the end of refusal messages in brackets, so a refusal always says which rule
refused it and where that rule is written down.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from caseworker.domain.enums import ContactMethod

# Who may do what (issue 5, "Permissions").
OWN_CASES = "an investigating officer works on their own cases"
LINE_MANAGER_AREA = "a line manager works within their service area"
COMPLAINTS_MANAGER_STAGE_2 = "a complaints manager handles stage 2 and sees everything"
CLOSED_READ_ONLY = "closed cases are read-only except through re-opening"
MANAGER_DECIDES = (
    "a manager decides this: a line manager for their service area, or a complaints manager"
)
ESCALATION_DECIDED_BY = "a complaints manager decides requests for the next stage"
INACTIVE = "only active officers may act or be given cases"
OFFLINE_CHECK_IN = "an offline copy's cases are checked in by the officer they were checked out to"
OFFLINE_TEAM_ONLY = (
    "allocation, a manager's decisions and the council's figures need the team database, "
    "not an offline copy"
)

# The team, new cases and the database: not about one case (issue 15).
TEAM_MANAGED_BY = (
    "only a complaints manager adds officers, changes their roles, links their logins "
    "or deactivates them"
)
NOT_ONESELF = "nobody changes their own role, login or status: another complaints manager does"
DEMO_RULE = (
    "synthetic cases are added by a complaints manager, or to a database whose officers have "
    "no logins yet (the demonstration then links the login that made it)"
)
RECORDED_BY = (
    "every officer records a new complaint; one already allocated or worked on is recorded by "
    "a line manager for their service area, or by a complaints manager"
)
BACKUP_BY = (
    "only a complaints manager backs up or restores the database: a backup holds every "
    "case's personal data"
)

# Conflicts of interest.
SUBJECT_MAY_NOT_INVESTIGATE = "{council}'s policy: nobody investigates a complaint about themselves"
HANDLER_MUST_DIFFER = (
    "{council}'s policy and the Complaint Handling Code: the person handling stage {stage} "
    "must not be the one who handled stage {before}"
)
"""Conflicts of interest cite the case's own council (its policy sets the rule), never another
council's text."""

# Escalation.
COMPLETED_STAGE_FIRST = (
    "Stoke: a complaint can only be escalated once it has completed the stage before"
)
REFUSAL_EXPLAINED = (
    "Stoke: where a refusal is deemed appropriate, a full explanation will be provided"
)
NOT_TAKEN_ON_EXPLAINED = (
    "Stoke: a complaint not accepted is given a full written explanation of the reasons why; "
    "Stockport 2.2, Warwickshire 2b: and told which procedure deals with it instead"
)
NO_REASON_DEMANDED = "the Complaint Handling Code: no reason may be demanded for escalating"

# Lifecycle.
EXTENSION_REASON = (
    "an extension needs its reason and the date the complainant was told "
    "(Stockport 2.1, the Complaint Handling Code)"
)
SUSPENSION_RULE = (
    "Warwickshire section 6: suspended only for concurrent proceedings the policy lists"
)
DISCONTINUATION_RULE = (
    "Warwickshire section 7: only after contact has been attempted at least "
    "{count} different times{by_methods} with no response"
)
WITHDRAWAL_IN_WRITING = (
    "Warwickshire section 8: a withdrawal is confirmed to the complainant in writing"
)
DISCONTINUATION_IN_WRITING = (
    "Warwickshire section 7: the decision to discontinue is sent in writing"
)
REOPENING_RULE = "Warwickshire section 9: a manager authorises re-opening, on the policy's grounds"
CLOSURE_RULE = (
    "a case closes with an outcome and its response sent, unless withdrawn, discontinued or refused"
)
MEMBER_ENQUIRY_RULE = (
    "Stockport 2.8: a Member/MP enquiry is answered in 10 working days, to the Member/MP"
)
RESTRICTION_RULE = (
    "Warwickshire section 10: restrictions are notified in writing within "
    "{days} working days of the decision, and reviewed"
)
ACTIONS_TRACKED = "the Complaint Handling Code: track outstanding actions to completion"

# Reports and retention (not about one case).
FIGURES_FOR_MANAGERS = (
    "reports and the retention list are for managers: a complaints manager for every service, "
    "or a line manager"
)
PURGE_BY_COMPLAINTS_MANAGER = "only a complaints manager may confirm a purge: it cannot be undone"
SUBJECT_ACCESS_BY_COMPLAINTS_MANAGER = (
    "subject access requests are a complaints manager's: they reach every case's personal data"
)
HOMES_SET_BY_COMPLAINTS_MANAGER = (
    "the number of homes the council owns (for the Tenant Satisfaction Measures) is set by a "
    "complaints manager"
)

WRITTEN_METHODS = frozenset({ContactMethod.LETTER, ContactMethod.EMAIL})
"""Ways of telling a complainant that count as "in writing"."""

_TITLES = re.compile(r"^(mr|mrs|ms|miss|mx|dr|cllr|councillor)\.?\s+")


def normalise_name(name: str) -> str:
    """A person's name for comparison: case, spacing and a leading title ignored."""
    folded = " ".join(name.casefold().split())
    return _TITLES.sub("", folded)


def same_name(first: str, second: str) -> bool:
    a, b = normalise_name(first), normalise_name(second)
    return bool(a) and a == b


def same_area(first: str, second: str) -> bool:
    return " ".join(first.casefold().split()) == " ".join(second.casefold().split())


@dataclass(frozen=True, slots=True)
class Attempt:
    """One attempt to reach the complainant, as discontinuation sees it."""

    at: dt.datetime
    method: ContactMethod
    answered: bool


def unanswered_since_last_reply(
    attempts: Iterable[Attempt], since: dt.date | None = None
) -> list[Attempt]:
    """The attempts with no reply since the complainant last answered (and since ``since``)."""
    ordered = sorted(attempts, key=lambda attempt: attempt.at)
    if since is not None:
        ordered = [attempt for attempt in ordered if attempt.at.date() >= since]
    last_answer = max((i for i, attempt in enumerate(ordered) if attempt.answered), default=-1)
    return [attempt for attempt in ordered[last_answer + 1 :] if not attempt.answered]


CONTACT_KINDS = {
    ContactMethod.EMAIL: "email",
    ContactMethod.PHONE: "phone",
    ContactMethod.TEXT: "phone",
    ContactMethod.LETTER: "address",
    ContactMethod.IN_PERSON: "address",
}
"""The contact method each way of trying uses, in Warwickshire section 7's sense: "alternative
contact methods, such as email addresses, telephone numbers or postal addresses". A call and a text
to the same number are one method; so are a letter and a visit to the same address."""


def methods_needed(minimum: int, distinct_methods: bool, reachable_by: Iterable[str] | None) -> int:
    """How many different contact methods the attempts must use: ``minimum`` where the rule asks
    for different methods, but no more than the case has (``reachable_by``: the kinds of
    :data:`CONTACT_KINDS` it can be reached by; ``None``: not known, so ``minimum``)."""
    if not distinct_methods:
        return 0
    if reachable_by is None:
        return minimum
    return max(1, min(minimum, len(set(reachable_by))))


def discontinuation_shortfall(
    attempts: Iterable[Attempt],
    *,
    minimum: int,
    distinct_methods: bool,
    since: dt.date | None = None,
    reachable_by: Iterable[str] | None = None,
) -> str | None:
    """Why the attempts made are not yet enough to discontinue, or None when they are.

    Attempts count once per distinct time; with ``distinct_methods`` they must also have used
    different contact methods (:data:`CONTACT_KINDS`), ``minimum`` of them or as many as the case
    can be reached by (Warwickshire section 7: "at least three different times by different
    methods (where we have alternative contact methods, such as email addresses, telephone
    numbers or postal addresses)").
    """
    unanswered = unanswered_since_last_reply(attempts, since)
    times = {attempt.at for attempt in unanswered}
    methods = sorted({CONTACT_KINDS[attempt.method] for attempt in unanswered})
    needed = methods_needed(minimum, distinct_methods, reachable_by)
    if len(times) >= minimum and len(methods) >= needed:
        return None
    made = f"{len(times)} unanswered contact attempt{'s' if len(times) != 1 else ''}"
    if distinct_methods:
        made += f" by {len(methods)} different method{'s' if len(methods) != 1 else ''}" + (
            f" ({', '.join(methods)})" if methods else ""
        )
    return made
