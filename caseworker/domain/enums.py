"""Fixed vocabularies: values are stored in the database and written in files; never rename one."""

from enum import StrEnum


class Role(StrEnum):
    INVESTIGATING_OFFICER = "investigating-officer"
    LINE_MANAGER = "line-manager"
    COMPLAINTS_MANAGER = "complaints-manager"


class RouteId(StrEnum):
    CORPORATE = "corporate"
    ADULT_SOCIAL_CARE = "adult-social-care"
    CHILDRENS_SERVICES = "childrens-services"
    MEMBER_ENQUIRY = "member-enquiry"
    HOUSING = "housing"


class Channel(StrEnum):
    ONLINE = "online"
    EMAIL = "email"
    LETTER = "letter"
    PHONE = "phone"
    IN_PERSON = "in-person"
    VIA_COUNCILLOR = "via-councillor"
    VIA_MP = "via-mp"


class ContactMethod(StrEnum):
    EMAIL = "email"
    LETTER = "letter"
    PHONE = "phone"
    IN_PERSON = "in-person"
    TEXT = "text"


class SendMethod(StrEnum):
    """How a letter left the council; decides when it is deemed received."""

    EMAIL = "email"
    FIRST_CLASS = "first-class"
    SECOND_CLASS = "second-class"
    HAND = "hand"


class CaseStatus(StrEnum):
    OPEN = "open"
    SUSPENDED = "suspended"
    RESPONDED = "responded"
    CLOSED = "closed"


class Finding(StrEnum):
    """The finding on one issue of a complaint."""

    UPHELD = "upheld"
    PARTIALLY_UPHELD = "partially-upheld"
    NOT_UPHELD = "not-upheld"


class Outcome(StrEnum):
    """The outcome of a whole case at a stage (Stockport Appendix A, plus triage results)."""

    UPHELD = "upheld"
    PARTIALLY_UPHELD = "partially-upheld"
    NOT_UPHELD = "not-upheld"
    WITHDRAWN = "withdrawn"
    SETTLED = "settled"
    DISCONTINUED = "discontinued"
    REFUSED = "refused"


class NoteKind(StrEnum):
    """Appendix A: separate hearsay from fact."""

    FACT = "fact"
    HEARSAY = "hearsay"
    EVIDENCE = "evidence"
    ACTION = "action"


class ReferrerRole(StrEnum):
    COUNCILLOR = "councillor"
    MP = "mp"


class InterviewMethod(StrEnum):
    IN_PERSON = "in-person"
    PHONE = "phone"
    VIDEO = "video"
    WRITTEN = "written"


class LetterKind(StrEnum):
    OUTCOME = "outcome"
    DECISION = "decision"
    ACKNOWLEDGEMENT = "acknowledgement"
    EXTENSION = "extension"
    MEETING = "meeting"
    DISCONTINUATION = "discontinuation"
    WITHDRAWAL = "withdrawal"
    ESCALATION_ACCEPTED = "escalation-accepted"
    ESCALATION_REFUSED = "escalation-refused"
    MEMBER_REPLY = "member-reply"
    REFUSAL = "refusal"
    """The council does not take the complaint at stage 1 (an exclusion, another procedure): the
    reasons, where it goes instead and, where the policy says, the Ombudsman. Never stage 2."""


class RiskDecision(StrEnum):
    PROCEED = "proceed"
    PROCEED_WITH_COLLEAGUE = "proceed-with-colleague"
    MEET_ELSEWHERE = "meet-elsewhere"
    DO_NOT_VISIT = "do-not-visit"
