"""The Documents tab, driven as an officer would: files dragged from the desktop onto the case
window and onto an issue, attached with the button, opened in the system viewer, removed with a
reason, and emails dropped on the case recorded with their attachments."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog

from caseworker.services.cases import casefile, intake
from caseworker.services.cases.intake import NewCase, PersonIn
from caseworker_ui.case_tabs import documents as documents_tab
from caseworker_ui.case_window import CaseWindow
from caseworker_ui.models.documents import DocumentsModel
from tests.ui.keys import show_tab

# PySide marks QDragEnterEvent's only constructor deprecated; it is what a drag delivers.
pytestmark = pytest.mark.filterwarnings("ignore:Function.*QDragEnterEvent:DeprecationWarning")

TODAY = dt.date(2026, 11, 25)
PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40
PDF = b"%PDF-1.4\n% penalty charge notice\n"


@pytest.fixture
def case_id(desk) -> int:
    return intake.create_case(
        desk,
        NewCase(
            policy_id="stockport",
            received=dt.date(2026, 11, 2),
            service_area="Parking",
            summary="A ticket issued while I was loading.",
            first_aware=dt.date(2026, 10, 30),
            complainant=PersonIn(name="Priya Shah", email="priya@example.com"),
            issues=("The ticket was wrong.", "Nobody replied."),
        ),
    ).id


@pytest.fixture
def window(qtbot, desk, case_id):
    opened = CaseWindow(desk, case_id)
    qtbot.addWidget(opened)
    opened.show()
    qtbot.waitExposed(opened)
    opened.tabs.setCurrentWidget(opened.documents)
    yield opened
    opened.close()


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    folder = tmp_path / "desktop"
    folder.mkdir()
    made = {"sign.jpg": PHOTO, "pcn.pdf": PDF}
    for name, content in made.items():
        (folder / name).write_bytes(content)
    return {name: folder / name for name in made}


def write_eml(folder: Path, name: str = "reply.eml") -> Path:
    message = EmailMessage()
    message["From"] = "Priya Shah <priya@example.com>"
    message["To"] = "complaints@council.example.gov.uk"
    message["Subject"] = "More photos of the sign"
    message["Date"] = "Tue, 24 Nov 2026 16:40:00 +0000"
    message.set_content("Here are the photos you asked for.")
    message.add_attachment(PHOTO, maintype="image", subtype="jpeg", filename="sign-2.jpg")
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="letter.pdf")
    path = folder / name
    path.write_bytes(bytes(message))
    return path


def drop(widget, paths: list[Path], at: QPoint | None = None) -> bool:
    """Drag local files onto ``widget`` and drop them, as the desktop does; whether the drop
    was taken."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    where = at if at is not None else widget.rect().center()
    enter = QDragEnterEvent(
        where,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
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


def names(tab) -> list[tuple[str, str]]:
    model = tab.documents_model
    return [
        (model.index(r, DocumentsModel.NAME).data(), model.index(r, DocumentsModel.BELONGS).data())
        for r in range(model.rowCount())
    ]


def test_files_dropped_anywhere_on_the_case_window_are_attached_to_the_case(
    window, files, qtbot, model_tester
) -> None:
    tab = window.documents
    model_tester(tab.documents_model)
    # Dropped on the heading (which takes no drops itself): the window takes them.
    assert drop(window.heading, [files["sign.jpg"], files["pcn.pdf"]])
    qtbot.waitUntil(lambda: tab.documents_model.rowCount() == 2)
    assert names(tab) == [("sign.jpg", "Whole case"), ("pcn.pdf", "Whole case")]
    model = tab.documents_model
    assert [
        model.index(0, c).data()
        for c in (DocumentsModel.KIND, DocumentsModel.SIZE, DocumentsModel.ADDED_BY)
    ] == ["Photo (JPG)", "10 KB", "tester"]
    assert model.index(1, DocumentsModel.KIND).data() == "PDF"
    assert tab.count_label.text() == "2 documents"
    assert window.message_bar.text() == "Attached to the case: sign.jpg, pcn.pdf."
    window.tabs.setCurrentWidget(window.timeline)
    timeline = [
        window.timeline.model.index(r, 2).data() for r in range(window.timeline.model.rowCount())
    ]
    assert "Document attached: pcn.pdf (33 bytes)" in timeline


def test_files_dropped_on_a_text_field_are_attached_not_pasted_as_their_paths(
    window, files, qtbot
) -> None:
    show_tab(qtbot, window, window.issues)
    explanation = window.issues.text_edits["explanation"]
    before = explanation.toPlainText()
    assert drop(explanation.viewport(), [files["pcn.pdf"]])
    qtbot.waitUntil(lambda: window.message_bar.text().startswith("Attached"))
    show_tab(qtbot, window, window.documents)  # its list is read again when it is shown
    qtbot.waitUntil(lambda: window.documents.documents_model.rowCount() == 1)
    assert names(window.documents) == [("pcn.pdf", "Whole case")]
    assert explanation.toPlainText() == before
    assert drop(window.documents.targets_view.viewport(), [files["sign.jpg"]])  # still its own
    mime = QMimeData()
    mime.setText("words dragged from an email")
    enter = QDragEnterEvent(
        QPoint(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(explanation.viewport(), enter)
    assert enter.isAccepted()  # text still goes into the field


def test_a_drag_of_text_is_not_taken_as_files(window) -> None:
    mime = QMimeData()
    mime.setText("just some words")
    enter = QDragEnterEvent(
        QPoint(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window.heading, enter)
    assert not enter.isAccepted()


def test_files_dropped_on_an_issue_are_attached_to_that_issue(window, files, qtbot) -> None:
    tab = window.documents
    view = tab.targets_view
    assert [tab.targets_model.item(r).text() for r in range(tab.targets_model.rowCount())] == [
        "Whole case",
        "Issue 1: The ticket was wrong.",
        "Issue 2: Nobody replied.",
    ]
    second = tab.targets_model.index(2, 0)
    assert drop(view.viewport(), [files["pcn.pdf"]], view.visualRect(second).center())
    qtbot.waitUntil(lambda: tab.documents_model.rowCount() == 1)
    assert names(tab) == [("pcn.pdf", "Issue 2")]
    assert window.message_bar.text() == "Attached to issue 2: pcn.pdf."


def test_the_button_attaches_the_chosen_files_to_the_chosen_place(
    window, files, monkeypatch
) -> None:
    tab = window.documents
    asked = {}

    def choose(parent, title, folder, filters):  # noqa: ANN001
        asked["title"] = title
        return [str(files["sign.jpg"]), str(files["pcn.pdf"])], "All files (*)"

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(choose))
    tab.targets_view.setCurrentIndex(tab.targets_model.index(1, 0))
    tab.attach_button.click()
    assert asked["title"] == "Attach files to issue 1"
    assert names(tab) == [("sign.jpg", "Issue 1"), ("pcn.pdf", "Issue 1")]
    # After the reload the same place is still chosen.
    assert tab.target_issue_id() == window.case.issues[0].id


def test_open_writes_the_stored_bytes_and_hands_them_to_the_system_viewer(
    window, files, monkeypatch, qtbot
) -> None:
    tab = window.documents
    opened: list[Path] = []
    monkeypatch.setattr(
        documents_tab, "open_file", lambda url: opened.append(Path(url.toLocalFile())) or True
    )
    tab.attach_paths([files["sign.jpg"], files["pcn.pdf"]], None)
    assert not tab.open_button.isEnabled()
    tab.table.selectRow(1)
    assert tab.open_button.isEnabled()
    tab.open_button.click()
    assert [p.name for p in opened] == ["pcn.pdf"]
    assert opened[0].read_bytes() == PDF
    assert opened[0].parent != files["pcn.pdf"].parent  # a copy from the database
    # Double-click opens too.
    rect = tab.table.visualRect(tab.documents_model.index(0, DocumentsModel.NAME))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened[-1].name == "sign.jpg" and opened[-1].read_bytes() == PHOTO


def test_remove_needs_a_reason_and_the_removed_document_stays_in_view_greyed(
    window, files, monkeypatch
) -> None:
    tab = window.documents
    tab.attach_paths([files["sign.jpg"], files["pcn.pdf"]], None)
    tab.table.selectRow(1)
    monkeypatch.setattr(tab, "ask_reason", lambda filename: ("   ", True))
    tab.remove_button.click()
    assert window.message_bar.text() == "pcn.pdf was not removed: say why pcn.pdf is being removed"
    assert tab.documents_model.rowCount() == 2
    monkeypatch.setattr(tab, "ask_reason", lambda filename: ("", False))  # Cancel
    tab.remove_button.click()
    assert tab.documents_model.rowCount() == 2

    tab.table.selectRow(1)
    monkeypatch.setattr(tab, "ask_reason", lambda filename: ("Belongs to another case", True))
    tab.remove_button.click()
    assert names(tab) == [("sign.jpg", "Whole case")]
    assert tab.table.isColumnHidden(DocumentsModel.REMOVED)

    tab.show_removed.setChecked(True)
    model = tab.documents_model
    assert names(tab) == [("sign.jpg", "Whole case"), ("pcn.pdf", "Whole case")]
    assert not tab.table.isColumnHidden(DocumentsModel.REMOVED)
    removed = model.index(1, DocumentsModel.REMOVED).data()
    assert removed.endswith("by tester: Belongs to another case")
    assert model.index(1, 0).data(DocumentsModel.REMOVED_ROLE) is True
    grey = QApplication.palette().color(
        QApplication.palette().ColorGroup.Disabled, QApplication.palette().ColorRole.Text
    )
    assert model.index(1, 0).data(Qt.ItemDataRole.ForegroundRole) == grey
    assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert tab.count_label.text() == "1 document, 1 removed"
    tab.table.selectRow(1)
    assert not tab.remove_button.isEnabled() and tab.open_button.isEnabled()
    timeline = [e.summary for e in casefile.timeline(window.desk, window.case_id)]
    assert "Document removed: pcn.pdf. Reason: Belongs to another case" in timeline


def test_an_email_dropped_on_the_case_is_recorded_with_its_attachments(
    window, tmp_path, qtbot, model_tester
) -> None:
    tab = window.documents
    model_tester(tab.emails_model)
    model_tester(tab.targets_model)
    assert drop(window, [write_eml(tmp_path)])
    qtbot.waitUntil(lambda: tab.emails_model.rowCount() == 1)
    emails = tab.emails_model
    assert [emails.index(0, c).data() for c in range(4)] == [
        "Priya Shah <priya@example.com>",
        emails.index(0, 1).data(),
        "More photos of the sign",
        "sign-2.jpg, letter.pdf",
    ]
    assert emails.index(0, 1).data().startswith("24 Nov 2026")
    assert names(tab) == [
        ("sign-2.jpg", "Whole case (from an email)"),
        ("letter.pdf", "Whole case (from an email)"),
    ]
    tab.emails_table.selectRow(0)
    assert "Here are the photos you asked for." in tab.email_body.toPlainText()
    assert (
        window.message_bar.text() == "Recorded on the case: the email reply.eml with 2 attachments."
    )
    summaries = [e.summary for e in casefile.timeline(window.desk, window.case_id)]
    assert (
        "Email received from Priya Shah <priya@example.com>: “More photos of the sign”, "
        "with 2 attachments (sign-2.jpg, letter.pdf)"
    ) in summaries


def test_a_malformed_email_is_named_with_the_reason_and_changes_nothing(
    window, files, tmp_path, qtbot
) -> None:
    bad = tmp_path / "broken.msg"
    bad.write_bytes(b"not an Outlook message at all")
    tab = window.documents
    assert drop(window, [bad, files["sign.jpg"]])
    qtbot.waitUntil(lambda: window.message_bar.text() != "")
    assert window.message_bar.kind == "error"
    assert window.message_bar.text() == (
        "Attached to the case: sign.jpg. Not attached: broken.msg cannot be read as an email: "
        "it is not an Outlook message (not an OLE compound file)."
    )
    assert names(tab) == [("sign.jpg", "Whole case")]
    assert tab.emails_model.rowCount() == 0


def test_files_are_stored_off_the_window_thread_so_it_keeps_responding(
    window, files, monkeypatch
) -> None:
    """While a file is stored the window still handles events: a timer set on the window's
    thread fires and releases the storing, which waits for it (it would wait in vain, and the
    file be refused, if the window were frozen)."""
    import threading

    from PySide6.QtCore import QTimer

    from caseworker.services.evidence import mail

    tab = window.documents
    window_ran = threading.Event()
    threads: list[str] = []
    real_attach = mail.attach

    def slow_attach(*args, **kwargs):  # noqa: ANN002, ANN003
        threads.append(threading.current_thread().name)
        if not window_ran.wait(timeout=10):
            raise RuntimeError("the window did not respond while the file was stored")
        return real_attach(*args, **kwargs)

    monkeypatch.setattr(mail, "attach", slow_attach)
    QTimer.singleShot(0, window_ran.set)
    assert tab.attach_paths([files["pcn.pdf"]], None) == []
    assert names(tab) == [("pcn.pdf", "Whole case")]
    assert threads and threads[0] != threading.main_thread().name
