"""`caseworker deadlines`: a complaint's deadlines under a policy, from its dates.

    caseworker deadlines --policy stockport --received 2026-11-23
    caseworker deadlines --policy warwickshire --received 2026-12-21 \\
        --response-sent 2027-01-04 --sent-by second-class --json

With ``--json`` it prints one JSON object of ISO dates (null where a deadline does not apply):
``acknowledge_by``, ``respond_by``, ``respond_by_latest`` with ``respond_by_latest_source`` (where
that limit comes from: the council's policy, or the Complaint Handling Code it borrows from), when
a response date is given ``deemed_received`` and ``escalate_by``, and every other dated duty the
stage sets: ``decide_escalation_by`` (a stage entered by request: ``--received`` is the request)
and each milestone as ``<id>_by`` (Warwickshire children's stage 3: ``panel_by``, ``report_by``,
``reply_by``). Without it, a table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re

from caseworker.domain.enums import SendMethod
from caseworker.errors import UserError
from caseworker.policy.deadlines import Deadlines, compute_deadlines, extension_source, find_stage
from caseworker.policy.loader import PolicyError, get_policy
from caseworker.policy.schema import Policy

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

_LABELS = (
    ("acknowledge_by", "Acknowledge by"),
    ("respond_by", "Respond by"),
    ("respond_by_latest", "Respond by, with extension"),
    ("deemed_received", "Response deemed received"),
    ("escalate_by", "Next stage to be asked for by"),
)

_DUTY_LABELS = {"decide_escalation_by": "Decide whether to accept the request by"}

_NONE = {
    "acknowledge_by": "no target set",
    "respond_by_latest": "no extension allowed",
    "escalate_by": "no time limit set",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "deadlines",
        help="work out a complaint's deadlines under a policy",
        description="Work out when a complaint must be acknowledged and answered, and when a "
        "response is deemed received and the next stage must be asked for. Working days leave "
        "out weekends, England and Wales bank holidays and the policy's closure days.",
    )
    parser.add_argument(
        "--policy",
        required=True,
        metavar="ID",
        help="policy id, e.g. stockport (see `caseworker policies`)",
    )
    parser.add_argument(
        "--received",
        required=True,
        metavar="YYYY-MM-DD",
        help="the day the complaint (or the request for this stage) arrived",
    )
    parser.add_argument(
        "--route", metavar="R", help="route id, e.g. corporate (default: the policy's first route)"
    )
    parser.add_argument(
        "--stage", type=int, default=1, metavar="N", help="stage number (default: 1)"
    )
    parser.add_argument(
        "--acknowledged", metavar="YYYY-MM-DD", help="the day the complaint was acknowledged"
    )
    parser.add_argument(
        "--response-sent", metavar="YYYY-MM-DD", help="the day the stage's response was sent"
    )
    parser.add_argument(
        "--sent-by", choices=[m.value for m in SendMethod], help="how the response was sent"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def parse_date(option: str, text: str | None) -> dt.date | None:
    """``text`` as a date, or a :class:`UserError` naming ``option``; None stays None."""
    if text is None:
        return None
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{option}: '{text}' is not a date (YYYY-MM-DD)") from None


def find_policy(policy_id: str) -> Policy:
    """The policy with this id; an unknown id is reported against ``--policy``."""
    try:
        return get_policy(policy_id)
    except PolicyError:
        raise  # a broken policy file: the loader's message names the file and line
    except UserError as error:
        raise UserError(f"--policy: {error}") from None


def run(args: argparse.Namespace) -> int:
    received = parse_date("--received", args.received)
    acknowledged = parse_date("--acknowledged", args.acknowledged)
    response_sent = parse_date("--response-sent", args.response_sent)
    if response_sent is not None and args.sent_by is None:
        raise UserError(
            "--response-sent needs --sent-by (" + ", ".join(m.value for m in SendMethod) + ")"
        )
    if args.sent_by is not None and response_sent is None:
        raise UserError("--sent-by needs --response-sent")
    assert received is not None

    policy = find_policy(args.policy)
    route = args.route if args.route is not None else policy.routes[0].id.value
    stage = find_stage(policy, route, args.stage)
    deadlines = compute_deadlines(
        policy,
        route=route,
        stage=args.stage,
        received=received,
        acknowledged=acknowledged,
        response_sent=response_sent,
        sent_by=args.sent_by,
    )
    source = extension_source(policy, stage)
    shown = _shown(deadlines, responded=response_sent is not None, source=source)
    if args.json:
        print(json.dumps(shown, indent=2))
        return 0

    print(f"{policy.council} — {policy.route(route).name}, {stage.name}")
    print(f"Received {_long(received)}")
    labels = [
        *_LABELS,
        *_DUTY_LABELS.items(),
        *((f"{m.id}_by", m.name) for m in deadlines.milestones),
    ]
    rows = [(label, shown[name], name) for name, label in labels if name in shown]
    width = max(len(label) for label, _, _ in rows if len(label) <= 40)
    for label, value, name in rows:
        text = _long(dt.date.fromisoformat(value)) if value else _NONE[name]
        if name == "respond_by_latest" and value and source:
            text += f"  — {source}"
        if len(label) > width:
            print(f"  {label}:\n  {'':<{width}}  {text}")
        else:
            print(f"  {label:<{width}}  {text}")
    return 0


def _shown(deadlines: Deadlines, *, responded: bool, source: str | None) -> dict[str, str | None]:
    values: dict[str, str | None] = {}
    for name, value in deadlines.as_dict().items():
        if name in ("deemed_received", "escalate_by") and not responded:
            continue
        values[name] = value
        if name == "respond_by_latest" and value is not None:
            values["respond_by_latest_source"] = source
    return values


def _long(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%B %Y}  ({day.isoformat()})"
