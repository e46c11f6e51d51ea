"""Never throw typed work away without asking: Esc, Cancel or closing a half-filled dialog or
step form asks first.

:func:`snapshot` records what every input under a widget holds; :class:`TypedWork` compares it
with a snapshot taken when the form was shown, so any change the person made (text typed, a
box ticked, a choice made) counts, and a form that was only looked at closes at once.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

DISCARD_TEXT = "&Discard what I typed"
KEEP_TEXT = "&Keep editing"


def _value(widget: QWidget) -> Any:
    if isinstance(widget, QLineEdit):
        parent = widget.parentWidget()
        if isinstance(parent, (QComboBox, QAbstractSpinBox)):
            return None  # the combo box or spin box itself says
        return widget.text()
    if isinstance(widget, (QPlainTextEdit, QTextEdit)):
        return None if widget.isReadOnly() else widget.toPlainText()
    if isinstance(widget, QComboBox):
        return (widget.currentIndex(), widget.currentText() if widget.isEditable() else "")
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QAbstractButton) and widget.isCheckable():
        return widget.isChecked()
    return None


def snapshot(root: QWidget) -> dict[int, Any]:
    """What each input under ``root`` holds now (by widget)."""
    values = {}
    for widget in root.findChildren(QWidget):
        value = _value(widget)
        if value is not None:
            values[id(widget)] = value
    return values


class TypedWork:
    """Whether the inputs under a widget hold anything other than when :meth:`start` ran."""

    def __init__(self, root: QWidget) -> None:
        self.root = root
        self._start: dict[int, Any] | None = None

    def start(self) -> None:
        self._start = snapshot(self.root)

    def changed(self) -> bool:
        if self._start is None:
            return False
        now = snapshot(self.root)
        return any(self._start.get(key, _empty(value)) != value for key, value in now.items())


def _empty(value: Any) -> Any:
    if isinstance(value, str):
        return ""
    if isinstance(value, bool):
        return False
    return value


def ask_discard(parent: QWidget, what: str = "this form") -> bool:
    """Ask whether to throw away what was typed in ``what``; True to discard. Keeping is the
    default (Enter and Esc keep)."""
    box = QMessageBox(parent)
    box.setObjectName("discardQuestion")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Discard what you typed?")
    box.setText(f"You have typed into {what}. Discard it?")
    box.setInformativeText("Nothing from it has been saved.")
    discard = box.addButton(DISCARD_TEXT, QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(KEEP_TEXT, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard


SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def ask_save_discard(parent: QWidget, what: str) -> str:
    """Before leaving a form holding typed changes for another record (choosing another officer
    in a list): :data:`SAVE` them first, :data:`DISCARD` them, or :data:`CANCEL` (stay, the
    changes kept: the default, so Enter and Esc lose nothing)."""
    box = QMessageBox(parent)
    box.setObjectName("saveOrDiscardQuestion")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Save your changes?")
    box.setText(f"You have changed {what}. Save the changes first?")
    box.setInformativeText("Nothing from them has been saved yet.")
    save = box.addButton("&Save them", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(DISCARD_TEXT, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(KEEP_TEXT, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    return SAVE if clicked is save else DISCARD if clicked is discard else CANCEL


class AsksBeforeDiscarding:
    """Mixed into a dialog (before ``QDialog``): Esc, Cancel and closing the window ask before
    throwing away what was typed since it was shown."""

    discard_what = "this form"
    _typed: TypedWork | None = None

    def typed_work(self) -> TypedWork:
        if self._typed is None:
            self._typed = TypedWork(self)  # type: ignore[arg-type]
        return self._typed

    def showEvent(self, event) -> None:  # noqa: N802, ANN001
        super().showEvent(event)  # type: ignore[misc]
        typed = self.typed_work()
        if typed._start is None:  # what it was shown with (an email's answers) is no typing
            typed.start()

    def may_discard(self) -> bool:
        """True when nothing was typed, or the person chose to discard it."""
        import caseworker_ui.discard as this  # so a test can answer for the person

        return not self.typed_work().changed() or this.ask_discard(self, self.discard_what)  # type: ignore[arg-type]

    def reject(self) -> None:
        if self.may_discard():
            super().reject()  # type: ignore[misc]


def closes_on_esc_and_ctrl_w(window: QWidget) -> None:
    """Esc and Ctrl+W close ``window`` (a window with nothing typed to lose: Reports,
    Allocation)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeySequence, QShortcut

    for keys in (QKeySequence(Qt.Key.Key_Escape), QKeySequence("Ctrl+W")):
        shortcut = QShortcut(keys, window)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(window.close)


def ask_before(
    parent: QWidget,
    name: str,
    title: str,
    text: str,
    informative: str,
    go_text: str,
    back_text: str,
    details: str = "",
) -> bool:
    """Ask before something that cannot be undone; True to go ahead. Going back is the default
    (Enter and Esc go back)."""
    box = QMessageBox(parent)
    box.setObjectName(name)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(text)
    box.setInformativeText(informative)
    if details:
        box.setDetailedText(details)
    go = box.addButton(go_text, QMessageBox.ButtonRole.DestructiveRole)
    back = box.addButton(back_text, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    box.exec()
    return box.clickedButton() is go


def offer(parent: QWidget, name: str, title: str, text: str, yes_text: str, no_text: str) -> bool:
    """Offer a next step that needs nothing undone if declined ("Write the acknowledgement letter
    now?"); True to take it. Taking it is the default (Enter); Esc declines."""
    box = QMessageBox(parent)
    box.setObjectName(name)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.button(QMessageBox.StandardButton.Yes).setText(yes_text)
    box.button(QMessageBox.StandardButton.No).setText(no_text)
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    box.setEscapeButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def ask_reason(parent: QWidget, title: str, label: str) -> tuple[str, bool]:
    """Ask for the reason for going ahead with something the checks advise against (kept and
    audited with it): the text typed and whether the person went ahead (Enter) or not (Esc)."""
    from PySide6.QtWidgets import QInputDialog

    return QInputDialog.getText(parent, title, label)
