"""Reports in the app: the dashboard window and the retention review for complaints managers.

:func:`add_report_actions` puts "Reports…" and, for a complaints manager, "Retention review…" on a
menu of the main window.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from caseworker.reports.desk import ReportDesk


def add_report_actions(window: QMainWindow, menu: QMenu, cases: Any) -> ReportDesk:
    """Add the report actions to ``menu``; ``cases`` is the main window's case list service
    (its sessions and login)."""
    # CaseList keeps its session factory private; the reports need the same database.
    desk = ReportDesk(cases.sessions, actor=cases.login or "", today=cases.today)
    menu.addSeparator()
    reports = QAction("&Reports…", window)
    reports.setObjectName("reportsAction")
    reports.setShortcut(QKeySequence("Ctrl+Shift+R"))
    menu.addAction(reports)

    def open_reports() -> None:
        from caseworker_ui.reports.dashboard import ReportsWindow

        shown = getattr(window, "reports_window", None)
        if shown is None:
            shown = ReportsWindow(desk, parent=window)
            window.reports_window = shown  # type: ignore[attr-defined]
        shown.show()
        shown.raise_()
        shown.activateWindow()

    reports.triggered.connect(open_reports)
    try:
        manager = desk.may_purge()
    except Exception:  # no database to ask: the action is simply not offered
        manager = False
    if manager:
        retention = QAction("Re&tention review…", window)
        retention.setObjectName("retentionAction")
        menu.addAction(retention)

        def open_retention() -> None:
            from caseworker_ui.reports.retention import RetentionDialog

            RetentionDialog.run(desk, window)

        retention.triggered.connect(open_retention)
    return desk


__all__ = ["add_report_actions"]
