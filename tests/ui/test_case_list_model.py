"""The case list model: Qt's model checks, paging, sorting through the service, colours."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QModelIndex, Qt

from caseworker.services.lists.caselist import CaseFilter, QuickView
from caseworker_ui.models.case_list import CaseListModel, format_date

M = CaseListModel


@pytest.fixture
def model(qapp, case_list) -> CaseListModel:
    return CaseListModel(case_list, page_size=4)


@pytest.fixture
def checked(model, model_tester):
    """The model watched by Qt's QAbstractItemModelTester for the whole test (Fatal mode)."""
    model_tester(model)
    return model


def load_all(model: CaseListModel) -> None:
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())


def texts(model: CaseListModel, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_format_date():
    assert format_date(dt.date(2026, 11, 23)) == "23 Nov 2026"
    assert format_date(dt.date(2027, 1, 4)) == "4 Jan 2027"
    assert format_date(None) == ""


def test_model_passes_qt_model_tester_through_paging_sorting_and_filtering(checked, add_case):
    model = checked
    for n in range(10):
        add_case(complainant=f"Person {n}", received=dt.date(2026, 11, 1) + dt.timedelta(n))
    model.refresh()
    assert (model.rowCount(), model.total) == (4, 10)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 10
    model.sort(M.COMPLAINANT, Qt.SortOrder.AscendingOrder)
    model.set_text("Person 1")
    assert model.rowCount() == model.total == 1
    model.set_filter(CaseFilter())
    assert model.rowCount() == 4


def test_words_read_on_a_worker_thread_keep_the_model_sound(checked, add_case, qtbot):
    """With a worker thread for the words typed, the model keeps its rows until their list
    comes, offers no next page of the old rows meanwhile, and then shows the list whole."""
    from caseworker_ui.reports.worker import NewestAnswer

    model = checked
    for n in range(10):
        add_case(complainant=f"Person {n}", received=dt.date(2026, 11, 1) + dt.timedelta(n))
    model.refresh()
    reads = NewestAnswer(model, "the list for the words")
    model.read_typed_text_off_the_loop(reads)
    model.set_text("Person 1")
    assert model.loading and not model.canFetchMore(QModelIndex())
    assert (model.rowCount(), model.total) == (4, 10)  # the last list, until the new one comes
    qtbot.waitUntil(lambda: not model.loading)
    assert (model.rowCount(), model.total) == (1, 1)
    assert texts(model, M.COMPLAINANT) == ["Person 1"]
    model.set_text("")
    qtbot.waitUntil(lambda: not model.loading)
    assert (model.rowCount(), model.total) == (4, 10) and model.canFetchMore(QModelIndex())
    reads.wait()


def test_pages_load_only_as_the_view_asks(model, add_case):
    for _ in range(9):
        add_case()
    model.refresh()
    assert model.rowCount() == 4 and model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 9 and not model.canFetchMore(QModelIndex())
    references = texts(model, M.REFERENCE)
    assert len(set(references)) == 9


def test_cells_show_what_an_officer_reads(model, some_cases):
    model.set_filter(CaseFilter(text="CW-2026-00001"))
    row = {column: model.index(0, column).data() for column in range(model.columnCount())}
    assert row == {
        M.REFERENCE: "CW-2026-00001",
        M.COMPLAINANT: "Priya Shah",
        M.SERVICE: "Parking",
        M.STAGE: "1",
        M.OFFICER: "Sam Patel",
        M.RECEIVED: "2 Nov 2026",
        M.DUE: "20 Nov 2026",
        M.DAYS_LEFT: "3 days late",
        M.STATUS: "Open",
    }
    days = model.index(0, M.DAYS_LEFT)
    assert (
        days.data(Qt.ItemDataRole.ToolTipRole) == "3 working days late: it was due on 20 Nov 2026"
    )
    assert days.data(M.URGENCY_ROLE) == "overdue"
    assert isinstance(model.index(0, 0).data(M.CASE_ID_ROLE), int)

    model.set_filter(CaseFilter(text="CW-2026-00005"))
    assert model.index(0, M.COMPLAINANT).data() == "Anonymous"
    assert model.index(0, M.OFFICER).data() == "Unallocated"
    assert model.headerData(M.DAYS_LEFT, Qt.Orientation.Horizontal) == "Days left"


def test_overdue_is_red_and_due_soon_amber_with_words_too(model, some_cases):
    model.refresh()
    load_all(model)
    by_ref = {model.index(r, M.REFERENCE).data(): r for r in range(model.rowCount())}

    def cell(reference, role):
        return model.index(by_ref[reference], M.DAYS_LEFT).data(role)

    overdue = cell("CW-2026-00001", Qt.ItemDataRole.BackgroundRole)
    assert overdue.red() > overdue.green() + 20 and overdue.red() > overdue.blue() + 20
    foreground = cell("CW-2026-00001", Qt.ItemDataRole.ForegroundRole)
    assert foreground.red() > 2 * foreground.green()
    assert cell("CW-2026-00001", Qt.ItemDataRole.FontRole).bold()

    amber = cell("CW-2026-00002", Qt.ItemDataRole.BackgroundRole)
    assert amber.red() > amber.blue() + 20 and amber.green() > amber.blue() + 20
    assert cell("CW-2026-00002", Qt.ItemDataRole.DisplayRole) == "2 days left"

    assert cell("CW-2026-00004", Qt.ItemDataRole.BackgroundRole) is None
    assert cell("CW-2026-00003", Qt.ItemDataRole.DisplayRole) == ""  # closed: no clock


def test_sort_goes_back_to_the_service(model, some_cases):
    model.sort(M.DUE, Qt.SortOrder.AscendingOrder)
    assert texts(model, M.REFERENCE) == [
        "CW-2026-00003",
        "CW-2026-00001",
        "CW-2026-00002",
        "CW-2026-00005",
    ]  # first page of 4
    model.sort(M.DAYS_LEFT, Qt.SortOrder.DescendingOrder)
    assert texts(model, M.REFERENCE)[0] == "CW-2026-00004"
    model.sort(M.COMPLAINANT, Qt.SortOrder.AscendingOrder)
    load_all(model)
    assert texts(model, M.COMPLAINANT) == [
        "Anonymous",
        "Ann Example",
        "Li Wei",
        "Priya Shah",
        "Tom Parker",
    ]


def test_filter_setters_reset_and_report_the_total(model, some_cases, qtbot):
    model.refresh()
    with qtbot.waitSignal(model.total_changed) as signal:
        model.set_view(QuickView.OVERDUE)
    assert signal.args == [1]
    assert texts(model, M.REFERENCE) == ["CW-2026-00001"]
    with qtbot.waitSignal(model.modelReset):
        model.set_view(QuickView.MINE)
    assert sorted(texts(model, M.REFERENCE)) == ["CW-2026-00002", "CW-2026-00004"]
    model.set_stage(2)
    assert texts(model, M.REFERENCE) == ["CW-2026-00004"]
    model.set_view(QuickView.ALL)
    model.set_stage(None)
    model.set_officer(None)
    model.set_policy("southampton")
    assert model.rowCount() == model.total == 0


def test_a_page_that_fails_to_load_stops_paging_and_says_why(qapp, case_list, add_case, qtbot):
    for _ in range(6):
        add_case()

    class FailsOnSecondPage:
        def count(self, filt):
            return case_list.count(filt)

        def page(self, filt, sort, *, after=None, limit=100):
            if after is not None:
                raise OSError("database is locked")
            return case_list.page(filt, sort, limit=limit)

    model = CaseListModel(FailsOnSecondPage(), page_size=4)
    model.refresh()
    with qtbot.waitSignal(model.load_failed) as signal:
        model.fetchMore(QModelIndex())
    assert signal.args == ["database is locked"]
    assert model.rowCount() == 4 and not model.canFetchMore(QModelIndex())
