"""Previous complaints: in the new-case form as the complainant is typed in (a likely duplicate
flagged, and saving asks first), and on a case file's Overview (each opens that case)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from caseworker.domain.enums import CaseStatus, Outcome
from caseworker.services.cases import intake
from caseworker.services.cases.intake import NewCase, PersonIn
from caseworker.services.context import Context
from caseworker.services.lists.caselist import CaseFilter, CaseList
from caseworker.storage.models import Case
from caseworker_ui.dialogs.new_case import NewCaseDialog
from caseworker_ui.main_window import MainWindow
from caseworker_ui.models.previous import CASE_ID_ROLE, PreviousModel

TODAY = dt.date(2026, 11, 25)


def record(
    desk: Context,
    name: str,
    *,
    email: str = "",
    postcode: str = "",
    service: str = "Waste and recycling",
    received: dt.date = dt.date(2026, 11, 16),
    address: str = "",
) -> int:
    return intake.create_case(
        desk,
        NewCase(
            policy_id="stockport",
            received=received,
            service_area=service,
            summary="A complaint",
            first_aware=received - dt.timedelta(days=10),
            complainant=PersonIn(name=name, email=email, postcode=postcode, address=address),
            issues=("Something went wrong.",),
        ),
    ).id


@pytest.fixture
def earlier(app, desk) -> tuple[int, int]:
    """Bob's open bins case of last week, and his parking case closed in the spring."""
    bins = record(desk, "Bob Sample", email="bob@example.org", postcode="QQ2 2BB")
    parking = record(
        desk,
        "Bob Sampel",
        postcode="QQ2 2BB",
        service="Parking",
        received=dt.date(2026, 4, 1),
        address="2 Elm Road",
    )
    with app.uow() as uow:
        case = uow.session.get(Case, parking)
        case.status, case.outcome = CaseStatus.CLOSED, Outcome.NOT_UPHELD
        uow.commit()
    return bins, parking


@pytest.fixture
def dialog(qtbot, desk):
    form = NewCaseDialog(desk)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.policy_combo.setCurrentIndex(form.policy_combo.findData("stockport"))
    return form


def type_bob_again(qtbot, form) -> None:
    qtbot.keyClicks(form.service_edit, "Waste and recycling")
    form.received_edit.setDate(QDate(2026, 11, 23))
    form.first_aware_edit.setDate(QDate(2026, 11, 20))
    qtbot.keyClicks(form.name_edit, "Bob Sample")
    qtbot.keyClicks(form.email_edit, "BOB@example.org")
    qtbot.keyClicks(form.postcode_edit, "qq22bb")
    qtbot.keyClicks(form.summary_edit, "The bin was missed again.")


def rows(model: PreviousModel) -> list[list[str]]:
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def answer_with(button_text: str) -> list[str]:
    """Click the button whose text starts with ``button_text`` in the next message box shown;
    the box's text, once it has been."""
    seen: list[str] = []

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(f"{box.text()} {box.informativeText()}")
        for button in box.buttons():
            if button.text().replace("&", "").startswith(button_text):
                button.click()
                return
        raise AssertionError(f"no button {button_text!r} in {[b.text() for b in box.buttons()]}")

    QTimer.singleShot(0, click)
    return seen


