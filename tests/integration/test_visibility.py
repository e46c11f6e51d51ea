"""What an officer may see: the view rule as SQL (``permissions.visible_to``) holds for exactly the
cases ``permissions.check(officer, VIEW, case)`` allows, for every role, active or not, at stage
1 and 2, open and closed, whatever the spelling of the service area; and the list (every quick
view and its count), search, Today and previous complaints show each officer exactly those
cases. On SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import and_, select

from caseworker.bootstrap import open_app
from caseworker.domain.caselist import CaseFilter, CaseSort, QuickView
from caseworker.domain.enums import CaseStatus, Channel, Role, RouteId
from caseworker.domain.refusals import NotPermitted
from caseworker.services import permissions
from caseworker.services.lists.caselist import CaseList
from caseworker.services.lists.today import today_list
from caseworker.services.permissions import Action
from caseworker.services.search.fulltext import search
from caseworker.services.search.previous import previous_for_case
from caseworker.storage.models import Case, Complainant, Officer

TODAY = dt.date(2026, 11, 27)

OFFICERS = {
    # login: name, role, service area, active
    "ann": ("Ann Smith", Role.INVESTIGATING_OFFICER, "Waste", True),
    "bob": ("Bob Jones", Role.INVESTIGATING_OFFICER, "Housing", True),
    "ivy": ("Ivy Gone", Role.INVESTIGATING_OFFICER, "Waste", False),
    "lee": ("Lee Line", Role.LINE_MANAGER, "Waste", True),
    "lyn": ("Lyn Hart", Role.LINE_MANAGER, "  housing ", True),
    "lex": ("Lex Left", Role.LINE_MANAGER, "Waste", False),
    "sue": ("Sue Strasse", Role.LINE_MANAGER, "Straße", True),
    "cam": ("Cam Chief", Role.COMPLAINTS_MANAGER, "Customer Feedback", True),
    "col": ("Col Retired", Role.COMPLAINTS_MANAGER, "Customer Feedback", False),
}
"""Every role, active and not; line managers whose area is spelt unlike their cases'."""

AREAS = ("Waste", "waste", " Waste  ", "WASTE", "Housing", "housing", "Parks", "STRASSE", "")
"""Service areas as cases may have been recorded (imports keep what they were given)."""


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request, tmp_path: Path) -> Iterator:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'visible.sqlite'}"
    else:
        url = request.getfixturevalue("pg_url")
    app = open_app(url, actor="setup")
    yield app
    app.close()


def team(app) -> dict[str, int]:  # noqa: ANN001
    with app.uow() as uow:
        for login, (name, role, area, active) in OFFICERS.items():
            uow.session.add(
                Officer(
                    name=name,
                    email=f"{login}@council.example",
                    role=role,
                    service_area=area,
                    login=login,
                    active=active,
                )
            )
        uow.commit()
        return {o.login: o.id for o in uow.session.scalars(select(Officer))}


def mixed_cases(app, ids: dict[str, int]) -> None:  # noqa: ANN001
    """Cases allocated to each officer (or nobody), handled at stage 1 by each (or nobody), in
    every spelling of an area, at stage 1 and 2, open and closed, recorded by various officers:
    all from one complainant, all about a pothole."""
    holders = [None, ids["ann"], ids["bob"], ids["ivy"], ids["lee"], ids["lyn"], ids["cam"]]
    before = [None, ids["ann"], ids["bob"], ids["lee"], ids["ivy"]]
    numbers = itertools.count(1)
    with app.uow() as uow:
        person = Complainant(name="Pat Same", email="pat@example.org", postcode="QQ1 1AA")
        uow.session.add(person)
        for holder, stage1, area in itertools.product(holders, before, AREAS):
            n = next(numbers)
            stage = 2 if stage1 is not None else 1 + n % 2
            uow.session.add(
                Case(
                    reference=f"CW-2026-{n:05d}",
                    policy_id="stockport",
                    route=RouteId.CORPORATE,
                    stage=stage,
                    status=(CaseStatus.OPEN, CaseStatus.CLOSED, CaseStatus.SUSPENDED)[n % 3],
                    received=TODAY - dt.timedelta(days=n % 40),
                    channel=Channel.EMAIL,
                    service_area=area,
                    summary="A pothole on Larkspur Avenue",
                    complainant=person,
                    anonymous=False,
                    officer_id=holder,
                    stage1_officer_id=stage1,
                    # who recorded it: seen by them while nobody holds it (issue 19)
                    recorded_by_id=(None, ids["ann"], ids["lee"], ids["ivy"], ids["bob"])[n % 5],
                    respond_by=TODAY + dt.timedelta(days=n % 9 - 3),
                    acknowledge_by=TODAY + dt.timedelta(days=n % 5 - 2),
                )
            )
        uow.commit()


def allowed(app, login: str | None) -> set[int]:  # noqa: ANN001
    """The cases ``check`` lets ``login`` see, case by case."""
    with app.uow() as uow:
        officer = uow.session.scalar(select(Officer).where(Officer.login == login))
        cases = uow.session.scalars(select(Case)).all()
        if officer is None:
            return set()
        return {c.id for c in cases if permissions.permitted(officer, Action.VIEW, c)}


LOGINS = [*OFFICERS, "visitor"]


