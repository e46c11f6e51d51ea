"""Emails dropped on the main window (or chosen with File > New case from email…) open the
new-case form filled in from them; recording it keeps the email and its attachments on the new
case. Real .eml files (made with the email package) and real Outlook .msg files (made by
tests/fixtures/mail/msg_writer.py) are used; a damaged one is refused by name."""

from __future__ import annotations

import datetime as dt
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QEvent, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox
from sqlalchemy import func, select

from caseworker.services.evidence.documents import list_documents
from caseworker.services.lists.caselist import CaseList
from caseworker.storage.models import Case, Correspondence, Document
from caseworker_ui.dialogs.mail_case import MailCaseDialog, is_greeting, points_from
from caseworker_ui.main_window import MainWindow
from tests.ui.keys import show_tab

pytestmark = pytest.mark.filterwarnings("ignore:Function.*QDragEnterEvent:DeprecationWarning")

TODAY = dt.date(2026, 11, 25)
PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40


def write_eml(folder: Path, name: str = "complaint.eml") -> Path:
    message = EmailMessage()
    message["From"] = "Ann Example <ann.example@example.org>"
    message["To"] = "complaints@council.example.gov.uk"
    message["Subject"] = "Missed bin collections"
    message["Date"] = "Mon, 23 Nov 2026 09:15:00 +0000"
    message.set_content(
        "My bin has been missed four weeks running,\nsince the crew changed.\n\n"
        "Nobody called me back when I rang.\n\nAnn"
    )
    message.add_attachment(PHOTO, maintype="image", subtype="jpeg", filename="bin.jpg")
    message.add_attachment(
        b"%PDF-1.4 calendar", maintype="application", subtype="pdf", filename="calendar.pdf"
    )
    path = folder / name
    path.write_bytes(bytes(message))
    return path


def write_msg(folder: Path, name: str = "complaint.msg") -> Path:
    sys.path.insert(0, str(Path(__file__).parents[1] / "fixtures" / "mail"))
    from msg_writer import build_msg

    path = folder / name
    path.write_bytes(
        build_msg(
            sender="Tom Parker <tom.parker@example.net>",
            to="complaints@council.example.gov.uk",
            subject="Parking permit refused",
            body="My permit was refused although I live on the street.\r\nPlease look again.",
            sent=dt.datetime(2026, 11, 20, 14, 5, tzinfo=dt.UTC),
            attachments=[("proof.jpg", "image/jpeg", PHOTO), ("notes.txt", "text/plain", b"small")],
        )
    )
    return path


@pytest.fixture
def main(qtbot, app, desk):
    window = MainWindow(
        CaseList(app.context(today=lambda: TODAY)),
        database="test.sqlite",
        desk=desk,
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    for case_window in list(window.case_windows.values()):
        case_window.close()
    window.close()


def counts(app) -> tuple[int, int, int]:
    with app.uow() as uow:
        s = uow.session
        return tuple(
            s.scalar(select(func.count()).select_from(t))  # type: ignore[return-value]
            for t in (Case, Correspondence, Document)
        )


def drag(widget, paths: list[Path], *, then_drop: bool = True) -> bool:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    where = widget.rect().center()
    enter = QDragEnterEvent(
        where,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted() or not then_drop:
        return enter.isAccepted()
    event = QDropEvent(
        QPointF(where),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QEvent.Type.Drop,
    )
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


class Officer:
    """Stands in for the person at the form: reads what it shows, completes it, records it."""

    def __init__(self, monkeypatch, *, record: bool = True) -> None:  # noqa: ANN001
        self.seen: list[dict] = []
        self.record = record
        monkeypatch.setattr(MailCaseDialog, "exec", lambda dialog: self.exec(dialog))

    def exec(self, dialog: MailCaseDialog) -> int:
        attachments = dialog.attachments_model.stringList()
        self.seen.append(
            {
                "title": dialog.windowTitle(),
                "name": dialog.name_edit.text(),
                "email": dialog.email_edit.text(),
                "received": dialog.received_edit.date(),
                "channel": dialog.channel_combo.currentText(),
                "summary": dialog.summary_edit.toPlainText(),
                "points": dialog.issues_edit.toPlainText().splitlines(),
                "attachments": attachments,
            }
        )
        if not self.record:
            dialog.cancel_button.click()
            return dialog.result()
        dialog.policy_combo.setCurrentIndex(dialog.policy_combo.findData("stockport"))
        dialog.service_edit.setText("Waste and recycling")
        dialog.first_aware_edit.setDate(QDate(2026, 11, 1))
        dialog.run_triage()
        assert dialog.save_button.isEnabled(), dialog.triage_status.text()
        dialog.save_button.click()
        return dialog.result()


def test_an_eml_dropped_on_the_list_becomes_a_case_with_its_attachments(
    app, main, tmp_path, monkeypatch, qtbot
) -> None:
    officer = Officer(monkeypatch)
    # Dropped on the list of cases, which takes no drops itself: the window takes it.
    assert drag(main.table.viewport(), [write_eml(tmp_path)])
    qtbot.waitUntil(lambda: counts(app) == (1, 1, 2))
    [seen] = officer.seen
    assert seen == {
        "title": "New case from the email complaint.eml",
        "name": "Ann Example",
        "email": "ann.example@example.org",
        "received": QDate(2026, 11, 23),
        "channel": "Email",
        "summary": "Missed bin collections",
        "points": [
            "My bin has been missed four weeks running, since the crew changed.",
            "Nobody called me back when I rang.",
        ],
        "attachments": ["bin.jpg (10 KB)", "calendar.pdf (17 bytes)"],
    }
    [case_id] = main.case_windows
    assert [(d.filename, d.size) for d in list_documents(app.context(), case_id)] == [
        ("bin.jpg", len(PHOTO)),
        ("calendar.pdf", 17),
    ]
    case_window = main.case_windows[case_id]
    assert case_window.case.complainant.email == "ann.example@example.org"
    show_tab(qtbot, case_window, case_window.documents)
    assert case_window.documents.emails_model.rowCount() == 1
    assert main.statusBar().currentMessage().endswith("from the email complaint.eml")


def test_an_outlook_msg_chosen_from_the_menu_becomes_a_case(
    app, main, tmp_path, monkeypatch
) -> None:
    officer = Officer(monkeypatch)
    path = write_msg(tmp_path)
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileName",
        staticmethod(lambda *a, **k: (str(path), "Emails (*.eml *.msg)")),
    )
    file_menu = main.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]
    assert texts[:2] == ["&New case…", "New case from &email…"]
    main.mail_drop.action.trigger()
    assert counts(app) == (1, 1, 2)
    [seen] = officer.seen
    assert (seen["name"], seen["email"], seen["received"]) == (
        "Tom Parker",
        "tom.parker@example.net",
        QDate(2026, 11, 20),
    )
    assert seen["points"] == [
        "My permit was refused although I live on the street. Please look again."
    ]
    assert seen["attachments"] == ["proof.jpg (10 KB)", "notes.txt (5 bytes)"]


