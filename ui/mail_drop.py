"""Emails dropped on the main window become new cases.

``MailDrop.install(window)`` lets the officer drag an email saved from Outlook (.msg) or from any
mail program (.eml) onto the list of cases, or choose one with File > "New case from email…".
The new-case form opens filled in from the email (:mod:`caseworker_ui.dialogs.mail_case`);
recording it keeps the email and its attachments on the new case. A file that cannot be read as
an email gets a message naming it and saying why, and nothing is recorded.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox

from caseworker_ui.case_tabs.common import reason
from caseworker_ui.file_drop import FileDrop

if TYPE_CHECKING:
    from caseworker_ui.main_window import MainWindow

log = logging.getLogger(__name__)

MAIL_FILTER = "Emails (*.eml *.msg);;All files (*)"


def _any_mail(paths: list[Path]) -> bool:
    # The mail service (and the new-case services it records with) is imported when an email
    # is first dragged over the window, not while the app starts.
    from caseworker.services.evidence.mail import is_mail

    return any(is_mail(p) for p in paths)


class MailDrop(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.message_box: QMessageBox | None = None
        """The last "could not read this email" message shown (kept for tests)."""
        self.action = QAction("New case from &email…", window)
        self.action.setObjectName("newCaseFromEmail")
        self.action.setToolTip(
            "Record a new complaint from an email saved as .eml or .msg "
            "(or drag the email onto this window)"
        )
        self.action.triggered.connect(self.choose)

    @classmethod
    def install(cls, window: MainWindow) -> MailDrop | None:
        """Take emails dropped on ``window`` and add "New case from email…" to its File menu
        (after "New case…"). Without the case file services the list is read-only: nothing
        is installed."""
        if window.desk is None:
            return None
        handler = cls(window)
        menu = window.new_case_action.associatedObjects()
        for owner in menu:
            if hasattr(owner, "insertAction") and owner is not window:
                actions = owner.actions()
                index = actions.index(window.new_case_action)
                after = actions[index + 1] if index + 1 < len(actions) else None
                owner.insertAction(after, handler.action)
                break
        FileDrop.install(window, handler.dropped, accepts=_any_mail)
        return handler

    def dropped(self, paths: list[Path], _position: QPoint | None = None) -> None:
        """Emails dropped on the window: a new-case form for each, one after the other."""
        from caseworker.services.evidence.mail import is_mail

        emails = [p for p in paths if is_mail(p)]
        others = [p.name for p in paths if not is_mail(p)]
        if others:
            self.window.statusBar().showMessage(
                f"Only emails (.eml, .msg) make new cases; not used: {', '.join(others)}. "
                "Drop other files on a case's window to attach them.",
                12000,
            )
        for path in emails:
            if (
                self.new_case_from(path) is None
                and self.message_box is not None
                and self.message_box.isVisible()
            ):
                break  # an unreadable email: let the officer read why before the next

    def choose(self) -> int | None:
        path, _filter = QFileDialog.getOpenFileName(
            self.window, "New case from an email", "", MAIL_FILTER
        )
        return self.new_case_from(Path(path)) if path else None

    def new_case_from(self, path: Path) -> int | None:
        """Read the email, show the new-case form filled in from it, record the case; the new
        case's id, or None if the email could not be read or the form was cancelled."""
        desk = self.window.desk
        assert desk is not None
        from caseworker.services.evidence.mail import read_mail

        try:
            message = read_mail(path)
        except Exception as error:
            log.warning("could not read %s as an email: %s", path, error)
            self._tell(path, reason(error))
            return None
        from caseworker_ui.dialogs.mail_case import MailCaseDialog

        created, accepted = MailCaseDialog.run_for(desk, message, self.window)
        if not accepted or created is None:
            return None
        self.window.refresh()
        self.window.open_case(created.id)
        self.window.statusBar().showMessage(  # after the refresh, which clears the status bar
            f"Recorded {created.reference} from the email {path.name}", 8000
        )
        return created.id

    def _tell(self, path: Path, why: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Email not read",
            f"{path.name} could not be used for a new case.",
            parent=self.window,
        )
        box.setObjectName("mailNotRead")
        box.setInformativeText(f"{why}.\nNothing was recorded.")
        box.open()  # window-modal, without blocking the drop that brought it
        self.message_box = box
        self.window.statusBar().showMessage(f"Not recorded: {why}", 12000)
