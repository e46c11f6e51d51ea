"""The case list as a Qt table model, loaded a page at a time as the person scrolls.

The model never holds more rows than have been scrolled to: :meth:`CaseListModel.refresh` loads
the first page and the total, and the view asks for the next page (``canFetchMore`` and
``fetchMore``) when it nears the bottom. Sorting and filtering go back to the case list service,
which runs one query per page; the model neither sorts nor filters rows itself.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPen, QPixmap

from caseworker.domain.caselist import (
    PAGE_SIZE,
    CaseFilter,
    CaseRow,
    CaseSort,
    CaseSummary,
    QuickView,
    SortKey,
    Urgency,
    sort_value,
)
from caseworker.domain.enums import CaseStatus

if TYPE_CHECKING:
    from caseworker_ui.reports.worker import NewestAnswer

Index = QModelIndex | QPersistentModelIndex
log = logging.getLogger(__name__)

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Text and background pairs with a contrast ratio above 7:1, so that neither relies on colour.
OVERDUE_BACKGROUND = QColor("#f8d7da")
OVERDUE_FOREGROUND = QColor("#842029")
DUE_SOON_BACKGROUND = QColor("#fff3cd")
DUE_SOON_FOREGROUND = QColor("#664d03")
MUTED_FOREGROUND = QColor("#6c757d")


_CHECKED_OUT_ICON: QIcon | None = None


def checked_out_icon() -> QIcon:
    """A small laptop: the case is checked out for offline work (drawn once, no image file)."""
    global _CHECKED_OUT_ICON
    if _CHECKED_OUT_ICON is None:
        pixmap = QPixmap(16, 16)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#664d03"), 1.4))
        painter.setBrush(QColor("#fff3cd"))
        painter.drawRoundedRect(3, 2, 10, 8, 1.5, 1.5)  # the screen
        painter.setBrush(QColor("#664d03"))
        painter.drawRect(1, 12, 14, 2)  # the keyboard
        painter.end()
        _CHECKED_OUT_ICON = QIcon(pixmap)
    return _CHECKED_OUT_ICON


def format_date(day: dt.date | None) -> str:
    """``23 Nov 2026`` (the same in every locale, as council letters write it)."""
    if day is None:
        return ""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _reason(error: Exception) -> str:
    """The first line of an error's message: the driver's words, without SQL or links."""
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()
    return reason[0] if reason else type(error).__name__


class CaseSource(Protocol):
    """What the model needs from the core: :class:`caseworker.services.lists.caselist.CaseList`
    (whose ``page_and_count``, if a source has one, gives a first page and its count in one
    go)."""

    def count(self, filt: CaseFilter) -> int: ...

    def page(
        self, filt: CaseFilter, sort: CaseSort, *, after: CaseSummary | None = ..., limit: int = ...
    ) -> list[CaseRow]: ...

    def rows(
        self, filt: CaseFilter, sort: CaseSort, case_ids: Collection[int]
    ) -> list[CaseRow]: ...


class CaseListModel(QAbstractTableModel):
    REFERENCE, COMPLAINANT, SERVICE, STAGE, OFFICER, RECEIVED, DUE, DAYS_LEFT, STATUS = range(9)
    HEADERS = (
        "Reference",
        "Complainant",
        "Service",
        "Stage",
        "Officer",
        "Received",
        "Due",
        "Days left",
        "Status",
    )
    SORT_KEYS = (
        SortKey.REFERENCE,
        SortKey.COMPLAINANT,
        SortKey.SERVICE,
        SortKey.STAGE,
        SortKey.OFFICER,
        SortKey.RECEIVED,
        SortKey.DUE,
        SortKey.DUE,  # days left runs with the due date
        SortKey.STATUS,
    )
    CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
    URGENCY_ROLE = Qt.ItemDataRole.UserRole + 2

    total_changed = Signal(int)
    """The number of cases the filters match (not just those loaded), after every refresh."""
    load_failed = Signal(str)
    """The database could not be read; why, in a sentence."""

    def __init__(self, source: CaseSource, *, page_size: int = PAGE_SIZE, parent=None) -> None:
        super().__init__(parent)
        self._source = source
        self._page_size = page_size
        self._filter = CaseFilter()
        self._sort = CaseSort()
        self._rows: list[CaseRow] = []
        self._total = 0
        self._complete = True
        self._resetting = False
        self._fetching = False
        self._error: str | None = None
        self._reads: NewestAnswer | None = None

    # -- what to show ------------------------------------------------------------------------

    @property
    def case_filter(self) -> CaseFilter:
        return self._filter

    @property
    def case_sort(self) -> CaseSort:
        return self._sort

    @property
    def total(self) -> int:
        return self._total

    def set_filter(self, filt: CaseFilter) -> None:
        if filt != self._filter:
            self._filter = filt
            self.refresh()

    def set_text(self, text: str) -> None:
        """Filter by the words typed. Given a worker thread (:meth:`read_typed_text_off_the_loop`)
        the first page is read there, and the rows on show stay until it comes (:attr:`loading`);
        else at once, as every other change of filter or sort."""
        filt = replace(self._filter, text=text)
        if filt != self._filter:
            self._filter = filt
            self._read_in_background()

    def read_typed_text_off_the_loop(self, reads: NewestAnswer) -> None:
        """Read the list for the words typed on ``reads``' worker thread: the start of a common
        word matches tens of thousands of cases, whose count and first page can take a tenth
        of a second or more, too long for the window to stop answering keys for."""
        self._reads = reads

    @property
    def loading(self) -> bool:
        """The first page for the words typed is being read; the rows on show are the last."""
        return self._reads is not None and self._reads.waiting

    def set_statuses(self, statuses: frozenset[CaseStatus]) -> None:
        self.set_filter(replace(self._filter, statuses=statuses))

    def set_stage(self, stage: int | None) -> None:
        self.set_filter(replace(self._filter, stage=stage))

    def set_policy(self, policy_id: str | None) -> None:
        self.set_filter(replace(self._filter, policy_id=policy_id))

    def set_officer(self, officer_id: int | None) -> None:
        self.set_filter(replace(self._filter, officer_id=officer_id))

    def set_view(self, view: QuickView) -> None:
        self.set_filter(replace(self._filter, view=view))

    def sort_column(self) -> int:
        return self.SORT_KEYS.index(self._sort.key)

    def sort_order(self) -> Qt.SortOrder:
        if self._sort.descending:
            return Qt.SortOrder.DescendingOrder
        return Qt.SortOrder.AscendingOrder

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.SORT_KEYS):
            return
        wanted = CaseSort(self.SORT_KEYS[column], order == Qt.SortOrder.DescendingOrder)
        if wanted != self._sort:
            self._sort = wanted
            self.refresh()

    @property
    def load_error(self) -> str | None:
        """Why the last refresh showed nothing (the database could not be read), else None."""
        return self._error

    def refresh(self) -> None:
        """Start again from the first page (after a change of filter or sort, or on F5).

        If the database cannot be read the list is emptied, :attr:`load_error` says why and
        :attr:`load_failed` is emitted; the next refresh tries again. A read of the words typed
        still under way is not shown when it comes: this is newer.
        """
        if self._reads is not None:
            self._reads.forget()
        try:
            rows, total = self._first_page(self._filter, self._sort)
            error = None
        except Exception as failure:  # a lost connection, a locked or damaged file...
            log.exception("could not load the case list")
            rows, total, error = [], 0, _reason(failure)
        self._show_first_page(rows, total, error)

    def _first_page(self, filt: CaseFilter, sort: CaseSort) -> tuple[list[CaseRow], int]:
        first = getattr(self._source, "page_and_count", None)  # one unit of work for both
        if first is not None:
            rows, total = first(filt, sort, limit=self._page_size)
            return rows, total
        rows = self._source.page(filt, sort, limit=self._page_size)
        total = len(rows)
        if len(rows) >= self._page_size:
            total = self._source.count(filt)
        return rows, total

    def _read_in_background(self) -> None:
        reads, filt, sort = self._reads, self._filter, self._sort
        if reads is None:
            self.refresh()
            return
        reads.ask(
            lambda: self._first_page(filt, sort),
            lambda answer: self._show_first_page(*answer, None),
            lambda failure: self._show_first_page([], 0, _reason(failure)),
        )

    def _show_first_page(self, rows: list[CaseRow], total: int, error: str | None) -> None:
        self._error = error
        self._resetting = True
        try:
            self.beginResetModel()
            self._rows, self._complete, self._total = rows, len(rows) < self._page_size, total
            self.endResetModel()
        finally:
            # Whoever handles modelReset sees the first page as it is: a page fetched from
            # inside the reset would insert rows before the reset is over.
            self._resetting = False
        self.total_changed.emit(self._total)
        if self._error is not None:
            self.load_failed.emit(self._error)

    def row_at(self, row: int) -> CaseRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, case_id: int) -> int:
        """The row showing the case, or -1 if it is not loaded."""
        return next((n for n, row in enumerate(self._rows) if row.summary.id == case_id), -1)

    def update_cases(self, case_ids: Collection[int]) -> bool:
        """Show colleagues' changes to these cases in place: changed rows are replaced and rows
        that no longer match the filters removed, so the selection and scroll position stay.
        False (nothing done) when only a refresh can show it right: a case that now matches
        and is not loaded (new, or newly matching), or one whose change moves it in the sort
        order."""
        if self.loading:  # the rows on show are about to go: read them again, with the change
            self._read_in_background()
            return True
        rows_of = getattr(self._source, "rows", None)
        if rows_of is None or self._error is not None:
            return False
        try:
            fresh = {row.summary.id: row for row in rows_of(self._filter, self._sort, case_ids)}
        except Exception:
            log.exception("could not read the changed cases")
            return False
        loaded = {
            row.summary.id: n for n, row in enumerate(self._rows) if row.summary.id in set(case_ids)
        }
        if set(fresh) - set(loaded):
            return False
        key = self._sort.key
        for case_id, n in loaded.items():
            if case_id in fresh and sort_value(key, fresh[case_id].summary) != sort_value(
                key, self._rows[n].summary
            ):
                return False
        for case_id, n in sorted(loaded.items(), key=lambda item: -item[1]):
            if case_id not in fresh:
                self.beginRemoveRows(QModelIndex(), n, n)
                del self._rows[n]
                self.endRemoveRows()
                self._total = max(self._total - 1, 0)
        for n, row in enumerate(self._rows):
            if row.summary.id in fresh:
                self._rows[n] = fresh[row.summary.id]
                self.dataChanged.emit(self.index(n, 0), self.index(n, self.columnCount() - 1))
        if len(loaded) != len(set(loaded) & set(fresh)):
            self.total_changed.emit(self._total)
        return True

    # -- paging ------------------------------------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        busy = self._resetting or self._fetching or self.loading  # (not the old rows' next page)
        return not parent.isValid() and not self._complete and not busy

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if not self.canFetchMore(parent):
            return
        after = self._rows[-1].summary if self._rows else None
        try:
            page = self._source.page(self._filter, self._sort, after=after, limit=self._page_size)
        except Exception as error:
            log.exception("could not load more of the case list")
            self._complete = True  # not again and again as the view scrolls; F5 starts over
            self.load_failed.emit(_reason(error))
            return
        self._complete = len(page) < self._page_size
        if not page:
            return
        # Views and testers may ask for more from inside rowsAboutToBeInserted: not again
        # until these rows are in.
        self._fetching = True
        try:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()
        finally:
            self._fetching = False

    # -- the table ---------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.HEADERS[section]
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return self._alignment(section)
            if role == Qt.ItemDataRole.ToolTipRole and section == self.DAYS_LEFT:
                return "Working days to the due date (weekends and bank holidays do not count)"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._tooltip(row, column) or self._text(row, column)
        if (
            role == Qt.ItemDataRole.DecorationRole
            and column == self.STATUS
            and row.checkout is not None
        ):
            return checked_out_icon()
        if role == Qt.ItemDataRole.BackgroundRole and column == self.DAYS_LEFT:
            return _BACKGROUNDS.get(row.urgency)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.DAYS_LEFT:
                return _FOREGROUNDS.get(row.urgency)
            if self._placeholder(row, column):
                return MUTED_FOREGROUND
        if role == Qt.ItemDataRole.FontRole:
            if column == self.DAYS_LEFT and row.urgency is Urgency.OVERDUE:
                font = QFont()
                font.setBold(True)
                return font
            if self._placeholder(row, column):
                font = QFont()
                font.setItalic(True)
                return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        if role == self.CASE_ID_ROLE:
            return row.summary.id
        if role == self.URGENCY_ROLE:
            return row.urgency.value
        return None

    def _alignment(self, column: int) -> Qt.AlignmentFlag:
        if column in (self.STAGE, self.DAYS_LEFT):
            return Qt.AlignmentFlag.AlignCenter
        return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

    def _placeholder(self, row: CaseRow, column: int) -> bool:
        s = row.summary
        return (column == self.COMPLAINANT and not s.complainant) or (
            column == self.OFFICER and not s.officer
        )

    def _text(self, row: CaseRow, column: int) -> str:
        s = row.summary
        if column == self.REFERENCE:
            return s.reference
        if column == self.COMPLAINANT:
            return s.complainant or "Anonymous"
        if column == self.SERVICE:
            return s.service_area
        if column == self.STAGE:
            return str(s.stage)
        if column == self.OFFICER:
            return s.officer or "Unallocated"
        if column == self.RECEIVED:
            return format_date(s.received)
        if column == self.DUE:
            return format_date(s.due)
        if column == self.DAYS_LEFT:
            return row.days_left_text
        if column == self.STATUS:
            status = s.status.value.capitalize()
            return f"{status}, checked out" if row.checkout is not None else status
        return ""

    def _tooltip(self, row: CaseRow, column: int) -> str | None:
        if row.checkout is not None and column in (self.REFERENCE, self.STATUS):
            return row.checkout.describe()
        if column != self.DAYS_LEFT or row.days_left is None:
            return None
        days, due = row.days_left, format_date(row.summary.due)
        if days < 0:
            plural = "s" if days != -1 else ""
            return f"{-days} working day{plural} late: it was due on {due}"
        if days == 0:
            return f"Due today, {due}"
        return f"{days} working day{'s' if days != 1 else ''} left: due on {due}"


_BACKGROUNDS = {Urgency.OVERDUE: OVERDUE_BACKGROUND, Urgency.DUE_SOON: DUE_SOON_BACKGROUND}
_FOREGROUNDS = {
    Urgency.OVERDUE: OVERDUE_FOREGROUND,
    Urgency.DUE_SOON: DUE_SOON_FOREGROUND,
    Urgency.STOPPED: MUTED_FOREGROUND,
}
