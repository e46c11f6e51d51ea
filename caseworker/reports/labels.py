"""Words for the stored values a report shows (routes, channels, outcomes, findings)."""

from __future__ import annotations

from caseworker.domain.enums import Channel, Finding, Outcome, RouteId
from caseworker.domain.lifecycle import OmbudsmanBody

ROUTES = {
    RouteId.CORPORATE: "Corporate",
    RouteId.HOUSING: "Housing (council as landlord)",
    RouteId.ADULT_SOCIAL_CARE: "Adult social care",
    RouteId.CHILDRENS_SERVICES: "Children's services",
    RouteId.MEMBER_ENQUIRY: "Member/MP enquiry",
}
CHANNELS = {
    Channel.ONLINE: "Online form",
    Channel.EMAIL: "Email",
    Channel.LETTER: "Letter",
    Channel.PHONE: "Phone",
    Channel.IN_PERSON: "In person",
    Channel.VIA_COUNCILLOR: "Through a councillor",
    Channel.VIA_MP: "Through an MP",
}
OUTCOMES = {
    Outcome.UPHELD: "Upheld",
    Outcome.PARTIALLY_UPHELD: "Partially upheld",
    Outcome.NOT_UPHELD: "Not upheld",
    Outcome.WITHDRAWN: "Withdrawn",
    Outcome.SETTLED: "Settled",
    Outcome.DISCONTINUED: "Discontinued",
    Outcome.REFUSED: "Refused (not taken on)",
}
NO_OUTCOME = "No outcome recorded"
FINDINGS = {
    Finding.UPHELD: "Upheld",
    Finding.PARTIALLY_UPHELD: "Partially upheld",
    Finding.NOT_UPHELD: "Not upheld",
}
NO_FINDING = "No finding recorded"
OMBUDSMEN = {
    OmbudsmanBody.LGSCO: "Local Government and Social Care Ombudsman",
    OmbudsmanBody.HOUSING_OMBUDSMAN: "Housing Ombudsman",
}


def route(value: object) -> str:
    try:
        return ROUTES[RouteId(str(value))]
    except ValueError:
        return str(value)


def channel(value: object) -> str:
    try:
        return CHANNELS[Channel(str(value))]
    except ValueError:
        return str(value)


def outcome(value: object) -> str:
    if value is None:
        return NO_OUTCOME
    try:
        return OUTCOMES[Outcome(str(value))]
    except ValueError:
        return str(value)


def finding(value: object) -> str:
    if value is None:
        return NO_FINDING
    try:
        return FINDINGS[Finding(str(value))]
    except ValueError:
        return str(value)


def stage(number: int) -> str:
    return f"Stage {number}"
