"""Which paragraphs a letter must carry, decided in one place for the builder and the check."""

from __future__ import annotations

from dataclasses import dataclass

from caseworker.domain.enums import LetterKind, RouteId
from caseworker.policy.schema import Contact, Policy, Route, Stage


@dataclass(frozen=True)
class Requirements:
    route: Route
    stage: Stage
    final: bool
    """The last stage of the route: the council's final word on the complaint."""
    next_stage: Stage | None
    next_contact: Contact | None
    """Who a dissatisfied complainant contacts for the next stage (None at the final stage)."""
    ombudsman: Contact
    ombudsman_key: str
    needs_next_stage: bool
    needs_ombudsman: bool
    ombudsman_reason: str
    """Why the Ombudsman paragraph is required, for the check's message."""
    must_include: tuple[str, ...]
    """The policy's letter_must_include for this stage (response letters only)."""
    tenants_panel: bool = False
    """A council tenant may choose the Tenants Panel at the next stage (Southampton 4 and 22)."""


RESPONSES = (LetterKind.OUTCOME, LetterKind.DECISION)
"""The letters that answer the complaint at a stage."""


def requirements(
    policy: Policy, route_id: RouteId | str, stage_number: int, kind: LetterKind
) -> Requirements:
    route = policy.route(route_id)
    stage = policy.stage(route_id, stage_number)
    final = stage_number == len(route.stages)
    next_stage = None if final else policy.stage(route_id, stage_number + 1)
    next_contact = None if final else policy.contacts[stage.next_contact]
    member_reply = kind == LetterKind.MEMBER_REPLY or route.id == RouteId.MEMBER_ENQUIRY

    if member_reply:
        # An enquiry is not a complaint: the reply says where a formal complaint goes.
        next_contact = policy.contacts[stage.next_contact]
        needs_next_stage = True
    else:
        needs_next_stage = not final and kind in (*RESPONSES, LetterKind.WITHDRAWAL)

    reason = ""
    if kind in RESPONSES and final and not member_reply:
        reason = "this is the final response"
    elif kind == LetterKind.ESCALATION_REFUSED:
        reason = "the request for the next stage is refused, which ends the procedure"
    elif kind == LetterKind.REFUSAL and policy.rules.refusal_gives_ombudsman:
        reason = (
            f"{policy.council_name}'s policy gives the right to take a refusal to the Ombudsman"
        )
    elif kind == LetterKind.DISCONTINUATION:
        reason = (
            "the complaint is closed without an answer: the Ombudsman is the way to challenge it"
        )
    elif kind == LetterKind.EXTENSION and stage.extension_gives_ombudsman:
        reason = f"{policy.council_name}'s policy gives the Ombudsman's details with an extension"
    elif policy.rules.ombudsman_details_in_every_letter:
        reason = f"{policy.council_name}'s policy gives the Ombudsman's details in every letter"
    must_include = tuple(stage.letter_must_include) if kind in RESPONSES else ()
    if "ombudsman" in must_include and not reason:
        reason = f"{policy.council_name}'s policy requires it at stage {stage_number}"
    return Requirements(
        route=route,
        stage=stage,
        final=final,
        next_stage=next_stage,
        next_contact=next_contact,
        ombudsman=policy.contacts[route.ombudsman],
        ombudsman_key=route.ombudsman,
        needs_next_stage=needs_next_stage,
        needs_ombudsman=bool(reason),
        ombudsman_reason=reason,
        must_include=must_include,
        tenants_panel=(
            policy.rules.tenants_panel_option
            and route.id == RouteId.HOUSING
            and next_stage is not None
            and next_stage.number == 2
            and needs_next_stage
        ),
    )
