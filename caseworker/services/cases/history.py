"""The audit trail in sentences: one wording for the case's Timeline and the stage file's
chronology, so a person reads "Status changed from responded to open" and "Allocated to Jo
Smith" in both, never "officer id changed from (blank) to 1".

:func:`describe` words one audit event; :class:`Names` carries what the words need that the
event does not hold (issue numbers, interviewees, officers' names).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from caseworker.domain.enums import RiskDecision
from caseworker.services.investigation import homevisit
from caseworker.storage.models import AuditEvent


@dataclass(frozen=True)
class Names:
    """What an audit event's words need beyond the event: issues by id (their numbers),
    interviews by id (who was interviewed), officers by id (their names)."""

    issue_numbers: dict[int, int] = field(default_factory=dict)
    interviewees: dict[int, str] = field(default_factory=dict)
    officers: dict[int, str] = field(default_factory=dict)

    def officer(self, value: object) -> str | None:
        """An officer id as stored in the trail (text) as the officer's name."""
        if value is None or value == "":
            return None
        text = str(value)
        return self.officers.get(int(text), f"officer {text}") if text.isdigit() else text


_OFFICER_FIELDS = {
    "officer_id": "officer",
    "previous_officer_id": "previous officer",
    "allocated_by_id": "allocated by",
    "decided_by_id": "decided by",
    "stage1_officer_id": "stage 1 officer",
    "line_manager_id": "line manager",
}
"""Fields holding an officer's id, shown by the officer's name."""


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


_NOUNS = {
    "cases": "Case",
    "complainants": "Complainant",
    "representatives": "Representative",
    "case_subjects": "Staff named",
    "issues": "Issue",
    "notes": "Note",
    "interviews": "Interview",
    "risk_assessments": "Risk assessment",
    "extensions": "Extension",
    "suspensions": "Suspension",
    "allocations": "Allocation",
    "ombudsman_cases": "Ombudsman",
    "contact_restrictions": "Contact restriction",
    "contact_attempts": "Contact attempt",
    "letters": "Letter",
    "documents": "Document",
    "correspondence": "Email",
    "checkouts": "Offline copy",
}
_LONG_TEXT = {
    "summary",
    "explanation",
    "remedy",
    "stage2_explanation",
    "stage2_remedy",
    "lesson_learnt",
    "action",
    "action_public",
    "complaint_subject",
    "adjustments_public",
    "notes",
    "text",
    "further_information",
    "understanding",
    "steps_taken",
    "evidence_considered",
    "address",
    "known_risks",
    "answers",
    "reasonable_adjustments",
    "vulnerabilities",
    "settlement_terms",
    "reason",
    "escalation_reason",
    "escalation_refusal_reasons",
    "refusal_reasons",
    "refusal_route",
    "sent_despite",
    "reopening_reason",
}
HIDDEN = {"acknowledge_by", "respond_by", "respond_by_latest"}
"""Recomputed from other fields: the change that caused them is shown instead."""


def short(value: str | None, limit: int = 70) -> str:
    if value is None or value == "":
        return "(blank)"
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _label(field: str) -> str:
    return field.replace("stage2_", "stage 2 ").replace("_", " ")


def created(event: AuditEvent, names: Names) -> str:
    """A created record as a sentence: "Issue 2 added: …", "Hearsay note added to issue 1: …"."""
    issue_numbers = names.issue_numbers
    try:
        values = json.loads(event.new_value or "{}")
    except ValueError:
        values = {}
    entity = event.entity
    if entity == "cases":
        return f"Case recorded: {values.get('reference', '')}".rstrip(": ")
    if entity == "issues":
        return f"Issue {values.get('number', '?')} added: {short(values.get('summary'))}"
    if entity == "notes":
        # Snapshots hold every value as text.
        issue_id = str(values.get("issue_id") or "")
        number = issue_numbers.get(int(issue_id)) if issue_id.isdigit() else None
        where = f" to issue {number}" if number else ""
        kind = str(values.get("kind", "")).capitalize()
        return f"{kind} note added{where}: {short(values.get('text'))}"
    if entity == "interviews":
        return f"Interview with {values.get('interviewee', '?')} recorded"
    if entity == "risk_assessments":
        return "Risk assessment started for a home visit"
    if entity == "extensions":
        return (
            f"Response date extended to {values.get('new_date', '?')}: "
            f"{short(values.get('reason'))}"
        )
    if entity == "suspensions":
        return f"Clock stopped from {values.get('start', '?')}: {short(values.get('reason'))}"
    if entity == "representatives":
        return f"Representative recorded: {values.get('name', '?')}"
    if entity == "case_subjects":
        return f"Staff member named in the complaint: {values.get('name', '?')}"
    if entity == "allocations":
        officer = names.officer(values.get("officer_id"))
        why = f": {short(values.get('reason'))}" if values.get("reason") else ""
        return f"Allocation to {officer} recorded (stage {values.get('stage', '?')}){why}"
    if entity == "contact_attempts":
        return f"Contact attempt by {_value_words('method', values.get('method'))} recorded"
    if entity == "letters":
        return f"Letter kept: {str(values.get('kind', '')).replace('-', ' ')}".rstrip(": ")
    return f"{_NOUNS.get(entity, entity)} added"


