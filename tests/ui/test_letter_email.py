"""The Letters tab's Email button: disabled with the reason until a letter that can go by email
is chosen, then sent through the council's mail server (a local one the test starts) or, with
none set up, written as a draft and opened in the mail client."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from caseworker.letters.pdf import find_soffice
from caseworker_ui.case_tabs import letters as letters_tab
from tests.smtpd import SmtpServer
from tests.ui.test_case_window import case_id, desk, window  # noqa: F401

pytestmark = pytest.mark.skipif(
    find_soffice() is None, reason="LibreOffice (soffice) is not installed: the PDF needs it"
)


def _saved(window: Any, qtbot: Any) -> Any:  # noqa: F811
    tab = window.letters
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.preview is not None)
    tab.kind_combo.setCurrentIndex(tab.kind_combo.findText("Acknowledgement"))
    assert not tab.email_button.isEnabled()
    assert tab.email_button.toolTip() == "Choose a letter kept on this case to email"
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.letters_model.rowCount() == 1
    tab.letters_view.setFocus()
    tab.letters_view.setCurrentIndex(tab.letters_model.index(0, 0))
    assert tab.email_button.isEnabled(), tab.email_button.toolTip()
    return tab


def test_email_sends_through_the_mail_server(
    window: Any,  # noqa: F811
    qtbot: Any,
    isolated_home: Path,
) -> None:
    tab = _saved(window, qtbot)
    with SmtpServer() as server:
        isolated_home.mkdir(parents=True, exist_ok=True)
        (isolated_home / "mail.toml").write_text(
            f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "none"\n'
            'from = "complaints@council.example"\n'
        )
        tab.email_button.setFocus()
        qtbot.keyClick(tab.email_button, Qt.Key.Key_Space)
    assert tab.error_bar.text() == "Sent to priya@example.com; recorded on the case."
    [message] = server.mailbox.messages
    assert message.recipients == ["priya@example.com"]
    assert b"Subject: CW-2026-00001: Acknowledgement" in message.data


def test_without_a_mail_server_the_draft_opens_in_the_mail_client(
    window: Any,  # noqa: F811
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tab = _saved(window, qtbot)
    opened: list[Any] = []
    monkeypatch.setattr(letters_tab, "open_file", lambda url: opened.append(url) or True)
    tab.email_button.setFocus()
    qtbot.keyClick(tab.email_button, Qt.Key.Key_Space)
    draft = Path(opened[0].toLocalFile())
    assert draft.suffix == ".eml" and b"X-Unsent: 1" in draft.read_bytes()
    assert tab.error_bar.text() == "The email to priya@example.com is open in your mail client."
