"""Search everything: one query over references, names, addresses, issue text, notes, interview
records, letters, emails and document names, grouped by case; kept current as records change.
Runs on SQLite (FTS5) and on PostgreSQL (full-text search) when CASEWORKER_TEST_PG is set."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import delete, text

from caseworker.domain.enums import InterviewMethod, LetterKind, NoteKind, Role
from caseworker.services import permissions
from caseworker.services.cases.intake import NewCase, PersonIn, create_case
from caseworker.services.evidence.documents import add_document
from caseworker.services.search.fulltext import PG_SEEN_BY, PG_TEXT, PG_WORDS, case_hits, search
from caseworker.storage.models import Case, Correspondence, Interview, Letter, Note, Officer

TODAY = dt.date(2026, 11, 25)


def make_case(app, name: str, summary: str, issue: str, postcode: str = "QQ1 1AA") -> int:  # noqa: ANN001
    created = create_case(
        app.context(today=lambda: TODAY),
        NewCase(
            policy_id="stockport",
            received=dt.date(2026, 11, 23),
            service_area="Waste and recycling",
            summary=summary,
            first_aware=dt.date(2026, 11, 1),
            complainant=PersonIn(
                name=name,
                address="14 Larkspur Avenue, Stockport",
                postcode=postcode,
                email=f"{name.split()[0].lower()}@example.org",
            ),
            issues=(issue,),
        ),
    )
    return created.id


def fill(app) -> tuple[int, int]:  # noqa: ANN001
    first = make_case(app, "Ann Example", "Bins missed", "The green bin was missed four times.")
    second = make_case(
        app, "Bob Sample", "Rude call handler", "The call handler was rude.", postcode="QQ2 2BB"
    )
    with app.uow() as uow:
        s = uow.session
        case = s.get(Case, first)
        case.issues[0].notes.append(
            Note(
                kind=NoteKind.FACT,
                text="Crew logs show a blocked driveway on 3 November",
                author="tester",
            )
        )
        s.add(
            Interview(
                case_id=first,
                interviewee="Crew supervisor",
                held_on=TODAY,
                method=InterviewMethod.PHONE,
                notes="Supervisor mentioned the tipper",
            )
        )
        s.add(
            Letter(
                case_id=second,
                kind=LetterKind.OUTCOME,
                stage=1,
                draft={"paragraphs": ["We apologise for the discourteous telephone manner"]},
            )
        )
        s.add(
            Correspondence(
                case_id=second,
                sender="bob@example.org",
                subject="Further points",
                body="The handler hung up on me at quarter past nine",
            )
        )
        add_document(s, first, "driveway-photograph.jpg", b"\xff\xd8 jpeg")
        uow.commit()
    return first, second


def found(app, query: str) -> dict[int, set[str]]:  # noqa: ANN001
    """Each case found (as the search box asks, for 'tester', a complaints manager), with the
    kinds of record that matched."""
    return {hit.case_id: {m.kind for m in hit.matches} for hit in search(app.context(), query)}


def check_search(app) -> None:  # noqa: ANN001
    first, second = fill(app)
    with app.uow() as uow:
        ref = uow.session.get(Case, first).reference
    assert found(app, ref) == {first: {"case"}}
    assert found(app, "Ann Example") == {first: {"complainant"}}
    assert set(found(app, "larkspur")) == {first, second}  # address, both cases
    assert found(app, "qq2") == {second: {"complainant"}}  # postcode prefix
    assert found(app, "green bin") == {first: {"issue"}}
    assert found(app, "blocked driveway") == {first: {"note"}}
    assert found(app, "tipper") == {first: {"interview"}}
    assert found(app, "discourteous") == {second: {"letter"}}
    assert found(app, "hung up") == {second: {"email"}}
    assert found(app, "photograph") == {first: {"document"}}
    assert found(app, "") == {} and found(app, '"*(') == {}
    # A letter's match reads as its words, not its stored draft (issue 19).
    letter = search(app.context(), "discourteous")[0].matches[0]
    # PostgreSQL's headline may start at the first word that is not a stop word ("We").
    assert letter.text.endswith("apologise for the [discourteous] telephone manner")
    assert not any(mark in letter.text for mark in ('"', "{", "paragraphs"))
    hit = search(app.context(), "missed")[0]
    assert hit.reference == ref and "[" in hit.matches[0].text
    assert (hit.complainant, hit.service_area) == ("Ann Example", "Waste and recycling")

    # kept current: an edit replaces the old words, a deletion removes them
    with app.uow() as uow:
        uow.session.get(Case, first).issues[0].summary = "The brown bin was left open."
        uow.commit()
    assert found(app, "green") == {}
    assert found(app, "brown") == {first: {"issue"}}
    with app.uow() as uow:
        s = uow.session
        s.execute(delete(Correspondence).where(Correspondence.case_id == second))
        s.get(Case, second).complainant.name = "Robert Sample"
        uow.commit()
    assert found(app, "hung up") == {}
    assert found(app, "robert") == {second: {"complainant"}}


def test_search_on_sqlite(app) -> None:  # noqa: ANN001
    check_search(app)


def test_search_limit_counts_cases(app) -> None:  # noqa: ANN001
    for n in range(4):
        make_case(app, f"Person {n}", "Streetlight out", "The streetlight is out.")
    assert len(search(app.context(), "streetlight", limit=3)) == 3
    assert search(app.context(), "streetlight", limit=0) == []


def check_first_matches_ranked(app, monkeypatch) -> None:  # noqa: ANN001
    """A word found in more records than are ranked: the first RANKED in the order of where it
    was found (the case's own details before its issues) and, within that, newest first."""
    from caseworker.services.search import fulltext

    made = [
        make_case(app, f"Person {n}", "Streetlight out", "The streetlight is out.")
        for n in range(5)
    ]
    assert set(found(app, "streetlight")) == set(made)  # ten records, all ranked
    monkeypatch.setattr(fulltext, "RANKED", 3)
    assert found(app, "streetlight") == {case_id: {"case"} for case_id in made[-3:]}


def test_search_ranks_the_first_matches_case_details_and_newest_first(app, monkeypatch) -> None:  # noqa: ANN001
    check_first_matches_ranked(app, monkeypatch)


@pytest.mark.postgres
def test_search_ranks_the_first_matches_on_postgresql(pg_url, monkeypatch) -> None:  # noqa: ANN001
    from caseworker.bootstrap import open_app
    from caseworker.services.officers import link_to_complaints_manager

    app = open_app(pg_url, actor="tester")
    try:
        link_to_complaints_manager(app.context())
        check_first_matches_ranked(app, monkeypatch)
    finally:
        app.close()


@pytest.mark.postgres
def test_search_on_postgresql(pg_url) -> None:  # noqa: ANN001
    from caseworker.bootstrap import open_app
    from caseworker.services.officers import link_to_complaints_manager

    app = open_app(pg_url, actor="tester")
    try:
        link_to_complaints_manager(app.context())  # cases are recorded by an officer
        check_search(app)
    finally:
        app.close()


@pytest.mark.postgres
def test_on_postgresql_the_cases_words_are_kept_by_the_database_and_not_audited(pg_url) -> None:  # noqa: ANN001
    """The cases' words for search are kept parsed by PostgreSQL (migration 0026): current after
    an edit and gone with the case, and never in the trail (the search's index, not data)."""
    from caseworker.bootstrap import open_app
    from caseworker.services.officers import link_to_complaints_manager
    from caseworker.storage.models import CASE_WORDS_TABLE, AuditEvent

    app = open_app(pg_url, actor="tester")
    try:
        link_to_complaints_manager(app.context())
        first = make_case(app, "Ann Example", "Bins missed", "The green bin was missed.")
        with app.uow() as uow:
            uow.session.get(Case, first).summary = "Fly-tipping behind the library"
            uow.commit()
        assert found(app, "library") == {first: {"case"}}
        assert found(app, "bins") == {first: {"issue"}}  # no longer in the case's details
        with app.uow() as uow:
            trail = uow.session.query(AuditEvent).all()
            assert {e.entity for e in trail} >= {"cases"}
            assert CASE_WORDS_TABLE not in {e.entity for e in trail}
            uow.session.delete(uow.session.get(Case, first))
            uow.commit()
        with app.engine.connect() as connection:
            kept = connection.execute(text(f"SELECT count(*) FROM {CASE_WORDS_TABLE}"))
            assert kept.scalar_one() == 0
    finally:
        app.close()


@pytest.mark.postgres
def test_on_postgresql_every_table_is_searched_through_its_index(pg_url) -> None:  # noqa: ANN001
    """Each table's matches can come through its full-text index: the statement's expressions
    are the indexed ones, and the matching ids are asked for in full, out of the LIMIT's reach
    (with a LIMIT the planner reckoned a scan finds enough matches sooner, pricing to_tsvector()
    per row far below its cost). The app sets no planner switch; here, with a few rows where a
    scan is rightly cheaper, the test turns scans off to ask whether the indexes can serve."""
    from sqlalchemy import event

    from caseworker.bootstrap import open_app
    from caseworker.services.officers import link_to_complaints_manager

    app = open_app(pg_url, actor="tester")
    try:
        link_to_complaints_manager(app.context())  # cases are recorded by an officer
        fill(app)
        plans: list[str] = []

        @event.listens_for(app.engine, "before_cursor_execute", retval=True)
        def explained(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
            if "ts_headline" in statement:
                cursor.execute("EXPLAIN " + statement, parameters)
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
            return statement, parameters

        with app.uow() as uow:
            uow.session.execute(text("SET LOCAL enable_seqscan = off"))  # the test's, not the app's
            assert case_hits(uow.session, "missed", limit=5, visible=None)
            # An investigating officer's search: no table scanned either; the few cases they
            # may see found through the officer indexes first.
            ann = Officer(
                name="Ann Smith",
                email="ann@council.example",
                role=Role.INVESTIGATING_OFFICER,
                service_area="Waste and recycling",
                login="ann",
            )
            uow.session.add(ann)
            uow.session.flush()
            case_hits(
                uow.session, "missed", limit=5, visible=permissions.visible_to(uow.session, ann)
            )
            uow.rollback()  # Ann was only for the plan
        assert len(plans) == 2
        everyone, officer = plans
        assert "Seq Scan" not in everyone, everyone
        for table in PG_TEXT:  # each table through its full-text index...
            if table in PG_WORDS:  # ...or its kept words', or those read newest first
                words = PG_WORDS[table]
                walked = f"Index Scan Backward using {words}_pkey on {words} w"
                assert f"ix_{words}_fulltext" in everyone or walked in everyone, everyone
            else:
                assert f"ix_{table}_fulltext" in everyone, (table, everyone)
        assert "Seq Scan" not in officer, officer
        assert "ix_cases_stage1_officer_id" in officer and "ix_cases_officer_status" in officer
        # The officer's cases and the match are conditions of one scan of the cases, so that
        # their indexes and the full-text index can be read together (a bitmap of both at
        # 250,000 cases, only the matches read), as the function does for their login; not
        # the cases read again by the ids of theirs, each one's words parsed to test it (6,474
        # cases for the busiest officer).
        # Issues, notes and interviews: their kept words with their case's columns (0028),
        # read by the officer's columns' indexes (with the words' index at 250,000 cases, a
        # bitmap of both), the app's condition on the kept row; not the records' own tables,
        # nor the officer's cases read again to test each match's case.
        for table, kept in PG_SEEN_BY.items():
            assert f"Bitmap Index Scan on ix_{kept}_officer_id" in officer, (table, officer)
            assert not re.search(rf"Scan .*on {table} m", officer), (table, officer)
        nodes = re.split(r"\n\s*->\s+", officer)
        assert any(
            re.match(r"[\w ]*Scan .*on cases  \(", node)
            and "officer_id = " in node
            and "to_tsvector" in node
            for node in nodes
        ), officer
    finally:
        app.close()
