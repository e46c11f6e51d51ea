"""Steps on a case as small forms: a button per step, enabled only where the core says the step
applies (its reason shown otherwise), and the step's form opening under the buttons.

A failed step keeps its form open with what was typed; the refusal goes to the window's message
bar in the core's words, naming the rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenuBar,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from caseworker_ui.case_tabs.common import (
    add_row,
    date_edit,
    form,
    optional_date_edit,
    text_edit,
)
from caseworker_ui.date_field import DateField
from caseworker_ui.discard import TypedWork


def _mnemonic(text: str) -> str | None:
    plain = text.replace("&&", "")
    at = plain.find("&")
    return plain[at + 1].lower() if 0 <= at < len(plain) - 1 else None


def access_keys_shown(window: QWidget) -> list[tuple[QWidget, str]]:
    """(widget, letter) for every access key on screen in ``window``: labels with a buddy,
    buttons, the tabs of visible tab widgets and the menu bar's menus."""
    found: list[tuple[QWidget, str]] = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.window() is not window:
            continue
        if isinstance(widget, QLabel) and widget.buddy() is not None:
            letter = _mnemonic(widget.text())
        elif isinstance(widget, QAbstractButton):
            letter = _mnemonic(widget.text())
        elif isinstance(widget, QTabWidget):
            for index in range(widget.count()):
                if tab_letter := _mnemonic(widget.tabText(index)):
                    found.append((widget, tab_letter))
            continue
        elif isinstance(widget, QMenuBar):
            for action in widget.actions():
                if menu_letter := _mnemonic(action.text()):
                    found.append((widget, menu_letter))
            continue
        else:
            continue
        if letter:
            found.append((widget, letter))
    return found


