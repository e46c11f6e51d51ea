"""Issue 19: the reason for removing a document is typed in a dialog whose Esc asks before
throwing a typed reason away; Ctrl+Enter removes with it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from caseworker_ui.dialogs.remove_document import RemoveDocumentDialog


def test_esc_asks_before_throwing_a_typed_reason_away(qtbot, monkeypatch):
    asked: list[str] = []
    answer = [False]

    def ask(_parent, what="this form"):
        asked.append(what)
        return answer[0]

    monkeypatch.setattr("caseworker_ui.discard.ask_discard", ask)
    dialog = RemoveDocumentDialog("photo.jpg")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert QApplication.focusWidget() is dialog.reason_edit
    qtbot.keyClicks(dialog.reason_edit, "Put on the wrong case")
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Escape)  # kept: still open, with the reason
    assert asked == ["the reason for removing the document"]
    assert dialog.isVisible() and dialog.reason() == "Put on the wrong case"
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.reason() == "Put on the wrong case"


def test_esc_with_nothing_typed_just_closes(qtbot, monkeypatch):
    monkeypatch.setattr("caseworker_ui.discard.ask_discard", lambda *a: 1 / 0)
    dialog = RemoveDocumentDialog("photo.jpg")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result() == dialog.DialogCode.Rejected
