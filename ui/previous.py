"""Previous complaints: the other cases from the same person (email; postcode with the name spelt
alike) or about the same address, with their outcomes, and a likely duplicate flagged in red.

Shown in the new-case form as the complainant is typed in, and on a case file's Overview. The
matching is :mod:`caseworker.services.search.previous`; this panel only shows what it found.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caseworker.services.search.previous import Previous, PreviousCase
from caseworker_ui.case_tabs.common import MessageBar, reason
from caseworker_ui.models.case_list import format_date
from caseworker_ui.models.previous import CASE_ID_ROLE, PreviousModel, outcome_text

log = logging.getLogger(__name__)


def duplicate_text(case: PreviousCase, *, recorded: bool = False) -> str:
    check = (
        "Check whether the two are the same complaint."
        if recorded
        else "Check it is not the same complaint before recording this one."
    )
    return (
        f"Likely duplicate: {case.reference}, received {format_date(case.received)} from "
        f"{case.complainant} about {case.service_area}, is still "
        f"{case.status.value} ({', '.join(case.reasons)}). {check}"
    )


class PreviousPanel(QWidget):
    open_requested = Signal(int)
    """Open this earlier case (its id)."""

    def __init__(
        self,
        *,
        lookup: Callable[[], Previous | None] | None = None,
        empty_text: str = "No earlier complaints from this person or about this address.",
        hint: str = "",
        recorded: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """``hint``: what would let it look, while there is nothing to look for; ``recorded``:
        shown for a case already recorded (its Overview), not a new one."""
        super().__init__(parent)
        self.setObjectName("previousComplaints")
        self._recorded = recorded
        self._hint = hint
        self._lookup = lookup
        self._empty_text = empty_text
        self.previous: Previous | None = None

        self.duplicate_bar = MessageBar("duplicateFlag")
        self.status = QLabel()
        self.status.setObjectName("previousStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.model = PreviousModel(self)
        self.table = QTableView()
        self.table.setObjectName("previousCases")
        self.table.setAccessibleName("Previous complaints")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.setShowGrid(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The service and why it is shown share what is left, and wrap: at 150% the reason alone
        # was squeezed to "Likely duplic…".
        header.setSectionResizeMode(PreviousModel.SERVICE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PreviousModel.WHY, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(self.table.fontMetrics().height() * 6)

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.duplicate_bar)
        column.addWidget(self.status)
        column.addWidget(self.table, 1)
        self.table.activated.connect(self._activated)
        self.show_previous(None)

    @property
    def likely_duplicate(self) -> PreviousCase | None:
        return self.previous.likely_duplicate if self.previous is not None else None

    def refresh(self) -> None:
        """Look again (through the lookup given), and show what was found."""
        if self._lookup is None:
            return
        try:
            found = self._lookup()
        except Exception as error:  # a hint only: say so and carry on
            log.exception("could not look for previous complaints")
            self.show_problem(f"Previous complaints could not be looked up: {reason(error)}")
            return
        self.show_previous(found)

    def show_problem(self, text: str) -> None:
        self.previous = None
        self.model.set_cases([])
        self.duplicate_bar.clear()
        self.status.setText(text)
        self.table.hide()

    def show_previous(self, previous: Previous | None, hint: str | None = None) -> None:
        """What was found; ``None`` when there is nothing to look for (``hint``, or the panel's
        own, says what would let it look)."""
        self.previous = previous
        if previous is None:
            hint = self._hint if hint is None else hint
            self.model.set_cases([])
            self.duplicate_bar.clear()
            self.status.setText(hint)
            self.status.setVisible(bool(hint))
            self.table.hide()
            return
        duplicate = previous.likely_duplicate
        self.model.set_cases(previous.cases, duplicate.case_id if duplicate else None)
        if duplicate is not None:
            self.duplicate_bar.show_message(
                duplicate_text(duplicate, recorded=self._recorded), "error"
            )
        else:
            self.duplicate_bar.clear()
        self.status.show()
        if not previous.cases:
            self.status.setText(self._empty_text)
        else:
            people = len(previous.same_person)
            places = len(previous.same_address)
            parts = []
            if people:
                parts.append(f"{people} from the same person")
            if places:
                parts.append(f"{places} about the same address")
            count = len(previous.cases)
            self.status.setText(
                f"{count} {'other' if self._recorded else 'earlier'} case"
                f"{'s' if count != 1 else ''}: {' and '.join(parts)}. Double-click one to open "
                "it."
            )
        self.table.setVisible(bool(previous.cases))

    def _activated(self, index: QModelIndex) -> None:
        case_id = index.data(CASE_ID_ROLE)
        if case_id is not None:
            self.open_requested.emit(int(case_id))


__all__ = ["PreviousPanel", "duplicate_text", "outcome_text"]
