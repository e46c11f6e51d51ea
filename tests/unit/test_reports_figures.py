"""Report figures against a hand-counted fixture: fourteen cases with known dates, some either side
of the period (Q1 2026, 1 January to 31 March), some on or across bank holidays (Christmas and
Boxing Day 2025, New Year's Day, Good Friday and Easter Monday 2026; no policy here has closure
days). Every expected figure is counted by hand in a comment; the due dates the clock gives are
checked against hand counts as the cases are made.

    ref  policy/route          received    stage  ack         sent        closed      outcome
    A    stockport corporate   2025-12-24  1      2025-12-30  2026-01-09  2026-01-09  upheld
    B    stockport corporate   2026-01-02  1      2026-01-12  2026-02-06  2026-02-06  not upheld
    C    stockport corporate   2026-01-01  1      2026-01-08  2026-02-09  2026-02-09  partially
                               (New Year's Day; extended to 2026-02-10)
    D    stockport corporate   2026-03-30  1      2026-03-31  -           open (overdue by 6 May)
    E    stockport corporate   2026-03-31  1      -           -           open (overdue by 6 May)
    F    stockport corporate   2026-02-10  1      -           -           2026-02-12  withdrawn
    G    stockport corporate   2025-11-03  2 (asked 2026-01-20) 2026-01-22 2026-03-02 2026-03-02
                                                                                      not upheld
    H    stockport corporate   2026-02-02  1      2026-02-03  2026-02-20  2026-02-20  upheld,
                               then asked for stage 2 on 2026-03-05 (waiting for a decision)
    I    southampton corporate 2026-01-05  1      -           2026-01-16  2026-01-16  not upheld,
                               asked for stage 2 on 2026-02-20 without reasons: refused
    J    stockport corporate   2026-03-10  1      -           -           2026-03-11  refused
    K    stoke housing         2026-02-16  1      2026-02-17  2026-02-27  2026-02-27  settled
    L    stockport member      2026-03-16  1      -           2026-03-27  2026-03-27  not upheld
    M    stockport corporate   2025-10-01  1      closed 2025-11-15 upheld; the LGSCO decided
                               2026-02-10 with a remedy due 2026-03-10, complied 2026-03-12
    N    stockport corporate   2026-04-01  (after the period: counted nowhere)

The report is as at 6 May 2026 (open actions, overdue cases, the Ombudsman).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from caseworker.domain.enums import CaseStatus, Channel, Finding, Outcome, RouteId
from caseworker.domain.lifecycle import EscalationDecision, OmbudsmanBody
from caseworker.policy.deadlines import policy_calendar
from caseworker.policy.loader import get_policy
from caseworker.reports import Period, Report, build_report
from caseworker.services.cases.records import refresh_clock, stage_received
from caseworker.storage.models import Case, Complainant, Extension, Issue, OmbudsmanCase

D = dt.date
Q1 = Period(D(2026, 1, 1), D(2026, 3, 31))
AS_OF = D(2026, 5, 6)


def _case(
    ref: str,
    *,
    policy: str = "stockport",
    route: RouteId = RouteId.CORPORATE,
    received: dt.date,
    service: str,
    channel: Channel,
    stage: int = 1,
    escalation_requested: dt.date | None = None,
    acknowledged: dt.date | None = None,
    response_sent: dt.date | None = None,
    closed_on: dt.date | None = None,
    outcome: Outcome | None = None,
    extended_to: dt.date | None = None,
    adjustments: str = "",
    settlement: str = "",
    issues: tuple[dict[str, Any], ...] = (),
    due: tuple[dt.date | None, dt.date | None] | None = None,
    **extra: Any,
) -> Case:
    case = Case(
        reference=f"CW-2026-{ref}",
        policy_id=policy,
        route=route,
        stage=stage,
        status=CaseStatus.CLOSED if closed_on else CaseStatus.OPEN,
        received=received,
        channel=channel,
        service_area=service,
        escalation_requested=escalation_requested,
        acknowledged=acknowledged,
        response_sent=response_sent,
        closed_on=closed_on,
        outcome=outcome,
        settlement_terms=settlement,
        complainant=Complainant(name=f"Person {ref}", reasonable_adjustments=adjustments),
        **extra,
    )
    if extended_to is not None:
        case.extensions.append(
            Extension(
                stage=stage, new_date=extended_to, reason="Records.", complainant_told=received
            )
        )
    for number, values in enumerate(issues, 1):
        case.issues.append(Issue(number=number, summary=f"Point {number} of {ref}", **values))
    refresh_clock(case, get_policy(policy))
    if due is not None:  # the clock agrees with the hand count
        assert (case.acknowledge_by, case.respond_by) == due, ref
    return case


@pytest.fixture
def q1(app) -> Report:  # noqa: ANN001
    with app.uow() as uow:
        add = uow.session.add
        # A: 5 working days after Wed 24 Dec 2025 skip Christmas, Boxing Day: 29, 30, 31 Dec,
        # 2, 5 Jan -> 5 Jan; 20: ... 26 Jan. Responded 9 Jan: 9 working days (29, 30, 31 Dec,
        # 2, 5, 6, 7, 8, 9 Jan; New Year's Day is a bank holiday).
        add(
            _case(
                "A",
                received=D(2025, 12, 24),
                service="Waste",
                channel=Channel.EMAIL,
                acknowledged=D(2025, 12, 30),
                response_sent=D(2026, 1, 9),
                closed_on=D(2026, 1, 9),
                outcome=Outcome.UPHELD,
                due=(D(2026, 1, 5), D(2026, 1, 26)),
                issues=(
                    {
                        "finding": Finding.UPHELD,
                        "remedy": "An apology and a £50 payment for the missed collections.",
                        "lesson_learnt": "Route changes are checked first.",
                        "action": "Add the property back to the round.",
                        "action_due": D(2026, 2, 6),
                        "action_completed": D(2026, 2, 1),
                    },
                ),
            )
        )
        # B: Fri 2 Jan; ack due 9 Jan (5, 6, 7, 8, 9), acknowledged 12 Jan: late. Response due
        # 30 Jan (20 working days), sent 6 Feb: late, 25 working days.
        add(
            _case(
                "B",
                received=D(2026, 1, 2),
                service="Highways",
                channel=Channel.PHONE,
                acknowledged=D(2026, 1, 12),
                response_sent=D(2026, 2, 6),
                closed_on=D(2026, 2, 6),
                outcome=Outcome.NOT_UPHELD,
                due=(D(2026, 1, 9), D(2026, 1, 30)),
                issues=({"finding": Finding.NOT_UPHELD},),
            )
        )
        # C: received on New Year's Day, a bank holiday: the clock starts Fri 2 Jan, so the same
        # dates as B; extended to 10 Feb (within 10 more working days), sent 9 Feb: on time,
        # 26 working days (2 Jan to 9 Feb).
        add(
            _case(
                "C",
                received=D(2026, 1, 1),
                service="Waste",
                channel=Channel.ONLINE,
                acknowledged=D(2026, 1, 8),
                response_sent=D(2026, 2, 9),
                closed_on=D(2026, 2, 9),
                outcome=Outcome.PARTIALLY_UPHELD,
                extended_to=D(2026, 2, 10),
                due=(D(2026, 1, 9), D(2026, 2, 10)),
                issues=(
                    {
                        "finding": Finding.UPHELD,
                        "remedy": "A replacement bin was delivered within two days.",
                        "lesson_learnt": "Requests reach the delivery team.",
                        "action": "Deliver the bin.",
                        "action_due": D(2026, 3, 10),
                    },
                    {"finding": Finding.NOT_UPHELD},
                ),
            )
        )
        # D: Mon 30 Mar; 5 working days skip Good Friday and Easter Monday: 31 Mar, 1, 2, 7,
        # 8 Apr -> 8 Apr; 20 -> 29 Apr, not answered by 6 May: open and overdue.
        add(
            _case(
                "D",
                received=D(2026, 3, 30),
                service="Parking",
                channel=Channel.ONLINE,
                acknowledged=D(2026, 3, 31),
                due=(D(2026, 4, 8), D(2026, 4, 29)),
            )
        )
        # E: Tue 31 Mar; ack due 9 Apr (1, 2, 7, 8, 9), never acknowledged: late by 6 May;
        # response due 30 Apr: overdue. Reasonable adjustments made.
        add(
            _case(
                "E",
                received=D(2026, 3, 31),
                service="Council Tax",
                channel=Channel.VIA_COUNCILLOR,
                adjustments="Large print.",
                due=(D(2026, 4, 9), D(2026, 4, 30)),
            )
        )
        # F: withdrawn on 12 Feb, before its acknowledgement was due (17 Feb): not late.
        add(
            _case(
                "F",
                received=D(2026, 2, 10),
                service="Highways",
                channel=Channel.EMAIL,
                closed_on=D(2026, 2, 12),
                outcome=Outcome.WITHDRAWN,
                due=(D(2026, 2, 17), D(2026, 3, 10)),
                issues=({},),
            )
        )
        # G: stage 2 from the request of Tue 20 Jan: ack due 27 Jan, acknowledged 22 Jan;
        # response due 17 Feb, sent 2 Mar: late, 29 working days.
        add(
            _case(
                "G",
                received=D(2025, 11, 3),
                stage=2,
                escalation_requested=D(2026, 1, 20),
                service="Planning",
                channel=Channel.LETTER,
                acknowledged=D(2026, 1, 22),
                response_sent=D(2026, 3, 2),
                closed_on=D(2026, 3, 2),
                outcome=Outcome.NOT_UPHELD,
                escalation_decision=EscalationDecision.ACCEPTED,
                escalation_decided_on=D(2026, 1, 20),
                due=(D(2026, 1, 27), D(2026, 2, 17)),
                issues=({"finding": Finding.NOT_UPHELD},),
            )
        )
        # H: Mon 2 Feb; ack due 9 Feb, response due 2 Mar, sent 20 Feb: 14 working days. Then a
        # request for stage 2 on 5 Mar, waiting for a decision.
        add(
            _case(
                "H",
                received=D(2026, 2, 2),
                service="Waste",
                channel=Channel.EMAIL,
                acknowledged=D(2026, 2, 3),
                response_sent=D(2026, 2, 20),
                closed_on=D(2026, 2, 20),
                outcome=Outcome.UPHELD,
                escalation_requested=D(2026, 3, 5),
                due=(D(2026, 2, 9), D(2026, 3, 2)),
                issues=(
                    {
                        "finding": Finding.UPHELD,
                        "remedy": "An explanation of how the rounds work.",
                        "action": "Brief the crew.",
                        "action_due": D(2026, 6, 30),
                    },
                ),
            )
        )
        # I: Southampton sets no acknowledgement target; response due 19 Jan (10 working days),
        # sent 16 Jan: 9 working days. Asked for stage 2 without reasons (Southampton demands
        # them): refused.
        add(
            _case(
                "I",
                policy="southampton",
                received=D(2026, 1, 5),
                service="Council Tax",
                channel=Channel.LETTER,
                response_sent=D(2026, 1, 16),
                closed_on=D(2026, 1, 16),
                outcome=Outcome.NOT_UPHELD,
                escalation_requested=D(2026, 2, 20),
                escalation_reason_missing=True,
                escalation_decision=EscalationDecision.REFUSED,
                escalation_decided_on=D(2026, 2, 25),
                due=(None, D(2026, 1, 19)),
                issues=({"finding": Finding.NOT_UPHELD},),
            )
        )
        # J: not taken on; closed on 11 Mar, before its acknowledgement was due (17 Mar).
        add(
            _case(
                "J",
                received=D(2026, 3, 10),
                service="Parking",
                channel=Channel.ONLINE,
                closed_on=D(2026, 3, 11),
                outcome=Outcome.REFUSED,
                due=(D(2026, 3, 17), D(2026, 4, 9)),
            )
        )
        # K: Stoke housing, Mon 16 Feb: ack due 23 Feb, response due 2 Mar (10), sent 27 Feb:
        # 9 working days. Settled with a refund and an apology. The Housing Ombudsman asked on
        # 20 Mar: no decision by 6 May.
        k = _case(
            "K",
            policy="stoke-on-trent",
            route=RouteId.HOUSING,
            received=D(2026, 2, 16),
            service="Housing Repairs",
            channel=Channel.EMAIL,
            acknowledged=D(2026, 2, 17),
            response_sent=D(2026, 2, 27),
            closed_on=D(2026, 2, 27),
            outcome=Outcome.SETTLED,
            adjustments="A BSL interpreter at meetings.",
            settlement="A refund of £40 and a written apology.",
            due=(D(2026, 2, 23), D(2026, 3, 2)),
            issues=(
                {
                    "finding": Finding.PARTIALLY_UPHELD,
                    "remedy": "The repair was completed and the tenant was told.",
                    "lesson_learnt": "Contractors give notice.",
                    "action": "Check the contractor's notice.",
                    "action_due": D(2026, 3, 20),
                    "action_completed": D(2026, 4, 2),
                },
            ),
        )
        k.ombudsman_cases.append(
            OmbudsmanCase(body=OmbudsmanBody.HOUSING_OMBUDSMAN, enquiry_on=D(2026, 3, 20))
        )
        add(k)
        # L: a Member/MP enquiry, Mon 16 Mar: 10 working days -> 30 Mar, sent 27 Mar: 9.
        add(
            _case(
                "L",
                route=RouteId.MEMBER_ENQUIRY,
                received=D(2026, 3, 16),
                service="Highways",
                channel=Channel.VIA_MP,
                response_sent=D(2026, 3, 27),
                closed_on=D(2026, 3, 27),
                outcome=Outcome.NOT_UPHELD,
                due=(None, D(2026, 3, 30)),
                issues=({},),
            )
        )
        # M: closed before the period; the LGSCO's decision in it, remedy complied two days late.
        m = _case(
            "M",
            received=D(2025, 10, 1),
            service="Planning",
            channel=Channel.LETTER,
            acknowledged=D(2025, 10, 2),
            response_sent=D(2025, 11, 14),
            closed_on=D(2025, 11, 15),
            outcome=Outcome.UPHELD,
        )
        m.ombudsman_cases.append(
            OmbudsmanCase(
                body=OmbudsmanBody.LGSCO,
                enquiry_on=D(2025, 12, 1),
                decision="Fault found.",
                decision_on=D(2026, 2, 10),
                remedy_agreed="£150 for time and trouble.",
                remedy_due=D(2026, 3, 10),
                complied_on=D(2026, 3, 12),
            )
        )
        add(m)
        # N: after the period.
        add(
            _case(
                "N",
                received=D(2026, 4, 1),
                service="Waste",
                channel=Channel.EMAIL,
                acknowledged=D(2026, 4, 2),
            )
        )
        uow.commit()
    with app.sessions() as session:
        return build_report(session, Q1, as_of=AS_OF)


def test_the_hand_counted_working_days_agree_with_the_clock() -> None:
    calendar = policy_calendar(get_policy("stockport"))

    def days(received: dt.date, sent: dt.date) -> int:
        return calendar.working_days_between(calendar.clock_start(received), sent)

    assert days(D(2025, 12, 24), D(2026, 1, 9)) == 9  # A
    assert days(D(2026, 1, 2), D(2026, 2, 6)) == 25  # B
    assert days(D(2026, 1, 1), D(2026, 2, 9)) == 26  # C: from Fri 2 Jan
    assert days(D(2026, 1, 20), D(2026, 3, 2)) == 29  # G
    assert days(D(2026, 2, 2), D(2026, 2, 20)) == 14  # H
    assert days(D(2026, 1, 5), D(2026, 1, 16)) == 9  # I
    assert days(D(2026, 2, 16), D(2026, 2, 27)) == 9  # K
    assert days(D(2026, 3, 16), D(2026, 3, 27)) == 9  # L


def test_received_and_closed(q1: Report) -> None:
    # Received in Q1: B, C (New Year's Day counts: the period is inclusive), D, E, F, H, I, J,
    # K, L = 10. Not A (24 Dec), G (Nov 2025), M (Oct 2025), N (1 Apr).
    assert q1.headline("Complaints received").value == 10
    # Closed in Q1: A, B, C, F, G, H, I, J, K, L = 10 (D and E open; M closed in 2025).
    assert q1.headline("Cases closed").value == 10
    # By stage: every new complaint at stage 1; stage 2: G's request (20 Jan) took it there.
    # Closed: G at stage 2, the other nine at stage 1.
    assert q1.table("received-by-stage").as_dict() == {
        "Stage 1": {"Received": 10, "Closed": 9},
        "Stage 2": {"Received": 1, "Closed": 1},
    }
    # Route: corporate received B C D E F H I J = 8, closed A B C F G H I J = 8; housing K;
    # member enquiry L.
    assert q1.table("by-route").as_dict() == {
        "Corporate": {"Received": 8, "Closed": 8},
        "Member/MP enquiry": {"Received": 1, "Closed": 1},
        "Housing (council as landlord)": {"Received": 1, "Closed": 1},
    }
    # Service: Waste received C H, closed A C H; Highways received B F L, closed B F L;
    # Parking D J / J; Council Tax E I / I; Housing Repairs K / K; Planning - / G.
    assert q1.table("by-service").as_dict() == {
        "Council Tax": {"Received": 2, "Closed": 1},
        "Highways": {"Received": 3, "Closed": 3},
        "Housing Repairs": {"Received": 1, "Closed": 1},
        "Parking": {"Received": 2, "Closed": 1},
        "Planning": {"Received": 0, "Closed": 1},
        "Waste": {"Received": 2, "Closed": 3},
    }
    # Channel: online C D J / C J; email F H K / A F H K; phone B / B; letter I / G I;
    # councillor E / -; MP L / L.
    assert q1.table("by-channel").as_dict() == {
        "Online form": {"Received": 3, "Closed": 2},
        "Email": {"Received": 3, "Closed": 4},
        "Letter": {"Received": 1, "Closed": 2},
        "Phone": {"Received": 1, "Closed": 1},
        "Through a councillor": {"Received": 1, "Closed": 0},
        "Through an MP": {"Received": 1, "Closed": 1},
    }
    # Months: received Jan B C I, Feb F H K, Mar D E J L; closed Jan A I, Feb B C F H K,
    # Mar G J L.
    assert q1.table("monthly").rows == (("Jan 2026", 3, 2), ("Feb 2026", 3, 5), ("Mar 2026", 4, 3))


def test_outcomes_findings_and_refusals(q1: Report) -> None:
    outcomes = q1.table("outcomes").as_dict()
    # Upheld A H; partially C; not upheld B I L at stage 1 and G at stage 2; withdrawn F;
    # settled K; refused J.
    assert outcomes["Upheld"] == {"Stage 1": 2, "Stage 2": 0, "Total": 2}
    assert outcomes["Partially upheld"]["Total"] == 1
    assert outcomes["Not upheld"] == {"Stage 1": 3, "Stage 2": 1, "Total": 4}
    assert outcomes["Withdrawn"]["Total"] == outcomes["Settled"]["Total"] == 1
    assert outcomes["Refused (not taken on)"]["Total"] == 1
    assert outcomes["Discontinued"]["Total"] == 0
    # Decided: upheld 2 + partially 1 + not upheld 4 = 7, of which 3 upheld in part or whole.
    assert q1.headline("Upheld or partially upheld").value == 42.9
    by_service = q1.table("outcomes-by-service").as_dict()
    assert by_service["Waste"]["Upheld"] == 2  # A and H
    assert by_service["Waste"]["Partially upheld"] == 1  # C
    assert by_service["Highways"]["Not upheld"] == 2  # B and L
    assert by_service["Highways"]["Withdrawn"] == 1  # F
    # Issues of the cases closed: upheld A1 C1 H1; partially K1; not upheld B1 C2 G1 I1; no
    # finding F1 L1.
    assert q1.table("findings").as_dict() == {
        "Upheld": {"Issues": 3},
        "Partially upheld": {"Issues": 1},
        "Not upheld": {"Issues": 4},
        "No finding recorded": {"Issues": 2},
        "All issues": {"Issues": 10},
    }
    refusals = q1.table("refusals").as_dict()
    assert refusals["Complaint not taken on at stage 1 (refused)"]["Cases"] == 1  # J
    assert (
        refusals["Next stage refused: reasons not given where the policy asks for them"]["Cases"]
        == 1
    )  # I
    assert refusals["Next stage refused: asked for after the policy's window"]["Cases"] == 0


def test_timeliness_and_extensions(q1: Report) -> None:
    rows = q1.table("timeliness").as_dict()
    stage1, stage2, both = rows["Stage 1"], rows["Stage 2"], rows["All stages"]
    # Stage 1 begun in Q1 with an acknowledgement target: B C D E F H J (Stockport) and K
    # (Stoke); I (Southampton) and L (enquiry) have none. On time C D H K = 4; late B, and E
    # never acknowledged (due 9 Apr) = 2; F and J closed before theirs was due: not counted.
    assert (stage1["Acknowledged on time"], stage1["Acknowledged late or not at all"]) == (4, 2)
    assert stage1["% acknowledged on time"] == 66.7
    # Stage 2: G acknowledged 22 Jan, due 27 Jan.
    assert (stage2["Acknowledged on time"], stage2["Acknowledged late or not at all"]) == (1, 0)
    assert q1.headline("Acknowledged on time").value == 71.4  # 5 of 7
    # Responses sent in Q1 at stage 1: A B C H I K L = 7, all on time but B (C within its
    # extension); stage 2: G, late.
    assert (stage1["Responses sent"], stage1["Answered on time"], stage1["Answered late"]) == (
        7,
        6,
        1,
    )
    assert stage1["% answered on time"] == 85.7
    assert (stage2["Responses sent"], stage2["Answered on time"]) == (1, 0)
    assert q1.headline("Answered on time").value == 75.0  # 6 of 8
    # Working days: stage 1 A 9 + B 25 + C 26 + H 14 + I 9 + K 9 + L 9 = 101 over 7 = 14.4,
    # longest C's 26; stage 2 G 29; all 130 over 8 = 16.25, shown as 16.2.
    assert (
        stage1["Average working days to respond"],
        stage1["Longest working days to respond"],
    ) == (14.4, 26)
    assert (
        stage2["Average working days to respond"],
        stage2["Longest working days to respond"],
    ) == (29.0, 29)
    assert (both["Average working days to respond"], both["Longest working days to respond"]) == (
        16.2,
        29,
    )
    assert q1.headline("Longest working days to respond").value == 29
    # Open and overdue on 6 May among stage 1 begun in Q1: D (due 29 Apr) and E (30 Apr).
    assert stage1["Open and overdue"] == 2
    extensions = q1.table("extensions").as_dict()["Stage 1"]
    # One of the 7 stage 1 responses (C) had an extension, and was on time against it.
    assert extensions == {
        "Responses sent": 7,
        "With an extension": 1,
        "% extended": 14.3,
        "On time against the extended date": 1,
        "Late even with the extension": 0,
    }


def test_escalation(q1: Report) -> None:
    escalation = q1.table("escalation").as_dict()
    # Received in Q1 on a route with a stage 2: all but L (an enquiry, one stage) = 9. Asked
    # for stage 2: H (waiting) and I (refused) = 2.
    assert escalation["Complaints received on a route with a stage 2"]["Value"] == 9
    assert escalation["of which the complainant asked for the next stage"]["Value"] == 2
    assert q1.headline("Escalation rate, stage 1 to 2").value == 22.2
    # Requests made in Q1: G (20 Jan, accepted), I (20 Feb, refused), H (5 Mar, waiting).
    assert escalation["Requests for stage 2 made in the period"]["Value"] == 3
    assert escalation["Stage 2 requests accepted"]["Value"] == 1
    assert escalation["Stage 2 requests refused"]["Value"] == 1
    assert escalation["Stage 2 requests waiting for a decision"]["Value"] == 1


def test_ombudsman(q1: Report) -> None:
    table = q1.table("ombudsman").as_dict()
    lgsco = table["Local Government and Social Care Ombudsman"]
    # M: the enquiry was in December (not counted), the decision with a remedy in February,
    # complied with on 12 Mar, two days after it was due.
    assert (
        lgsco["Enquiries received"],
        lgsco["Decisions"],
        lgsco["Decided: remedy agreed"],
        lgsco["Complied with late"],
        lgsco["Remedies outstanding"],
    ) == (0, 1, 1, 1, 0)
    housing = table["Housing Ombudsman"]
    # K: asked on 20 Mar, no decision by 6 May.
    assert (
        housing["Enquiries received"],
        housing["Decisions"],
        housing["Waiting for a decision"],
    ) == (1, 0, 1)
    assert q1.headline("Ombudsman enquiries").value == 1


def test_remedies_and_lessons(q1: Report) -> None:
    remedies = q1.table("remedies").as_dict()
    # Remedies on issues of cases closed in Q1: A (apology, £50 payment), C1 (delivered: put
    # right), H (explanation), K (completed: put right) = 4. K's settlement terms: a refund
    # (financial) and an apology.
    assert remedies["Issues with a remedy; settlements with terms"] == {
        "Issues": 4,
        "Settlements": 1,
    }
    assert remedies["Apology"] == {"Issues": 1, "Settlements": 1}
    assert remedies["Explanation"] == {"Issues": 1, "Settlements": 0}
    assert remedies["Service provided or put right"] == {"Issues": 2, "Settlements": 0}
    assert remedies["Financial (compensation, refund or payment)"] == {
        "Issues": 1,
        "Settlements": 1,
    }
    assert remedies["Other remedy"] == {"Issues": 0, "Settlements": 0}
    assert q1.headline("Remedies").value == 4
    lessons = q1.table("lessons-actions").as_dict()
    # Lessons: A, C1, K. Actions: A (done 1 Feb, due 6 Feb: on time), K (done 2 Apr, due
    # 20 Mar: late), C1 (due 10 Mar, not done by 6 May: overdue), H (due 30 Jun: not yet due).
    assert {k: v["Count"] for k, v in lessons.items()} == {
        "Lessons learnt recorded": 3,
        "Actions agreed": 4,
        "Completed on time": 1,
        "Completed late": 1,
        "Open and overdue": 1,
        "Open, not yet due": 1,
    }
    assert q1.headline("Lessons-learnt actions outstanding").value == 2
    by_service = q1.table("lessons-by-service").as_dict()
    assert by_service["Waste"] == {
        "Lessons learnt": 2,
        "Actions": 3,
        "Completed on time": 1,
        "Completed late": 0,
        "Open and overdue": 1,
        "Open, not yet due": 1,
    }
    assert by_service["Housing Repairs"]["Completed late"] == 1


def test_reasonable_adjustments(q1: Report) -> None:
    adjustments = q1.table("adjustments").as_dict()
    # Received in Q1 with adjustments: E (large print, corporate) and K (BSL, housing).
    assert adjustments["All routes"] == {
        "Complaints received": 10,
        "With reasonable adjustments": 2,
        "%": 20.0,
    }
    assert adjustments["Corporate"]["With reasonable adjustments"] == 1
    assert adjustments["Housing (council as landlord)"]["With reasonable adjustments"] == 1
    assert q1.headline("Reasonable adjustments made").value == 2


def test_cases_against_the_code(q1: Report) -> None:
    rows = {(row[0], row[1]): row for row in q1.table("code-timeliness").rows}
    columns = q1.table("code-timeliness").columns

    def get(council: str, stage: str, column: str) -> object:
        return rows[(council, stage)][columns.index(column)]

    # Stockport stage 1 responses (L, an enquiry, is not compared): A B C H. Under the policy
    # A C H on time. Under the Code, 10 working days from the acknowledgement: A (ack 30 Dec ->
    # 14 Jan, sent 9 Jan) on time; B (12 Jan -> 26 Jan, sent 6 Feb) late but within the 10-day
    # extension (9 Feb); C (8 Jan -> 22 Jan; with extension 5 Feb; sent 9 Feb) late; H (3 Feb ->
    # 17 Feb; extension 3 Mar; sent 20 Feb) late but within.
    assert get("Stockport Council", "Stage 1", "Responses sent") == 4
    assert get("Stockport Council", "Stage 1", "On time under the policy") == 3
    assert get("Stockport Council", "Stage 1", "On time under the Code") == 1
    assert get("Stockport Council", "Stage 1", "Within the Code's longest extension") == 3
    # Acknowledged at stage 1 begun in Q1: B C D H; within the Code's 5 days C D H (B late).
    assert get("Stockport Council", "Stage 1", "Acknowledged") == 4
    assert get("Stockport Council", "Stage 1", "Within the Code's 5 days") == 3
    # G at stage 2: acknowledged 22 Jan, the Code's 20 days -> 19 Feb, sent 2 Mar: late; the
    # Code's 20 more days -> 19 Mar: within.
    assert get("Stockport Council", "Stage 2", "On time under the Code") == 0
    assert get("Stockport Council", "Stage 2", "Within the Code's longest extension") == 1
    # I (Southampton): no acknowledgement, so assumed on its due date 12 Jan; answer due 26 Jan,
    # sent 16 Jan: on time. Southampton sets no acknowledgement target: blank.
    assert get("Southampton City Council", "Stage 1", "On time under the Code") == 1
    assert (
        get("Southampton City Council", "Stage 1", "Within the policy's target (blank: none set)")
        is None
    )
    # K (Stoke housing): acknowledged 17 Feb -> 3 Mar, sent 27 Feb: on time.
    assert get("Stoke-on-Trent City Council", "Stage 1", "On time under the Code") == 1


def test_one_council_and_one_day(app, q1: Report) -> None:  # noqa: ANN001
    with app.sessions() as session:
        stockport = build_report(session, Q1, policy_id="stockport", as_of=AS_OF)
        new_year = build_report(session, Period(D(2026, 1, 1), D(2026, 1, 1)), as_of=AS_OF)
        second = build_report(session, Period(D(2026, 1, 2), D(2026, 1, 2)), as_of=AS_OF)
    # Stockport alone: received B C D E F H J L = 8; closed A B C F G H J L = 8.
    assert stockport.headline("Complaints received").value == 8
    assert stockport.headline("Cases closed").value == 8
    assert stockport.scope == "Stockport Council"
    assert {row[0] for row in stockport.table("code-timeliness").rows} == {
        "Stockport Council",
        "Total",
    }
    # Both ends of a one-day period count: C on 1 Jan, B on 2 Jan.
    assert new_year.headline("Complaints received").value == 1
    assert second.headline("Complaints received").value == 1


def test_an_empty_period_gives_zeros_not_errors(app) -> None:  # noqa: ANN001
    with app.sessions() as session:
        report = build_report(session, Period.quarter(2030, 1), as_of=AS_OF)
    assert report.headline("Complaints received").value == 0
    assert report.headline("Answered on time").value is None
    assert report.headline("Average working days to respond").value is None
    assert report.table("monthly").rows == (
        ("Jan 2030", 0, 0),
        ("Feb 2030", 0, 0),
        ("Mar 2030", 0, 0),
    )


def test_stage_received_matches_the_report_rule() -> None:
    case = Case(stage=2, received=D(2025, 11, 3), escalation_requested=D(2026, 1, 20))
    assert stage_received(case) == D(2026, 1, 20)


def test_on_sqlite_the_period_s_cases_are_read_once_without_hints(app, q1) -> None:  # noqa: ANN001
    """No index hint (``NOT INDEXED``) nor compiler of the app's own, and the counts over the
    period's cases (received, closed, requests, stages begun, responses, issues, the Code's
    self-assessment, the Tenant Satisfaction Measures) are one statement that reads the cases
    table once into a common table expression, which every count then reads
    (docs/performance.md)."""
    from sqlalchemy import event

    sent: list[tuple[str, Any]] = []

    @event.listens_for(app.engine, "before_cursor_execute")
    def keep(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        sent.append((statement, parameters))

    with app.sessions() as session:
        again = build_report(session, Q1, as_of=AS_OF)
    event.remove(app.engine, "before_cursor_execute", keep)
    assert again.headlines == q1.headlines  # the same figures
    assert again.tables == q1.tables
    assert not [sql for sql, _ in sent if "INDEXED" in sql]
    one_pass = [(sql, params) for sql, params in sent if "period_cases" in sql]
    assert len(one_pass) == 1
    with app.engine.connect() as connection:
        sql, params = one_pass[0]
        plan = [row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)]
    assert "MATERIALIZE period_cases" in plan, plan
    assert len([step for step in plan if " cases " in f"{step} "]) == 1, plan  # read once
    assert len([step for step in plan if step.startswith("SCAN period_cases")]) >= 9, plan