_WORDED = {
    "finding",
    "stage2_finding",
    "outcome",
    "status",
    "method",
    "channel",
    "route",
    "preferred_contact",
    "response_method",
    "withdrawal_method",
    "referrer_role",
    "escalation_decision",
}
"""Fields holding a vocabulary value, shown as words ("partially upheld", not the stored value)."""


def _value_words(field: str, value: str | None) -> str | None:
    if value and field == "decision":
        try:
            return homevisit.DECISION_LABELS[RiskDecision(value)].lower()
        except ValueError:
            return value
    if value and field in _WORDED:
        return value.replace("-", " ")
    return value


def updated(event: AuditEvent, old: str | None, new: str | None, names: Names) -> str:
    """A changed field as a sentence: "Status changed from responded to open", "Allocated to
    Jo Smith", "Issue 2: explanation edited"."""
    entity, field = event.entity, event.field
    noun = _NOUNS.get(entity, entity)
    if entity == "issues":
        noun = f"Issue {names.issue_numbers.get(event.entity_id or 0, '?')}"
    if entity == "interviews" and event.entity_id in names.interviewees:
        noun = f"Interview with {names.interviewees[event.entity_id]}"
    if entity == "notes":
        noun = "Note"
    if field in _OFFICER_FIELDS:
        old, new = names.officer(old), names.officer(new)
        if entity == "cases" and field == "officer_id":
            if new:
                return f"Allocated to {new}" + (f" (was {old})" if old else "")
            return f"No longer allocated to {old}" if old else "Allocation removed"
        label = _OFFICER_FIELDS[field]
        if not old:
            return f"{noun}: {label} set to {new}"
        if not new:
            return f"{noun}: {label} ({old}) removed"
        return f"{noun}: {label} changed from {old} to {new}"
    old, new = _value_words(field, old), _value_words(field, new)
    if entity == "risk_assessments":
        if field == "approved_by":
            return (
                f"Risk assessment signed off by {new}"
                if new
                else "Risk assessment sign-off withdrawn (the assessment changed)"
            )
        if field == "visit_on":
            return f"Home visit booked for {new}" if new else "Home visit booking withdrawn"
    if entity == "interviews" and field == "summary_read_back":
        return (
            f"{noun}: summary read back to the interviewee"
            if new == "True"
            else f"{noun}: summary not read back yet (it changed, or the step was taken back)"
        )
    if entity == "interviews" and field == "further_information_invited":
        return (
            f"{noun}: interviewee invited to add further information"
            if new == "True"
            else f"{noun}: invitation to add information taken back"
        )
    if field in _LONG_TEXT:
        return f"{noun}: {_label(field)} edited"
    what = _label(field)
    if noun == "Case":  # the case's own fields read as sentences of their own
        return f"{capitalised(what)} changed from {short(old, 40)} to {short(new, 40)}"
    return f"{noun}: {what} changed from {short(old, 40)} to {short(new, 40)}"


_CHECK_IN_WORDS = {
    "unchanged": "nothing had changed offline",
    "applied": "the changes made offline were merged",
    "discarded": "the case had changed here and not offline, so this version stands",
    "kept-mine": "changed on both sides; the offline changes were kept over the ones made "
    "here (both are in the history)",
    "kept-theirs": "changed on both sides; the version here was kept, the offline changes are "
    "recorded but not applied",
}


def checkout_words(event: AuditEvent) -> str:
    """A check-out or check-in (:mod:`caseworker.services.team.offline`) in plain words."""
    try:
        details = json.loads(event.new_value or "{}")
    except ValueError:
        details = {}
    if event.action == "check-out":
        machine = details.get("machine")
        return (
            f"Checked out to {machine} for offline work"
            if machine
            else "Checked out for offline work"
        )
    if event.action == "check-in":
        count = int(details.get("offline_events") or 0)
        made = f"{count} change{'s' if count != 1 else ''} made offline"
        result = _CHECK_IN_WORDS.get(details.get("result", ""), details.get("result", ""))
        return (
            f"Checked in from offline work: {made}; {result}"
            if count
            else f"Checked in from offline work: {result}"
        )
    return f"Offline copy: {event.action}"


def describe(event: AuditEvent, names: Names) -> str:
    """One audit event as a sentence (a field change from its own old to new value)."""
    if event.entity == "checkouts":
        return checkout_words(event)
    if event.action == "create":
        return created(event, names)
    if event.action == "delete":
        return f"{_NOUNS.get(event.entity, event.entity.replace('_', ' ')).capitalize()} removed"
    return updated(event, event.old_value, event.new_value, names)
