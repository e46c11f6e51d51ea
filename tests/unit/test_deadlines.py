"""compute_deadlines under each policy, and `caseworker deadlines`; dates counted by hand.

Calendar facts used below (England and Wales):
  2026: Good Friday Fri 3 Apr, Easter Monday Mon 6 Apr, early May Mon 4 May,
        Christmas Fri 25 Dec, Boxing Day Sat 26 Dec -> substitute Mon 28 Dec.
  2027: New Year Fri 1 Jan, Good Friday Fri 26 Mar, Easter Monday Mon 29 Mar, early May Mon 3 May,
        Christmas Sat 25 Dec and Boxing Day Sun 26 Dec -> substitutes Mon 27 and Tue 28 Dec.
  2028: New Year Sat 1 Jan -> substitute Mon 3 Jan.
In the counts, "[...]" lists the days skipped.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from caseworker.cli.main import main
from caseworker.domain.enums import RouteId, SendMethod
from caseworker.errors import UserError
from caseworker.policy.deadlines import (
    Deadlines,
    MilestoneDue,
    compute_deadlines,
    escalation_decision_due,
    extension_source,
)
from caseworker.policy.loader import get_policy
from caseworker.policy.schema import Policy

D = dt.date


def policy(policy_id: str) -> Policy:
    return get_policy(policy_id)


def reading(policy: Policy, start: str) -> Policy:
    """The policy with ``clock.start_on_non_working_day`` set to ``start``."""
    clock = policy.clock.model_copy(update={"start_on_non_working_day": start})
    return policy.model_copy(update={"clock": clock})


# -- Stockport: acknowledge 5, respond 20 from receipt, extension 10; no escalation window -----


def test_stockport_spec_example() -> None:
    # Received Mon 23 Nov 2026.
    # 5:  Tue 24 (1), Wed 25 (2), Thu 26 (3), Fri 27 (4), Mon 30 (5)                 -> Mon 30 Nov
    # 20: Tue 1 Dec (6), Wed 2 (7), Thu 3 (8), Fri 4 (9), Mon 7 (10), Tue 8 (11), Wed 9 (12),
    #     Thu 10 (13), Fri 11 (14), Mon 14 (15), Tue 15 (16), Wed 16 (17), Thu 17 (18),
    #     Fri 18 (19), Mon 21 (20)                                                    -> Mon 21 Dec
    # +10: Tue 22 (1), Wed 23 (2), Thu 24 (3), [Fri 25 - Mon 28], Tue 29 (4), Wed 30 (5),
    #     Thu 31 (6), [Fri 1 Jan - Sun 3], Mon 4 (7), Tue 5 (8), Wed 6 (9), Thu 7 (10) -> Thu 7 Jan
    got = compute_deadlines(
        policy("stockport"), route="corporate", stage=1, received=D(2026, 11, 23)
    )
    assert got == Deadlines(
        acknowledge_by=D(2026, 11, 30),
        respond_by=D(2026, 12, 21),
        respond_by_latest=D(2027, 1, 7),
        deemed_received=None,
        escalate_by=None,
    )


def test_stockport_christmas_2026() -> None:
    # Received Mon 14 Dec 2026.
    # 5:  Tue 15 (1), Wed 16 (2), Thu 17 (3), Fri 18 (4), Mon 21 (5)                 -> Mon 21 Dec
    # 20: Tue 22 (6), Wed 23 (7), Thu 24 (8), [Fri 25, Sat 26, Sun 27, Mon 28], Tue 29 (9),
    #     Wed 30 (10), Thu 31 (11), [Fri 1 Jan, Sat 2, Sun 3], Mon 4 (12), Tue 5 (13),
    #     Wed 6 (14), Thu 7 (15), Fri 8 (16), Mon 11 (17), Tue 12 (18), Wed 13 (19),
    #     Thu 14 (20)                                                                 -> Thu 14 Jan
    # +10: Fri 15 (1), Mon 18 (2), Tue 19 (3), Wed 20 (4), Thu 21 (5), Fri 22 (6), Mon 25 (7),
    #     Tue 26 (8), Wed 27 (9), Thu 28 (10)                                          -> Thu 28 Jan
    # Response sent Thu 14 Jan by first class: deemed received the next day, Fri 15 Jan;
    # Stockport sets no window for stage 2, so no escalate_by.
    got = compute_deadlines(
        policy("stockport"),
        route="corporate",
        stage=1,
        received=D(2026, 12, 14),
        response_sent=D(2027, 1, 14),
        sent_by=SendMethod.FIRST_CLASS,
    )
    assert got == Deadlines(D(2026, 12, 21), D(2027, 1, 14), D(2027, 1, 28), D(2027, 1, 15), None)


def test_stockport_easter_2027() -> None:
    # Received Mon 22 Mar 2027.
    # 5:  Tue 23 (1), Wed 24 (2), Thu 25 (3), [Fri 26, Sat 27, Sun 28, Mon 29], Tue 30 (4),
    #     Wed 31 (5)                                                                  -> Wed 31 Mar
    # 20: Thu 1 Apr (6), Fri 2 (7), Mon 5 (8), Tue 6 (9), Wed 7 (10), Thu 8 (11), Fri 9 (12),
    #     Mon 12 (13), Tue 13 (14), Wed 14 (15), Thu 15 (16), Fri 16 (17), Mon 19 (18),
    #     Tue 20 (19), Wed 21 (20)                                                    -> Wed 21 Apr
    # +10: Thu 22 (1), Fri 23 (2), Mon 26 (3), Tue 27 (4), Wed 28 (5), Thu 29 (6), Fri 30 (7),
    #     [Mon 3 May, early May bank holiday], Tue 4 (8), Wed 5 (9), Thu 6 (10)      -> Thu 6 May
    got = compute_deadlines(
        policy("stockport"), route="corporate", stage=1, received=D(2027, 3, 22)
    )
    assert got == Deadlines(D(2027, 3, 31), D(2027, 4, 21), D(2027, 5, 6))


def test_stockport_member_enquiry_has_no_acknowledgement_or_extension() -> None:
    # Received Tue 1 Dec 2026, 10 working days: Wed 2 (1), Thu 3 (2), Fri 4 (3), Mon 7 (4),
    # Tue 8 (5), Wed 9 (6), Thu 10 (7), Fri 11 (8), Mon 14 (9), Tue 15 (10)          -> Tue 15 Dec
    got = compute_deadlines(
        policy("stockport"), route=RouteId.MEMBER_ENQUIRY, stage=1, received=D(2026, 12, 1)
    )
    assert got == Deadlines(None, D(2026, 12, 15), None)


# -- Stoke-on-Trent: acknowledge 5, respond 10 from receipt, extension 10; window 10 working ---


def test_stoke_christmas_2026() -> None:
    # Received Mon 21 Dec 2026.
    # 5:  Tue 22 (1), Wed 23 (2), Thu 24 (3), [Fri 25 - Mon 28], Tue 29 (4),
    #     Wed 30 (5)                                                                   -> Wed 30 Dec
    # 10: Thu 31 (6), [Fri 1 Jan - Sun 3], Mon 4 (7), Tue 5 (8), Wed 6 (9), Thu 7 (10) -> Thu 7 Jan
    # +10: Fri 8 (1), Mon 11 (2), Tue 12 (3), Wed 13 (4), Thu 14 (5), Fri 15 (6), Mon 18 (7),
    #     Tue 19 (8), Wed 20 (9), Thu 21 (10)                                          -> Thu 21 Jan
    # Response emailed Mon 4 Jan 2027: deemed received that day. Window, 10 working days after:
    # Tue 5 (1), Wed 6 (2), Thu 7 (3), Fri 8 (4), Mon 11 (5), Tue 12 (6), Wed 13 (7), Thu 14 (8),
    # Fri 15 (9), Mon 18 (10)                                                          -> Mon 18 Jan
    got = compute_deadlines(
        policy("stoke-on-trent"),
        route="corporate",
        stage=1,
        received=D(2026, 12, 21),
        response_sent=D(2027, 1, 4),
        sent_by="email",
    )
    assert got == Deadlines(
        D(2026, 12, 30), D(2027, 1, 7), D(2027, 1, 21), D(2027, 1, 4), D(2027, 1, 18)
    )


def test_stoke_easter_2026() -> None:
    # Received Mon 30 Mar 2026.
    # 5:  Tue 31 (1), Wed 1 Apr (2), Thu 2 (3), [Fri 3, Sat 4, Sun 5, Mon 6], Tue 7 (4),
    #     Wed 8 (5)                                                                    -> Wed 8 Apr
    # 10: Thu 9 (6), Fri 10 (7), Mon 13 (8), Tue 14 (9), Wed 15 (10)                 -> Wed 15 Apr
    # +10: Thu 16 (1), Fri 17 (2), Mon 20 (3), Tue 21 (4), Wed 22 (5), Thu 23 (6), Fri 24 (7),
    #     Mon 27 (8), Tue 28 (9), Wed 29 (10)                                          -> Wed 29 Apr
    # Response sent Thu 2 Apr by first class: deemed received the next calendar day, Fri 3 Apr
    # (Good Friday: calendar days are added plainly). A start on a non-working day counts from the
    # next working day (clock.start_on_non_working_day = "next-working-day"), as receipt does:
    # day 0 is Tue 7 Apr. Window, 10 working days after it:
    # Wed 8 (1), Thu 9 (2), Fri 10 (3), Mon 13 (4), Tue 14 (5), Wed 15 (6), Thu 16 (7), Fri 17 (8),
    # Mon 20 (9), Tue 21 (10)                                                          -> Tue 21 Apr
    got = compute_deadlines(
        policy("stoke-on-trent"),
        route="corporate",
        stage=1,
        received=D(2026, 3, 30),
        response_sent=D(2026, 4, 2),
        sent_by="first-class",
    )
    assert got == Deadlines(
        D(2026, 4, 8), D(2026, 4, 15), D(2026, 4, 29), D(2026, 4, 3), D(2026, 4, 21)
    )
    # The other reading ("that-day"): Good Friday itself is day 0. [Sat 4, Sun 5, Mon 6],
    # Tue 7 (1), Wed 8 (2), Thu 9 (3), Fri 10 (4), Mon 13 (5), Tue 14 (6), Wed 15 (7), Thu 16 (8),
    # Fri 17 (9), Mon 20 (10)                                                          -> Mon 20 Apr
    got = compute_deadlines(
        reading(policy("stoke-on-trent"), "that-day"),
        route="corporate",
        stage=1,
        received=D(2026, 3, 30),
        response_sent=D(2026, 4, 2),
        sent_by="first-class",
    )
    assert (got.deemed_received, got.escalate_by) == (D(2026, 4, 3), D(2026, 4, 20))


# -- Information Governance council: acknowledge 5, respond 10 from acknowledgement,
#    extension 10; window one month ------------------------------------------------------------


def test_information_governance_christmas_2026() -> None:
    ig = policy("information-governance")
    # Received Fri 18 Dec 2026.
    # Acknowledge, 5: Mon 21 (1), Tue 22 (2), Wed 23 (3), Thu 24 (4), [Fri 25 - Mon 28],
    #     Tue 29 (5)                                                                   -> Tue 29 Dec
    # No acknowledgement date: assumed on its due date, Tue 29 Dec. 10 after it:
    #     Wed 30 (1), Thu 31 (2), [Fri 1 Jan - Sun 3], Mon 4 (3), Tue 5 (4), Wed 6 (5), Thu 7 (6),
    #     Fri 8 (7), Mon 11 (8), Tue 12 (9), Wed 13 (10)                               -> Wed 13 Jan
    # +10: Thu 14 (1), Fri 15 (2), Mon 18 (3), Tue 19 (4), Wed 20 (5), Thu 21 (6), Fri 22 (7),
    #     Mon 25 (8), Tue 26 (9), Wed 27 (10)                                          -> Wed 27 Jan
    got = compute_deadlines(ig, route="corporate", stage=1, received=D(2026, 12, 18))
    assert got == Deadlines(D(2026, 12, 29), D(2027, 1, 13), D(2027, 1, 27))
    # Acknowledged early, Tue 22 Dec. 10 after it: Wed 23 (1), Thu 24 (2), Tue 29 (3), Wed 30 (4),
    #     Thu 31 (5), Mon 4 Jan (6), Tue 5 (7), Wed 6 (8), Thu 7 (9), Fri 8 (10)       -> Fri 8 Jan
    # +10: Mon 11 (1), Tue 12 (2), Wed 13 (3), Thu 14 (4), Fri 15 (5), Mon 18 (6), Tue 19 (7),
    #     Wed 20 (8), Thu 21 (9), Fri 22 (10)                                          -> Fri 22 Jan
    # Response emailed Fri 8 Jan: deemed received that day; one month                 -> Mon 8 Feb
    got = compute_deadlines(
        ig,
        route="corporate",
        stage=1,
        received=D(2026, 12, 18),
        acknowledged=D(2026, 12, 22),
        response_sent=D(2027, 1, 8),
        sent_by="email",
    )
    assert got == Deadlines(
        D(2026, 12, 29), D(2027, 1, 8), D(2027, 1, 22), D(2027, 1, 8), D(2027, 2, 8)
    )


def test_information_governance_easter_2027() -> None:
    ig = policy("information-governance")
    # Received Mon 22 Mar 2027.
    # Acknowledge, 5: Tue 23 (1), Wed 24 (2), Thu 25 (3), [Fri 26 - Mon 29], Tue 30 (4),
    #     Wed 31 (5)                                                                   -> Wed 31 Mar
    # 10 after Wed 31 Mar: Thu 1 Apr (1), Fri 2 (2), Mon 5 (3), Tue 6 (4), Wed 7 (5), Thu 8 (6),
    #     Fri 9 (7), Mon 12 (8), Tue 13 (9), Wed 14 (10)                               -> Wed 14 Apr
    # +10: Thu 15 (1), Fri 16 (2), Mon 19 (3), Tue 20 (4), Wed 21 (5), Thu 22 (6), Fri 23 (7),
    #     Mon 26 (8), Tue 27 (9), Wed 28 (10)                                          -> Wed 28 Apr
    # Response sent Thu 25 Mar by second class: the third working day after posting,
    #     [Fri 26 - Mon 29], Tue 30 (1), Wed 31 (2), Thu 1 Apr (3)                     -> Thu 1 Apr
    # One month after Thu 1 Apr                                                        -> Sat 1 May
    got = compute_deadlines(
        ig,
        route="corporate",
        stage=1,
        received=D(2027, 3, 22),
        response_sent=D(2027, 3, 25),
        sent_by="second-class",
    )
    assert got == Deadlines(
        D(2027, 3, 31), D(2027, 4, 14), D(2027, 4, 28), D(2027, 4, 1), D(2027, 5, 1)
    )


@pytest.mark.parametrize(
    ("sent", "method", "deemed", "escalate_by"),
    [
        # Emailed Mon 31 Jan 2028: one month on is 31 Feb, clamped to Tue 29 Feb (leap year).
        (D(2028, 1, 31), "email", D(2028, 1, 31), D(2028, 2, 29)),
        # First class Thu 30 Jan 2025: deemed Fri 31 Jan; clamped to Fri 28 Feb 2025.
        (D(2025, 1, 30), "first-class", D(2025, 1, 31), D(2025, 2, 28)),
        # First class Fri 30 Jan 2026: deemed Sat 31 Jan, which counts from the next working day,
        # Mon 2 Feb; one month on                                           -> Mon 2 Mar 2026.
        (D(2026, 1, 30), "first-class", D(2026, 1, 31), D(2026, 3, 2)),
        # Hand-delivered Fri 31 Mar 2028: clamped to Sun 30 Apr 2028.
        (D(2028, 3, 31), "hand", D(2028, 3, 31), D(2028, 4, 30)),
    ],
)
def test_information_governance_month_window_clamps_to_month_end(
    sent: dt.date, method: str, deemed: dt.date, escalate_by: dt.date
) -> None:
    got = compute_deadlines(
        policy("information-governance"),
        route="corporate",
        stage=1,
        received=sent - dt.timedelta(days=20),
        response_sent=sent,
        sent_by=method,
    )
    assert (got.deemed_received, got.escalate_by) == (deemed, escalate_by)


def test_information_governance_month_window_from_a_saturday_read_as_that_day() -> None:
    # First class Fri 30 Jan 2026: deemed Sat 31 Jan, itself day 0 under "that-day"; one month
    # on is 31 Feb, clamped                                               -> Sat 28 Feb 2026.
    got = compute_deadlines(
        reading(policy("information-governance"), "that-day"),
        route="corporate",
        stage=1,
        received=D(2026, 1, 10),
        response_sent=D(2026, 1, 30),
        sent_by="first-class",
    )
    assert (got.deemed_received, got.escalate_by) == (D(2026, 1, 31), D(2026, 2, 28))


# -- Warwickshire: respond 10 from receipt, latest 30; window 20 calendar days -----------------


def test_warwickshire_christmas_2027_and_deemed_receipt_by_each_method() -> None:
    warks = policy("warwickshire")
    # Received Mon 20 Dec 2027; no acknowledgement target.
    # 10: Tue 21 (1), Wed 22 (2), Thu 23 (3), Fri 24 (4), [Sat 25, Sun 26, Mon 27, Tue 28],
    #     Wed 29 (5), Thu 30 (6), Fri 31 (7), [Sat 1 Jan, Sun 2, Mon 3], Tue 4 (8), Wed 5 (9),
    #     Thu 6 (10)                                                                   -> Thu 6 Jan
    # +20 (30 in all): Fri 7 (1), Mon 10 (2), Tue 11 (3), Wed 12 (4), Thu 13 (5), Fri 14 (6),
    #     Mon 17 (7), Tue 18 (8), Wed 19 (9), Thu 20 (10), Fri 21 (11), Mon 24 (12), Tue 25 (13),
    #     Wed 26 (14), Thu 27 (15), Fri 28 (16), Mon 31 (17), Tue 1 Feb (18), Wed 2 (19),
    #     Thu 3 (20)                                                                   -> Thu 3 Feb
    # Response sent Thu 23 Dec 2027:
    #   email: the same day, Thu 23 Dec; + 20 calendar days                            -> Wed 12 Jan
    #   hand: the same day, Thu 23 Dec                                                 -> Wed 12 Jan
    #   first class: the next day, Fri 24 Dec; + 20                                    -> Thu 13 Jan
    #   second class: the third business day: Fri 24 (1), [Sat 25 - Tue 28], Wed 29 (2),
    #     Thu 30 (3) -> Thu 30 Dec; + 20 calendar days                                 -> Wed 19 Jan
    expected = {
        "email": (D(2027, 12, 23), D(2028, 1, 12)),
        "hand": (D(2027, 12, 23), D(2028, 1, 12)),
        "first-class": (D(2027, 12, 24), D(2028, 1, 13)),
        "second-class": (D(2027, 12, 30), D(2028, 1, 19)),
    }
    assert set(expected) == {m.value for m in SendMethod}
    for method, (deemed, escalate_by) in expected.items():
        got = compute_deadlines(
            warks,
            route="corporate",
            stage=1,
            received=D(2027, 12, 20),
            response_sent=D(2027, 12, 23),
            sent_by=method,
        )
        assert got == Deadlines(None, D(2028, 1, 6), D(2028, 2, 3), deemed, escalate_by), method


def test_warwickshire_easter_2026() -> None:
    warks = policy("warwickshire")
    # Received Thu 26 Mar 2026.
    # 10: Fri 27 (1), Mon 30 (2), Tue 31 (3), Wed 1 Apr (4), Thu 2 (5), [Fri 3, Sat 4, Sun 5,
    #     Mon 6], Tue 7 (6), Wed 8 (7), Thu 9 (8), Fri 10 (9), Mon 13 (10)             -> Mon 13 Apr
    # +20: Tue 14 (1), Wed 15 (2), Thu 16 (3), Fri 17 (4), Mon 20 (5), Tue 21 (6), Wed 22 (7),
    #     Thu 23 (8), Fri 24 (9), Mon 27 (10), Tue 28 (11), Wed 29 (12), Thu 30 (13),
    #     Fri 1 May (14), [Mon 4 May], Tue 5 (15), Wed 6 (16), Thu 7 (17), Fri 8 (18),
    #     Mon 11 (19), Tue 12 (20)                                                     -> Tue 12 May
    # Response sent Thu 2 Apr 2026:
    #   second class: [Fri 3 - Mon 6], Tue 7 (1), Wed 8 (2), Thu 9 (3) -> Thu 9 Apr;
    #     + 20 calendar days                                                           -> Wed 29 Apr
    #   first class: the next day, Fri 3 Apr (Good Friday, counted plainly). The window counts
    #     from the next working day, Tue 7 Apr (day 0); + 20 calendar days            -> Mon 27 Apr
    #     (read "that-day", Good Friday is day 0; + 20                                -> Thu 23 Apr)
    got = compute_deadlines(
        warks,
        route="corporate",
        stage=1,
        received=D(2026, 3, 26),
        response_sent=D(2026, 4, 2),
        sent_by="second-class",
    )
    assert got == Deadlines(None, D(2026, 4, 13), D(2026, 5, 12), D(2026, 4, 9), D(2026, 4, 29))
    got = compute_deadlines(
        warks,
        route="corporate",
        stage=1,
        received=D(2026, 3, 26),
        response_sent=D(2026, 4, 2),
        sent_by="first-class",
    )
    assert (got.deemed_received, got.escalate_by) == (D(2026, 4, 3), D(2026, 4, 27))
    got = compute_deadlines(
        reading(warks, "that-day"),
        route="corporate",
        stage=1,
        received=D(2026, 3, 26),
        response_sent=D(2026, 4, 2),
        sent_by="first-class",
    )
    assert (got.deemed_received, got.escalate_by) == (D(2026, 4, 3), D(2026, 4, 23))


# -- Southampton stage 2: respond 20 from receipt, latest 30 ------------------------------------


def test_southampton_stage_2_christmas_2027() -> None:
    # Stage 2 request received Mon 13 Dec 2027.
    # 20: Tue 14 (1), Wed 15 (2), Thu 16 (3), Fri 17 (4), Mon 20 (5), Tue 21 (6), Wed 22 (7),
    #     Thu 23 (8), Fri 24 (9), [Sat 25 - Tue 28], Wed 29 (10), Thu 30 (11), Fri 31 (12),
    #     [Sat 1 - Mon 3 Jan], Tue 4 (13), Wed 5 (14), Thu 6 (15), Fri 7 (16), Mon 10 (17),
    #     Tue 11 (18), Wed 12 (19), Thu 13 (20)                                        -> Thu 13 Jan
    # +10 (30 in all): Fri 14 (1), Mon 17 (2), Tue 18 (3), Wed 19 (4), Thu 20 (5), Fri 21 (6),
    #     Mon 24 (7), Tue 25 (8), Wed 26 (9), Thu 27 (10)                              -> Thu 27 Jan
    got = compute_deadlines(
        policy("southampton"), route="corporate", stage=2, received=D(2027, 12, 13)
    )
    assert got == Deadlines(None, D(2028, 1, 13), D(2028, 1, 27))


def test_southampton_stage_2_easter_2027() -> None:
    # Stage 2 request received Thu 18 Mar 2027.
    # 20: Fri 19 (1), Mon 22 (2), Tue 23 (3), Wed 24 (4), Thu 25 (5), [Fri 26 - Mon 29],
    #     Tue 30 (6), Wed 31 (7), Thu 1 Apr (8), Fri 2 (9), Mon 5 (10), Tue 6 (11), Wed 7 (12),
    #     Thu 8 (13), Fri 9 (14), Mon 12 (15), Tue 13 (16), Wed 14 (17), Thu 15 (18), Fri 16 (19),
    #     Mon 19 (20)                                                                  -> Mon 19 Apr
    # +10: Tue 20 (1), Wed 21 (2), Thu 22 (3), Fri 23 (4), Mon 26 (5), Tue 27 (6), Wed 28 (7),
    #     Thu 29 (8), Fri 30 (9), [Mon 3 May], Tue 4 (10)                              -> Tue 4 May
    got = compute_deadlines(
        policy("southampton"), route="corporate", stage=2, received=D(2027, 3, 18)
    )
    assert got == Deadlines(None, D(2027, 4, 19), D(2027, 5, 4))


# -- Complaint Handling Code: acknowledge 5, respond 10 from acknowledgement, extension 10 ------


def test_complaint_handling_code_christmas_2027() -> None:
    code = policy("complaint-handling-code")
    # Received Mon 20 Dec 2027.
    # Acknowledge, 5: Tue 21 (1), Wed 22 (2), Thu 23 (3), Fri 24 (4), [Sat 25 - Tue 28],
    #     Wed 29 (5)                                                                   -> Wed 29 Dec
    # 10 after Wed 29 Dec: Thu 30 (1), Fri 31 (2), [Sat 1 - Mon 3 Jan], Tue 4 (3), Wed 5 (4),
    #     Thu 6 (5), Fri 7 (6), Mon 10 (7), Tue 11 (8), Wed 12 (9), Thu 13 (10)      -> Thu 13 Jan
    # +10: Fri 14 (1), Mon 17 (2), Tue 18 (3), Wed 19 (4), Thu 20 (5), Fri 21 (6), Mon 24 (7),
    #     Tue 25 (8), Wed 26 (9), Thu 27 (10)                                          -> Thu 27 Jan
    got = compute_deadlines(code, route="corporate", stage=1, received=D(2027, 12, 20))
    assert got == Deadlines(D(2027, 12, 29), D(2028, 1, 13), D(2028, 1, 27))
    # Acknowledged Wed 22 Dec: Thu 23 (1), Fri 24 (2), Wed 29 (3), Thu 30 (4), Fri 31 (5),
    #     Tue 4 Jan (6), Wed 5 (7), Thu 6 (8), Fri 7 (9), Mon 10 (10)                  -> Mon 10 Jan
    # +10: Tue 11 (1), Wed 12 (2), Thu 13 (3), Fri 14 (4), Mon 17 (5), Tue 18 (6), Wed 19 (7),
    #     Thu 20 (8), Fri 21 (9), Mon 24 (10)                                          -> Mon 24 Jan
    got = compute_deadlines(
        code, route="corporate", stage=1, received=D(2027, 12, 20), acknowledged=D(2027, 12, 22)
    )
    assert got == Deadlines(D(2027, 12, 29), D(2028, 1, 10), D(2028, 1, 24))


def test_complaint_handling_code_easter_2026() -> None:
    code = policy("complaint-handling-code")
    # Received Mon 30 Mar 2026.
    # Acknowledge, 5: Tue 31 (1), Wed 1 Apr (2), Thu 2 (3), [Fri 3 - Mon 6], Tue 7 (4),
    #     Wed 8 (5)                                                                    -> Wed 8 Apr
    # 10 after Wed 8: Thu 9 (1), Fri 10 (2), Mon 13 (3), Tue 14 (4), Wed 15 (5), Thu 16 (6),
    #     Fri 17 (7), Mon 20 (8), Tue 21 (9), Wed 22 (10)                              -> Wed 22 Apr
    # +10: Thu 23 (1), Fri 24 (2), Mon 27 (3), Tue 28 (4), Wed 29 (5), Thu 30 (6), Fri 1 May (7),
    #     [Mon 4 May], Tue 5 (8), Wed 6 (9), Thu 7 (10)                                -> Thu 7 May
    got = compute_deadlines(code, route="corporate", stage=1, received=D(2026, 3, 30))
    assert got == Deadlines(D(2026, 4, 8), D(2026, 4, 22), D(2026, 5, 7))
    # Acknowledged by email on Good Friday, Fri 3 Apr: counts from Tue 7 Apr. 10 after:
    #     Wed 8 (1), Thu 9 (2), Fri 10 (3), Mon 13 (4), Tue 14 (5), Wed 15 (6), Thu 16 (7),
    #     Fri 17 (8), Mon 20 (9), Tue 21 (10)                                          -> Tue 21 Apr
    got = compute_deadlines(
        code, route="corporate", stage=1, received=D(2026, 3, 30), acknowledged=D(2026, 4, 3)
    )
    assert got.respond_by == D(2026, 4, 21)


def test_acknowledgement_date_is_not_mixed_up_between_calls() -> None:
    # The same receipt date with and without an acknowledgement date, in turn: each call gets
    # its own answer (see the Code's Christmas 2027 example above).
    code = policy("complaint-handling-code")
    for acknowledged, respond_by in [
        (None, D(2028, 1, 13)),
        (D(2027, 12, 22), D(2028, 1, 10)),
        (None, D(2028, 1, 13)),
        (D(2027, 12, 22), D(2028, 1, 10)),
    ]:
        got = compute_deadlines(
            code, route="corporate", stage=1, received=D(2027, 12, 20), acknowledged=acknowledged
        )
        assert got.respond_by == respond_by
    # Where the clock runs from receipt, the acknowledgement date changes nothing.
    stockport = policy("stockport")
    for acknowledged in (None, D(2026, 11, 24), D(2026, 11, 30)):
        got = compute_deadlines(
            stockport,
            route="corporate",
            stage=1,
            received=D(2026, 11, 23),
            acknowledged=acknowledged,
        )
        assert got.respond_by == D(2026, 12, 21)


# -- suspensions, extensions, closure days ------------------------------------------------------


def test_suspension_pushes_respond_by_not_acknowledge_by() -> None:
    # Stockport, received Mon 23 Nov 2026: respond by Mon 21 Dec (spec example). Suspended
    # Mon 7 - Fri 11 Dec (5 working days): 5 more after Mon 21 Dec:
    #     Tue 22 (1), Wed 23 (2), Thu 24 (3), Tue 29 (4), Wed 30 (5)                  -> Wed 30 Dec
    # Latest, 10 after Wed 30 Dec: Thu 31 (1), Mon 4 Jan (2), Tue 5 (3), Wed 6 (4), Thu 7 (5),
    #     Fri 8 (6), Mon 11 (7), Tue 12 (8), Wed 13 (9), Thu 14 (10)                   -> Thu 14 Jan
    got = compute_deadlines(
        policy("stockport"),
        route="corporate",
        stage=1,
        received=D(2026, 11, 23),
        suspensions=[(D(2026, 12, 7), D(2026, 12, 11))],
    )
    assert got == Deadlines(D(2026, 11, 30), D(2026, 12, 30), D(2027, 1, 14))


def test_suspension_with_clock_from_acknowledgement() -> None:
    # The Code, received Mon 20 Dec 2027, no acknowledgement date: respond by Thu 13 Jan 2028.
    # Suspended Mon 10 - Wed 12 Jan (3 working days): Fri 14 (1), Mon 17 (2), Tue 18 (3)
    #                                                                                  -> Tue 18 Jan
    # Latest, 10 after Tue 18 Jan: Wed 19 (1), Thu 20 (2), Fri 21 (3), Mon 24 (4), Tue 25 (5),
    #     Wed 26 (6), Thu 27 (7), Fri 28 (8), Mon 31 (9), Tue 1 Feb (10)               -> Tue 1 Feb
    got = compute_deadlines(
        policy("complaint-handling-code"),
        route="corporate",
        stage=1,
        received=D(2027, 12, 20),
        suspensions=[(D(2028, 1, 10), D(2028, 1, 12))],
    )
    assert got == Deadlines(D(2027, 12, 29), D(2028, 1, 18), D(2028, 2, 1))


def test_agreed_extension() -> None:
    stockport = policy("stockport")
    # Received Mon 23 Nov 2026: respond by Mon 21 Dec, latest Thu 7 Jan 2027.
    got = compute_deadlines(
        stockport,
        route="corporate",
        stage=1,
        received=D(2026, 11, 23),
        extended_to=D(2027, 1, 5),
    )
    assert got == Deadlines(D(2026, 11, 30), D(2027, 1, 5), D(2027, 1, 7))
    with pytest.raises(UserError, match="2027-01-08 is after the latest.*2027-01-07"):
        compute_deadlines(
            stockport,
            route="corporate",
            stage=1,
            received=D(2026, 11, 23),
            extended_to=D(2027, 1, 8),
        )
    with pytest.raises(UserError, match="2026-12-18 is before"):
        compute_deadlines(
            stockport,
            route="corporate",
            stage=1,
            received=D(2026, 11, 23),
            extended_to=D(2026, 12, 18),
        )
    with pytest.raises(UserError, match="allows no extension"):
        compute_deadlines(
            stockport,
            route="member-enquiry",
            stage=1,
            received=D(2026, 11, 23),
            extended_to=D(2026, 12, 18),
        )


def test_closure_days_in_a_policy() -> None:
    # Stockport with the office also closed Tue 29 - Thu 31 Dec 2026. Received Mon 21 Dec:
    # 5: Tue 22 (1), Wed 23 (2), Thu 24 (3), [Fri 25 - Sun 3 Jan], Mon 4 (4), Tue 5 (5) -> Tue 5 Jan
    data = policy("stockport").model_dump(mode="python")
    data["clock"]["closure_days"] = [D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 31)]
    closed = Policy.model_validate(data, strict=False)
    got = compute_deadlines(closed, route="corporate", stage=1, received=D(2026, 12, 21))
    assert got.acknowledge_by == D(2027, 1, 5)
    # Without the closure: Tue 22, Wed 23, Thu 24, Tue 29, Wed 30                     -> Wed 30 Dec
    got = compute_deadlines(
        policy("stockport"), route="corporate", stage=1, received=D(2026, 12, 21)
    )
    assert got.acknowledge_by == D(2026, 12, 30)


def test_default_route_is_the_first() -> None:
    stockport = policy("stockport")
    assert compute_deadlines(stockport, route=None, stage=1, received=D(2026, 11, 23)) == (
        compute_deadlines(stockport, route="corporate", stage=1, received=D(2026, 11, 23))
    )


# -- invalid combinations -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"route": "housing"}, "no route 'housing'.*corporate, member-enquiry"),
        ({"stage": 3}, "no stage 3"),
        (
            {"response_sent": D(2026, 11, 20), "sent_by": "email"},
            "response date 2026-11-20 is before.*2026-11-23",
        ),
        ({"acknowledged": D(2026, 11, 22)}, "acknowledgement date 2026-11-22 is before"),
        ({"sent_by": "email"}, "'email' given without the date"),
        ({"response_sent": D(2026, 12, 1)}, "2026-12-01 needs a sending method"),
        ({"response_sent": D(2026, 12, 1), "sent_by": "fax"}, "'fax' is not a way"),
        ({"suspensions": [(D(2026, 12, 7), D(2026, 12, 1))]}, "cannot end"),
    ],
)
def test_invalid_combinations(kwargs: dict, message: str) -> None:
    arguments = {"route": "corporate", "stage": 1, "received": D(2026, 11, 23), **kwargs}
    with pytest.raises(UserError, match=message):
        compute_deadlines(policy("stockport"), **arguments)


def test_one_reading_for_every_event_a_clock_starts_from() -> None:
    # Warwickshire appendix 3: deemed received "the day after posting if sent by first class post
    # or the third business day after posting if sent by second class post"; stage 2 asked for
    # "within 20 days of receiving the stage one response". Received Mon 7 Dec 2026; the response
    # is posted on Sat 19 Dec 2026, a non-working day.
    # next-working-day: the posting counts as Mon 21 Dec (day 0).
    #   first class: the day after, Tue 22 Dec; + 20 calendar days                    -> Mon 11 Jan
    #   second class: Tue 22 (1), Wed 23 (2), Thu 24 (3) -> Thu 24 Dec; + 20           -> Wed 13 Jan
    # that-day: Sat 19 Dec is day 0.
    #   first class: Sun 20 Dec, itself day 0 of the window; + 20                     -> Sat 9 Jan
    #   second class: Mon 21 (1), Tue 22 (2), Wed 23 (3)-> Wed 23 Dec; + 20            -> Tue 12 Jan
    warks = policy("warwickshire")
    expected = {
        ("next-working-day", "first-class"): (D(2026, 12, 22), D(2027, 1, 11)),
        ("next-working-day", "second-class"): (D(2026, 12, 24), D(2027, 1, 13)),
        ("that-day", "first-class"): (D(2026, 12, 20), D(2027, 1, 9)),
        ("that-day", "second-class"): (D(2026, 12, 23), D(2027, 1, 12)),
    }
    for (start, method), dates in expected.items():
        got = compute_deadlines(
            reading(warks, start),
            route="corporate",
            stage=1,
            received=D(2026, 12, 7),
            response_sent=D(2026, 12, 19),
            sent_by=method,
        )
        assert (got.deemed_received, got.escalate_by) == dates, (start, method)
    # And receipt itself: a complaint emailed on Sat 19 Dec 2026 to Warwickshire, respond 10.
    # next-working-day: Mon 21 Dec is day 0: Tue 22 (1), Wed 23 (2), Thu 24 (3), [Fri 25 - Mon
    #   28], Tue 29 (4), Wed 30 (5), Thu 31 (6), [Fri 1 Jan], Mon 4 (7), Tue 5 (8), Wed 6 (9),
    #   Thu 7 (10)                                                                      -> Thu 7 Jan
    # that-day: Sat 19 Dec is day 0, Mon 21 Dec day 1                                   -> Wed 6 Jan
    for start, respond_by in (("next-working-day", D(2027, 1, 7)), ("that-day", D(2027, 1, 6))):
        got = compute_deadlines(
            reading(warks, start), route="corporate", stage=1, received=D(2026, 12, 19)
        )
        assert got.respond_by == respond_by, start


# -- every dated duty: the escalation decision and stage 3's milestones -------------------------


def test_stoke_escalation_decision_easter_2027() -> None:
    # Stoke "Stage 2": "we will contact you within 5 working days of the complaint being received
    # to advise you on whether your complaint will be escalated to a stage 2". Request received
    # Thu 25 Mar 2027: [Fri 26 Good Friday - Mon 29 Easter Monday], Tue 30 (1), Wed 31 (2),
    # Thu 1 Apr (3), Fri 2 (4), Mon 5 (5)                                             -> Mon 5 Apr
    got = compute_deadlines(
        policy("stoke-on-trent"), route="corporate", stage=2, received=D(2027, 3, 25)
    )
    assert got.decide_escalation_by == D(2027, 4, 5)
    assert (
        escalation_decision_due(policy("stoke-on-trent"), "corporate", 2, D(2027, 3, 25))
        == got.decide_escalation_by
    )


def test_warwickshire_escalation_decision_christmas_2027() -> None:
    # Warwickshire section 3: "if it is decided that there is no reason to escalate the complaint
    # to a stage two review, this will be explained within ten working days." Request emailed
    # Sat 18 Dec 2027: day 0 is the next working day, Mon 20 Dec. Tue 21 (1), Wed 22 (2),
    # Thu 23 (3), Fri 24 (4), [Sat 25 - Tue 28], Wed 29 (5), Thu 30 (6), Fri 31 (7),
    # [Sat 1 Jan - Mon 3 Jan 2028], Tue 4 (8), Wed 5 (9), Thu 6 (10)                  -> Thu 6 Jan
    # Read "that-day", Sat 18 Dec is day 0 and Mon 20 Dec is day 1               -> Wed 5 Jan
    warks = policy("warwickshire")
    got = compute_deadlines(warks, route="corporate", stage=2, received=D(2027, 12, 18))
    assert got.decide_escalation_by == D(2028, 1, 6)
    got = compute_deadlines(
        reading(warks, "that-day"), route="corporate", stage=2, received=D(2027, 12, 18)
    )
    assert got.decide_escalation_by == D(2028, 1, 5)
    # Stage 1 is not entered by request: no decision.
    assert compute_deadlines(warks, route="corporate", stage=1, received=D(2027, 12, 20)) == (
        Deadlines(None, D(2028, 1, 6), D(2028, 2, 3))
    )


def test_warwickshire_childrens_stage_3_milestones_easter_and_may_2027() -> None:
    # Appendix 3: stage 3 "30+5+15": "the time taken to arrange and set the panel date (30 days),
    # the time after which a report should be written and presented to the Assistant Director of
    # Children's Services (5 days), and the time within which they should then write to the
    # customer". Stage 3 asked for on Mon 22 Mar 2027.
    # Panel, 30: Tue 23 (1), Wed 24 (2), Thu 25 (3), [Fri 26 - Mon 29 Easter], Tue 30 (4),
    #   Wed 31 (5), Thu 1 Apr (6), Fri 2 (7), Mon 5 (8) ... Fri 30 Apr (27), [Mon 3 May],
    #   Tue 4 (28), Wed 5 (29), Thu 6 (30)                                        -> Thu 6 May
    # Report, 5 after: Fri 7 (1), Mon 10 (2), Tue 11 (3), Wed 12 (4), Thu 13 (5) -> Thu 13 May
    # Reply, 15 after: Fri 14 (1) ... Fri 28 (11), [Mon 31 May], Tue 1 Jun (12), Wed 2 (13),
    #   Thu 3 (14), Fri 4 (15)                                                    -> Fri 4 Jun
    # The reply is the stage's response: 50 working days, no extension.
    got = compute_deadlines(
        policy("warwickshire"), route="childrens-services", stage=3, received=D(2027, 3, 22)
    )
    assert [(m.id, m.due) for m in got.milestones] == [
        ("panel", D(2027, 5, 6)),
        ("report", D(2027, 5, 13)),
        ("reply", D(2027, 6, 4)),
    ]
    assert (got.respond_by, got.respond_by_latest) == (D(2027, 6, 4), None)
    # Suspended Mon 10 - Fri 14 May 2027 (5 working days): the report and reply move 5 later; the
    # panel, before it, does not. Report, 5 after the panel:
    # Fri 7 (1), [Mon 10 - Fri 14 suspended], Mon 17 (2), Tue 18 (3), Wed 19 (4), Thu 20 (5)
    #                                                                              -> Thu 20 May
    got = compute_deadlines(
        policy("warwickshire"),
        route="childrens-services",
        stage=3,
        received=D(2027, 3, 22),
        suspensions=[(D(2027, 5, 10), D(2027, 5, 14))],
    )
    assert [m.due for m in got.milestones][:2] == [D(2027, 5, 6), D(2027, 5, 20)]
    assert got.milestones[2].due == got.respond_by


def test_cli_shows_every_dated_duty(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["deadlines", "--policy", "warwickshire", "--route", "childrens-services"]
    assert main([*argv, "--stage", "3", "--received", "2027-03-22", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "acknowledge_by": None,
        "respond_by": "2027-06-04",
        "respond_by_latest": None,
        "panel_by": "2027-05-06",
        "report_by": "2027-05-13",
        "reply_by": "2027-06-04",
    }
    assert main([*argv, "--stage", "3", "--received", "2027-03-22"]) == 0
    out = capsys.readouterr().out
    assert "Hold the review panel       Thu 6 May 2027  (2027-05-06)" in out
    assert "Present the panel's report to the Assistant Director of Children's Services:" in out
    status = main(
        ["deadlines", "--policy", "stoke-on-trent", "--stage", "2", "--received", "2027-03-25"]
    )
    assert status == 0
    out = capsys.readouterr().out
    assert "Decide whether to accept the request by  Mon 5 April 2027  (2027-04-05)" in out
    assert (
        "Tue 25 May 2027  (2027-05-25)  — the Complaint Handling Code, borrowed: the council's "
        "policy sets no limit" in out
    )


def test_borrowed_limits_say_where_they_come_from() -> None:
    # The files' comments: Stockport 2.1, Stoke "we will agree a suitable extension timescale",
    # seed 002 and Southampton 7 set no limit, so the Complaint Handling Code's is used.
    borrowed = {
        ("stockport", "corporate", 1),
        ("stockport", "corporate", 2),
        ("stoke-on-trent", "corporate", 1),
        ("stoke-on-trent", "corporate", 2),
        ("stoke-on-trent", "housing", 1),
        ("stoke-on-trent", "housing", 2),
        ("information-governance", "corporate", 1),
        ("information-governance", "corporate", 2),
        ("information-governance", "housing", 1),
        ("information-governance", "housing", 2),
        ("southampton", "corporate", 1),
        ("southampton", "housing", 1),
    }
    from caseworker.policy.loader import load_policies

    found = set()
    for pol in load_policies().values():
        for route in pol.routes:
            for stage in route.stages:
                source = extension_source(pol, stage)
                if stage.extension_borrowed_from:
                    found.add((pol.id, route.id.value, stage.number))
                    assert source == (
                        "the Complaint Handling Code, borrowed: the council's policy sets no limit"
                    )
                elif stage.extension_days:
                    assert source in ("the council's policy", "Complaint Handling Code")
                else:
                    assert source is None
    assert found == borrowed
    # Southampton stage 2 is its own: "extendable to 30 Working Days" (4).
    assert extension_source(policy("southampton"), policy("southampton").stage("corporate", 2)) == (
        "the council's policy"
    )


# -- the command ------------------------------------------------------------------------------


def test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadlines", "--policy", "stockport", "--received", "2026-11-23", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "acknowledge_by": "2026-11-30",
        "respond_by": "2026-12-21",
        "respond_by_latest": "2027-01-07",
        # 2.1 and Appendix A set no upper limit: the 10 working days are the Code's.
        "respond_by_latest_source": (
            "the Complaint Handling Code, borrowed: the council's policy sets no limit"
        ),
    }


def test_cli_json_with_response(capsys: pytest.CaptureFixture[str]) -> None:
    # As in test_warwickshire_christmas_2027_and_deemed_receipt_by_each_method, second class.
    status = main(
        [
            "deadlines",
            "--policy",
            "warwickshire",
            "--route",
            "corporate",
            "--stage",
            "1",
            "--received",
            "2027-12-20",
            "--response-sent",
            "2027-12-23",
            "--sent-by",
            "second-class",
            "--json",
        ]
    )
    assert status == 0
    assert json.loads(capsys.readouterr().out) == {
        "acknowledge_by": None,
        "respond_by": "2028-01-06",
        "respond_by_latest": "2028-02-03",
        # Appendix 3, General: stage 1 "10-30" working days: Warwickshire's own limit.
        "respond_by_latest_source": "the council's policy",
        "deemed_received": "2027-12-30",
        "escalate_by": "2028-01-19",
    }


def test_cli_acknowledged_and_table(capsys: pytest.CaptureFixture[str]) -> None:
    # As in test_information_governance_christmas_2026, acknowledged Tue 22 Dec 2026.
    status = main(
        [
            "deadlines",
            "--policy",
            "information-governance",
            "--received",
            "2026-12-18",
            "--acknowledged",
            "2026-12-22",
        ]
    )
    assert status == 0
    out = capsys.readouterr().out
    assert "Tue 29 December 2026" in out
    assert "Fri 8 January 2027" in out
    assert "Fri 22 January 2027" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--received", "2026-13-01"],
            "caseworker: --received: '2026-13-01' is not a date (YYYY-MM-DD)\n",
        ),
        (
            ["--received", "2026-11-23", "--acknowledged", "23/11/2026"],
            "caseworker: --acknowledged: '23/11/2026' is not a date (YYYY-MM-DD)\n",
        ),
        (
            ["--received", "2026-11-23", "--response-sent", "2026-12-01"],
            "caseworker: --response-sent needs --sent-by"
            " (email, first-class, second-class, hand)\n",
        ),
        (
            ["--received", "2026-11-23", "--sent-by", "email"],
            "caseworker: --sent-by needs --response-sent\n",
        ),
        (
            ["--received", "2026-11-23", "--stage", "3"],
            "caseworker: policy stockport route corporate has no stage 3; it has stages 1, 2\n",
        ),
    ],
)
def test_cli_errors(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    assert main(["deadlines", "--policy", "stockport", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.err == message
    assert captured.out == ""


def test_cli_unknown_policy(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadlines", "--policy", "nowhere", "--received", "2026-11-23"]) == 2
    assert capsys.readouterr().err.startswith("caseworker: --policy: unknown policy 'nowhere'")


# -- the shortcuts against the rules, written out plainly ---------------------------------------


def reference(
    policy: Policy, route: str, stage_number: int, received: dt.date, acknowledged: dt.date | None
) -> Deadlines:
    """The module's rules, one step at a time with the calendar's plain methods."""
    from caseworker.policy.clock import calendar_for

    cal = calendar_for(policy.clock.closure_days)
    stage = policy.stage(route, stage_number)

    def day_zero(day: dt.date) -> dt.date:
        if policy.clock.start_on_non_working_day == "that-day":
            return day
        return cal.clock_start(day)

    start = day_zero(received)
    ack_by = (
        cal.add_working_days(start, stage.acknowledge_days)
        if stage.acknowledge_days is not None
        else None
    )
    if stage.respond_from == "acknowledgement" and acknowledged is not None:
        respond_start = day_zero(acknowledged)
    elif stage.respond_from == "acknowledgement" and ack_by is not None:
        respond_start = ack_by
    else:
        respond_start = start
    respond_by = cal.add_working_days(respond_start, stage.respond_days)
    latest = (
        cal.add_working_days(respond_by, stage.extension_days) if stage.extension_days else None
    )
    decide = (
        cal.add_working_days(start, stage.escalation_decision_days)
        if stage.escalation_decision_days is not None
        else None
    )
    due = {"start": start}
    for milestone in stage.milestones:
        due[milestone.id] = cal.add_working_days(due[milestone.after], milestone.days)
    milestones = tuple(MilestoneDue(m.id, m.name, due[m.id]) for m in stage.milestones)
    return Deadlines(ack_by, respond_by, latest, None, None, decide, milestones)


def test_shortcuts_match_the_plain_rules() -> None:
    import random

    from caseworker.policy.loader import load_policies

    rng = random.Random(42)
    stages = [
        (p, r.id.value, s.number)
        for p in load_policies().values()
        for p in (p, reading(p, "that-day"))
        for r in p.routes
        for s in r.stages
    ]
    first = D(2025, 1, 1).toordinal()
    for _ in range(4000):
        pol, route, number = rng.choice(stages)
        received = D.fromordinal(first + rng.randrange(4 * 365))
        acknowledged = (
            received + dt.timedelta(days=rng.randrange(15)) if rng.random() < 0.5 else None
        )
        # Twice: the second call may be answered from what the first worked out.
        for _ in range(2):
            got = compute_deadlines(
                pol, route=route, stage=number, received=received, acknowledged=acknowledged
            )
            assert got == reference(pol, route, number, received, acknowledged), (
                pol.id,
                route,
                number,
                received,
                acknowledged,
            )
