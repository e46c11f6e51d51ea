"""The team in the app: "Manage ▸ Officers…". A complaints manager adds colleagues, corrects
their details, changes their role, links the login they work under and deactivates them, through
the same core functions as ``caseworker officers`` (:mod:`caseworker.services.officers`), which
decide; anyone else sees the list and why they may not change it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.enums import Role
from caseworker.services import officers
from caseworker.services.context import Context
from caseworker.services.officers import OfficerRecord
from caseworker_ui.case_tabs.common import MessageBar, add_row, form, reason
from caseworker_ui.models.table import RowsTableModel

Index = QModelIndex | QPersistentModelIndex

ROLE_LABELS = {
    Role.INVESTIGATING_OFFICER: "Investigating officer",
    Role.LINE_MANAGER: "Line manager",
    Role.COMPLAINTS_MANAGER: "Complaints manager",
}


class OfficersModel(RowsTableModel):
    NAME, ROLE, AREA, LOGIN, STATUS = range(5)
    HEADERS = ("Name", "Role", "Service area", "Login", "Status")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[OfficerRecord] = []

    def set_officers(self, rows: list[OfficerRecord]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def officer_at(self, row: int) -> OfficerRecord | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, officer_id: int) -> int:
        return next((r for r, o in enumerate(self._rows) if o.id == officer_id), -1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        officer = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                officer.name,
                ROLE_LABELS[officer.role],
                officer.service_area,
                officer.login or "— (no login)",
                "Active" if officer.active else "Inactive (left)",
            )[index.column()]
        return None


class OfficersWindow(QDialog):
    """The team's records: a list, and the chosen officer's details to change."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("officersWindow")
        self.setWindowTitle("Officers — Caseworker")
        self.setModal(False)
        self.resize(1100, 600)
        self._editing: OfficerRecord | None = None
        self.model = OfficersModel(self)

        heading = QLabel("The &team")
        self.table = QTableView()
        self.table.setObjectName("officersTable")
        self.table.setAccessibleName("The team's officers")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        heading.setBuddy(self.table)

        details = QGroupBox("Officer")
        rows = form()
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("officerName")
        add_row(rows, "&Name:", self.name_edit)
        self.email_edit = QLineEdit()
        self.email_edit.setObjectName("officerEmail")
        add_row(rows, "&Email:", self.email_edit)
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("officerRole")
        for role, label in ROLE_LABELS.items():
            self.role_combo.addItem(label, role)
        add_row(rows, "&Role:", self.role_combo)
        self.area_edit = QLineEdit()
        self.area_edit.setObjectName("officerArea")
        add_row(rows, "Service &area:", self.area_edit)
        self.login_edit = QLineEdit()
        self.login_edit.setObjectName("officerLogin")
        self.login_edit.setPlaceholderText("Their Windows account (or database login)")
        add_row(rows, "&Login:", self.login_edit)
        self.active_check = QCheckBox("A&ctive: may sign in, act and be given cases")
        self.active_check.setObjectName("officerActive")
        rows.addRow(self.active_check)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("Ne&w officer")
        self.new_button.setObjectName("newOfficer")
        self.save_button = QPushButton("&Save")
        self.save_button.setObjectName("saveOfficer")
        self.close_button = QPushButton("Close")
        self.close_button.setObjectName("closeOfficers")
        for button in (self.new_button, self.save_button, self.close_button):
            button.setAutoDefault(False)  # Enter saves the form (below), never closes it
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        rows.addRow(buttons)
        details.setLayout(rows)
        self.message = MessageBar("officersMessage")

        left = QVBoxLayout()
        left.addWidget(heading)
        left.addWidget(self.table, 1)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addWidget(details, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(body, 1)

        self.table.selectionModel().currentRowChanged.connect(self._chosen)
        self.new_button.clicked.connect(self.start_new)
        self.save_button.clicked.connect(self.save)
        for edit in (self.name_edit, self.email_edit, self.area_edit, self.login_edit):
            edit.returnPressed.connect(self.save)  # Enter in the form saves it
        self.close_button.clicked.connect(self.close)
        QShortcut(QKeySequence("Ctrl+W"), self).activated.connect(self.close)

        self.refusal = officers.team_refusal(ctx)
        if self.refusal is not None:
            for widget in (
                self.name_edit,
                self.email_edit,
                self.role_combo,
                self.area_edit,
                self.login_edit,
                self.active_check,
                self.new_button,
                self.save_button,
            ):
                widget.setEnabled(False)
            self.message.show_message(f"You can see the team but not change it: {self.refusal}.")
        self.refresh()
        self.table.setFocus()

    def refresh(self, keep: int | None = None) -> None:
        self.model.set_officers(officers.list_officers(self.ctx))
        row = self.model.row_of(keep) if keep is not None else 0
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(max(row, 0), 0))
        else:
            self._show(None)

    def _chosen(self, current: QModelIndex, previous: QModelIndex) -> None:
        """Another officer chosen in the list: typed changes to the one shown are saved,
        discarded or kept (the choice undone), as the person answers; never dropped unasked."""
        import caseworker_ui.discard as discard  # looked up here, so a test can answer

        chosen = self.model.officer_at(current.row())
        if self.changed():
            what = f"{self._editing.name}'s record" if self._editing else "the new officer"
            answer = discard.ask_save_discard(self, what)
            if answer == discard.CANCEL or (answer == discard.SAVE and not self.save()):
                self._select_quietly(previous)  # back to the changes, kept as typed
                return
            if answer == discard.SAVE and chosen is not None:
                self._select_quietly(self.model.index(self.model.row_of(chosen.id), 0))
                self._show(self.model.officer_at(self.model.row_of(chosen.id)))
                return
        self._show(chosen)

    def _select_quietly(self, index: Index) -> None:
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        if index.isValid():
            self.table.setCurrentIndex(index)
            self.table.selectRow(index.row())
        else:
            self.table.clearSelection()
            selection.setCurrentIndex(QModelIndex(), selection.SelectionFlag.Clear)
        selection.blockSignals(False)
        self.table.viewport().update()

    def _show(self, officer: OfficerRecord | None) -> None:
        self._editing = officer
        self.name_edit.setText(officer.name if officer else "")
        self.email_edit.setText(officer.email if officer else "")
        self.role_combo.setCurrentIndex(
            self.role_combo.findData(officer.role if officer else Role.INVESTIGATING_OFFICER)
        )
        self.area_edit.setText(officer.service_area if officer else "")
        self.login_edit.setText((officer.login or "") if officer else "")
        self.active_check.setChecked(officer.active if officer else True)
        self.active_check.setEnabled(officer is not None and self.refusal is None)
        self._shown = self._form_values()

    def _form_values(self) -> tuple:
        return (
            self.name_edit.text(),
            self.email_edit.text(),
            self.role_combo.currentIndex(),
            self.area_edit.text(),
            self.login_edit.text(),
            self.active_check.isChecked(),
        )

    def changed(self) -> bool:
        """True when the form holds changes not saved (typed since the officer was shown)."""
        return self._form_values() != getattr(self, "_shown", self._form_values())

    def reject(self) -> None:
        """Esc, Close or the window's close box: ask before throwing away typed changes."""
        import caseworker_ui.discard as discard  # looked up here, so a test can answer

        if self.changed() and not discard.ask_discard(self, "the changes to this officer"):
            return
        super().reject()

    def start_new(self) -> None:
        """An empty form: Save adds the officer (typed changes to the one shown are saved,
        discarded or kept first, as when choosing another officer)."""
        import caseworker_ui.discard as discard

        if self.changed():
            what = f"{self._editing.name}'s record" if self._editing else "the new officer"
            answer = discard.ask_save_discard(self, what)
            if answer == discard.CANCEL or (answer == discard.SAVE and not self.save()):
                return
        self.table.clearSelection()
        self._show(None)
        self.message.show_message("A new officer: fill in their details and press Save.", "info")
        self.name_edit.setFocus()

    def save(self) -> bool:
        """Save the form (Enter, Alt+S); True once saved, False with the refusal shown and
        what was typed kept."""
        name, email = self.name_edit.text(), self.email_edit.text()
        role, area = self.role_combo.currentData(), self.area_edit.text()
        login = self.login_edit.text().strip() or None
        before = self._editing
        try:
            if before is None:
                saved = officers.add_officer(
                    self.ctx, name=name, email=email, role=role, service_area=area, login=login
                )
            else:
                saved = before
                if (name.strip(), email.strip(), area.strip()) != (
                    before.name,
                    before.email,
                    before.service_area,
                ):
                    saved = officers.set_details(
                        self.ctx, before.email, name=name, new_email=email, service_area=area
                    )
                if role != before.role:
                    saved = officers.set_role(self.ctx, saved.email, role)
                if login != before.login:
                    saved = officers.set_login(self.ctx, saved.email, login)
                if self.active_check.isChecked() != before.active:
                    saved = officers.set_active(
                        self.ctx, saved.email, self.active_check.isChecked()
                    )
        except Exception as error:  # what was typed stays in the form
            self.message.show_message(f"Not saved: {reason(error)}")
            return False
        said = f"Saved: {saved.name}."
        if saved.login and (before is None or saved.login != before.login):
            # The login they are to work under, given its place in a team database, as
            # `caseworker team login` gives it (or the statement for the DBA).
            try:
                grant = officers.give_database_login(self.ctx, saved.login)
            except Exception as error:
                said += f" The database login was not given: {reason(error)}."
            else:
                if grant is not None:
                    said += f" {str(grant)[:1].upper()}{str(grant)[1:]}"
        self._shown = self._form_values()  # saved: nothing left to ask about while refreshing
        self.refresh(keep=saved.id)
        self.message.show_message(said, "ok" if "ask the DBA" not in said else "warning")
        self.table.setFocus()
        return True
