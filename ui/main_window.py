"""The main window: the officer's list of cases, with quick views, filters and a count.

Everything shown comes from :class:`caseworker.services.lists.caselist.CaseList` (the cases the
officer at the keyboard may see); the window holds no SQL and decides nothing about cases
itself. Given a :class:`caseworker.services.context.Context` (its ``desk``: the database, the
officer, today) it also records
new cases (Ctrl+N) and opens each chosen case in its own case file window (choosing an open case
again brings its window to the front).

This module imports nothing of the database layer at its top.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QKeySequence,
    QPalette,
    QResizeEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.caselist import LIVE, CaseFilter, QuickView
from caseworker.domain.enums import CaseStatus
from caseworker_ui.models.case_list import CaseListModel, CaseSource, format_date

if TYPE_CHECKING:
    from caseworker.services.context import Context
    from caseworker.services.lists.caselist import CaseList
    from caseworker_ui.reports.worker import NewestAnswer

log = logging.getLogger(__name__)

START_PAGE_SETTING = "window/start_page"
"""The page the app opens on (QSettings): "today" (the default) or "list", where it was left."""

FILTER_DELAY_MS = 300
"""How long typing must pause before the list is filtered."""

STATUS_CHOICES: tuple[tuple[str, frozenset[CaseStatus]], ...] = (
    ("Any status", frozenset()),
    ("Open or suspended", LIVE),
    *((status.value.capitalize(), frozenset({status})) for status in CaseStatus),
)

COLUMN_SAMPLES = {
    CaseListModel.REFERENCE: "CW-2026-00000",
    CaseListModel.COMPLAINANT: "Margaret Featherstonehaugh",
    CaseListModel.SERVICE: "Waste and recycling",
    CaseListModel.STAGE: "Stage",
    CaseListModel.OFFICER: "Florentyna Junipercombe",
    CaseListModel.RECEIVED: "30 Sep 2026",
    CaseListModel.DUE: "30 Sep 2026",
    CaseListModel.DAYS_LEFT: "12 days late",
    CaseListModel.STATUS: "MM Open, checked out",  # MM: room for the checked-out icon
}
"""Typical longest values: each column starts wide enough for its sample."""


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


class FilterBar(QWidget):
    """The list's filter bar: the text filter and the status, stage, policy and officer choices
    on one row when they fit at their full width, else the choices on a second row (a narrow
    screen, a large font, long officer names or policies), never squeezed over each other."""

    SPACING = 4
    INDENT = 6
    """Room before each choice's label on one row (after the field before it)."""

    def __init__(
        self, find: tuple[QLabel, QLineEdit], pairs: list[tuple[QLabel, QComboBox]]
    ) -> None:
        super().__init__()
        self.setObjectName("filterBar")
        self._find = find
        self._pairs = pairs
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(self.SPACING)
        self.rows = 0
        self._arrange(1)

    def _one_row_width(self) -> int:
        """The width the bar needs for one row: the text filter at its least, every choice at
        its full width."""
        label, edit = self._find
        widths = [label.sizeHint().width(), edit.minimumWidth()]
        for label, combo in self._pairs:  # each label indented as on one row
            widths += [label.sizeHint().width() - label.indent() + self.INDENT]
            widths += [combo.sizeHint().width()]
        return sum(widths) + self.SPACING * (len(widths) - 1)

    def _arrange(self, rows: int) -> None:
        if rows == self.rows:
            return
        self.rows = rows
        grid = self._grid
        label, edit = self._find
        widgets = [label, edit, *(w for pair in self._pairs for w in pair)]
        for widget in widgets:
            grid.removeWidget(widget)
        for column in range(grid.columnCount()):
            grid.setColumnStretch(column, 0)
        grid.addWidget(label, 0, 0)
        if rows == 1:
            grid.addWidget(edit, 0, 1)
            grid.setColumnStretch(1, 1)
            first, row = 2, 0
        else:  # the text filter across the first row, the choices on the second
            last = 2 * len(self._pairs)
            grid.addWidget(edit, 0, 1, 1, last)
            grid.setColumnStretch(last + 1, 1)  # the choices keep their width, at the left
            first, row = 0, 1
        for i, (label, combo) in enumerate(self._pairs):
            grid.addWidget(label, row, first + 2 * i)
            grid.addWidget(combo, row, first + 2 * i + 1)
        self._pairs[0][0].setIndent(
            0 if rows == 2 else self.INDENT
        )  # under "Find:", or after its field

    def fit(self) -> None:
        """One row or two, for the bar's width and its choices' widths now."""
        self._arrange(1 if self.width() >= self._one_row_width() else 2)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.fit()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # e.g. a choice's list was filled
            self.fit()
        return super().event(event)


