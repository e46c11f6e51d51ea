"""The installed Qt binding keeps Python's reference counts: a release that does not (PySide6
6.12 on Python 3.11, whose void methods return None without a reference to it) aborts the app
after a few thousand calls, so pyproject.toml keeps it out; this tells if it comes back."""

from __future__ import annotations

import gc
import sys

from PySide6.QtWidgets import QApplication, QLabel

CALLS = 200


def test_void_qt_calls_leave_nones_reference_count_alone(qtbot) -> None:  # noqa: ANN001
    label = QLabel()
    qtbot.addWidget(label)
    app = QApplication.instance()
    assert app is not None
    gc.disable()  # nothing else frees or takes references to None while counting
    try:
        before = sys.getrefcount(None)
        for _ in range(CALLS):
            label.setText("Caseworker")  # a void method of a widget
            app.processEvents()  # and of the application
        after = sys.getrefcount(None)
    finally:
        gc.enable()
    # A broken binding takes one reference per call: 400 here, few enough not to abort the
    # run. Allow for the odd reference Python itself takes or drops meanwhile.
    assert after - before > -CALLS // 10, f"None lost {before - after} references"
