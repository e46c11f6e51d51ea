"""The allocation view: the cases waiting for an officer on the left, each officer's load on the
right; allocate the chosen case to the chosen officer, or move an allocated case (picked by its
reference) to another with a reason.

Every rule is the core's (:mod:`caseworker.services.cases.allocation`, called with the window's
:class:`~caseworker.services.context.Context`): who may allocate what to whom, who sees which
cases and officers, the conflict rules, a colleague allocating first, how pressing a waiting case
is. A refusal is shown in the message bar in the core's words, naming the rule.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QCloseEvent, QColor, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caseworker.services.cases import allocation
from caseworker.services.cases.allocation import CaseHeld, Manager, OfficerLoad, Waiting
from caseworker.services.context import Context
from caseworker_ui.case_tabs.common import MessageBar, reason
from caseworker_ui.discard import closes_on_esc_and_ctrl_w
from caseworker_ui.models.allocation import ID_ROLE, LOAD_ROLE, HistoryModel, LoadModel, QueueModel
from caseworker_ui.reports.worker import NewestAnswer

BAR = QColor("#6c8ebf")
BUSIEST = QColor("#c0504d")


class LoadBarDelegate(QStyledItemDelegate):
    """The open-cases count with a bar behind it, as long as the officer's share of the busiest
    officer's load (the busiest in red), so the busiest stand out at a glance."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        share = index.data(LOAD_ROLE) or 0.0
        if share > 0:
            painter.save()
            rect: QRect = option.rect.adjusted(3, 5, -3, -5)
            rect.setWidth(max(3, int(rect.width() * 0.7 * share)))
            colour = QColor(BUSIEST if share >= 1.0 else BAR)
            colour.setAlpha(150)
            painter.fillRect(rect, colour)
            painter.restore()
        super().paint(painter, option, index)


def _table(name: str, accessible: str, model) -> QTableView:  # noqa: ANN001
    table = QTableView()
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # Sized to the rows in view, not to the first thousand (Qt's default): at 250,000 cases the
    # queue held 3,797, and measuring them froze the window for half a second at each refresh.
    table.horizontalHeader().setResizeContentsPrecision(0)
    return table


