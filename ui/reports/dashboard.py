"""The reports dashboard: pick a period (a quarter, a year, a financial year or two dates) and a
council, see the headline figures, the charts (trend by month, outcomes by service, timeliness)
and every table, and export them to Excel, CSV or the Word annual report.

The report is counted on a worker thread (:mod:`caseworker_ui.reports.worker`) with a progress
bar, so the window never freezes, even on a database of a quarter of a million cases; exports are
written on the worker thread too. What is counted, and who may count it, is the core's
(:mod:`caseworker.reports.service`, given the window's Context); someone who may not sees why,
in the rule's words, and Show stays disabled. The charts are the same matplotlib figures the Word
report uses, drawn in a Qt canvas.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from caseworker.reports import charts
from caseworker.reports import service as reporting
from caseworker.reports.period import Period, last_full_quarter
from caseworker.reports.tables import Report
from caseworker.services.context import Context
from caseworker_ui.date_field import date_field
from caseworker_ui.discard import closes_on_esc_and_ctrl_w
from caseworker_ui.reports.homes import HomesDialog
from caseworker_ui.reports.table_model import ReportTableModel
from caseworker_ui.reports.worker import Task, TaskSignals

if TYPE_CHECKING:
    from matplotlib.figure import Figure  # imported as a chart is drawn (about 0.4 s)

KINDS = ("Quarter", "Year", "Financial year", "From – to")
EXPORTS = (
    ("excel", "Export to &Excel…", "Excel workbook (*.xlsx)", ".xlsx"),
    (
        "csv",
        "Export to CS&V…",
        "CSV, one line per figure (*.csv);;Zip of one CSV per table (*.zip)",
        ".csv",
    ),
    ("word", "&Word annual report…", "Word document (*.docx)", ".docx"),
)


class ReportsWindow(QMainWindow):
    report_ready = Signal(object)
    """A report was counted and is on show."""
    exported = Signal(str)
    """A file was written (its path)."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: Report | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._generation = 0
        self._signals: list[TaskSignals] = []
        self.setObjectName("reportsWindow")
        self.setWindowTitle("Reports — Caseworker")
        self.resize(1200, 820)

        self._build_period_bar()
        self._build_headlines()
        self._build_tabs()
        self._build_export_bar()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.period_bar)
        layout.addWidget(self.headline_frame)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.export_bar)
        self.setCentralWidget(central)
        self.progress = QProgressBar()
        self.progress.setObjectName("reportProgress")
        self.progress.setAccessibleName("Counting the report")
        self.progress.setMaximumWidth(240)
        self.progress.setVisible(False)
        self.status_label = QLabel()
        self.status_label.setObjectName("reportStatus")
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self._kind_changed()
        self.refused = reporting.why_not_report(ctx)
        """Why the person may not count the figures (the rule's words), or None."""
        if self.refused is not None:
            self.show_button.setEnabled(False)
            self.show_button.setToolTip(self.refused)
            self.code_report_button.setEnabled(False)
            self.code_report_button.setToolTip(self.refused)
            self.status_label.setText(self.refused)

    # -- building ----------------------------------------------------------------------------

    def _build_period_bar(self) -> None:
        today = self.ctx.today()
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("periodKind")
        self.kind_combo.setAccessibleName("Kind of period")
        self.kind_combo.addItems(KINDS)
        self.year_spin = QSpinBox()
        self.year_spin.setObjectName("periodYear")
        self.year_spin.setAccessibleName("Year")
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(today.year)
        self.quarter_combo = QComboBox()
        self.quarter_combo.setObjectName("periodQuarter")
        self.quarter_combo.setAccessibleName("Quarter")
        self.quarter_combo.addItems(
            ["Q1 (Jan–Mar)", "Q2 (Apr–Jun)", "Q3 (Jul–Sep)", "Q4 (Oct–Dec)"]
        )
        year, quarter = last_full_quarter(today)  # what a quarterly report is usually about
        self.year_spin.setValue(year)
        self.quarter_combo.setCurrentIndex(quarter - 1)
        so_far = Period.year_to_date(today)
        self.from_edit = date_field(so_far.start, "periodFrom", "From", today=lambda: today)
        self.to_edit = date_field(so_far.end, "periodTo", "To", today=lambda: today)
        self.policy_combo = QComboBox()
        self.policy_combo.setObjectName("reportPolicy")
        self.policy_combo.setAccessibleName("Council")
        self.policy_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.policy_combo.setMinimumContentsLength(28)  # long council names are elided
        self.policy_combo.addItem("All councils", None)
        for policy_id, council in reporting.councils(self.ctx):
            self.policy_combo.addItem(council, policy_id)
        self.show_button = QPushButton("&Show")
        self.show_button.setObjectName("showReport")
        self.show_button.setDefault(True)
        self.show_button.setShortcut(QKeySequence("Ctrl+Return"))
        closes_on_esc_and_ctrl_w(self)

        self.period_bar = QWidget()
        bar = QHBoxLayout(self.period_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        label = QLabel("&Period:")
        label.setBuddy(self.kind_combo)
        bar.addWidget(label)
        for widget in (self.kind_combo, self.quarter_combo, self.year_spin, self.from_edit):
            bar.addWidget(widget)
        self.to_label = QLabel("to")
        bar.addWidget(self.to_label)
        bar.addWidget(self.to_edit)
        council = QLabel("&Council:")
        council.setBuddy(self.policy_combo)
        bar.addSpacing(16)
        bar.addWidget(council)
        bar.addWidget(self.policy_combo)
        bar.addStretch(1)
        bar.addWidget(self.show_button)
        self.kind_combo.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.show_button.clicked.connect(self.compute)

    def _build_headlines(self) -> None:
        self.headline_frame = QFrame()
        self.headline_frame.setObjectName("headlines")
        self.headline_frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.headline_grid = QGridLayout(self.headline_frame)
        self.headline_grid.setHorizontalSpacing(18)
        self.headline_values: dict[str, QLabel] = {}
        self.headline_hint = QLabel("Choose a period and press Show.")
        self.headline_hint.setObjectName("headlineHint")
        self.headline_grid.addWidget(self.headline_hint, 0, 0)

    def _build_tabs(self) -> None:
        self.tabs = QTabWidget()
        self.tabs.setObjectName("reportTabs")
        self.canvases: dict[str, QWidget] = {}
        self.chart_holders: dict[str, QVBoxLayout] = {}
        for key, (title, _) in charts.CHARTS.items():
            holder = QWidget()
            holder.setObjectName(f"chart-{key}")
            layout = QVBoxLayout(holder)
            layout.setContentsMargins(0, 0, 0, 0)
            self.chart_holders[key] = layout
            self.tabs.addTab(holder, title)
        tables = QSplitter()
        self.table_list = QListWidget()
        self.table_list.setObjectName("reportTableList")
        self.table_list.setAccessibleName("Tables")
        self.table_list.setMinimumWidth(300)
        self.table_list.setMaximumWidth(380)
        self.table_list.setWordWrap(True)
        self.table_model = ReportTableModel(self)
        self.table_view = QTableView()
        self.table_view.setObjectName("reportTable")
        self.table_view.setModel(self.table_model)
        self.table_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table_view.setAlternatingRowColors(True)
        self.table_view.verticalHeader().setVisible(False)
        self.table_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.table_view.horizontalHeader().setStretchLastSection(True)
        self.table_note = QLabel()
        self.table_note.setObjectName("reportTableNote")
        self.table_note.setWordWrap(True)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.table_view, 1)
        right_layout.addWidget(self.table_note)
        tables.addWidget(self.table_list)
        tables.addWidget(right)
        tables.setStretchFactor(1, 1)
        self.tabs.addTab(tables, "Tables")
        self.table_list.currentRowChanged.connect(self._show_table)

    def _build_export_bar(self) -> None:
        self.export_bar = QWidget()
        bar = QHBoxLayout(self.export_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        self.export_buttons: dict[str, QPushButton] = {}
        self.homes_button = QPushButton("&Homes owned…")
        self.homes_button.setObjectName("homesOwned")
        self.homes_button.setToolTip(
            "The number of homes the council owns, with its date: CH01's denominator"
        )
        self.homes_button.clicked.connect(self.open_homes)
        bar.addWidget(self.homes_button)
        self.code_report_button = QPushButton("Code &annual report…")
        self.code_report_button.setObjectName("codeAnnualReport")
        self.code_report_button.setToolTip(
            "The Complaint Handling Code's annual complaints performance and service improvement "
            "report (Word) for the chosen period and council"
        )
        self.code_report_button.clicked.connect(lambda _checked=False: self.write_code_report())
        bar.addWidget(self.code_report_button)
        bar.addStretch(1)
        for key, label, _, _ in EXPORTS:
            button = QPushButton(label)
            button.setObjectName(f"export-{key}")
            button.setEnabled(False)
            button.clicked.connect(lambda _checked=False, k=key: self.export(k))
            self.export_buttons[key] = button
            bar.addWidget(button)

    # -- the period --------------------------------------------------------------------------

    def _kind_changed(self) -> None:
        kind = self.kind_combo.currentIndex()
        self.quarter_combo.setVisible(kind == 0)
        self.year_spin.setVisible(kind in (0, 1, 2))
        for widget in (self.from_edit, self.to_label, self.to_edit):
            widget.setVisible(kind == 3)
        self.year_spin.setPrefix("April " if kind == 2 else "")

    def period(self) -> Period:
        kind = self.kind_combo.currentIndex()
        year = self.year_spin.value()
        if kind == 0:
            return Period.quarter(year, self.quarter_combo.currentIndex() + 1)
        if kind == 1:
            return Period.year(year)
        if kind == 2:
            return Period.financial_year(year)
        return Period(self.from_edit.value(), self.to_edit.value())

    def set_period(self, period: Period) -> None:
        """Show ``period`` as from – to (used by tests and by whoever opens the window)."""
        self.kind_combo.setCurrentIndex(3)
        self.from_edit.set_value(period.start)
        self.to_edit.set_value(period.end)

    # -- counting ----------------------------------------------------------------------------

    def _start(self, work, on_done, what: str) -> None:  # noqa: ANN001
        signals = TaskSignals()
        self._signals.append(signals)  # kept alive until the task reports back
        generation = self._generation

        def finished(result: object) -> None:
            self._forget(signals)
            if generation == self._generation:
                on_done(result)

        def failed(message: str) -> None:
            self._forget(signals)
            if generation == self._generation:
                self._busy(False)
                self.status_label.setText(message)

        signals.progress.connect(self._progress)
        signals.finished.connect(finished)
        signals.failed.connect(failed)
        self._busy(True, what)
        self._pool.start(Task(work, signals))

    def _forget(self, signals: TaskSignals) -> None:
        if signals in self._signals:
            self._signals.remove(signals)

    def compute(self) -> None:
        """Count the report for the chosen period and council on a worker thread."""
        try:
            period = self.period()
        except Exception as error:  # a period that ends before it starts
            self.status_label.setText(str(error))
            return
        policy_id = self.policy_combo.currentData()
        self._generation += 1
        ctx = self.ctx

        def work(progress: Callable[[int, int, str], None]) -> tuple[Report, dict[str, Figure]]:
            # One step more than the core counts: the charts are drawn here too, off the event
            # loop (matplotlib's first import and the drawing froze the window for half a
            # second when they were done as the report was shown).
            steps = [0]

            def counting(step: int, of: int, what: str) -> None:
                steps[0] = of
                progress(step, of + 1, f"Counting {what}")

            report = reporting.report(ctx, period, policy_id=policy_id, progress=counting)
            progress(steps[0], steps[0] + 1, "Drawing the charts")
            figures = {key: draw(report) for key, (_, draw) in charts.CHARTS.items()}
            return report, figures

        self._start(work, lambda result: self.show_report(*result), f"Counting {period.label}…")

    def _busy(self, busy: bool, what: str = "") -> None:
        self.progress.setVisible(busy)
        self.progress.setRange(0, 0)  # moving until the first step reports
        self.show_button.setEnabled(not busy and self.refused is None)
        self.code_report_button.setEnabled(not busy and self.refused is None)
        for button in self.export_buttons.values():
            button.setEnabled(not busy and self.report is not None)
        if what:
            self.status_label.setText(what)

    def _progress(self, step: int, steps: int, what: str) -> None:
        self.progress.setRange(0, steps)
        self.progress.setValue(step)
        if step < steps:
            self.status_label.setText(f"{what}… ({step + 1} of {steps})")

    def is_busy(self) -> bool:
        return bool(self._signals)

    # -- showing -----------------------------------------------------------------------------

    def show_report(self, report: Report, figures: Mapping[str, Figure] | None = None) -> None:
        """Show ``report``, with its charts' ``figures`` by key when they are drawn already
        (:meth:`compute` draws them on its worker thread)."""
        self.report = report
        self._busy(False)
        self._show_headlines(report)
        self._show_charts(report, figures or {})
        current = self.table_list.currentRow()
        self.table_list.clear()
        for table in report.tables:
            self.table_list.addItem(table.title)
        self.table_list.setCurrentRow(max(0, current))
        self.status_label.setText(
            f"{report.period.label}, {report.scope}: counted in {report.seconds:.1f} s. "
            f"Open actions and remedies as at {report.as_of:%d %B %Y}."
        )
        self.report_ready.emit(report)

    def _show_headlines(self, report: Report) -> None:
        while self.headline_grid.count():
            item = self.headline_grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.headline_values = {}
        columns = 6
        for index, headline in enumerate(report.headlines):
            value = QLabel(headline.text())
            value.setObjectName(f"headline-{index}")
            value.setAccessibleName(headline.label)
            font = value.font()
            font.setPointSizeF(font.pointSizeF() * 1.6)
            font.setBold(True)
            value.setFont(font)
            label = QLabel(headline.label + (f"\n{headline.detail}" if headline.detail else ""))
            label.setWordWrap(True)
            label.setBuddy(value)
            row, column = divmod(index, columns)
            self.headline_grid.addWidget(value, row * 2, column)
            self.headline_grid.addWidget(label, row * 2 + 1, column)
            self.headline_values[headline.label] = value

    def _show_charts(self, report: Report, figures: Mapping[str, Figure]) -> None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        for key, (title, draw) in charts.CHARTS.items():
            layout = self.chart_holders[key]
            old = self.canvases.pop(key, None)
            if old is not None:
                layout.removeWidget(old)
                old.deleteLater()
            canvas = FigureCanvasQTAgg(figures[key] if key in figures else draw(report))
            canvas.setObjectName(f"canvas-{key}")
            canvas.setAccessibleName(title)
            layout.addWidget(canvas)
            self.canvases[key] = canvas

    def _show_table(self, row: int) -> None:
        if self.report is None or not 0 <= row < len(self.report.tables):
            self.table_model.set_table(None)
            self.table_note.clear()
            return
        table = self.report.tables[row]
        self.table_model.set_table(table)
        self.table_note.setText(table.note)

    def open_homes(self) -> HomesDialog:
        """The number of homes owned (shown modeless; returned for tests)."""
        dialog = HomesDialog(self.ctx, self)
        dialog.setModal(True)
        dialog.show()
        return dialog

    # -- exporting ---------------------------------------------------------------------------

    def export(self, key: str) -> None:
        """Ask where to save, then write the report there on a worker thread."""
        if self.report is None:
            return
        _, label, filters, suffix = next(e for e in EXPORTS if e[0] == key)
        name = (
            f"complaints-report-{self.report.period.start:%Y-%m-%d}-to-"
            f"{self.report.period.end:%Y-%m-%d}{suffix}"
        )
        path, chosen = QFileDialog.getSaveFileName(
            self, label.replace("&", "").rstrip("…"), name, filters
        )
        if not path:
            return
        if not Path(path).suffix:
            path += ".zip" if chosen.startswith("Zip") else suffix
        report, ctx = self.report, self.ctx
        self._start(
            lambda progress: str(reporting.export_report(ctx, report, path)),
            self._exported,
            f"Writing {Path(path).name}…",
        )

    def write_code_report(self, path: str | None = None) -> None:
        """Ask where to save (unless ``path`` is given), then write the Code's annual report for
        the chosen period and council on a worker thread."""
        try:
            period = self.period()
        except Exception as error:  # a period that ends before it starts
            self.status_label.setText(str(error))
            return
        if path is None:
            name = f"annual-complaints-report-{period.start:%Y-%m-%d}-to-{period.end:%Y-%m-%d}.docx"
            path, _ = QFileDialog.getSaveFileName(
                self, "Code annual report", name, "Word document (*.docx)"
            )
            if not path:
                return
            if not Path(path).suffix:
                path += ".docx"
        policy_id, ctx, target = self.policy_combo.currentData(), self.ctx, path
        self._generation += 1
        self._start(
            lambda progress: str(
                reporting.write_code_annual_report(ctx, period, target, policy_id=policy_id)
            ),
            self._exported,
            f"Writing {Path(target).name}…",
        )

    def _exported(self, path: str) -> None:
        self._busy(False)
        self.status_label.setText(f"Wrote {path}")
        self.exported.emit(path)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self._generation += 1  # whatever is still running reports to nobody
        self._pool.waitForDone(30_000)
        super().closeEvent(event)


__all__ = ["ReportsWindow"]
