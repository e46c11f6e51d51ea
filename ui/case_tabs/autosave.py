"""Saving as the officer types: changes wait for a pause, then go through the services.

Each editable field registers a change with a key (what it is: ``("issue", 3, "remedy")``) and a
save function that reads the field *when it runs*, so what is saved is what is on the screen.
A save that fails stays pending with its reason; the text stays in its field and is saved on the
next change, on Ctrl+S, or when the window closes (which waits until it has been saved or the
person chooses to discard it).

A save refused because a colleague saved the same thing first (a
:class:`~caseworker.services.team.concurrency.Conflict`) goes to :attr:`AutoSaver.resolve`, which
shows both versions and lets the person choose (the case file window sets it); until they have
chosen, the change stays pending like any other failed save.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable

from PySide6.QtCore import QObject, QTimer, Signal

from caseworker.services.team.concurrency import Conflict
from caseworker_ui.case_tabs.common import reason

log = logging.getLogger(__name__)

SAVE_DELAY_MS = 700


class AutoSaver(QObject):
    state_changed = Signal(str, str)
    """A sentence for the status bar and its kind ('ok', 'busy', 'error')."""
    saved = Signal(object)
    """A key whose change was saved."""
    settled = Signal()
    """A flush saved something (emitted once, after all its saves): what the database holds
    has moved on from what the window read, so the window reads the case again."""

    def __init__(self, parent: QObject | None = None, *, delay_ms: int = SAVE_DELAY_MS) -> None:
        super().__init__(parent)
        self._pending: dict[Hashable, Callable[[], object]] = {}
        self._errors: dict[Hashable, str] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)
        self._flushing = False
        self.resolve: Callable[[Hashable, Conflict], bool] | None = None
        """Called with a save's conflict: True once the person chose (their change saved
        over the colleague's, or the colleague's reloaded with theirs kept to copy)."""

    def changed(self, key: Hashable, save: Callable[[], object]) -> None:
        """``key`` was edited: save it (with ``save``) after a pause in typing."""
        self._pending[key] = save
        self._timer.start()
        self.state_changed.emit("Unsaved changes…", "busy")

    def is_pending(self, key: Hashable) -> bool:
        return key in self._pending

    def pending_keys(self) -> list[Hashable]:
        return list(self._pending)

    @property
    def has_pending(self) -> bool:
        return bool(self._pending)

    @property
    def last_error(self) -> str | None:
        return next(iter(self._errors.values()), None)

    def forget(self, predicate: Callable[[Hashable], bool]) -> None:
        """Drop pending changes whose key matches (the person chose to discard them)."""
        for key in [k for k in self._pending if predicate(k)]:
            del self._pending[key]
            self._errors.pop(key, None)
        if not self._pending:
            self.state_changed.emit("", "ok")

    def flush(self) -> bool:
        """Save everything pending now; True when nothing is left unsaved."""
        self._timer.stop()
        if self._flushing:  # asked again while a conflict is being decided: that flush goes on
            return False
        self._flushing = True
        try:
            return self._flush()
        finally:
            self._flushing = False

    def _flush(self) -> bool:
        any_saved = False
        for key, save in list(self._pending.items()):
            if self._pending.get(key) is not save:
                continue
            try:
                save()
            except Conflict as conflict:
                if self.resolve is None or not self.resolve(key, conflict):
                    log.info("conflict saving %s: %s", key, conflict)
                    reference = getattr(conflict, "reference", "the case")
                    self._errors[key] = (
                        f"{reference} was changed by a colleague meanwhile; "
                        "choose whose version to keep"
                    )
                    continue
            except Exception as error:  # shown to the person; the text stays on screen
                log.warning("could not save %s: %s", key, error)
                self._errors[key] = reason(error)
                continue
            if self._pending.get(key) is save:
                del self._pending[key]
            self._errors.pop(key, None)
            any_saved = True
            self.saved.emit(key)
        if any_saved:
            self.settled.emit()
        if self._errors:
            self.state_changed.emit(
                f"Not saved: {self.last_error}. Your text is kept; press Ctrl+S to try again.",
                "error",
            )
            return False
        self.state_changed.emit("All changes saved", "ok")
        return True
