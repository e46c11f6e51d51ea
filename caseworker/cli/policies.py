"""`caseworker policies`: list the council policies, or check one policy file.

``caseworker policies`` lists every policy (bundled, then the council's own folder ``policies/`` in
the data folder, then any ``--dir`` folder's; a later file replaces an earlier one with the same id)
with its routes and stage targets. ``caseworker policies --check
FILE`` validates one file: "OK: ..." and exit status 0 (with a warning for each value still a
placeholder, such as a council name or address the text did not give), or every problem with its
line and key and exit status 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from caseworker.policy.deadlines import extension_source
from caseworker.policy.loader import load_policies, load_policy_file, user_policy_dir
from caseworker.policy.schema import Policy, Route, Stage


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "policies",
        help="list the council policies, or check a policy file",
        description="List the council policies with their routes and stage targets (in working "
        "days), or check one policy file with --check.",
    )
    parser.add_argument(
        "--check",
        metavar="FILE",
        type=Path,
        help="validate one policy file and report every problem with its line and key",
    )
    parser.add_argument(
        "--dir",
        metavar="DIR",
        type=Path,
        action="append",
        default=[],
        help="also load the policies in DIR, replacing earlier ones with the same id (repeatable); "
        "the data folder's policies/ is always read",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.check is not None:
        return _check(args.check)
    policies = load_policies([user_policy_dir(), *args.dir])
    print("Targets are in working days; '+N' is the longest extension.")
    for policy in sorted(policies.values(), key=lambda p: (not p.baseline, p.id)):
        print()
        print(_describe_policy(policy))
    return 0


def _check(path: Path) -> int:
    policy = load_policy_file(path)  # a PolicyError is reported by main() with exit status 2
    routes = ", ".join(route.id for route in policy.routes)
    print(f"OK: {path} is policy '{policy.id}' ({policy.council}); routes: {routes}")
    if path.stem != policy.id:
        print(f"note: to be loaded from a policies folder the file must be named {policy.id}.toml")
    for key, text in policy.placeholder_values():
        print(
            f"warning: {key} is still a placeholder ('{text}'): set the council's own value"
            + (" and remove it from placeholders" if key in policy.placeholders else "")
        )
    return 0


_START = {
    "next-working-day": "day 0 of a count from a non-working day is the next working day",
    "that-day": "day 0 of a count from a non-working day is that day itself",
}
_RUNS_FROM = {
    "awareness": "from when the complainant became aware",
    "event": "from the event complained of",
}


def _describe_policy(policy: Policy) -> str:
    heading = f"{policy.id} — {policy.council}"
    if policy.baseline:
        heading += " (baseline)"
    limit = policy.time_limit
    lines = [
        heading,
        f"  {policy.title}",
        f"  clock: start_on_non_working_day = {policy.clock.start_on_non_working_day} "
        f"({_START[policy.clock.start_on_non_working_day]})",
        f"  time limit: {limit.months} months {_RUNS_FROM[limit.runs_from]}",
    ]
    for route in policy.routes:
        lines.append(f"  {_describe_route(route)}")
        for stage in route.stages:
            lines.append(f"    {_describe_stage(stage)}")
            lines.extend(f"      {note}" for note in _stage_notes(policy, stage))
    lines.extend(f"  {note}" for note in _rule_notes(policy))
    placeholders = [key for key, _ in policy.placeholder_values()]
    if placeholders:
        lines.append("  placeholders still to set: " + ", ".join(placeholders))
    return "\n".join(lines)


def _describe_route(route: Route) -> str:
    notes = ["statutory"] if route.statutory else []
    after = route.stages[-1].next_contact
    notes.append(f"then {after}")
    if after != route.ombudsman:
        notes.append(f"Ombudsman {route.ombudsman}")
    if route.reply_to == "referrer":
        notes.append("replies to the referrer")
    return f"{route.id}: {route.name} ({', '.join(notes)})"


def _rule_notes(policy: Policy) -> list[str]:
    """The policy's steps outside the stages' clocks, one line each."""
    rules, notes = policy.rules, []
    if policy.complainants.telephone_confirmed_in_writing:
        notes.append("a complaint made by telephone is confirmed in writing")
    if rules.withdrawal.verbal_confirmation_requested:
        notes.append("a verbal withdrawal: the complainant is asked to confirm it in writing")
    if rules.further_information is not None:
        notes.append(
            f"a request for further information after stage {rules.further_information.after_stage}"
            " is answered with the information, not as a request for the next stage"
        )
    if rules.mediation is not None:
        when = " at any stage" if rules.mediation.at_any_stage else ""
        notes.append(f"mediation{when}, invited by {rules.mediation.invited_by}")
    if rules.referral is not None:
        notes.append(
            f"stage {rules.referral.at_stage} may be referred to {rules.referral.to}"
            + (", the complainant told why" if rules.referral.complainant_told_reasons else "")
            + (" and of any new timescale" if rules.referral.timescale_may_change else "")
        )
    return notes


def _stage_notes(policy: Policy, stage: Stage) -> list[str]:
    """What a stage line cannot say briefly: a borrowed extension limit, the milestones."""
    notes = []
    if stage.extension_borrowed_from:
        notes.append(f"+{stage.extension_days}: {extension_source(policy, stage)}")
    if stage.milestones:
        notes.append(
            "milestones: "
            + ", ".join(
                f"{m.id} {m.days}" + ("" if m.after == "start" else f" after {m.after}")
                for m in stage.milestones
            )
        )
    return notes


def _describe_stage(stage: Stage) -> str:
    parts = []
    if stage.acknowledge_days is not None:
        parts.append(f"acknowledge {stage.acknowledge_days}")
    respond = f"respond {stage.respond_days}"
    if stage.respond_from == "acknowledgement":
        respond += " from acknowledgement"
    if stage.extension_days:
        respond += f" +{stage.extension_days}"
    parts.append(respond)
    if stage.escalation_request_in != "any-form":
        parts.append(f"asked for {_ASKED_IN[stage.escalation_request_in]}")
    if stage.escalation_decision_days is not None:
        parts.append(f"decide escalation {stage.escalation_decision_days}")
    if stage.escalation_window is not None:
        window = stage.escalation_window
        unit = _UNITS[window.unit] if window.length != 1 else _UNITS[window.unit][:-1]
        parts.append(f"ask for the next stage within {window.length} {unit}")
    return f"stage {stage.number}: " + ", ".join(parts)


_ASKED_IN = {"writing": "in writing", "email": "by email"}
_UNITS = {"working-days": "working days", "calendar-days": "calendar days", "months": "months"}