def test_a_damaged_msg_is_named_with_the_reason_and_records_nothing(
    app, main, tmp_path, monkeypatch, qtbot
) -> None:
    officer = Officer(monkeypatch)
    path = write_msg(tmp_path, "damaged.msg")
    path.write_bytes(path.read_bytes()[:1500])
    assert drag(main, [path])
    qtbot.waitUntil(lambda: main.mail_drop.message_box is not None)
    box = main.mail_drop.message_box
    assert box.isVisible() and box.icon() == QMessageBox.Icon.Warning
    assert box.text() == "damaged.msg could not be used for a new case."
    assert box.informativeText().startswith("damaged.msg cannot be read as an email: ")
    assert box.informativeText().endswith("Nothing was recorded.")
    box.close()
    assert officer.seen == [] and counts(app) == (0, 0, 0)


def test_cancelling_the_form_records_nothing(app, main, tmp_path, monkeypatch, qtbot) -> None:
    officer = Officer(monkeypatch, record=False)
    assert main.mail_drop.new_case_from(write_eml(tmp_path)) is None
    assert len(officer.seen) == 1 and counts(app) == (0, 0, 0)
    assert main.case_windows == {}


def test_other_files_are_not_taken_by_the_list(main, tmp_path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(PHOTO)
    assert not drag(main, [photo], then_drop=False)


def test_points_are_the_emails_paragraphs() -> None:
    assert points_from("One line\nwrapped.\r\n\r\n\nTwo.\n  \n") == ["One line wrapped.", "Two."]
    assert points_from("") == []


@pytest.mark.parametrize(
    ("paragraph", "greeting"),
    [
        ("Dear Sir or Madam,", True),
        ("Kind regards,", True),
        ("Kind regards, Ann Example", True),
        ("Ann", True),
        ("Ann Example", True),
        ("Thanks", True),
        ("Ann has been waiting for weeks.", False),
        ("Dear me, the bin was missed again and again and again.", False),
        ("The bin was missed.", False),
    ],
)
def test_greetings_and_sign_offs_are_not_points(paragraph, greeting) -> None:
    assert is_greeting(paragraph, "Ann Example") is greeting


def test_the_dialog_is_a_real_new_case_form(desk, tmp_path, qtbot) -> None:
    from caseworker.services.evidence.mail import read_mail

    dialog = MailCaseDialog(desk, read_mail(write_eml(tmp_path)))
    qtbot.addWidget(dialog)
    assert isinstance(dialog, QDialog)
    assert dialog.findChild(type(dialog.attachments_view), "emailAttachments").isVisibleTo(dialog)
    assert dialog.new_case().complainant.name == "Ann Example"
