"""The main window opened on the start-up page, before the app has loaded: the first rows are
there, what needs the rest waits and says so, and once the case list and desk are attached
everything works, with the rows (and the selection) left as they were when nothing changed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

import caseworker_ui.app
from caseworker.bootstrap import current_login
from caseworker.services.context import Context
from caseworker.services.lists import caselist as cl
from caseworker.services.lists.startpage import StartPage, read_start_page
from caseworker_ui.launch import open_database
from caseworker_ui.main_window import START_PAGE_SETTING, MainWindow
from caseworker_ui.models.case_list import CaseListModel
from caseworker_ui.today import LOADING
from tests.officers import complaints_managers
from tests.ui.conftest import LOGIN, TODAY


@pytest.fixture
def first_page(some_cases, case_list) -> StartPage:
    rows = case_list.page(cl.CaseFilter(), cl.CaseSort())
    return StartPage(rows, len(rows), today=lambda: TODAY)


@pytest.fixture
def desk(app) -> Context:
    return Context(app.sessions, actor=LOGIN, today=lambda: TODAY)


@pytest.fixture
def loading(qtbot, first_page) -> MainWindow:
    main = MainWindow(first_page, database="test.sqlite", loading=True)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def texts(main: MainWindow) -> list[str]:
    return [main.model.index(row, 0).data() for row in range(main.model.rowCount())]


def test_the_first_rows_show_and_the_rest_waits(loading, qtbot) -> None:
    assert loading.loading
    assert texts(loading) == [
        "CW-2026-00005",
        "CW-2026-00004",
        "CW-2026-00003",
        "CW-2026-00002",
        "CW-2026-00001",
    ]
    assert loading.model.index(4, 7).data() == "3 days late"  # the clock, from the start page
    assert not loading.new_case_action.isEnabled() and not loading.new_case_button.isEnabled()
    assert not loading.open_case_action.isEnabled()
    assert loading.loading_label.isVisible()  # the status bar says the app is still opening
    assert loading.loading_label.text() == "Opening the database…"
    qtbot.wait(50)
    assert not loading.counts_shown  # the counts need the case list
    assert loading.views_model.item(0).text() == "All cases"
    assert loading.pages.currentWidget() is loading.today_view  # Today is the first screen
    assert loading.today_view.status.text() == LOADING
    assert loading.today_view.empty_page.label.text() == LOADING


def test_once_attached_the_rows_and_selection_stay_and_everything_works(
    loading, qtbot, case_list, desk
) -> None:
    loading.show_list()
    loading.table.selectionModel().setCurrentIndex(
        loading.model.index(2, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    resets = []
    loading.model.modelReset.connect(lambda: resets.append(True))

    loading.attach(case_list, desk)

    assert not loading.loading and not resets  # the same rows: nothing on screen moved
    assert not loading.loading_label.isVisible()
    assert loading.table.currentIndex().row() == 2
    qtbot.waitUntil(lambda: loading.counts_shown)
    assert loading.views_model.item(0).text() == "All cases (5)"
    assert loading.new_case_action.isEnabled() and loading.new_case_button.isEnabled()
    assert loading.mail_drop is not None
    qtbot.waitUntil(lambda: loading.today_view.today is not None)
    assert loading.today_view.title.text().startswith("Today, Wednesday 25 Nov 2026 — Jo Bloggs")


def test_a_view_chosen_while_loading_is_shown_once_loaded(loading, qtbot, case_list, desk) -> None:
    loading.show_view(cl.QuickView.OVERDUE)
    assert loading.pages.currentWidget() is loading.list_page
    assert loading.model.waiting and loading.model.rowCount() == 0
    assert loading.stack.currentWidget() is loading.empty_page
    assert loading.empty_label.text() == "Loading the cases…"
    assert loading.clear_button.isHidden()

    loading.attach(case_list, desk)

    assert not loading.model.waiting
    assert texts(loading) == ["CW-2026-00001"]  # the overdue one
    assert loading.stack.currentWidget() is loading.table


def test_rows_that_changed_meanwhile_are_shown_afresh(
    qtbot, some_cases, case_list, desk, add_case
) -> None:
    rows = case_list.page(cl.CaseFilter(), cl.CaseSort())
    main = MainWindow(
        StartPage(rows, len(rows), today=lambda: TODAY), database="test.sqlite", loading=True
    )
    qtbot.addWidget(main)
    add_case(reference="CW-2026-00006", complainant="Newly Recorded")  # while it loaded
    main.attach(case_list, desk)
    assert texts(main)[0] == "CW-2026-00006" and main.model.total == 6


def test_words_typed_in_the_search_box_while_loading_are_searched_once_loaded(
    loading, qtbot, case_list, desk
) -> None:
    qtbot.keyClicks(loading.search_box, "Parker")
    qtbot.waitUntil(
        lambda: (
            loading.search_panel is not None
            and loading.pages.currentWidget() is loading.search_panel
        )
    )
    qtbot.waitUntil(
        lambda: "as soon as the app has loaded" in loading.search_panel.empty_page.label.text()
    )
    loading.attach(case_list, desk)
    qtbot.waitUntil(lambda: loading.search_panel.model.rowCount() == 1)
    assert loading.search_panel.model.index(0, 0).data() == "CW-2026-00002"


def test_the_app_opens_again_on_the_page_it_was_left_on(
    qtbot, app, some_cases, case_list, desk
) -> None:
    def opened() -> MainWindow:
        main = MainWindow(case_list, database="test.sqlite", desk=desk)
        qtbot.addWidget(main)
        main.show()
        return main

    first = opened()
    assert first.pages.currentWidget() is first.today_view  # the default
    first.show_list()
    first.close()
    assert QSettings().value(START_PAGE_SETTING) == "list"
    again = opened()
    assert again.pages.currentWidget() is again.list_page
    assert again.views_list.selectionModel().isSelected(again.views_model.index(0, 0))
    again.show_today()
    again.close()
    assert opened().pages.currentWidget().objectName() == "todayView"


def test_launch_opens_on_the_start_page_and_attaches_the_loaded_app(qtbot, app, some_cases) -> None:
    complaints_managers(app, current_login())  # who opens it for real: sees every case
    caseworker_ui.app.keep_start_recipe(app)
    page = read_start_page(app.url)
    assert page is not None and page.total == 5

    window, loader = caseworker_ui.app.launch(app.url, page, open_database)
    qtbot.addWidget(window)
    assert window.loading and window.model.rowCount() == 5
    qtbot.waitUntil(lambda: not window.loading, timeout=30_000)
    loader.wait(10)
    assert window.desk is not None and window.desk.actor == current_login()  # as run for real
    assert window.model.rowCount() == 5
    assert window.live is not None  # colleagues' changes followed
    qtbot.waitUntil(lambda: window.counts_shown)
    window.close()
    window.app.close()


def test_a_database_that_will_not_open_after_all_is_explained(
    qtbot, app, some_cases, monkeypatch, capsys
) -> None:
    caseworker_ui.app.keep_start_recipe(app)
    page = read_start_page(app.url)
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "critical", lambda _parent, _title, message: shown.append(message)
    )

    def exec_until_closed(*_args) -> int:
        qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
        return 0

    monkeypatch.setattr(QApplication, "exec", exec_until_closed)
    before = set(QApplication.topLevelWidgets())  # windows other tests left behind
    status = caseworker_ui.app.run_loading(
        app.url, page, lambda url: (None, "The server has gone away.")
    )
    assert status == 2
    assert shown == ["The server has gone away."]
    assert "The server has gone away." in capsys.readouterr().err
    assert not [
        w
        for w in set(QApplication.topLevelWidgets()) - before
        if isinstance(w, MainWindow) and w.isVisible()
    ]


def test_a_start_page_that_could_not_be_read_shows_the_list_as_loading(
    qtbot, some_cases, case_list, desk
) -> None:
    """On PostgreSQL the page is read while the window is built; a server that dropped the
    connection (or was too slow) leaves the list loading, and the app fills it once loaded."""

    def dropped(_day):
        raise OSError("server closed the connection unexpectedly")

    main = MainWindow(
        StartPage.being_read(dropped, today=lambda: TODAY), database="team database", loading=True
    )
    qtbot.addWidget(main)
    main.show_list()
    assert main.model.waiting and main.model.rowCount() == 0
    assert main.stack.currentWidget() is main.empty_page
    assert main.empty_label.text() == "Loading the cases…"

    main.attach(case_list, desk)

    assert not main.model.waiting
    assert texts(main)[0] == "CW-2026-00005" and main.model.total == 5
    assert main.stack.currentWidget() is main.table


def test_a_case_asked_for_while_loading_opens_once_loaded(loading, qtbot, case_list, desk) -> None:
    loading.show_list()
    loading.table.setFocus()
    loading.table.setCurrentIndex(loading.model.index(1, 0))  # CW-2026-00004
    qtbot.keyClick(loading.table, Qt.Key.Key_Return)
    assert not loading.case_windows  # nothing to open it with yet
    assert loading.statusBar().currentMessage() == (
        "CW-2026-00004 opens as soon as the app has loaded…"
    )

    loading.attach(case_list, desk)

    assert list(loading.case_windows) == [
        loading.model.index(1, 0).data(CaseListModel.CASE_ID_ROLE)
    ]
    window = next(iter(loading.case_windows.values()))
    assert "CW-2026-00004" in window.windowTitle() and window.isVisible()
    loading.close()  # closes its case windows too
    assert not window.isVisible()