def test_typing_a_known_complainant_lists_their_cases_and_flags_the_duplicate(
    qtbot, dialog, earlier, model_tester
):
    bins, parking = earlier
    panel = dialog.previous_panel
    model_tester(panel.model)
    assert panel.model.rowCount() == 0
    assert "as their email or postcode is typed" in panel.status.text()
    type_bob_again(qtbot, dialog)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=3000)
    table = rows(panel.model)
    assert [row[0] for row in table] == ["CW-2026-00001", "CW-2026-00002"]  # newest first
    assert table[0][PreviousModel.OUTCOME] == "Open"
    assert table[0][PreviousModel.WHY].startswith("Likely duplicate: same email")
    assert table[1][PreviousModel.OUTCOME] == "Closed — not upheld"
    assert table[1][PreviousModel.WHY] == "Same postcode, similar name"
    assert panel.duplicate_bar.isVisibleTo(dialog)
    assert panel.duplicate_bar.text().startswith(
        "Likely duplicate: CW-2026-00001, received 16 Nov 2026 from Bob Sample"
    )
    assert panel.status.text().startswith("2 earlier cases: 2 from the same person")

    # Another service: the earlier cases still show, but nothing is flagged.
    dialog.service_edit.clear()
    qtbot.keyClicks(dialog.service_edit, "Highways")
    qtbot.waitUntil(lambda: not panel.duplicate_bar.isVisibleTo(dialog), timeout=3000)
    assert panel.model.rowCount() == 2

    # Nothing left to match on: the list empties and says what it needs.
    dialog.email_edit.clear()
    dialog.postcode_edit.clear()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=3000)
    assert "as their email or postcode is typed" in panel.status.text()


def test_saving_a_likely_duplicate_asks_first(qtbot, dialog, desk, earlier):
    type_bob_again(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.previous_panel.likely_duplicate is not None, timeout=3000)
    assert dialog.save_button.isEnabled()

    asked = answer_with("Go back")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert asked and "CW-2026-00001" in asked[0]
    assert dialog.created is None and dialog.isVisible()

    answer_with("Record as a new case")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.created is not None and dialog.created.reference == "CW-2026-00003"


def test_opening_the_existing_case_instead_records_nothing(qtbot, app, desk, earlier, monkeypatch):
    bins, _parking = earlier
    main = MainWindow(
        CaseList(app.context(today=lambda: TODAY)),
        database="test.sqlite",
        desk=desk,
    )
    qtbot.addWidget(main)

    def exec_form(form) -> int:
        form.show()
        form.policy_combo.setCurrentIndex(form.policy_combo.findData("stockport"))
        type_bob_again(qtbot, form)
        qtbot.waitUntil(lambda: form.previous_panel.likely_duplicate is not None, timeout=3000)
        answer_with("Open CW-2026-00001 instead")
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
        return form.result()

    monkeypatch.setattr(NewCaseDialog, "exec", exec_form)
    assert main.new_case() is None
    assert bins in main.case_windows
    assert main.case_windows[bins].tabs.currentWidget() is main.case_windows[bins].overview
    assert CaseList(app.context()).count(CaseFilter()) == 2
    for window in list(main.case_windows.values()):
        window.close()


def test_the_overview_lists_previous_complaints_and_opens_them(qtbot, app, desk, earlier):
    bins, parking = earlier
    again = record(desk, "Bob Sample", email="bob@example.org", received=dt.date(2026, 11, 23))
    main = MainWindow(
        CaseList(app.context(today=lambda: TODAY)),
        database="test.sqlite",
        desk=desk,
    )
    qtbot.addWidget(main)
    opened = main.open_case(again)
    panel = opened.overview.previous_panel
    assert [row[0] for row in rows(panel.model)] == ["CW-2026-00001"]
    assert panel.duplicate_bar.isVisibleTo(opened)  # the case itself is the likely duplicate
    assert "same email" in panel.duplicate_bar.text()

    qtbot.waitExposed(opened)
    table = panel.table
    opened.overview.scroll.ensureWidgetVisible(table)
    index = panel.model.index(0, 0)
    assert index.data(CASE_ID_ROLE) == bins
    table.setFocus()
    table.setCurrentIndex(index)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert bins in main.case_windows
    older = main.case_windows[bins]
    assert [row[0] for row in rows(older.overview.previous_panel.model)] == [
        "CW-2026-00003",
        "CW-2026-00002",
    ]  # the same email; the same postcode, name misspelt
    for window in list(main.case_windows.values()):
        window.close()
