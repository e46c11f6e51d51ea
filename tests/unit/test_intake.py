"""Triage of a new case against its policy, and recording it with its clock running."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from caseworker.domain.enums import Channel, ReferrerRole, RouteId
from caseworker.policy.loader import get_policy
from caseworker.services.cases.intake import (
    NewCase,
    PersonIn,
    ReferrerIn,
    RepresentativeIn,
    RequestKind,
    TriageRefused,
    create_case,
    time_limit_date,
    triage,
)
from caseworker.storage.models import Case

TODAY = dt.date(2026, 11, 25)


def new_case(**changes) -> NewCase:
    values = dict(
        policy_id="stockport",
        received=dt.date(2026, 11, 23),
        channel=Channel.EMAIL,
        service_area="Waste and recycling",
        summary="My bin has been missed four weeks running.",
        first_aware=dt.date(2026, 10, 1),
        occurred=dt.date(2026, 9, 28),
        complainant=PersonIn(name="Ann Example", address="1 High Street", postcode="qq1 1aa"),
        issues=("The bin was missed four times.", "Nobody called back."),
    )
    values.update(changes)
    return NewCase(**values)


def blocking(result) -> dict[str, str]:
    return {note.field: note.message for note in result.problems}


def test_a_complete_complaint_passes_and_shows_its_clock():
    result = triage(new_case(), today=TODAY)
    assert result.ok, result.problems
    # Received Monday 23 November 2026: acknowledge by 30 November, respond by 21 December.
    assert result.deadlines.acknowledge_by == dt.date(2026, 11, 30)
    assert result.deadlines.respond_by == dt.date(2026, 12, 21)


def test_a_service_request_is_not_recorded_as_a_complaint():
    result = triage(new_case(kind=RequestKind.SERVICE_REQUEST), today=TODAY)
    assert "not a complaint" in blocking(result)["kind"]
    assert result.deadlines is None


def test_a_ticked_exclusion_blocks_with_its_text():
    result = triage(new_case(exclusions=frozenset({"schools"})), today=TODAY)
    assert "Schools: each school's own complaints procedure" in blocking(result)["exclusions"]


def test_the_time_limit_names_who_may_waive_it():
    late = new_case(first_aware=dt.date(2025, 10, 1))
    message = blocking(triage(late, today=TODAY))["waived_by"]
    assert "more than 12 months" in message
    assert "the relevant Head of Service" in message
    waived = triage(new_case(first_aware=dt.date(2025, 10, 1), waived_by="Pat Head"), today=TODAY)
    assert waived.ok
    assert any("accepted by Pat Head" in note.message for note in waived.advice)


def test_exactly_twelve_months_is_in_time():
    assert triage(new_case(first_aware=dt.date(2025, 11, 23)), today=TODAY).ok


def test_the_date_first_aware_is_needed_and_cannot_follow_receipt():
    assert "first_aware" in blocking(triage(new_case(first_aware=None), today=TODAY))
    after = triage(new_case(first_aware=dt.date(2026, 11, 24)), today=TODAY)
    assert "after the complaint was received" in blocking(after)["first_aware"]


def test_southampton_counts_its_time_limit_from_the_event_not_from_awareness():
    # Southampton 19: "You must make your complaint within 12 months of the disputed occurrence or
    # incident. We will only investigate complaints relating to issues that are more than 12 months
    # old at the discretion of the relevant Executive Director following consultation with the
    # Complaints Resolution Manager." Received Mon 23 Nov 2026 about a matter that happened on
    # 20 May 2025 (18 months before) and that the complainant discovered on 25 Oct 2026 (last
    # month): 12 months from the event ended on 20 May 2026, so it is late.
    old_matter = new_case(
        policy_id="southampton", occurred=dt.date(2025, 5, 20), first_aware=dt.date(2026, 10, 25)
    )
    message = blocking(triage(old_matter, today=TODAY))["waived_by"]
    assert message == (
        "Made more than 12 months after the matter complained of happened (20 May 2025; the limit "
        "was 20 May 2026). Only the relevant Executive Director, after consulting the Complaints "
        "Resolution Manager may accept it: record who agreed, or explain the time limit to the "
        "complainant."
    )
    # Stockport 1.9 counts from "when they first became aware of the matter": in time.
    assert triage(replace(old_matter, policy_id="stockport"), today=TODAY).ok
    # Exactly 12 months after the event is in time (as for awareness).
    assert triage(replace(old_matter, occurred=dt.date(2025, 11, 23)), today=TODAY).ok
    # The date of the event is what Southampton's intake asks for; the date first aware is not it.
    unasked = blocking(triage(replace(old_matter, occurred=None), today=TODAY))
    assert unasked["occurred"].startswith(
        "When did the matter complained of happen? Southampton City Council's time limit runs "
        "from the event itself, not from when the complainant found out"
    )
    after = triage(replace(old_matter, occurred=dt.date(2026, 11, 24)), today=TODAY)
    assert (
        "Happened on 24 November 2026, after the complaint was received"
        in blocking(after)["occurred"]
    )


def test_a_telephone_complaint_is_confirmed_in_writing_where_the_policy_says():
    # Southampton 16: "By Telephone (written confirmation will be required)".
    by_phone = triage(new_case(policy_id="southampton", channel=Channel.PHONE), today=TODAY)
    assert by_phone.ok
    assert [n.message for n in by_phone.advice if n.field == "channel"] == [
        "Made by telephone: Southampton City Council confirms a telephone complaint in writing — "
        "send the complainant a written summary of it."
    ]
    stockport = triage(new_case(channel=Channel.PHONE), today=TODAY)
    assert not [n for n in stockport.notes if n.field == "channel"]


def test_the_form_asks_for_the_date_the_policy_counts_from():
    assert time_limit_date(get_policy("southampton")).field == "occurred"
    for policy_id in ("stockport", "stoke-on-trent", "information-governance", "warwickshire"):
        assert time_limit_date(get_policy(policy_id)).field == "first_aware", policy_id
    assert time_limit_date(get_policy("complaint-handling-code")).field == "first_aware"


def test_anonymous_complaints_follow_the_policy():
    stockport = triage(new_case(anonymous=True, complainant=PersonIn()), today=TODAY)
    assert stockport.ok
    assert any("nobody to write to" in note.message for note in stockport.advice)

    southampton = new_case(policy_id="southampton", anonymous=True, complainant=PersonIn())
    message = blocking(triage(southampton, today=TODAY))["anonymous"]
    assert "only about safeguarding" in message
    safeguarding = new_case(
        policy_id="southampton", anonymous=True, safeguarding=True, complainant=PersonIn()
    )
    assert triage(safeguarding, today=TODAY).ok


def test_a_named_complainant_needs_a_way_to_reply():
    result = triage(new_case(complainant=PersonIn(name="Ann Example")), today=TODAY)
    assert "address, an email or a phone" in blocking(result)["complainant"]


def test_a_representative_needs_consent_where_the_policy_says():
    rep = RepresentativeIn(name="Bob Example", relationship="Son")
    message = blocking(triage(new_case(representative=rep), today=TODAY))["consent"]
    assert "written consent" in message and "Record the date" in message
    signed = blocking(triage(new_case(policy_id="southampton", representative=rep), today=TODAY))[
        "consent"
    ]
    assert "signed written consent" in signed
    with_consent = RepresentativeIn(name="Bob Example", consent_received=dt.date(2026, 11, 20))
    assert triage(new_case(representative=with_consent), today=TODAY).ok


def test_stockport_member_enquiry_route_answers_the_member_in_ten_working_days():
    member = ReferrerIn(name="Cllr Jane Smith", role=ReferrerRole.COUNCILLOR)
    enquiry = new_case(
        route=RouteId.MEMBER_ENQUIRY,
        channel=Channel.VIA_COUNCILLOR,
        referrer=member,
        complainant=PersonIn(name="Ann Example"),
    )
    result = triage(enquiry, today=TODAY)
    assert result.ok, result.problems  # the reply goes to the councillor: no address needed
    assert any(
        "10 working days" in n.message and "Cllr Jane Smith" in n.message for n in result.advice
    )
    assert result.deadlines.respond_by == dt.date(2026, 12, 7)

    nobody = triage(new_case(route=RouteId.MEMBER_ENQUIRY), today=TODAY)
    assert "councillor or MP" in blocking(nobody)["referrer"]
    via = triage(new_case(channel=Channel.VIA_MP), today=TODAY)
    assert "referrer" in blocking(via)


def test_southampton_needs_signed_consent_for_a_members_formal_complaint():
    mp = ReferrerIn(name="A Member MP", role=ReferrerRole.MP)
    result = triage(
        new_case(policy_id="southampton", channel=Channel.VIA_MP, referrer=mp), today=TODAY
    )
    assert "outside the complaints process" in blocking(result)["referrer_consent"]
    consented = ReferrerIn(
        name="A Member MP", role=ReferrerRole.MP, consent_received=dt.date(2026, 11, 20)
    )
    assert triage(
        new_case(policy_id="southampton", channel=Channel.VIA_MP, referrer=consented), today=TODAY
    ).ok


def test_a_route_the_policy_lacks_is_refused():
    result = triage(
        new_case(
            policy_id="southampton", route=RouteId.MEMBER_ENQUIRY, referrer=ReferrerIn(name="X")
        ),
        today=TODAY,
    )
    assert "no 'member-enquiry' route" in blocking(result)["route"]


def test_create_case_saves_everything_and_starts_the_clock(app):
    rep = RepresentativeIn(
        name="Bob Example", relationship="Son", consent_received=dt.date(2026, 11, 20)
    )
    created = create_case(
        app.context(today=lambda: TODAY), new_case(representative=rep, subjects=("Sam Driver",))
    )
    assert created.reference == "CW-2026-00001"
    assert created.respond_by == dt.date(2026, 12, 21)
    with app.uow() as uow:
        case = uow.session.get(Case, created.id)
        assert case.complainant.name == "Ann Example"
        assert case.complainant.postcode == "QQ1 1AA"
        assert case.representative.consent_received == dt.date(2026, 11, 20)
        assert [i.summary for i in case.issues] == [
            "The bin was missed four times.",
            "Nobody called back.",
        ]
        assert [i.number for i in case.issues] == [1, 2]
        assert [s.name for s in case.subjects] == ["Sam Driver"]
        assert case.acknowledge_by == dt.date(2026, 11, 30)


def test_create_case_refuses_with_every_reason_and_saves_nothing(app):
    bad = new_case(summary="", exclusions=frozenset({"schools"}))
    with pytest.raises(TriageRefused) as refused:
        create_case(app.context(today=lambda: TODAY), bad)
    assert str(refused.value).startswith("Refused: the case was not recorded: ")
    assert "Schools" in str(refused.value) and "What the complaint is about" in str(refused.value)
    with app.uow() as uow:
        assert uow.session.query(Case).count() == 0


def test_a_member_with_consent_becomes_the_representative(app):
    consented = ReferrerIn(
        name="A Member MP",
        role=ReferrerRole.MP,
        address="House of Commons",
        consent_received=dt.date(2026, 11, 20),
    )
    created = create_case(
        app.context(today=lambda: TODAY),
        new_case(policy_id="southampton", channel=Channel.VIA_MP, referrer=consented),
    )
    with app.uow() as uow:
        case = uow.session.get(Case, created.id)
        assert case.referrer_name == "A Member MP"
        assert case.representative.name == "A Member MP"
        assert case.representative.relationship_to_complainant == "MP"
