"""Search everything from the main window: type in the box, see the cases grouped with where the
words were found, open a case at the tab that shows the match."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QModelIndex, Qt

from caseworker.domain.enums import InterviewMethod, NoteKind
from caseworker.services.cases import casefile, intake
from caseworker.services.cases.intake import NewCase, PersonIn
from caseworker.services.context import Context
from caseworker.services.investigation import issues as investigation
from caseworker.services.investigation.issues import InterviewIn
from caseworker.services.lists.caselist import CaseList
from caseworker.storage.models import Correspondence
from caseworker_ui.main_window import MainWindow
from caseworker_ui.models.search import (
    CASE_ID_ROLE,
    HTML_ROLE,
    SECTION_ROLE,
    plain_snippet,
    snippet_html,
)

TODAY = dt.date(2026, 11, 25)


def record(desk: Context, name: str, postcode: str, summary: str, issue: str) -> int:
    return intake.create_case(
        desk,
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
    ).id


@pytest.fixture
def cases(app, desk) -> tuple[int, int]:
    first = record(desk, "Ann Example", "QQ1 1AA", "Bins missed", "The green bin was missed.")
    second = record(
        desk, "Bob Sample", "QQ2 2BB", "Rude call handler", "The call handler was rude."
    )
    issue = casefile.load_case_file(desk, first).issues[0].id
    investigation.add_note(
        desk, issue, NoteKind.FACT, "Crew logs show a blocked driveway on 3 November"
    )
    investigation.record_interview(
        desk,
        first,
        InterviewIn(
            interviewee="Crew supervisor",
            held_on=TODAY,
            method=InterviewMethod.PHONE,
            notes="The supervisor mentioned the tipper was off the road",
        ),
    )
    with app.uow() as uow:  # an email filed on the case (the evidence screens add these)
        uow.session.add(
            Correspondence(
                case_id=second,
                sender="bob@example.org",
                subject="Further points",
                body="The handler hung up on me at quarter past nine",
            )
        )
        uow.commit()
    return first, second


@pytest.fixture
def window(qtbot, app, desk, cases):
    main = MainWindow(
        CaseList(app.context(today=lambda: TODAY)),
        database="test.sqlite",
        desk=desk,
    )
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    for case_window in list(main.case_windows.values()):
        case_window.close()
    main.close()


def search_for(qtbot, window, words: str) -> None:
    panel = window.search_panel
    panel.box.clear()
    qtbot.keyClicks(panel.box, words)
    qtbot.waitUntil(lambda: panel.query == words, timeout=3000)


def tree_rows(model) -> dict[str, list[tuple[str, str]]]:
    """Each case row's reference, with its children's (where, snippet)."""
    rows = {}
    for row in range(model.rowCount()):
        case = model.index(row, 0)
        rows[case.data()] = [
            (model.index(child, 0, case).data(), model.index(child, 1, case).data())
            for child in range(model.rowCount(case))
        ]
    return rows


def test_typing_shows_the_cases_grouped_with_where_the_words_were_found(
    qtbot, window, cases, model_tester
):
    panel = window.search_panel
    model_tester(panel.model)
    assert window.pages.currentWidget() is window.today_view  # the first screen
    search_for(qtbot, window, "larkspur")
    assert window.pages.currentWidget() is panel
    rows = tree_rows(panel.model)
    assert set(rows) == {"CW-2026-00001", "CW-2026-00002"}
    assert rows["CW-2026-00001"][0][0] == "Complainant"
    assert "14 Larkspur Avenue" in rows["CW-2026-00001"][0][1]
    first = panel.model.index(0, 0)
    assert {panel.model.index(0, 1).data(), panel.model.index(1, 1).data()} == {
        "Ann Example",
        "Bob Sample",
    }
    assert panel.model.index(0, 3).data() == "Open"
    assert panel.tree.isExpanded(first)
    assert panel.status.text().startswith("2 cases mention “larkspur”")

    search_for(qtbot, window, "blocked driveway")
    assert tree_rows(panel.model) == {
        "CW-2026-00001": [("Note", "Crew logs show a blocked driveway on 3 November")]
    }
    note = panel.model.index(0, 1, panel.model.index(0, 0))
    assert note.data(HTML_ROLE).count("<b") == 2


def test_enter_on_a_match_opens_the_case_at_its_tab(qtbot, window, cases):
    first, second = cases
    panel = window.search_panel
    for words, case_id, tab in (
        ("blocked driveway", first, "issues"),
        ("tipper", first, "interviews"),
        ("CW-2026-00002", second, "overview"),
    ):
        search_for(qtbot, window, words)
        case_row = panel.model.index(0, 0)
        line = panel.model.index(0, 0, case_row) if panel.model.rowCount(case_row) else case_row
        assert line.data(CASE_ID_ROLE) == case_id
        panel.tree.setFocus()
        panel.tree.setCurrentIndex(line)
        qtbot.keyClick(panel.tree, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda c=case_id: c in window.case_windows)
        opened = window.case_windows[case_id]
        assert opened.tabs.currentWidget() is getattr(opened, tab), words

    # an email opens the case's documents (its overview until the case file has that tab)
    search_for(qtbot, window, "hung up")
    email = panel.model.index(0, 0, panel.model.index(0, 0))
    assert email.data() == "Email" and email.data(SECTION_ROLE) == "documents"
    panel.tree.scrollTo(email)
    where = panel.tree.visualRect(email)
    assert where.isValid()
    opened = window.case_windows[second]
    assert opened.tabs.currentWidget() is opened.overview  # where the reference search left it
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=where.center())
    qtbot.mouseDClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=where.center())
    qtbot.waitUntil(lambda: opened.tabs.currentWidget() is opened.documents)


def test_no_match_and_an_empty_box_say_so_plainly(qtbot, window, cases):
    panel = window.search_panel
    search_for(qtbot, window, "zebra crossing")
    assert panel.model.rowCount() == 0
    assert not panel.tree.isVisibleTo(panel)
    assert panel.status.text().startswith("No case mentions “zebra crossing”")
    qtbot.keyClick(panel.box, Qt.Key.Key_Escape)  # back to where the officer was
    assert panel.box.text() == ""
    assert window.pages.currentWidget() is window.today_view
    window.show_list()
    search_for(qtbot, window, "tipper")
    qtbot.keyClick(panel.box, Qt.Key.Key_Escape)
    assert window.pages.currentWidget() is window.list_page


def test_ctrl_k_goes_to_the_search_box(qtbot, window):
    window.table.setFocus()
    window.search_action.trigger()
    assert window.search_panel.box.hasFocus()
    assert window.search_action.shortcut().toString() == "Ctrl+K"


def test_snippets_lose_their_brackets_and_escape_html():
    assert plain_snippet("a [bin] and <b>") == "a bin and <b>"
    assert snippet_html("[x] < y").startswith('<b style="background-color:#fff3a0">x</b> &lt; y')
    assert QModelIndex().data(CASE_ID_ROLE) is None


def test_an_investigating_officer_finds_only_their_own_cases(qtbot, app, cases):
    from tests.officers import add_team

    first, _second = cases
    ids = add_team(app)
    with app.uow() as uow:
        from caseworker.storage.models import Case

        uow.session.get(Case, first).officer_id = ids["ann"]
        uow.commit()
    ann = app.context(actor="ann", today=lambda: TODAY)
    main = MainWindow(CaseList(ann), database="test.sqlite", desk=ann)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    search_for(qtbot, main, "larkspur")  # both complainants' address
    assert set(tree_rows(main.search_panel.model)) == {"CW-2026-00001"}
    assert main.model.total == 1  # and her list
    search_for(qtbot, main, "rude")  # only in the case she may not see
    assert main.search_panel.model.rowCount() == 0
    assert "No case mentions “rude”" in main.search_panel.status.text()
    main.close()


def test_the_search_runs_on_a_worker_thread_while_the_box_takes_keys(
    qtbot, window, cases, monkeypatch
):
    """The database is searched on a worker thread: the box goes on taking keys while it answers
    (a common word, or an officer's own login on a team's server, takes most of 0.1 s), and
    only the newest search's answer is shown."""
    import threading

    import caseworker.services.search.fulltext as fulltext

    real = fulltext.search
    threads: list[int] = []
    release = threading.Event()

    def held(ctx, query, limit):  # noqa: ANN001, ANN202
        threads.append(threading.get_ident())
        assert release.wait(30)
        return real(ctx, query, limit)

    monkeypatch.setattr(fulltext, "search", held)
    panel = window.search_panel
    try:
        qtbot.keyClicks(panel.box, "larkspur")
        qtbot.waitUntil(lambda: panel.searching)  # asked, and held on its thread
        qtbot.keyClicks(panel.box, " avenue")  # the box still takes keys
        assert panel.box.text() == "larkspur avenue"
    finally:
        release.set()
    qtbot.waitUntil(lambda: panel.query == "larkspur avenue" and not panel.searching)
    assert set(tree_rows(panel.model)) == {"CW-2026-00001", "CW-2026-00002"}
    assert threads and threading.get_ident() not in threads