class StepForm(QGroupBox):
    """The fields one step needs, with a button that takes the step and one that cancels."""

    def __init__(self, name: str, title: str, submit_text: str, explain: str = "") -> None:
        super().__init__(title)
        self.setObjectName(f"{name}Form")
        self.name = name
        self.fields: dict[str, QWidget] = {}
        self.keyed: list[tuple[QLabel | QAbstractButton, str]] = []
        """Labels and check boxes with the access keys they were given."""
        self.on_open: Callable[[], None] | None = None
        """Called each time the form is opened (to start a field from the core's default)."""
        column = QVBoxLayout(self)
        self.explain = QLabel(explain)
        self.explain.setObjectName(f"{name}Explain")
        self.explain.setWordWrap(True)
        self.explain.setTextFormat(Qt.TextFormat.PlainText)
        self.explain.setVisible(bool(explain))
        column.addWidget(self.explain)
        self.rows = form()
        column.addLayout(self.rows)
        buttons = QHBoxLayout()
        self.submit = QPushButton(submit_text)
        self.submit.setObjectName(f"{name}Submit")
        self.submit.setDefault(True)
        self.cancel = QPushButton("Cancel")
        self.cancel.setObjectName(f"{name}Cancel")
        buttons.addWidget(self.submit)
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.typed = TypedWork(self)
        """What was typed since the form was opened (Esc and Cancel ask before dropping it)."""
        # Enter in a one-line field commits (see keyPressEvent); Ctrl+Enter from anywhere in
        # the form, a text box included.
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self._commit)
        # Esc from anywhere in the form, a text box included (which keeps Esc to itself).
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.cancel.click)

    # -- keys: Enter commits, Esc cancels, Tab stays in the form ------------------------------

    def _commit(self) -> None:
        if self.submit.isEnabled():
            self.submit.click()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.cancel.click()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focused = QApplication.focusWidget()
            if isinstance(focused, QAbstractButton) and focused is not self.submit:
                focused.click()  # Enter on Cancel (or a check box) does what it says
            else:
                self._commit()
            return
        super().keyPressEvent(event)

    def focus_chain(self) -> list[QWidget]:
        """The form's own fields and buttons, in Tab order."""
        chain = []
        widget = self.nextInFocusChain()
        while widget is not None and widget is not self:
            if (
                self.isAncestorOf(widget)
                and widget.isVisibleTo(self)
                and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                and widget.focusProxy() is None
            ):
                chain.append(widget)
            widget = widget.nextInFocusChain()
        return chain

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002
        """Tab from the last field comes back to the first (and Shift+Tab the other way), so
        focus never leaves an open form for the step buttons above it."""
        chain = self.focus_chain()
        focused = QApplication.focusWidget()
        if not chain:
            return super().focusNextPrevChild(next)
        while focused is not None and focused not in chain and self.isAncestorOf(focused):
            focused = focused.parentWidget()  # a date edit's inner line edit: the edit
        if focused not in chain:
            chain[0].setFocus(Qt.FocusReason.TabFocusReason)
            return True
        step = 1 if next else -1
        target = chain[(chain.index(focused) + step) % len(chain)]
        target.setFocus(
            Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason
        )
        return True

    def give_access_keys(self) -> None:
        """Make this form's access keys unique in its window as it opens: a label keeps its
        letter where nothing else on screen (a tab, a menu, a step button) has it, else takes
        the first free letter of its text, else has none (it is still reached by Tab)."""
        window = self.window()
        taken = {
            letter
            for widget, letter in access_keys_shown(window)
            if not self.isAncestorOf(widget) and widget is not self
        }
        for widget, text in self.keyed:
            plain = text.replace("&", "")
            wanted = text.index("&") if "&" in text else -1
            order = ([wanted] if wanted >= 0 else []) + list(range(len(plain)))
            chosen = next(
                (i for i in order if plain[i].isalpha() and plain[i].lower() not in taken),
                None,
            )
            new = plain if chosen is None else f"{plain[:chosen]}&{plain[chosen:]}"
            if chosen is not None:
                taken.add(plain[chosen].lower())
            widget.setText(new)

    def set_explain(self, text: str) -> None:
        self.explain.setText(text)
        self.explain.setVisible(bool(text))

    def _add(self, key: str, label: str, field: QWidget) -> QWidget:
        field.setObjectName(f"{self.name}_{key}")
        self.fields[key] = field
        self.keyed.append((add_row(self.rows, label, field), label))
        return field

    def add_date(self, key: str, label: str, day: dt.date) -> DateField:
        edit = date_edit(day, f"{self.name}_{key}", label.replace("&", "").rstrip(":"))
        return self._add(key, label, edit)  # type: ignore[return-value]

    def add_optional_date(self, key: str, label: str, today: dt.date) -> DateField:
        """A date that may be left unset; choosing one starts from ``today`` (the core's)."""
        edit = optional_date_edit(
            f"{self.name}_{key}", label.replace("&", "").rstrip(":"), today=lambda: today
        )
        return self._add(key, label, edit)  # type: ignore[return-value]

    def add_time(self, key: str, label: str) -> QTimeEdit:
        edit = QTimeEdit()
        edit.setDisplayFormat("HH:mm")
        self._add(key, label, edit)
        inner = edit.findChild(QLineEdit)
        if inner is not None:  # read out as the field, as a date edit's is
            inner.setAccessibleName(edit.accessibleName())
        return edit

    def add_text(
        self, key: str, label: str, *, lines: int = 2, placeholder: str = ""
    ) -> QPlainTextEdit:
        edit = text_edit(
            f"{self.name}_{key}",
            label.replace("&", "").rstrip(":"),
            lines=lines,
            placeholder=placeholder,
        )
        return self._add(key, label, edit)  # type: ignore[return-value]

    def add_line(self, key: str, label: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        return self._add(key, label, edit)  # type: ignore[return-value]

    def add_choice(self, key: str, label: str, items: Sequence[tuple[str, Any]] = ()) -> QComboBox:
        combo = QComboBox()
        for text, data in items:
            combo.addItem(text, data)
        return self._add(key, label, combo)  # type: ignore[return-value]

    def set_choices(self, key: str, items: Sequence[tuple[str, Any]]) -> None:
        combo = self.fields[key]
        assert isinstance(combo, QComboBox)
        current = combo.currentData()
        combo.clear()
        for text, data in items:
            combo.addItem(text, data)
        found = combo.findData(current)
        combo.setCurrentIndex(max(found, 0))

    def add_check(self, key: str, label: str) -> QCheckBox:
        box = QCheckBox(label)
        self.keyed.append((box, label))
        box.setObjectName(f"{self.name}_{key}")
        self.fields[key] = box
        self.rows.addRow(box)
        return box

    def add_checks(self, key: str, label: str, items: Sequence[tuple[str, Any]]) -> QWidget:
        holder = QWidget()
        grid = QGridLayout(holder)
        grid.setContentsMargins(0, 0, 0, 0)
        boxes = []
        for number, (text, data) in enumerate(items):
            box = QCheckBox(text)
            box.setObjectName(f"{self.name}_{key}_{data}")
            box.setProperty("value", data)
            boxes.append(box)
            grid.addWidget(box, number // 2, number % 2)
        holder.setProperty("boxes", boxes)
        self._add(key, label, holder)
        return holder

    def value(self, key: str) -> Any:
        field = self.fields[key]
        if isinstance(field, QTimeEdit):
            return field.time().toPython()
        if isinstance(field, DateField):
            return field.value()
        if isinstance(field, QPlainTextEdit):
            return field.toPlainText()
        if isinstance(field, QLineEdit):
            return field.text()
        if isinstance(field, QComboBox):
            return field.currentData()
        if isinstance(field, QCheckBox):
            return field.isChecked()
        boxes = field.property("boxes") or []
        return [box.property("value") for box in boxes if box.isChecked()]

    def reset(self, today: dt.date) -> None:
        """Empty the form again for the next time (dates back to today)."""
        for field in self.fields.values():
            if isinstance(field, QTimeEdit):
                continue
            if isinstance(field, DateField):
                if not field.optional:
                    field.set_value(today)
            elif isinstance(field, QPlainTextEdit):
                field.clear()
            elif isinstance(field, QLineEdit):
                field.clear()
            elif isinstance(field, QCheckBox):
                field.setChecked(False)
            elif not isinstance(field, QComboBox):
                for box in field.property("boxes") or []:
                    box.setChecked(False)

    def first_field(self) -> QWidget | None:
        return next(iter(self.fields.values()), None)


class StepPanel(QWidget):
    """Buttons for the steps in a grid, and the open step's form below them."""

    def __init__(self, name: str, columns: int = 4) -> None:
        super().__init__()
        self.setObjectName(name)
        self._columns = columns
        self.buttons: dict[Any, QPushButton] = {}
        self.forms: dict[Any, StepForm] = {}
        self._steps: dict[Any, Any] = {}
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.grid = QGridLayout()
        column.addLayout(self.grid)
        self.stack = QStackedWidget()
        self.stack.addWidget(QWidget())
        self.stack.setVisible(False)
        column.addWidget(self.stack)

    def add(
        self,
        key: Any,
        step: Any,
        text: str,
        step_form: StepForm,
        on_submit: Callable[[StepForm], bool],
    ) -> QPushButton:
        """A button that opens ``step_form``; its submit calls ``on_submit`` (True: done)."""
        button = QPushButton(self._with_access_key(text))
        button.setObjectName(f"{key}Button")
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        count = len(self.buttons)
        self.grid.addWidget(button, count // self._columns, count % self._columns)
        self.buttons[key] = button
        self.forms[key] = step_form
        self._steps[key] = step
        self.stack.addWidget(step_form)
        button.clicked.connect(lambda _c=False, key=key: self.open(key))
        step_form.cancel.clicked.connect(lambda _c=False, f=step_form: self.cancel_form(f))

        def submit() -> None:
            if on_submit(step_form):
                self.close_form()
                if button.isEnabled():  # the keyboard goes on from the step just taken
                    button.setFocus(Qt.FocusReason.OtherFocusReason)

        step_form.submit.clicked.connect(submit)
        return button

    RESERVED = frozenset("oivhldpntcgrem")
    """Letters the case window's tabs and menus answer (Alt+O Overview… Alt+C the Case menu)."""

    def _with_access_key(self, text: str) -> str:
        """``text`` with an access key no other step button of this panel (nor a tab or menu
        of the window) has: its first free letter, or none when every letter is taken."""
        if "&" in text:
            return text
        taken = {
            b.text().lower()[b.text().index("&") + 1]
            for b in self.buttons.values()
            if "&" in b.text()
        }
        for index, char in enumerate(text):
            letter = char.lower()
            if letter.isalpha() and letter not in taken and letter not in self.RESERVED:
                return f"{text[:index]}&{text[index:]}"
        return text

    def open(self, key: Any) -> None:
        step_form = self.forms[key]
        if step_form.on_open is not None and self.open_form() is not step_form:
            step_form.on_open()
        self.stack.setCurrentWidget(step_form)
        self.stack.setVisible(True)
        step_form.give_access_keys()
        step_form.typed.start()
        self._bring_into_view(step_form)
        first = step_form.first_field()
        if first is not None:
            first.setFocus(Qt.FocusReason.TabFocusReason)

    def cancel_form(self, step_form: StepForm) -> None:
        """Esc or Cancel: close the form, asking first if something was typed in it; focus goes
        back to the step's button."""
        import caseworker_ui.discard as discard  # looked up here, so a test can answer

        if step_form.typed.changed() and not discard.ask_discard(self, f"“{step_form.title()}”"):
            return
        key = next((k for k, f in self.forms.items() if f is step_form), None)
        self.close_form()
        button = self.buttons.get(key)
        if button is not None and button.isEnabled():
            button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _bring_into_view(self, step_form: StepForm) -> None:
        """Scroll the tab so that the whole form, down to its buttons, can be seen."""
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is None or parent.widget() is None:
            return
        content = parent.widget()
        if content.layout() is not None:
            content.layout().activate()
        parent.ensureWidgetVisible(step_form.submit, 10, 10)
        parent.ensureWidgetVisible(step_form, 10, 10)

    def close_form(self) -> None:
        self.stack.setCurrentIndex(0)
        self.stack.setVisible(False)

    def open_form(self) -> StepForm | None:
        current = self.stack.currentWidget()
        return current if isinstance(current, StepForm) else None

    def set_open(self, not_open: dict[Any, str]) -> None:
        """Enable each button whose step applies; a disabled one says why in its tooltip."""
        for key, button in self.buttons.items():
            why = not_open.get(self._steps[key])
            button.setEnabled(why is None)
            button.setToolTip(f"Not now: {why}" if why else "")
            button.setAccessibleDescription(f"Not available: {why}" if why else "")
            if why is not None and self.forms[key] is self.open_form():
                self.close_form()