class AllocationWindow(QMainWindow):
    """Allocate and reallocate cases; ``case_id`` preselects a case (the main list's choice)."""

    allocated = Signal(int)
    show_cases = Signal(int)
    """An officer's id: show their cases in the case list (the line manager's drill-down)."""
    """A case (its id) was given to an officer: lists showing its officer are out of date."""

    def __init__(
        self, ctx: Context, case_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("allocationWindow")
        self.setWindowTitle("Allocate cases — Caseworker")
        self.resize(1280, 760)
        self.case: CaseHeld | None = None
        self.queue_model = QueueModel(self)
        self.load_model = LoadModel(self)
        self.history_model = HistoryModel(self)
        self._reads = NewestAnswer(self, "the cases waiting for an officer and the loads")
        self._rechoosing = False
        self._build()
        self._connect()
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, activated=self.refresh)
        closes_on_esc_and_ctrl_w(self)
        self._just_loaded = True  # the activation that follows opening need not read it again
        self.refresh()
        if case_id is not None:
            self.pick_case(case_id)

    # -- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.scope_label = QLabel("Reading the cases waiting for an officer…")
        self.scope_label.setObjectName("scope")
        self.message_bar = MessageBar("allocationMessage")

        self.queue_label = QLabel("&Waiting for an officer")
        self.queue_table = _table("queue", "Cases waiting for an officer", self.queue_model)
        self.queue_label.setBuddy(self.queue_table)
        self.queue_table.horizontalHeader().setStretchLastSection(False)
        self.queue_table.horizontalHeader().setSectionResizeMode(
            QueueModel.COMPLAINANT, QHeaderView.ResizeMode.Stretch
        )
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self.queue_label)
        left_column.addWidget(self.queue_table, 1)

        self.loads_label = QLabel("Officers' &load")
        self.loads_table = _table("loads", "Each officer's load", self.load_model)
        self.loads_table.setItemDelegateForColumn(LoadModel.OPEN, LoadBarDelegate(self))
        self.loads_table.horizontalHeader().setSectionResizeMode(
            LoadModel.OPEN, QHeaderView.ResizeMode.Fixed
        )
        self.loads_table.setColumnWidth(LoadModel.OPEN, 100)
        self.loads_table.horizontalHeader().setStretchLastSection(False)
        self.loads_table.horizontalHeader().setSectionResizeMode(
            LoadModel.NAME, QHeaderView.ResizeMode.Stretch
        )
        self.loads_label.setBuddy(self.loads_table)
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addWidget(self.loads_label)
        right_column.addWidget(self.loads_table, 1)
        self.their_cases_button = QPushButton("Show &their cases in the list")
        self.their_cases_button.setObjectName("showTheirCases")
        self.their_cases_button.setToolTip(
            "The case list, filtered to the chosen officer's cases (Ctrl+Enter on the table)"
        )
        self.their_cases_button.setAutoDefault(False)
        self.their_cases_button.setEnabled(False)
        right_column.addWidget(self.their_cases_button)
        drill = QShortcut(QKeySequence("Ctrl+Return"), self.loads_table)
        drill.setContext(Qt.ShortcutContext.WidgetShortcut)
        drill.activated.connect(self._show_their_cases)

        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([700, 580])

        self.reference_edit = QLineEdit()
        self.reference_edit.setObjectName("reference")
        self.reference_edit.setPlaceholderText("e.g. CW-2026-00012")
        self.reference_edit.setAccessibleName("Case reference")
        self.find_button = QPushButton("&Find")
        self.find_button.setObjectName("findCase")
        find_row = QHBoxLayout()
        find_row.addWidget(self.reference_edit, 1)
        find_row.addWidget(self.find_button)
        self.case_label = QLabel(
            "Choose a waiting case on the left, or find any case by its "
            "reference to move it to another officer."
        )
        self.case_label.setObjectName("chosenCase")
        self.case_label.setWordWrap(True)
        self.officer_label = QLabel("Choose an officer on the right.")
        self.officer_label.setObjectName("chosenOfficer")
        self.officer_label.setWordWrap(True)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("reason")
        self.reason_edit.setAccessibleName("Reason")
        self.reason_edit.setPlaceholderText(
            "Why (required to move a case from one officer to another)"
        )
        self.allocate_button = QPushButton("&Allocate")
        self.allocate_button.setObjectName("allocate")
        self.allocate_button.setDefault(True)
        self.allocate_button.setEnabled(False)

        form = QFormLayout()
        form.addRow("Find a case:", find_row)
        form.addRow("Case:", self.case_label)
        form.addRow("Officer:", self.officer_label)
        form.addRow("&Reason:", self.reason_edit)
        form.addRow("", self.allocate_button)
        action_box = QGroupBox("Allocate")
        action_box.setLayout(form)

        self.history_table = _table(
            "history", "Allocation history of the chosen case", self.history_model
        )
        history_box = QGroupBox("Allocation history of the chosen case")
        history_layout = QVBoxLayout(history_box)
        history_layout.addWidget(self.history_table)
        self.history_table.setMinimumHeight(90)
        action_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        history_box.setMaximumHeight(action_box.sizeHint().height())

        bottom = QHBoxLayout()
        bottom.addWidget(action_box, 1)
        bottom.addWidget(history_box, 1)

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.addWidget(self.scope_label)
        outer.addWidget(self.message_bar)
        outer.addWidget(splitter, 1)
        outer.addLayout(bottom)
        self.setCentralWidget(central)

    def _connect(self) -> None:
        self.queue_table.selectionModel().currentRowChanged.connect(self._queue_chosen)
        self.loads_table.selectionModel().currentRowChanged.connect(
            lambda _c, _p: self._show_choice(warn=not self._rechoosing)
        )
        self.find_button.clicked.connect(self.find_case)
        self.reference_edit.returnPressed.connect(self.find_case)
        self.allocate_button.clicked.connect(self.allocate)
        self.their_cases_button.clicked.connect(self._show_their_cases)
        self.loads_table.selectionModel().currentRowChanged.connect(
            lambda current, _p: self.their_cases_button.setEnabled(current.isValid())
        )

    # -- showing ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the queue and the loads again, on a worker thread (at 250,000 cases some 3,800
        cases wait for an officer: reading them held the window up 40-50 ms at each opening,
        F5 and return to it), keeping the chosen officer; the tables keep what they show until
        the answer (:attr:`loading` says one is awaited)."""
        ctx = self.ctx

        def read() -> tuple[Manager, list[Waiting], list[OfficerLoad]]:
            return (
                allocation.manager(ctx),
                allocation.allocation_queue(ctx),
                allocation.officer_loads(ctx),
            )

        self._reads.ask(read, self._show_read, self._not_read)

    @property
    def loading(self) -> bool:
        """Whether the queue and loads asked for by :meth:`refresh` are awaited."""
        return self._reads.waiting

    def _not_read(self, error: Exception) -> None:
        self.scope_label.clear()  # no longer "Reading…"
        self.message_bar.show_message(f"Could not load the cases waiting: {reason(error)}")

    def _show_read(self, read: tuple[Manager, list[Waiting], list[OfficerLoad]]) -> None:
        manager, waiting_cases, loads = read
        officer = self.chosen_officer_id()
        self.queue_model.set_rows(waiting_cases)
        self.load_model.set_rows(loads)
        waiting = self.queue_model.rowCount()
        self.scope_label.setText(f"{manager.name}: allocating for {manager.scope}.")
        self.queue_label.setText(
            f"&Waiting for an officer ({waiting})" if waiting else "&Waiting for an officer: none"
        )
        if officer is not None and (row := self.load_model.row_of(officer)) >= 0:
            # The officer chosen before, chosen again: their new load shown, but not said again
            # over what the message bar says now (a refusal of that very allocation, say).
            self._rechoosing = True
            try:
                self.loads_table.selectRow(row)
            finally:
                self._rechoosing = False
            self.loads_table.scrollTo(self.load_model.index(row, 0))
        if self.case is not None:
            self._show_history()

    def reopen(self, case_id: int | None = None) -> None:
        """Shown again (the Manage menu): the queue and loads read afresh, ``case_id`` chosen;
        the activation that follows need not read them again."""
        self.refresh()
        self._just_loaded = True
        if case_id is not None:
            self.pick_case(case_id)
        self.show()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Closed (it is kept to be shown again): no read under way outlives it, so none runs
        on as the app closes the database."""
        self._reads.wait()
        super().closeEvent(event)

    def _show_their_cases(self) -> None:
        officer = self.chosen_officer_id()
        if officer is not None:
            self.show_cases.emit(officer)

    def changeEvent(self, event) -> None:  # noqa: N802
        """Back in this window: the queue and loads read again, so a case recorded meanwhile
        (here or by a colleague) is waiting in the queue."""
        super().changeEvent(event)
        if event.type() != QEvent.Type.ActivationChange:
            return
        if self.isActiveWindow() and not self._just_loaded:
            self.refresh()
        self._just_loaded = False

    def chosen_officer_id(self) -> int | None:
        index = self.loads_table.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def _queue_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.pick_case(current.data(ID_ROLE))

    def pick_case(self, case_id: int) -> None:
        try:
            self.case = allocation.case_held(self.ctx, case_id)
        except Exception as error:
            self.message_bar.show_message(reason(error))
            return
        self._show_choice()
        self._show_history()

    def find_case(self) -> None:
        try:
            self.case = allocation.find_case(self.ctx, self.reference_edit.text())
        except Exception as error:
            self.message_bar.show_message(reason(error))
            return
        self.message_bar.clear()
        row = self.queue_model.row_of(self.case.id)
        if row >= 0:
            self.queue_table.selectRow(row)
        else:
            self.queue_table.clearSelection()
        self._show_choice()
        self._show_history()

    def _show_history(self) -> None:
        self.history_model.set_rows(
            allocation.allocation_history(self.ctx, self.case.id) if self.case else []
        )

    def _show_choice(self, *, warn: bool = True) -> None:
        """The chosen case and officer said, and the Allocate button offered when both are
        chosen; with ``warn``, a conflict between them said in the message bar."""
        case = self.case
        officer = self.chosen_officer_id()
        if case is not None:
            held = f"with {case.officer}" if case.officer else "not allocated"
            self.case_label.setText(
                f"{case.reference}, {case.complainant or 'anonymous'}, "
                f"{case.service_area}, stage {case.stage}: {held}"
            )
        if officer is not None:
            load = self.load_model.load_at(self.load_model.row_of(officer))
            self.officer_label.setText(
                f"{load.name}, {load.service_area}: {load.open_cases} open, {load.overdue} overdue"
            )
        self.allocate_button.setText(
            "Re&allocate" if case is not None and case.officer_id else "&Allocate"
        )
        self.allocate_button.setEnabled(case is not None and officer is not None)
        if warn and case is not None and officer is not None:
            found = allocation.conflicts_for(self.ctx, case.id, officer)
            if found:  # said before the click; the click is refused with the same rule
                self.message_bar.show_message("Conflict: " + "; ".join(found), "warning")
            elif self.message_bar.kind == "warning":
                self.message_bar.clear()

    # -- allocating -----------------------------------------------------------------------------

    def allocate(self) -> bool:
        """Give the chosen case to the chosen officer; False (with the rule shown) if refused."""
        case, officer = self.case, self.chosen_officer_id()
        if case is None or officer is None:
            return False
        try:
            done = allocation.allocate(
                self.ctx,
                case.id,
                officer,
                expected_officer_id=case.officer_id,
                reason=self.reason_edit.text(),
            )
        except Exception as error:
            self.case = allocation.case_held(self.ctx, case.id)  # a colleague's allocation shows
            self.refresh()
            self._show_choice()
            self.message_bar.show_message(f"Not allocated: {reason(error)}")
            return False
        self.reason_edit.clear()
        self.case = allocation.case_held(self.ctx, case.id)
        self.refresh()
        self._show_choice()
        self.message_bar.show_message(done.message, "ok")
        self.allocated.emit(case.id)
        return True
