"""Helpers for driving the app by keys only (issue 19): answer a question box by keys, find the
focus, press keys on whatever has it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget


def activate(qtbot, window: QWidget) -> None:
    """Make ``window`` the active one, as clicking into it would: shortcuts act there."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def show_tab(qtbot, window: QWidget, tab: QWidget) -> None:
    """Show ``tab`` of a case window by its access key (Alt and the letter underlined in its
    title), as an officer would. A tab makes its widgets, and shows the case, when first shown."""
    title = tab.title  # type: ignore[attr-defined]
    letter = title[title.index("&") + 1]
    activate(qtbot, window)
    qtbot.keyClick(
        window, getattr(Qt.Key, f"Key_{letter.upper()}"), Qt.KeyboardModifier.AltModifier
    )
    assert window.tabs.currentWidget() is tab, title  # type: ignore[attr-defined]


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier):
    """Press ``key`` on the widget with the focus (as the keyboard would)."""
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the focus"
    qtbot.keyClick(widget, key, modifier)


def type_text(qtbot, text: str) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the focus"
    qtbot.keyClicks(widget, text)


def answer_box(keys: list[tuple[Qt.Key, Qt.KeyboardModifier]], seen: list[str]) -> None:
    """When the next question box opens, note its text and press ``keys`` on it (an access key
    such as Alt+D, or Enter for its default button, or Esc)."""

    tries = [0]

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            tries[0] += 1
            if tries[0] < 100:  # no box within two seconds: the test's assertions say so
                QTimer.singleShot(20, answer)
            return
        seen.append(box.text())
        box.activateWindow()  # access keys act in the active window
        QTest.qWaitForWindowActive(box, 1000)
        for key, modifier in keys:
            # The box's own focus (also when the window system has not made it active yet).
            target = box.focusWidget() or box
            QTest.keyClick(target, key, modifier)
        # An access key "animates" its button's click: it lands a moment later.
        for _ in range(50):
            if not box.isVisible():
                break
            QTest.qWait(20)
        if box.isVisible() and len(keys) == 1 and keys[0][1] == Qt.KeyboardModifier.AltModifier:
            # Offscreen, a box not yet made active misses its access key: what the key does
            # (its button takes the focus and is pressed) done with the focus and Space.
            letter = chr(keys[0][0]).lower()
            for button in box.buttons():
                text = button.text().replace("&&", "")
                if "&" in text and text[text.index("&") + 1].lower() == letter:
                    button.setFocus()
                    QTest.keyClick(button, Qt.Key.Key_Space)
                    break
        if box.isVisible():  # the keys did not answer it: fail the test, do not hang it
            seen.append(f"unanswered by {keys}")
            box.done(0)

    QTimer.singleShot(0, answer)


def alt(letter: str) -> tuple[Qt.Key, Qt.KeyboardModifier]:
    return getattr(Qt.Key, f"Key_{letter.upper()}"), Qt.KeyboardModifier.AltModifier


ENTER = (Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
ESC = (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)

Answer = Callable[[], None]


def answer_text(text: str, seen: list[str]) -> None:
    """When the next dialog asking for a line of text opens (a reason, say), note its label,
    type ``text`` and press Enter."""
    from PySide6.QtWidgets import QInputDialog

    tries = [0]

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            tries[0] += 1
            if tries[0] < 100:
                QTimer.singleShot(20, answer)
            return
        seen.append(dialog.labelText())
        dialog.activateWindow()
        QTest.qWaitForWindowActive(dialog, 1000)
        target = dialog.focusWidget() or dialog
        QTest.keyClicks(target, text)
        QTest.keyClick(target, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)
