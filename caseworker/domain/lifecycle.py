"""Vocabularies for managers' work: escalation decisions, Ombudsman bodies, contact restrictions.

Values are stored in the database, so never rename one.
"""

from __future__ import annotations

from enum import StrEnum


class EscalationDecision(StrEnum):
    """What was decided on a request to take a complaint to the next stage."""

    ACCEPTED = "accepted"
    REFUSED = "refused"


class OmbudsmanBody(StrEnum):
    """The Ombudsman a complainant can go to once the council's process is exhausted."""

    LGSCO = "lgsco"
    """The Local Government and Social Care Ombudsman."""
    HOUSING_OMBUDSMAN = "housing-ombudsman"
    """The Housing Ombudsman, for the council as landlord."""


class Restriction(StrEnum):
    """Restrictions on how an unreasonably behaving complainant may contact the council
    (Warwickshire section 10, the list after "The Council can apply restrictions")."""

    NO_FURTHER_ACTION = "no-further-action"
    """The Council will take no further action on their complaint."""
    SINGLE_POINT_OF_CONTACT = "single-point-of-contact"
    """Their use of the complaints system is limited to a single point of contact."""
    ONE_CONTACT_METHOD = "one-contact-method"
    """Contact is restricted to one form of contact only."""
    NO_RESPONSE_UNLESS_OBLIGED = "no-response-unless-obliged"
    """The Council will not respond to further contact unless legally obliged to do so."""
    PREMISES_RESTRICTED = "premises-restricted"
    """Their right to enter Council premises is restricted or removed."""
    LEGAL_ACTION = "legal-action"
    """Legal action may be taken, including injunctions or court orders."""
