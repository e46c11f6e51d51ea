"""The main window on a database with cases: what it shows, filtering, quick views, sorting."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget

from caseworker.services.lists.caselist import QuickView
from caseworker_ui.models.case_list import CaseListModel as M


def shown(window, column: int = M.REFERENCE) -> list[str]:
    model = window.table.model()
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_window_lists_the_cases_with_title_count_and_menus(some_cases, window):
    assert window.windowTitle() == "Caseworker — test.sqlite"
    assert sorted(shown(window)) == [f"CW-2026-0000{n}" for n in range(1, 6)]
    assert window.count_label.text() == "5 cases"
    assert window.stack.currentWidget() is window.table
    assert window.table.isSortingEnabled() and window.table.alternatingRowColors()
    views = [window.views_model.item(row).text() for row in range(window.views_model.rowCount())]
    assert views == [
        "All cases (5)",
        "My cases (2)",
        "Due this week (1)",
        "Overdue (1)",
        "Unallocated (1)",
        "Stage 2 (1)",
    ]
    menus = {
        action.text(): [a.text() for a in action.menu().actions() if a.text()]
        for action in window.menuBar().actions()
    }
    assert menus["&File"] == ["&Quit"]
    assert "&Refresh" in menus["&View"]
    assert window.refresh_action.shortcut().toString() == "F5"


def test_controls_have_accessible_names(window):
    for widget in (
        window.filter_edit,
        window.status_combo,
        window.stage_combo,
        window.policy_combo,
        window.officer_combo,
        window.table,
        window.views_list,
    ):
        assert widget.accessibleName(), widget.objectName()


def test_typing_in_the_filter_box_filters_after_a_pause(some_cases, window, qtbot):
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.filter_edit)
    qtbot.keyClicks(window.filter_edit, "park")
    assert len(shown(window)) == 5  # not yet: the filter waits for typing to pause
    qtbot.waitUntil(
        lambda: sorted(shown(window)) == ["CW-2026-00001", "CW-2026-00002", "CW-2026-00004"]
    )
    assert window.count_label.text() == "3 cases"

    qtbot.keyClicks(window.filter_edit, "ing lot 9")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.empty_page)
    assert window.empty_label.text() == "No cases match these filters."
    assert window.count_label.text() == "No cases"
    qtbot.mouseClick(window.clear_button, Qt.MouseButton.LeftButton)
    assert window.filter_edit.text() == ""
    assert len(shown(window)) == 5


def test_combos_filter(some_cases, window):
    window.stage_combo.setCurrentIndex(window.stage_combo.findData(2))
    assert shown(window) == ["CW-2026-00004"]
    window.stage_combo.setCurrentIndex(0)
    window.officer_combo.setCurrentIndex(window.officer_combo.findText("Sam Patel"))
    assert sorted(shown(window)) == ["CW-2026-00001", "CW-2026-00003"]
    window.status_combo.setCurrentIndex(window.status_combo.findText("Closed"))
    assert shown(window) == ["CW-2026-00003"]


def test_a_quick_view_narrows_the_rows(some_cases, window, qtbot):
    window.show_view(QuickView.OVERDUE)
    assert shown(window) == ["CW-2026-00001"]
    assert shown(window, M.DAYS_LEFT) == ["3 days late"]
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # My cases
    assert sorted(shown(window)) == ["CW-2026-00002", "CW-2026-00004"]
    assert window.views_list.currentIndex().row() == 1


def test_a_missing_officer_record_shows_no_case_and_says_why(add_case, app, qtbot):
    import datetime as dt

    from caseworker.services.lists.caselist import CaseList
    from caseworker_ui.main_window import MainWindow

    add_case()
    main = MainWindow(
        CaseList(app.context(actor="visitor", today=lambda: dt.date(2026, 11, 25))),
        database="test.sqlite",
    )
    qtbot.addWidget(main)
    assert main.model.rowCount() == 0 and main.stack.currentWidget() is main.empty_page
    for view in (QuickView.ALL, QuickView.MINE):
        main.show_view(view)
        assert main.empty_label.text().startswith(
            "Your login 'visitor' is not linked to an officer record, so no case is shown to you"
        )
        assert "--login visitor" in main.empty_label.text()
    main.load_choices_and_counts()
    qtbot.waitUntil(lambda: main.counts_shown)  # counted on a worker thread
    assert main.views_model.item(0).text() == "All cases (0)"


def test_an_empty_database_says_so(window):
    assert window.stack.currentWidget() is window.empty_page
    assert window.empty_label.text().startswith("There are no cases in this database yet.")
    assert not window.clear_button.isVisibleTo(window)


def test_clicking_a_header_sorts_through_the_service(some_cases, window, qtbot):
    header = window.table.horizontalHeader()
    due = QPoint(
        header.sectionViewportPosition(M.DUE) + header.sectionSize(M.DUE) // 2, header.height() // 2
    )
    by_due = ["CW-2026-00003", "CW-2026-00001", "CW-2026-00002", "CW-2026-00005", "CW-2026-00004"]

    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=due)
    sort = window.model.case_sort
    assert sort.key.value == "due"
    assert shown(window) == (by_due[::-1] if sort.descending else by_due)

    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=due)
    assert window.model.case_sort.descending is not sort.descending
    assert shown(window) == (by_due if sort.descending else by_due[::-1])


def test_overdue_rows_are_red(some_cases, window):
    model = window.table.model()
    for row in range(model.rowCount()):
        index = model.index(row, M.DAYS_LEFT)
        background = index.data(Qt.ItemDataRole.BackgroundRole)
        if index.data().endswith("late"):
            assert background is not None and background.red() > background.green() + 20
        else:
            assert background is None or background.red() <= background.green() + 60


def test_refresh_picks_up_new_cases(some_cases, window, add_case, qtbot):
    add_case(reference="CW-2026-00099")
    qtbot.keyClick(window.table, Qt.Key.Key_F5)
    assert "CW-2026-00099" in shown(window)
    assert window.count_label.text() == "6 cases"


def test_choosing_a_case_announces_it(some_cases, window, qtbot):
    index = window.table.model().index(0, 0)
    with qtbot.waitSignal(window.case_opened) as signal:
        window.table.activated.emit(index)
    assert signal.args == [index.data(M.CASE_ID_ROLE)]


class BrokenCaseList:
    """A case list whose database went away after the window opened."""

    def __init__(self, real):
        self._real = real
        self.broken = False

    def __getattr__(self, name):
        attribute = getattr(self._real, name)
        if name in ("page", "count", "page_and_count", "view_counts", "choices") and self.broken:

            def fail(*args, **kwargs):
                raise OSError("disk I/O error")

            return fail
        return attribute


def test_a_database_that_cannot_be_read_is_explained_and_f5_tries_again(
    some_cases, app, case_list, qtbot
):
    from caseworker_ui.main_window import MainWindow

    source = BrokenCaseList(case_list)
    main = MainWindow(source, database="test.sqlite")
    qtbot.addWidget(main)
    assert len(shown(main)) == 5

    source.broken = True
    main.refresh()
    assert main.stack.currentWidget() is main.empty_page
    assert "could not be loaded: disk I/O error" in main.empty_label.text()
    assert "F5" in main.empty_label.text()
    assert not main.clear_button.isVisibleTo(main)

    source.broken = False
    main.refresh()
    assert len(shown(main)) == 5
    assert main.stack.currentWidget() is main.table


def _filter_bar_rectangles(window) -> dict[str, object]:
    """Each of the filter bar's labels and fields: its rectangle in the bar's coordinates."""
    bar = window.filter_bar
    rectangles = {}
    for widget in bar.findChildren(QWidget):
        if widget.parentWidget() is bar and not widget.isHidden():
            rectangles[widget.objectName() or widget.text()] = widget.geometry()
    return rectangles


def test_the_filter_bar_never_overlaps_nor_cuts_off_a_choice(
    add_officer, some_cases, case_list, qtbot
):
    # Long choices, loaded with the first page, at the widths of a laptop's screen and in a
    # larger font (a council desktop at 125%): once "Officer:" was drawn over the policy list.
    from caseworker_ui.main_window import MainWindow

    add_officer("Bartholomew Featherstonehaugh-Wrenthorpe")
    main = MainWindow(case_list, database="test.sqlite")
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    qtbot.waitUntil(lambda: main.counts_shown)
    long_name = "Bartholomew Featherstonehaugh-Wrenthorpe"
    assert main.officer_combo.findText(long_name) > 0
    rows_seen = set()
    for scale in (1.0, 1.25):
        font = QApplication.font()
        font.setPointSizeF(font.pointSizeF() * scale)
        main.setFont(font)
        for width in (1366, 1280, 1100):
            main.resize(width, 740)
            qtbot.waitUntil(lambda w=width: main.width() == w)
            QApplication.processEvents()
            bar = main.filter_bar
            rectangles = _filter_bar_rectangles(main)
            names = list(rectangles)
            for i, a in enumerate(names):
                assert bar.rect().contains(rectangles[a]), (scale, width, a)
                for b in names[i + 1 :]:
                    assert not rectangles[a].intersects(rectangles[b]), (scale, width, a, b)
            if width < 1280 or scale > 1:  # squeezed (elided), still not overlapping
                continue
            for combo in (main.status_combo, main.stage_combo, main.policy_combo):
                assert combo.width() >= combo.sizeHint().width(), (scale, width, combo)
            assert main.officer_combo.width() >= main.officer_combo.sizeHint().width()
            assert main.filter_edit.width() >= main.filter_edit.minimumWidth()
            rows_seen.add(bar.rows)
    assert 2 in rows_seen  # the choices went onto a second row where they did not fit
    main.close()