class MainWindow(QMainWindow):
    case_opened = Signal(int)
    """A case was double-clicked or chosen with Enter (its id), for the case file window."""
    first_painted = Signal()
    """The window has been painted for the first time (emitted once, just after that paint)."""

    def __init__(
        self,
        cases: CaseList | CaseSource,
        *,
        database: str,
        desk: Context | None = None,
        parent: QWidget | None = None,
        rest_after_first_paint: bool = False,
    ) -> None:
        """``cases``: the case list; without a ``desk`` the window is a read-only list (no new
        cases, no case files, no Today or search). With ``rest_after_first_paint`` (the app's
        start) and the list as the first screen, the email drop and the Today and search pages,
        none of them shown, are built just after the list's first paint instead of before it."""
        super().__init__(parent)
        self._cases = cases
        self.desk = desk
        self._rest_after_first_paint = rest_after_first_paint
        self.case_windows: dict[int, QMainWindow] = {}
        self.setWindowTitle(f"Caseworker — {database}")
        self.setObjectName("mainWindow")
        self.resize(1280, 760)

        self.model = CaseListModel(cases, parent=self)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)

        self._build_views_list()
        self._build_filter_bar()
        self._build_table()
        self._build_empty_state()
        self._build_layout()
        self._build_actions()
        self._build_status_bar()
        self._connect()
        self.mail_drop = None

        # The quick views' counts (a count each from its view's index; a line manager's can
        # take 0.1 s at 250,000) follow the first page rather than hold it up (refresh), on a
        # worker thread. The filter choices (the officers table and the installed policies,
        # already read for the list's calendars) come with the first page, so that every
        # filter works from the first paint.
        self._side_pending = False
        self._counts: NewestAnswer | None = None  # the quick views' counts' reads (the first)
        self._typed_off_the_loop = False  # the list for the words typed read on a worker thread
        self._painted = False
        self._choices_fresh = False
        self.table.viewport().installEventFilter(self)
        self.empty_page.installEventFilter(self)
        self.views_list.viewport().installEventFilter(self)  # shown whatever the page
        if desk is not None:
            self._build_finding()
        self.refresh()
        if desk is not None:
            self._attach_desk(desk)

    def _attach_desk(self, desk: Context) -> None:
        for action in (self.new_case_action, self.open_case_action):
            action.setEnabled(True)
        self.new_case_button.setEnabled(True)
        if self._rest_after_first_paint and self.pages.currentWidget() is self.list_page:
            # The list answers (a case opens, the search box takes words) before these are
            # built: none is shown, and their imports and widgets took about 20 ms.
            self.first_painted.connect(self._rest_of_desk_after_first_paint)
        else:
            self._attach_rest_of_desk(desk)

    def _rest_of_desk_after_first_paint(self) -> None:
        self.first_painted.disconnect(self._rest_of_desk_after_first_paint)
        if self.desk is not None:
            self._attach_rest_of_desk(self.desk)

    def _attach_rest_of_desk(self, desk: Context) -> None:
        """The email drop (and File > New case from email), the Today page (the sidebar's count)
        and the search results page."""
        from caseworker_ui.mail_drop import MailDrop

        self.mail_drop = MailDrop.install(self)
        self._build_today()  # built now if the first screen was the list; neither is shown
        self._build_search()
        self.search_panel.set_context(desk)  # the desk is the Context search and Today take
        self.today_view.set_context(desk)
        if self.pages.currentWidget() is self.today_view or self._painted:
            QTimer.singleShot(0, self.today_view.refresh)  # after the window is up
        else:
            # The list is the first screen: Today (the sidebar's count) follows its first paint
            # rather than hold it up (a busy officer's Today reads thousands of cases).
            self.first_painted.connect(self._today_after_first_paint)

    def _today_after_first_paint(self) -> None:
        self.first_painted.disconnect(self._today_after_first_paint)
        if self.today_view is not None:
            self.today_view.refresh()

    # -- building ----------------------------------------------------------------------------

    def _build_views_list(self) -> None:
        self.views_model = QStandardItemModel(self)
        for view in QuickView:
            item = QStandardItem(view.label)
            item.setData(view, Qt.ItemDataRole.UserRole)
            item.setEditable(False)
            self.views_model.appendRow(item)
        self.views_list = QListView()
        self.views_list.setObjectName("quickViews")
        self.views_list.setAccessibleName("Quick views")
        self.views_list.setModel(self.views_model)
        self.views_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.views_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.views_list.setFrameShape(QFrame.Shape.NoFrame)
        self.views_list.setSpacing(2)
        self.views_list.setMinimumWidth(170)
        self.views_list.setMaximumWidth(240)
        self.views_list.setCurrentIndex(self.views_model.index(0, 0))

    def _combo(self, name: str, accessible: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.setMinimumContentsLength(10)  # the bar does not jump as the choices change
        return combo

    def _build_filter_bar(self) -> None:
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("filterText")
        self.filter_edit.setAccessibleName("Filter cases")
        self.filter_edit.setAccessibleDescription(
            "Shows cases whose reference, complainant or service has words starting with these"
        )
        self.filter_edit.setPlaceholderText("Reference, complainant or service (Ctrl+F)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMinimumWidth(270)  # its placeholder in full

        self.status_combo = self._combo("statusFilter", "Status")
        for label, statuses in STATUS_CHOICES:
            self.status_combo.addItem(label, statuses)
        self.stage_combo = self._combo("stageFilter", "Stage")
        self.policy_combo = self._combo("policyFilter", "Policy")
        self.officer_combo = self._combo("officerFilter", "Officer")

        search_label = QLabel("F&ind:")
        search_label.setBuddy(self.filter_edit)
        pairs = []
        for text, combo in (
            ("S&tatus:", self.status_combo),
            ("St&age:", self.stage_combo),
            ("&Policy:", self.policy_combo),
            ("&Officer:", self.officer_combo),
        ):
            label = QLabel(text)
            label.setBuddy(combo)
            label.setIndent(FilterBar.INDENT)  # apart from the field before it
            pairs.append((label, combo))
        self.filter_bar = FilterBar((search_label, self.filter_edit), pairs)

    def _build_table(self) -> None:
        table = QTableView()
        table.setObjectName("caseTable")
        table.setAccessibleName("Cases")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setShowGrid(False)
        table.setTabKeyNavigation(False)
        table.verticalHeader().hide()
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(table.fontMetrics().height() + 10)

        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(self.model.sort_column(), self.model.sort_order())
        table.setSortingEnabled(True)  # the indicator already matches: no query here
        metrics = table.fontMetrics()
        for column, sample in COLUMN_SAMPLES.items():
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 28)
        # The complainant and the officer share what the other columns leave, so on a narrow
        # screen (1920×1080 at 150%) the complainant's name is not the only one cut short.
        header.setSectionResizeMode(CaseListModel.COMPLAINANT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(CaseListModel.OFFICER, QHeaderView.ResizeMode.Stretch)
        self.table = table

    def _build_empty_state(self) -> None:
        self.empty_label = QLabel()
        self.empty_label.setObjectName("emptyMessage")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.empty_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.empty_label.setFont(font)
        self.clear_button = QPushButton("&Clear filters")
        self.clear_button.setObjectName("clearFilters")
        self.clear_button.setAccessibleName("Clear filters")
        # Framed and filled like the table it stands in for.
        self.empty_page = QFrame()
        self.empty_page.setObjectName("emptyPage")
        self.empty_page.setFrameShape(QFrame.Shape.StyledPanel)
        self.empty_page.setBackgroundRole(QPalette.ColorRole.Base)
        self.empty_page.setAutoFillBackground(True)
        column = QVBoxLayout(self.empty_page)
        column.addStretch(1)
        column.addWidget(self.empty_label)
        column.addSpacing(8)
        column.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(2)

    def _build_layout(self) -> None:
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_page)

        self.new_case_button = QPushButton("&New case…")
        self.new_case_button.setObjectName("newCase")
        self.new_case_button.setAccessibleName("New case")
        self.new_case_button.setToolTip("Record a new complaint (Ctrl+N)")
        self.new_case_button.setVisible(self.desk is not None)
        self.new_case_button.setEnabled(self.desk is not None)
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self.new_case_button)
        left_column.addWidget(self.views_list, 1)

        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.filter_bar)
        column.addWidget(self.stack, 1)

        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([190, 1090])

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(8, 8, 8, 0)
        outer.addWidget(splitter)
        self.setCentralWidget(central)

    def _build_actions(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.new_case_action = QAction("&New case…", self)
        self.new_case_action.setShortcut(QKeySequence.StandardKey.New)
        self.open_case_action = QAction("&Open case", self)
        self.open_case_action.setShortcut(QKeySequence("Ctrl+O"))
        if self.desk is not None:  # without a desk the list is read-only
            self.new_case_action.setEnabled(False)  # until the desk is attached
            self.open_case_action.setEnabled(False)
            file_menu.addAction(self.new_case_action)
            file_menu.addAction(self.open_case_action)
            file_menu.addSeparator()
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        file_menu.addAction(self.quit_action)

        view_menu = self.menuBar().addMenu("&View")
        self.refresh_action = QAction("&Refresh", self)
        self.refresh_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        view_menu.addAction(self.refresh_action)
        self.find_action = QAction("&Filter cases", self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        view_menu.addAction(self.find_action)
        view_menu.addSeparator()
        self.view_actions = QActionGroup(self)
        for number, view in enumerate(QuickView, start=1):
            action = QAction(view.label, self)
            action.setCheckable(True)
            action.setChecked(view is QuickView.ALL)
            action.setData(view)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            self.view_actions.addAction(action)
            view_menu.addAction(action)
        self._view_menu = view_menu  # Reports… joins it after the first paint (refresh)

    def _build_status_bar(self) -> None:
        self.count_label = QLabel()
        self.count_label.setObjectName("caseCount")
        self.count_label.setAccessibleName("Number of cases")
        self.statusBar().addWidget(self.count_label)
        self.today_label = QLabel()
        self.today_label.setObjectName("today")
        self.statusBar().addPermanentWidget(self.today_label)

    def _connect(self) -> None:
        self.filter_edit.textChanged.connect(lambda _text: self._filter_timer.start())
        self.filter_edit.returnPressed.connect(self._apply_text)
        self._filter_timer.timeout.connect(self._apply_text)
        self.status_combo.currentIndexChanged.connect(
            lambda _i: self.model.set_statuses(self.status_combo.currentData())
        )
        self.stage_combo.currentIndexChanged.connect(
            lambda _i: self.model.set_stage(self.stage_combo.currentData())
        )
        self.policy_combo.currentIndexChanged.connect(
            lambda _i: self.model.set_policy(self.policy_combo.currentData())
        )
        self.officer_combo.currentIndexChanged.connect(
            lambda _i: self.model.set_officer(self.officer_combo.currentData())
        )
        self.views_list.selectionModel().currentChanged.connect(self._view_chosen)
        self.view_actions.triggered.connect(lambda action: self.show_view(QuickView(action.data())))
        self.model.total_changed.connect(self._show_total)
        self.model.load_failed.connect(self._show_load_error)
        self.clear_button.clicked.connect(self.clear_filters)
        self.quit_action.triggered.connect(self.close)
        self.refresh_action.triggered.connect(self.refresh)
        self.find_action.triggered.connect(self.focus_filter)
        self.table.activated.connect(self._activated)
        self.new_case_action.triggered.connect(self.new_case)
        self.open_case_action.triggered.connect(lambda: self._activated(self.table.currentIndex()))
        self.new_case_button.clicked.connect(self.new_case)
        self.case_opened.connect(self.open_case)

    # -- doing -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Load the list again from the first page; then, once it is on the screen, fresh filter
        choices and quick view counts (:meth:`load_choices_and_counts`). The window's first
        page brings its filter choices with it: only the counts follow its first paint."""
        today = self._cases.today()
        self.today_label.setText(f"Today: {format_date(today)}")
        self.model.refresh()
        if not self._painted and not self._side_pending:  # the first page: choices with it
            self._choices_fresh = self._load_choices_logged()
        self._side_pending = True
        QTimer.singleShot(0, self._side_when_painted)

    def _side_when_painted(self) -> None:
        # A window on the screen waits for its first paint (eventFilter); one never shown, or
        # already painted, loads now.
        if self._side_pending and (self._painted or not self.isVisible()):
            self.load_choices_and_counts()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True
            # After this paint has reached the screen:
            QTimer.singleShot(0, self.first_painted.emit)
            if self._side_pending:
                QTimer.singleShot(0, self._side_when_painted)
        return super().eventFilter(watched, event)

    @property
    def counts_shown(self) -> bool:
        """Whether the filter choices and quick view counts of the last refresh are shown."""
        return not self._side_pending and not (self._counts is not None and self._counts.waiting)

    def load_choices_and_counts(self) -> None:
        """Fill the filter lists and put each quick view's count by its name."""
        self._side_pending = False
        if self._view_menu is not None:  # the reports' imports and a query, not before the rows
            from caseworker_ui.reports import add_report_actions  # Reports…, Retention review…

            add_report_actions(self, self._view_menu, self._context())
            self._view_menu = None
        fresh, self._choices_fresh = self._choices_fresh, False
        try:
            if not fresh:  # read with the first page, not again
                self._load_choices()
        except Exception:  # the list below says what went wrong
            log.exception("could not load the filter choices")
        self._count_on_a_thread()

    def _count_on_a_thread(self) -> None:
        """The quick views' counts (a line manager's, whose service area's cases are counted
        for each view, can take 0.1 s at 250,000) on a worker thread, in a unit of work of its
        own: the list answers meanwhile. A refresh while counting shows only the newest
        counts."""
        from caseworker_ui.reports.worker import NewestAnswer

        if self._counts is None:
            self._counts = NewestAnswer(self, "the quick views' counts")
        cases = self._cases
        self._counts.ask(cases.view_counts, self._show_view_counts, lambda _error: None)  # logged

    def _load_choices_logged(self) -> bool:
        """The filter choices now; False (to be tried again after the paint) if they could not
        be read."""
        try:
            self._load_choices()
        except Exception:
            log.exception("could not load the filter choices")
            return False
        return True

    def _context(self) -> Context:
        """Who the reports act for: the app's Context (the desk is one); a read-only list given
        none (tests) acts for its case list's login, on its database and day."""
        if self.desk is not None:
            return self.desk
        from caseworker.services.context import Context

        cases = self._cases
        return Context(cases.sessions, actor=cases.login or "", today=cases.today)  # type: ignore[union-attr]

    def refresh_counts(self) -> None:
        """The quick views' counts again (after colleagues' changes shown in place), on the
        worker thread, as after the first paint: a colleague's change never holds up the list."""
        self._count_on_a_thread()

    def _show_view_counts(self, counts: dict[QuickView, int]) -> None:
        for row in range(self.views_model.rowCount()):
            item = self.views_model.item(row)
            view = QuickView(item.data(Qt.ItemDataRole.UserRole))
            item.setText(f"{view.label} ({counts[view]:,})")
            item.setData(
                f"{view.label}: {plural(counts[view], 'case')}",
                Qt.ItemDataRole.AccessibleTextRole,
            )

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def show_view(self, view: QuickView) -> None:
        """The case list with ``view`` chosen, from whatever page is on the screen (Today,
        search results), ``view`` already the chosen one included."""
        row = list(QuickView).index(view)
        self.views_list.selectionModel().setCurrentIndex(
            self.views_model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.show_list()

    def clear_filters(self) -> None:
        """Back to every case, sorted as before."""
        for combo in (self.status_combo, self.stage_combo, self.policy_combo, self.officer_combo):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.filter_edit.blockSignals(True)
        self.filter_edit.clear()
        self.filter_edit.blockSignals(False)
        self._filter_timer.stop()
        self.views_list.selectionModel().blockSignals(True)
        self.views_list.setCurrentIndex(self.views_model.index(0, 0))
        self.views_list.selectionModel().blockSignals(False)
        self.view_actions.actions()[0].setChecked(True)
        self.model.set_filter(CaseFilter())

    def _apply_text(self) -> None:
        self._filter_timer.stop()
        if not self._typed_off_the_loop:  # the first words typed: their reads on a worker thread
            from caseworker_ui.reports.worker import NewestAnswer

            self.model.read_typed_text_off_the_loop(NewestAnswer(self, "the list for the words"))
            self._typed_off_the_loop = True
        self.model.set_text(self.filter_edit.text())
        if self.model.loading:  # the rows on show stay until the list for the words comes
            self.count_label.setText("Filtering…")

    def _view_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        view = QuickView(current.data(Qt.ItemDataRole.UserRole))
        self.view_actions.actions()[current.row()].setChecked(True)
        self.model.set_view(view)

    def _activated(self, index: QModelIndex) -> None:
        case_id = index.data(CaseListModel.CASE_ID_ROLE)
        if case_id is not None:
            self.case_opened.emit(case_id)

    def _load_choices(self) -> None:
        choices = self._cases.choices()
        self._fill(
            self.stage_combo, "Any stage", [(f"Stage {stage}", stage) for stage in choices.stages]
        )
        self._fill(
            self.policy_combo, "Any policy", [(policy, policy) for policy in choices.policies]
        )
        for row in range(1, self.policy_combo.count()):
            title = choices.policy_titles.get(self.policy_combo.itemData(row))
            if title:
                self.policy_combo.setItemData(row, title, Qt.ItemDataRole.ToolTipRole)
        self._fill(
            self.officer_combo,
            "Any officer",
            [(o.name if o.active else f"{o.name} (inactive)", o.id) for o in choices.officers],
        )

    @staticmethod
    def _fill(combo: QComboBox, everything: str, items: list[tuple[str, object]]) -> None:
        """Replace the choices, keeping the one selected if it is still there."""
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for label, value in items:
            combo.addItem(label, value)
        combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen is not None else 0)
        combo.blockSignals(False)

    def _show_total(self, total: int) -> None:
        filt = self.model.case_filter
        self.count_label.setText(plural(total, "case") if total else "No cases")
        if self.model.load_error is None:
            self.statusBar().clearMessage()
        if total:
            self.stack.setCurrentWidget(self.table)
            return
        if self.model.load_error is not None:
            message = (
                f"The cases could not be loaded: {self.model.load_error}\nPress F5 to try again."
            )
        elif (filt.is_default or filt == CaseFilter(view=QuickView.MINE)) and (
            unseen := self._nothing_shown()
        ):
            message = unseen
        elif filt.is_default:
            message = (
                "There are no cases in this database yet.\n"
                "Complaints will be listed here once they are recorded."
            )
        else:
            message = "No cases match these filters."
        self.empty_label.setText(message)
        self.clear_button.setVisible(not filt.is_default and self.model.load_error is None)
        self.stack.setCurrentWidget(self.empty_page)

    def _nothing_shown(self) -> str | None:
        """Why the officer is shown no case at all (the core's words), if that is why."""
        why = getattr(self._cases, "nothing_shown", None)
        if why is None:
            return None
        try:
            return why()
        except Exception:  # the list's own error says what went wrong
            log.exception("could not tell why no case is shown")
            return None

    def _show_load_error(self, reason: str) -> None:
        self.statusBar().showMessage(f"Could not load the cases: {reason}")

    # -- case files ----------------------------------------------------------------------------

    def new_case(self) -> int | None:
        """Record a new case through the new-case form, then show it in the list and open it."""
        if self.desk is None:
            return None
        from caseworker_ui.dialogs.new_case import NewCaseDialog

        created, accepted = NewCaseDialog.run(self.desk, self)
        if not accepted or created is None:
            return None
        self.refresh()
        opened = self.open_case(created.id)
        if opened is not None:  # said after the list and the case have had their say
            self.statusBar().showMessage(
                f"Recorded {created.reference}: in the Unallocated queue until a line manager "
                "allocates it to an officer (you can open it until then)",
                15000,
            )
        return created.id

    def open_case(self, case_id: int) -> QMainWindow | None:
        """The case's window, opened or brought to the front."""
        window = self.case_windows.get(case_id)
        if window is not None:
            window.showNormal()
            window.raise_()
            window.activateWindow()
            return window
        if self.desk is None:
            return None
        from caseworker_ui.case_window import CaseWindow

        try:
            window = CaseWindow(self.desk, case_id)
        except Exception as error:
            log.exception("could not open case %s", case_id)
            from caseworker_ui.case_tabs.common import reason

            self.statusBar().showMessage(f"Could not open the case: {reason(error)}")
            return None
        self.case_windows[case_id] = window
        window.closed.connect(self._case_closed)
        window.case_requested.connect(self.open_case_at)
        window.closed.connect(lambda _id: self.today_view and self.today_view.refresh())
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def open_case_at(self, case_id: int, section: str) -> QMainWindow | None:
        """The case's window, at the part of the file named ``section`` (a search match's,
        a Today line's)."""
        window = self.open_case(case_id)
        if window is not None:
            window.open_at(section)
        return window

    # -- search everything and Today (issue 9) ---------------------------------------------------

    today_view = None
    search_panel = None

    def _build_finding(self) -> None:
        """The search box (toolbar, Ctrl+K) and the Today entry, for whoever can open case
        files, and the pages they show beside the case list. The Today page is built now if it
        is the first screen, the search results page when first searched; both search and list
        once the desk is attached (:meth:`_attach_desk`)."""
        from caseworker_ui.search_box import make_search_box

        self.search_box = make_search_box()
        toolbar = self.addToolBar("Search")
        toolbar.setObjectName("searchBar")
        toolbar.setMovable(False)
        toolbar.addWidget(self.search_box)
        self.search_action = QAction("&Search everything", self)
        self.search_action.setShortcuts([QKeySequence("Ctrl+K"), QKeySequence("Ctrl+Shift+F")])
        self.today_action = QAction("&Today", self)
        self.today_action.setShortcut(QKeySequence("Ctrl+T"))
        view_menu = next(a.menu() for a in self.menuBar().actions() if a.text() == "&View")
        view_menu.insertActions(view_menu.actions()[0], [self.today_action, self.search_action])

        list_page = self.filter_bar.parentWidget()
        splitter = list_page.parentWidget()
        self.pages = QStackedWidget()
        self.pages.setObjectName("pages")
        splitter.replaceWidget(splitter.indexOf(list_page), self.pages)
        self.pages.addWidget(list_page)
        self.list_page = list_page

        self.today_entry_model = QStandardItemModel(self)
        self.today_entry_model.appendRow(QStandardItem("Today"))
        self.today_entry = QListView()
        self.today_entry.setObjectName("todayEntry")
        self.today_entry.setAccessibleName("Today: what needs doing now")
        self.today_entry.setModel(self.today_entry_model)
        self.today_entry.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.today_entry.setFrameShape(QFrame.Shape.NoFrame)
        self.today_entry.setSpacing(2)
        self.today_entry.setMaximumWidth(240)
        self.today_entry.setFixedHeight(self.views_list.sizeHintForRow(0) + 8)
        self.views_list.parentWidget().layout().insertWidget(1, self.today_entry)

        self._page_before_search: QWidget = self.list_page
        self.today_entry.clicked.connect(lambda _i: self.show_today())
        self.today_entry.activated.connect(lambda _i: self.show_today())
        self.today_action.triggered.connect(self.show_today)
        self.search_action.triggered.connect(self._focus_search)
        self.views_list.clicked.connect(lambda _i: self.show_list())
        self.views_list.selectionModel().currentChanged.connect(lambda *_: self.show_list())
        self.search_box.textChanged.connect(self._search_typed)
        # The officer's first screen is Today, or the case list for whoever left the app on it.
        if QSettings().value(START_PAGE_SETTING) == "list":
            self.show_list()
        else:
            self._build_today()
            self.pages.setCurrentWidget(self.today_view)
            self.today_entry.setCurrentIndex(self.today_entry_model.index(0, 0))
            self.views_list.clearSelection()

    def _build_today(self) -> None:
        """The Today page (once)."""
        if self.today_view is not None:
            return
        from caseworker_ui.today import TodayView

        self.today_view = TodayView(self.desk)
        self.pages.addWidget(self.today_view)
        self.today_view.open_requested.connect(self.open_case_at)
        self.today_view.counted.connect(
            lambda n: self.today_entry_model.item(0).setText(f"Today ({n})")
        )
        self.refresh_action.triggered.connect(self.today_view.refresh)

    def _build_search(self) -> None:
        """The search results page (once), on the toolbar's box."""
        if self.search_panel is not None:
            return
        from caseworker_ui.search import SearchPanel

        self.search_panel = SearchPanel(self.desk, box=self.search_box)
        self.pages.addWidget(self.search_panel)
        self.search_panel.closed.connect(self._search_closed)
        self.search_panel.open_requested.connect(self.open_case_at)

    def _focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    @property
    def finding(self) -> bool:
        """Whether the window has the search box and Today (it can open case files)."""
        return hasattr(self, "pages")

    def show_today(self) -> None:
        """The Today page, loaded afresh."""
        self._build_today()
        self.pages.setCurrentWidget(self.today_view)
        self.today_entry.setCurrentIndex(self.today_entry_model.index(0, 0))
        self.views_list.clearSelection()
        self.today_view.refresh()

    def show_officers_cases(self, officer_id: int) -> None:
        """The case list filtered to one officer's cases (from the allocation window's loads)."""
        self.clear_filters()
        if self.officer_combo.findData(officer_id) < 0:
            self._choices_fresh = False
            self.load_choices_and_counts()  # an officer new since they were read
        index = self.officer_combo.findData(officer_id)
        if index < 0:
            return
        self.officer_combo.setCurrentIndex(index)  # the list filters itself
        self.show_list()
        self.raise_()
        self.activateWindow()
        self.table.setFocus()

    def show_list(self) -> None:
        if not self.finding:
            return
        self.pages.setCurrentWidget(self.list_page)
        self.today_entry.clearSelection()
        self.views_list.selectionModel().select(
            self.views_list.currentIndex(), QItemSelectionModel.SelectionFlag.ClearAndSelect
        )

    def _search_typed(self, text: str) -> None:
        self._build_search()
        if text.strip() and self.pages.currentWidget() is not self.search_panel:
            self._page_before_search = self.pages.currentWidget()
            self.pages.setCurrentWidget(self.search_panel)

    def _search_closed(self) -> None:
        if self.pages.currentWidget() is self.search_panel:
            self.pages.setCurrentWidget(self._page_before_search)

    def _case_closed(self, case_id: int) -> None:
        window = self.case_windows.pop(case_id, None)
        if window is not None:
            window.deleteLater()
        self.model.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        # Each case window saves what was typed first; one that cannot keeps the app open.
        for window in list(self.case_windows.values()):
            if not window.close():
                event.ignore()
                return
        self._filter_timer.stop()
        # Nothing read on a database about to be closed: whatever this window's pages (the
        # counts, Today, a search) or the windows it opened and keeps (the allocation view, the
        # retention review) still have under way.
        from caseworker_ui.reports.worker import NewestAnswer

        for reads in self.findChildren(NewestAnswer):
            reads.wait()
        if self.finding:  # where to open next time
            page = self.pages.currentWidget()
            if page is self.search_panel:
                page = self._page_before_search
            QSettings().setValue(START_PAGE_SETTING, "list" if page is self.list_page else "today")
        super().closeEvent(event)
