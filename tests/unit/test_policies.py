"""Every bundled policy loads, and its key figures are the ones its seed text gives.

The seeds are in shared/seeds/ (000 Stockport, 001 Stoke-on-Trent, 002 the Information Governance
Team council, 003 Warwickshire, 004 Southampton); the Complaint Handling Code is the baseline.
Where a seed is silent, the policy file's comment states the reading chosen, and the test here
pins that reading too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from caseworker.domain.enums import RouteId, SendMethod
from caseworker.policy.loader import bundled_policy_dir, load_policies, load_policy_file
from caseworker.policy.schema import Policy, Stage, Window

POLICIES = Path(__file__).resolve().parents[2] / "policies"
EXPECTED_IDS = {
    "stockport",
    "stoke-on-trent",
    "information-governance",
    "warwickshire",
    "southampton",
    "complaint-handling-code",
}


@pytest.fixture(scope="module")
def policies() -> dict[str, Policy]:
    return load_policies(extra_dirs=())


def targets(stage: Stage) -> tuple[int | None, int, str, int]:
    """(acknowledge, respond, respond from, extension) in working days."""
    return (stage.acknowledge_days, stage.respond_days, stage.respond_from, stage.extension_days)


def test_the_bundled_folder_is_the_repository_policies_folder() -> None:
    assert bundled_policy_dir().resolve() == POLICIES


def test_every_policy_file_loads_under_its_own_name(policies: dict[str, Policy]) -> None:
    files = sorted(POLICIES.glob("*.toml"))
    assert {path.stem for path in files} == EXPECTED_IDS
    for path in files:
        assert load_policy_file(path).id == path.stem
    assert set(policies) == EXPECTED_IDS


@pytest.mark.parametrize("policy_id", sorted(EXPECTED_IDS))
def test_every_policy_covers_every_sending_method(
    policies: dict[str, Policy], policy_id: str
) -> None:
    policy = policies[policy_id]
    assert {rule.method for rule in policy.deemed_receipt} == set(SendMethod)
    # Where a seed is silent the Stockport reading is used, and Warwickshire's appendix 3 is the
    # same: so every policy deems alike.
    assert (policy.deemed(SendMethod.EMAIL).days, policy.deemed(SendMethod.EMAIL).unit) == (
        0,
        "calendar-days",
    )
    assert (policy.deemed(SendMethod.HAND).days, policy.deemed(SendMethod.HAND).unit) == (
        0,
        "calendar-days",
    )
    assert (policy.deemed("first-class").days, policy.deemed("first-class").unit) == (
        1,
        "calendar-days",
    )
    assert (policy.deemed("second-class").days, policy.deemed("second-class").unit) == (
        3,
        "working-days",
    )


def test_only_the_code_is_the_baseline(policies: dict[str, Policy]) -> None:
    assert [pid for pid, policy in policies.items() if policy.baseline] == [
        "complaint-handling-code"
    ]


# -- 000 Stockport -----------------------------------------------------------------------------


def test_stockport(policies: dict[str, Policy]) -> None:
    policy = policies["stockport"]
    assert [route.id for route in policy.routes] == [RouteId.CORPORATE, RouteId.MEMBER_ENQUIRY]
    stage1, stage2 = policy.route("corporate").stages
    assert targets(stage1) == (5, 20, "receipt", 10)
    assert targets(stage2) == (5, 20, "receipt", 20)
    assert stage2.escalation_request == "any"
    assert stage2.escalation_decision_days is None  # not in the Stockport text
    assert stage1.escalation_window is None
    assert stage2.handler_must_differ
    assert stage1.next_contact == "stage2" and stage2.next_contact == "lgsco"
    assert policy.contacts["stage2"].phone == "0161 474 3182"
    assert policy.contacts["stage2"].email == "Stage2.complaints@stockport.gov.uk"
    assert (policy.time_limit.months, policy.retention.years_after_closure) == (12, 3)
    assert policy.complainants.anonymous == "accepted"
    assert policy.rules.home_visit_risk_assessment
    assert policy.rules.subject_may_not_investigate


def test_stockport_member_enquiries_take_10_days_and_reply_to_the_referrer(
    policies: dict[str, Policy],
) -> None:
    policy = policies["stockport"]
    route = policy.route(RouteId.MEMBER_ENQUIRY)
    assert route.reply_to == "referrer"
    assert len(route.stages) == 1
    assert targets(route.stages[0]) == (None, 10, "receipt", 0)
    assert policy.member_enquiries.handling == "enquiry-route"
    assert policy.member_enquiries.reply_to_member


# -- 001 Stoke-on-Trent ------------------------------------------------------------------------


def test_stoke_on_trent(policies: dict[str, Policy]) -> None:
    policy = policies["stoke-on-trent"]
    assert {route.id: route.ombudsman for route in policy.routes} == {
        "corporate": "lgsco",
        "housing": "housing-ombudsman",
    }
    for route in policy.routes:
        stage1, stage2 = route.stages
        assert targets(stage1) == (5, 10, "receipt", 10)
        assert stage1.escalation_window == Window(length=10, unit="working-days")
        assert stage1.extension_gives_ombudsman and stage2.extension_gives_ombudsman
        assert targets(stage2) == (None, 20, "receipt", 20)
        assert stage2.escalation_decision_days == 5
        assert stage2.escalation_request == "any"
        assert stage2.handler_must_differ
        assert stage1.letter_must_include == [
            "stage",
            "understanding",
            "decision",
            "reasons",
            "remedy",
            "outstanding-actions",
            "next-stage",
        ]
        assert stage2.letter_must_include[-1] == "ombudsman"
        assert stage2.next_contact == route.ombudsman
    assert policy.rules.ombudsman_details_in_every_letter
    assert policy.rules.refusal_gives_ombudsman
    assert policy.rules.outstanding_actions_tracked
    assert policy.complainants.reasonable_adjustments_recorded
    assert policy.complainants.representative_consent == "written"
    assert policy.contacts["feedback-team"].phone == "01782 234234"
    assert policy.contacts["housing-ombudsman"].phone == "0300 111 3000"
    assert policy.contacts["lgsco"].website == "www.lgo.org.uk"
    assert {"councillor", "parking-traffic", "community-centres", "previously-considered"} <= {
        exclusion.id for exclusion in policy.exclusions
    }
    assert len(policy.exclusions) == 17


# -- 002 the Information Governance Team council -----------------------------------------------


def test_information_governance(policies: dict[str, Policy]) -> None:
    policy = policies["information-governance"]
    eight = [
        "stage",
        "understanding",
        "steps-taken",
        "evidence",
        "decision",
        "reasons",
        "remedy",
        "policy-changes",
    ]
    for route in policy.routes:
        stage1, stage2 = route.stages
        assert targets(stage1) == (5, 10, "acknowledgement", 10)
        assert stage1.escalation_window == Window(length=1, unit="months")
        assert targets(stage2) == (5, 20, "acknowledgement", 20)
        assert stage2.escalation_request == "reason-required"
        assert stage2.extension_gives_ombudsman and not stage1.extension_gives_ombudsman
        assert stage1.letter_must_include == [*eight, "next-stage"]
        assert stage2.letter_must_include == [*eight, "ombudsman"]
    assert policy.contacts["lgsco"].address == ["PO Box 4771", "Coventry", "CV4 0EH"]
    assert policy.contacts["housing-ombudsman"].address == ["PO Box 152", "Liverpool", "L33 7WQ"]
    assert policy.contacts["housing-ombudsman"].email == "info@housing-ombudsman.org.uk"
    assert policy.rules.refusal_gives_ombudsman
    assert policy.time_limit.waived_by == "the Information Governance Manager"
    assert len(policy.exclusions) == 16


# -- 003 Warwickshire --------------------------------------------------------------------------


def test_warwickshire_has_three_routes(policies: dict[str, Policy]) -> None:
    policy = policies["warwickshire"]
    routes = {route.id: route for route in policy.routes}
    assert list(routes) == ["corporate", "adult-social-care", "childrens-services"]
    assert [len(route.stages) for route in routes.values()] == [2, 1, 3]
    assert [route.statutory for route in routes.values()] == [False, True, True]


def test_warwickshire_timescales(policies: dict[str, Policy]) -> None:
    policy = policies["warwickshire"]
    general1, general2 = policy.route("corporate").stages
    assert targets(general1) == (None, 10, "receipt", 20)  # 10-30
    assert general1.escalation_window == Window(length=20, unit="calendar-days")
    assert targets(general2) == (None, 30, "receipt", 0)
    assert general2.escalation_request == "reason-required"
    assert general2.escalation_decision_days == 10
    (adult,) = policy.route("adult-social-care").stages
    assert targets(adult) == (None, 10, "receipt", 20)  # 10-30
    assert adult.escalation_window is None
    child1, child2, child3 = policy.route("childrens-services").stages
    assert targets(child1) == (None, 10, "receipt", 10)  # 10-20
    assert targets(child2) == (None, 25, "receipt", 40)  # 25-65
    assert targets(child3) == (None, 50, "receipt", 0)  # 30+5+15
    assert (
        child1.escalation_window
        == child2.escalation_window
        == Window(length=20, unit="working-days")
    )
    assert child3.next_contact == "lgsco"


def test_warwickshire_special_rules(policies: dict[str, Policy]) -> None:
    policy = policies["warwickshire"]
    rules = policy.rules
    assert rules.suspension is not None and len(rules.suspension.grounds) == 6
    assert "Service Manager" in rules.suspension.decided_by
    assert rules.discontinuation is not None
    assert (
        rules.discontinuation.min_contact_attempts,
        rules.discontinuation.distinct_methods,
        rules.discontinuation.in_writing,
    ) == (3, True, True)
    assert rules.withdrawal.confirm_in_writing and rules.withdrawal.ask_to_report_misunderstanding
    assert rules.reopening is not None and len(rules.reopening.grounds) == 2
    assert rules.contact_restrictions is not None
    assert rules.contact_restrictions.notify_within_working_days == 5
    assert rules.contact_restrictions.appeal_to == "lgsco"
    assert policy.contacts["customer-relations"].phone == "01926 414102"
    assert policy.contacts["customer-relations"].email == "customerrelations@warwickshire.gov.uk"
    assert len(policy.exclusions) == 11


# -- 004 Southampton ---------------------------------------------------------------------------


def test_southampton(policies: dict[str, Policy]) -> None:
    policy = policies["southampton"]
    assert {route.id: route.ombudsman for route in policy.routes} == {
        "corporate": "lgsco",
        "housing": "housing-ombudsman",
    }
    for route in policy.routes:
        stage1, stage2 = route.stages
        assert targets(stage1) == (None, 10, "receipt", 10)
        assert targets(stage2) == (None, 20, "receipt", 10)  # extendable to 30
        assert stage2.extension_in_writing
        assert stage2.handler_must_differ
        assert stage2.escalation_request == "reason-required"
    assert policy.complainants.anonymous == "safeguarding-only"
    assert policy.complainants.representative_consent == "signed"
    assert policy.member_enquiries.handling == "outside-process"
    assert policy.rules.tenants_panel_option
    assert policy.contacts["housing-ombudsman"].address == ["81 Aldwych", "London", "WC2B 4HN"]
    assert policy.contacts["lgsco"].phone == "0300 061 0614"
    assert policy.time_limit.months == 12
    assert "Executive Director" in policy.time_limit.waived_by
    assert "Complaints Resolution Manager" in policy.time_limit.waived_by
    exclusions = {exclusion.id for exclusion in policy.exclusions}
    assert {"direct-payments", "schools", "foi-data-protection"} <= exclusions


# -- the Complaint Handling Code ---------------------------------------------------------------


def test_complaint_handling_code(policies: dict[str, Policy]) -> None:
    policy = policies["complaint-handling-code"]
    assert policy.baseline
    assert {route.id: route.ombudsman for route in policy.routes} == {
        "corporate": "lgsco",
        "housing": "housing-ombudsman",
    }
    for route in policy.routes:
        stage1, stage2 = route.stages
        assert targets(stage1) == (5, 10, "acknowledgement", 10)
        assert targets(stage2) == (5, 20, "acknowledgement", 20)
        assert stage2.escalation_request == "any"
        assert stage2.handler_must_differ
        assert stage1.extension_gives_ombudsman and stage2.extension_gives_ombudsman
    assert policy.rules.refusal_gives_ombudsman


# -- issue 21: what the seeds give and the files stated --------------------------------------


@pytest.mark.parametrize("policy_id", sorted(EXPECTED_IDS))
def test_every_file_states_its_clock_reading_and_time_limit_start(
    policies: dict[str, Policy], policy_id: str
) -> None:
    # The seeds do not settle how a count starting on a non-working day runs, nor (but for
    # Southampton 19) whether the time limit runs from the event: each file says, in the file.
    text = (POLICIES / f"{policy_id}.toml").read_text(encoding="utf-8")
    assert '\nstart_on_non_working_day = "next-working-day"\n' in text
    assert "\nruns_from = " in text
    policy = policies[policy_id]
    assert policy.clock.start_on_non_working_day == "next-working-day"
    expected = "event" if policy_id == "southampton" else "awareness"
    assert policy.time_limit.runs_from == expected


def test_warwickshire_childrens_stage_3_milestones(policies: dict[str, Policy]) -> None:
    # Appendix 3: stage 3 "30+5+15" — the panel (30), the report to the Assistant Director (5),
    # their reply to the customer (15).
    child3 = policies["warwickshire"].stage("childrens-services", 3)
    assert [(m.id, m.days, m.after) for m in child3.milestones] == [
        ("panel", 30, "start"),
        ("report", 5, "panel"),
        ("reply", 15, "report"),
    ]
    assert sum(m.days for m in child3.milestones) == child3.respond_days == 50
    assert "Assistant Director of Children's Services" in child3.milestones[1].name


def test_how_each_stage_2_is_asked_for(policies: dict[str, Policy]) -> None:
    # Stoke "Stage 2": "Please contact us by email"; seed 002: "submitted in writing to the
    # Information Governance Team"; Southampton 22: "explain, in writing, the reasons".
    expected = {
        "stoke-on-trent": "email",
        "information-governance": "writing",
        "southampton": "writing",
    }
    for policy in policies.values():
        for route in policy.routes:
            for stage in route.stages:
                wanted = expected.get(policy.id, "any-form") if stage.number == 2 else "any-form"
                assert stage.escalation_request_in == wanted, (policy.id, route.id, stage.number)


def test_stockport_details_from_the_seed(policies: dict[str, Policy]) -> None:
    policy = policies["stockport"]
    # The cover: "If you need this document in a different format please telephone 0161 474 4777".
    assert policy.contacts["alternative-formats"].phone == "0161 474 4777"
    # 3.2: the Freedom of Information & Data Protection Officer, Stopford House.
    foi = policy.contacts["foi-data-protection"]
    assert (foi.name, foi.address, foi.email) == (
        "Freedom of Information & Data Protection Officer",
        ["Stopford House", "Stockport", "SK1 3XE"],
        "foi.officer@stockport.gov.uk",
    )
    # Appendix A: a request for further information after stage 1 is not a stage 2 complaint.
    assert policy.rules.further_information is not None
    assert policy.rules.further_information.after_stage == 1
    # 2.8: the Member/MP enquiry route leads to a formal complaint (Customer Feedback, 1.4).
    assert policy.route("member-enquiry").stages[-1].next_contact == "customer-feedback"


def test_southampton_details_from_the_seed(policies: dict[str, Policy]) -> None:
    policy = policies["southampton"]
    # 16: "By Telephone (written confirmation will be required)".
    assert policy.complainants.telephone_confirmed_in_writing
    # 24: "withdrawn verbally (written confirmation will be requested)".
    assert policy.rules.withdrawal.verbal_confirmation_requested
    # 22: mediation "as an alternative to any stage", its outcome "communicated ... in writing".
    mediation = policy.rules.mediation
    assert mediation is not None and mediation.at_any_stage and mediation.outcome_in_writing
    assert "Executive Director" in mediation.invited_by
    # 22: stage 2 "referred to the Complaints Resolution Team", the complainant "informed of the
    # referral ... and the reasons for that and any changes to the timescales".
    referral = policy.rules.referral
    assert referral is not None
    assert (referral.at_stage, referral.to) == (2, "complaints-resolution")
    assert referral.complainant_told_reasons and referral.timescale_may_change
    for other in ("stockport", "stoke-on-trent", "information-governance", "warwickshire"):
        assert policies[other].rules.referral is None
        assert not policies[other].complainants.telephone_confirmed_in_writing


def test_where_the_seeds_disagree_each_file_says_which_it_uses(
    policies: dict[str, Policy],
) -> None:
    # The Housing Ombudsman's postal address: seed 002 "PO Box 152, Liverpool, L33 7WQ"; seed 004
    # (Southampton 23) "81 Aldwych, London, WC2B 4HN". Each file keeps its own seed's, and says so.
    addresses = {
        pid: policy.contacts["housing-ombudsman"].address
        for pid, policy in policies.items()
        if "housing-ombudsman" in policy.contacts
    }
    assert addresses == {
        "southampton": ["81 Aldwych", "London", "WC2B 4HN"],
        "information-governance": ["PO Box 152", "Liverpool", "L33 7WQ"],
        "complaint-handling-code": ["PO Box 152", "Liverpool", "L33 7WQ"],
        "stoke-on-trent": [],
    }
    for pid in ("southampton", "information-governance", "complaint-handling-code"):
        text = (POLICIES / f"{pid}.toml").read_text(encoding="utf-8")
        assert "The seeds disagree on the postal address" in text, pid
        assert "81 Aldwych" in text and "PO Box 152" in text, pid


def test_placeholders_are_declared(policies: dict[str, Policy]) -> None:
    found = {pid: [key for key, _ in p.placeholder_values()] for pid, p in policies.items()}
    assert found == {
        "stockport": [],
        "stoke-on-trent": [],
        "information-governance": ["council", "contacts.information-governance.address"],
        "warwickshire": [],
        "southampton": [],
        "complaint-handling-code": ["council", "contacts.complaints-team.address"],
    }
