"""Reports in the app: the dashboard window and the retention review for complaints managers.

:func:`add_report_actions` puts "Reports…" and, for a complaints manager, "Retention review…" on a
menu of the main window, and "Subject access requests…" for a complaints manager. Who may is the
core's answer
(:func:`caseworker.reports.service.why_not_report`,
:func:`caseworker.services.records.retention.why_not_purge`): "Reports…" is disabled for anyone
else, its tip saying why in the rule's words.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from caseworker.services.context import Context


def add_report_actions(window: QMainWindow, menu: QMenu, ctx: Context) -> None:
    """Add the report actions to ``menu``, for the person ``ctx`` acts for."""
    from caseworker.reports.service import why_not_report
    from caseworker.services.records.retention import why_not_purge
    from caseworker.services.records.subjectaccess import why_not_subject_access

    menu.addSeparator()
    reports = QAction("&Reports…", window)
    reports.setObjectName("reportsAction")
    reports.setShortcut(QKeySequence("Ctrl+Shift+R"))
    menu.addAction(reports)

    def open_reports() -> None:
        from caseworker_ui.reports.dashboard import ReportsWindow

        shown = getattr(window, "reports_window", None)
        if shown is None:
            shown = ReportsWindow(ctx, parent=window)
            window.reports_window = shown  # type: ignore[attr-defined]
        shown.show()
        shown.raise_()
        shown.activateWindow()

    reports.triggered.connect(open_reports)
    try:
        refused = why_not_report(ctx)
        may_purge = why_not_purge(ctx) is None
        may_answer = why_not_subject_access(ctx) is None
    except Exception:  # no database to ask: the dashboard says what is wrong when it counts
        refused, may_purge, may_answer = None, False, False
    if refused is not None:
        reports.setEnabled(False)
        reports.setToolTip(refused)
        reports.setStatusTip(refused)
    menu.setToolTipsVisible(True)
    if may_purge:
        retention = QAction("Re&tention review…", window)
        retention.setObjectName("retentionAction")
        menu.addAction(retention)

        def open_retention() -> None:
            from caseworker_ui.reports.retention import RetentionDialog

            RetentionDialog.run(ctx, window)

        retention.triggered.connect(open_retention)
    if may_answer:
        requests = QAction("S&ubject access requests…", window)
        requests.setObjectName("subjectAccessAction")
        menu.addAction(requests)

        def open_requests() -> None:
            from caseworker_ui.reports.subjectaccess import SubjectAccessDialog

            SubjectAccessDialog.run(ctx, window)

        requests.triggered.connect(open_requests)


__all__ = ["add_report_actions"]
