"""The main window shows its first page, with its filter choices (the officers table and the
installed policies), before anything else: the quick views' counts (a read of every case,
~0.2 s with 250,000) are read once, after the first rows have been painted, so that every filter
works from the first paint and the counts do not hold it up."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction

from caseworker.services.lists.caselist import QuickView


class Recording:
    """The window's case list, writing down each call in ``calls``."""

    def __init__(self, cases, calls: list[str]) -> None:  # noqa: ANN001
        self._cases = cases
        self.calls = calls

    def __getattr__(self, name: str):  # noqa: ANN204
        found = getattr(self._cases, name)
        if name in ("page", "count", "page_and_count", "choices", "view_counts"):

            def recorded(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
                self.calls.append(name)
                return found(*args, **kwargs)

            return recorded
        return found


class Paints(QObject):
    def __init__(self, calls: list[str]) -> None:
        super().__init__()
        self.calls = calls

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.calls.append("paint")
        return False


def test_the_first_rows_and_choices_are_painted_before_the_counts_are_read_once(
    some_cases, case_list, qtbot
):
    from caseworker_ui.main_window import MainWindow

    calls: list[str] = []
    main = MainWindow(Recording(case_list, calls), database="test.sqlite")
    qtbot.addWidget(main)
    # 5 cases: the first page is the whole list, not counted again; the filters' choices with it
    assert calls == ["page_and_count", "choices"]
    assert main.model.rowCount() == 5
    assert main.views_model.item(0).text() == "All cases"  # no count yet
    assert main.policy_combo.count() > 1 and main.officer_combo.count() > 1
    assert not main.findChildren(QAction, "reportsAction")  # the reports' imports wait too

    paints = Paints(calls)
    main.table.viewport().installEventFilter(paints)
    main.show()
    qtbot.waitUntil(lambda: main.counts_shown)
    assert calls.index("paint") < calls.index("view_counts")
    assert calls.count("choices") == 1 and calls.count("view_counts") == 1  # not read again
    assert main.views_model.item(0).text() == "All cases (5)"
    assert len(main.findChildren(QAction, "reportsAction")) == 1

    calls.clear()
    main.refresh()  # F5: the list first, then the choices and counts again, once
    qtbot.waitUntil(lambda: main.counts_shown)
    assert [c for c in calls if c != "paint"] == ["page_and_count", "choices", "view_counts"]
    assert len(main.findChildren(QAction, "reportsAction")) == 1  # added once


def test_a_filter_chosen_before_the_counts_are_shown_filters_the_list(some_cases, case_list, qtbot):
    """An officer who picks a policy as soon as the list appears gets it: the choices are there
    before the counts, and choosing one filters the list."""
    from caseworker_ui.main_window import MainWindow

    main = MainWindow(case_list, database="test.sqlite")
    qtbot.addWidget(main)
    assert not main.counts_shown
    policies = [main.policy_combo.itemData(i) for i in range(1, main.policy_combo.count())]
    assert policies
    main.policy_combo.setCurrentIndex(1)
    assert main.model.case_filter.policy_id == policies[0]
    assert all(
        main.model.row_at(row).summary.policy_id == policies[0]
        for row in range(main.model.rowCount())
    )


def test_a_window_never_shown_still_gets_its_counts(some_cases, case_list, qtbot):
    from caseworker_ui.main_window import MainWindow

    main = MainWindow(case_list, database="test.sqlite")
    qtbot.addWidget(main)
    qtbot.waitUntil(lambda: main.counts_shown)
    counts = [main.views_model.item(row).text() for row in range(len(QuickView))]
    assert counts[0] == "All cases (5)" and counts[-1] == "Stage 2 (1)"


class SlowCounts:
    """The window's case list, whose quick view counts wait until ``go`` is set (as a count
    over 250,000 cases takes its time)."""

    def __init__(self, cases) -> None:  # noqa: ANN001
        import threading

        self._cases = cases
        self.go = threading.Event()

    def __getattr__(self, name: str):  # noqa: ANN204
        found = getattr(self._cases, name)
        if name == "view_counts":

            def slow():  # noqa: ANN202
                assert self.go.wait(10)
                return found()

            return slow
        return found


def test_the_list_answers_while_the_quick_views_are_counted(some_cases, case_list, qtbot):
    """The counts are read on a worker thread: while they are read the list filters at once."""
    from caseworker_ui.main_window import MainWindow

    source = SlowCounts(case_list)
    main = MainWindow(source, database="test.sqlite")
    qtbot.addWidget(main)
    main.show()
    qtbot.waitUntil(lambda: main._counts is not None and main._counts.waiting)  # after the paint
    main.stage_combo.setCurrentIndex(main.stage_combo.findData(2))  # on the event loop's thread
    assert [main.model.row_at(r).summary.reference for r in range(main.model.rowCount())] == [
        "CW-2026-00004"
    ]
    assert not main.counts_shown and main.views_model.item(0).text() == "All cases"
    source.go.set()
    qtbot.waitUntil(lambda: main.counts_shown)
    assert main.views_model.item(0).text() == "All cases (5)"