def test_the_sql_view_rule_is_check_on_every_case(db) -> None:  # noqa: ANN001
    ids = team(db)
    mixed_cases(db, ids)
    with db.uow() as uow:
        everything = set(uow.session.scalars(select(Case.id)))
    assert len(everything) == 7 * 5 * len(AREAS)
    seen: dict[str, set[int]] = {}
    for login in LOGINS:
        with db.context(actor=login).unit() as uow:
            clause = permissions.visible(uow)
            shown = (
                everything
                if clause is None
                else set(uow.session.scalars(select(Case.id).where(clause)))
            )
        seen[login] = shown
        assert shown == allowed(db, login), login
    # The set covers what it should: each kind of officer sees some and not all.
    assert seen["cam"] == everything
    assert seen["visitor"] == seen["ivy"] == seen["lex"] == seen["col"] == set()
    assert 0 < len(seen["ann"]) < len(seen["lee"]) < len(everything)
    # A line manager's area in any spelling of it (case and spaces aside; "Straße" is
    # "STRASSE" casefolded), as check says, and no other.
    assert managed(db, seen["lee"], ids["lee"]) == {"Waste", "waste", " Waste  ", "WASTE"}
    assert managed(db, seen["lyn"], ids["lyn"]) == {"Housing", "housing"}
    assert managed(db, seen["sue"], ids["sue"]) == {"STRASSE"}
    assert managed(db, seen["ann"], ids["ann"]) == set()
    # The officer who recorded a case sees it while it is unallocated, and only then (issue 19).
    with db.uow() as uow:
        recorded = {
            (c.id, c.officer_id)
            for c in uow.session.scalars(select(Case).where(Case.recorded_by_id == ids["ann"]))
        }
    assert {i for i, held in recorded if held is None} <= seen["ann"]
    assert any(held is None for _, held in recorded)
    others = {i for i, held in recorded if held not in (None, ids["ann"])}
    assert others and not others & seen["ann"] - stage1_of(db, ids["ann"])


def stage1_of(app, officer_id: int) -> set[int]:  # noqa: ANN001
    with app.uow() as uow:
        return set(uow.session.scalars(select(Case.id).where(Case.stage1_officer_id == officer_id)))


def managed(app, shown: set[int], officer_id: int) -> set[str]:  # noqa: ANN001
    """The service areas of the cases shown that are neither the officer's own nor handled by
    them at stage 1 nor recorded by them and not allocated yet."""
    with app.uow() as uow:
        return set(
            uow.session.scalars(
                select(Case.service_area).where(
                    Case.id.in_(shown),
                    Case.officer_id.is_distinct_from(officer_id),
                    Case.stage1_officer_id.is_distinct_from(officer_id),
                    ~and_(Case.recorded_by_id == officer_id, Case.officer_id.is_(None)),
                )
            )
        )


def test_the_list_its_quick_views_and_counts_show_what_check_allows(db) -> None:  # noqa: ANN001
    ids = team(db)
    mixed_cases(db, ids)
    for login in ("ann", "lee", "lyn", "cam", "ivy", "visitor"):
        expected = allowed(db, login)
        cases = CaseList(db.context(actor=login, today=lambda: TODAY))
        rows = cases.page(CaseFilter(), CaseSort(), limit=1000)
        assert {r.summary.id for r in rows} == expected, login
        assert cases.count(CaseFilter()) == len(expected)
        counts = cases.view_counts()
        for view in QuickView:
            in_view = {
                r.summary.id for r in cases.page(CaseFilter(view=view), CaseSort(), limit=1000)
            }
            assert in_view <= expected, (login, view)
            assert counts[view] == len(in_view) == cases.count(CaseFilter(view=view))
        assert cases.count(CaseFilter(text="CW-2026-00001")) == (
            1 if _id_of(db, "CW-2026-00001") in expected else 0
        )
        others = set(allowed(db, "cam")) - expected
        assert cases.rows(CaseFilter(), CaseSort(), others) == []
        assert (cases.nothing_shown() is None) == (login not in ("ivy", "visitor"))


def _id_of(app, reference: str) -> int:  # noqa: ANN001
    with app.uow() as uow:
        return uow.session.scalar(select(Case.id).where(Case.reference == reference))


def test_search_finds_only_what_check_allows(db) -> None:  # noqa: ANN001
    ids = team(db)
    mixed_cases(db, ids)
    for login in ("ann", "lee", "lyn", "cam", "ivy", "visitor"):
        expected = allowed(db, login)
        ctx = db.context(actor=login, today=lambda: TODAY)
        for words in ("pothole", "Pat Same", "larkspur avenue"):
            found = {hit.case_id for hit in search(ctx, words, limit=1000)}
            assert found == expected, (login, words)


def test_previous_complaints_show_only_what_check_allows(db) -> None:  # noqa: ANN001
    ids = team(db)
    mixed_cases(db, ids)
    everything = allowed(db, "cam")
    for login in ("ann", "lee", "lyn", "cam"):
        expected = allowed(db, login)
        ctx = db.context(actor=login, today=lambda: TODAY)
        opened = min(expected)
        found = previous_for_case(ctx, opened)
        assert {c.case_id for c in found.cases} == expected - {opened}, login
        hidden = everything - expected
        if hidden:  # a case they may not see: refused, its relatives not shown
            with pytest.raises(NotPermitted, match="may not see"):
                previous_for_case(ctx, min(hidden))


def test_today_lists_only_the_officers_own_cases(db) -> None:  # noqa: ANN001
    ids = team(db)
    mixed_cases(db, ids)
    for login in ("ann", "lee", "lyn", "cam"):
        expected = allowed(db, login)
        today = today_list(db.context(actor=login, today=lambda: TODAY))
        shown = {line.case_id for line in today.lines}
        assert shown and shown <= expected, login
        with db.uow() as uow:
            own = set(uow.session.scalars(select(Case.id).where(Case.officer_id == ids[login])))
        assert shown <= own
    for login in ("ivy", "visitor"):
        nothing = today_list(db.context(actor=login, today=lambda: TODAY))
        assert nothing.officer is None and nothing.lines == []
        assert "no case is shown to you" in nothing.problem
