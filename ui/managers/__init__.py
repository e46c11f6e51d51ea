"""Managers' screens in the app: "Manage ▸ Allocate cases…" and "Manage ▸ Officers…" (the team,
changed by a complaints manager) for line managers and complaints managers, and the notice that
says who is signed in when that needs saying.

:func:`add_manager_actions` adds the menu to a main window, so the main window itself stays free
of managers' code.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QSizePolicy

from caseworker.services.context import Context
from caseworker_ui.case_tabs.common import MessageBar


def add_manager_actions(window: QMainWindow, ctx: Context) -> QAction | None:
    """A "Manage" menu with "Allocate cases…" on ``window`` if the person at the keyboard is a
    manager (the core says: :func:`caseworker.services.cases.allocation.may_allocate`); the
    action (None for anyone else, who gets no menu)."""
    from caseworker.services.cases.allocation import may_allocate, why_not_allocate_here

    if not may_allocate(ctx):
        return None
    menu = window.menuBar().addMenu("&Manage")
    action = QAction("&Allocate cases…", window)
    action.setObjectName("allocateAction")
    action.setShortcut(QKeySequence("Ctrl+Shift+A"))
    menu.addAction(action)

    def open_allocation() -> None:
        from caseworker_ui.managers.allocation import AllocationWindow

        shown = getattr(window, "allocation_window", None)
        table = getattr(window, "table", None)
        current = table.currentIndex() if table is not None else None
        case_id = (
            current.data(getattr(table.model(), "CASE_ID_ROLE", -1))
            if current is not None and current.isValid()
            else None
        )
        if shown is None:
            shown = AllocationWindow(ctx, case_id, parent=window)
            window.allocation_window = shown  # type: ignore[attr-defined]
            refresh = getattr(window, "refresh", None)
            if refresh is not None:  # the case list shows the new officer
                shown.allocated.connect(lambda _case_id: refresh())
            show_cases = getattr(window, "show_officers_cases", None)
            if show_cases is not None:  # a line manager drills from a load to the cases
                shown.show_cases.connect(show_cases)
            shown.show()
            shown.raise_()
            shown.activateWindow()
        else:
            shown.reopen(case_id)

    action.triggered.connect(open_allocation)
    why_not = why_not_allocate_here(ctx)
    if why_not is not None:  # on an offline copy: shown, off, and why
        action.setEnabled(False)
        action.setToolTip(why_not)
        action.setStatusTip(why_not)
        menu.setToolTipsVisible(True)

    team = QAction("&Officers…", window)
    team.setObjectName("officersAction")
    menu.addAction(team)

    def open_officers() -> None:
        from caseworker_ui.managers.officers import OfficersWindow

        shown = getattr(window, "officers_window", None)
        if shown is None:
            shown = OfficersWindow(ctx, parent=window)
            window.officers_window = shown  # type: ignore[attr-defined]
        else:
            shown.refresh()
        shown.show()
        shown.raise_()
        shown.activateWindow()

    team.triggered.connect(open_officers)
    return action


def show_notice(window: QMainWindow, text: str, kind: str = "info") -> MessageBar:
    """A message bar across the top of ``window``'s central area (who is signed in, say)."""
    bar = MessageBar("signInNotice", window)
    bar.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)  # list: the rest
    bar.show_message(text, kind)
    layout = window.centralWidget().layout()
    layout.insertWidget(0, bar)  # type: ignore[attr-defined]
    for index in range(1, layout.count()):  # the window's own content takes the spare height
        layout.setStretch(index, 1)  # type: ignore[attr-defined]
    return bar


__all__ = ["add_manager_actions", "show_notice"]
