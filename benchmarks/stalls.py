"""How long the window stops answering: the longest stall of the main window's event loop while
a complaints manager does each everyday thing at 250,000 cases, by key presses where there is a
key. Target: every stall under 100 ms (the window never freezes).

    python benchmarks/stalls.py [--db URL] [--runs 3]

A 2 ms timer runs on the event loop throughout; after each action the loop runs for a while
(long enough for its worker threads to report back) and the longest gap between two ticks is
the stall: what the officer feels as a window that does not redraw or take keys. Each action
is done ``--runs`` times (the first is also the first time in the process: modules imported,
caches cold) and the table gives the first and the longest of the others. The actions: each
quick view (Ctrl+1..6), sorting by a column, typing in the list's filter box (Ctrl+F) a common
start of a name and a single letter, Today (Ctrl+T) and back, F5, typing in the search
page and opening the first case found (Enter), its Letters tab (the letter previewed), opening
and closing the allocation view, the reports window counting a year, and the retention review.
Offscreen; not a test: stalls depend on the machine and what else runs on it.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Callable

import common

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtGui import QAction  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from caseworker.bootstrap import open_app  # noqa: E402

TARGET = 0.100


class Probe:
    """The event loop's ticks, and the loop run for a while after each action."""

    def __init__(self, qt: QApplication) -> None:
        self.qt = qt
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(2)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))
        self.timer.start()

    def run_loop(self, seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            self.qt.processEvents()
            time.sleep(0.001)

    def stall(self, action: Callable[[], object], seconds: float) -> float:
        """The longest gap between ticks from just before ``action`` to ``seconds`` after."""
        self.run_loop(0.3)
        self.ticks = [time.perf_counter()]
        action()
        self.run_loop(seconds)
        return max(b - a for a, b in zip(self.ticks, self.ticks[1:], strict=False))


def key(
    widget: Callable[[], QWidget], name: Qt.Key, ctrl: bool = False, alt: bool = False
) -> Callable[[], None]:
    """The key pressed in ``widget``'s window, made the active one first (as the officer's
    click would: shortcuts go to the active window)."""
    modifier = Qt.KeyboardModifier.NoModifier
    if ctrl:
        modifier |= Qt.KeyboardModifier.ControlModifier
    if alt:
        modifier |= Qt.KeyboardModifier.AltModifier

    def press() -> None:
        target = widget()
        target.window().activateWindow()
        QTest.keyClick(target, name, modifier)

    return press


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_db_arguments(parser)
    parser.set_defaults(runs=3)
    args = parser.parse_args()
    url = common.database(args.db, args.cases)
    from caseworker_ui.app import after_the_first_paint, application, main_window
    from caseworker_ui.garbage import collect_on_this_thread
    from caseworker_ui.models.case_list import CaseListModel

    qt = application()
    # As the app starts (caseworker_ui.launch and .app.run): the garbage collector off until
    # the list is painted, then what the start made frozen, so that collections while the
    # officer works do not walk it, and garbage collected on the window's thread.
    gc.disable()
    collect_on_this_thread(qt).pause()
    app = open_app(url, actor="benchmark")  # a complaints manager: every case
    window = main_window(app)
    after_the_first_paint(window)
    window.resize(1366, 728)
    window.show()
    probe = Probe(qt)
    probe.run_loop(3)  # the start's work behind the first paint done

    def action_named(text: str) -> QAction:
        return next(a for a in window.findChildren(QAction) if a.text().replace("&", "") == text)

    def top(kind: str) -> QWidget:
        return next(w for w in qt.topLevelWidgets() if type(w).__name__ == kind and w.isVisible())

    def search_box() -> QWidget:
        return window.findChild(QWidget, "searchEverything")

    def search_for(word: str) -> None:
        key(lambda: window, Qt.Key.Key_K, ctrl=True)()
        search_box().clear()
        QTest.keyClicks(search_box(), word)

    def filter_for(words: str) -> None:
        key(lambda: window, Qt.Key.Key_F, ctrl=True)()  # the filter box, its text selected
        QTest.keyClicks(window.filter_edit, words)  # the list filters when typing pauses

    def clear_filter() -> None:
        window.filter_edit.clear()
        probe.run_loop(1)  # the list back to every case before the next action

    def close_case_windows() -> None:
        for widget in qt.topLevelWidgets():
            if type(widget).__name__ == "CaseWindow":
                widget.close()

    def reports_year() -> None:
        action_named("Reports…").trigger()
        reports = top("ReportsWindow")
        reports.kind_combo.setCurrentIndex(1)
        reports.year_spin.setValue(common.DEMO_TODAY.year - 1)
        reports.show_button.click()

    def retention() -> None:
        from caseworker_ui.reports.retention import RetentionDialog

        dialog = RetentionDialog(app.context(), window)
        dialog.show()
        QTimer.singleShot(500, dialog.reject)

    actions: list[tuple[str, Callable[[], object], Callable[[], object], float]] = [
        *(
            (f"quick view Ctrl+{n}", key(lambda: window, Qt.Key(Qt.Key.Key_0 + n), True), None, 1)
            for n in range(1, 7)
        ),
        (
            "sort by complainant",
            lambda: window.table.sortByColumn(
                CaseListModel.COMPLAINANT, Qt.SortOrder.AscendingOrder
            ),
            lambda: window.table.sortByColumn(CaseListModel.RECEIVED, Qt.SortOrder.DescendingOrder),
            1,
        ),
        ("filter: type 'Larch' (Ctrl+F)", lambda: filter_for("Larch"), clear_filter, 1),
        ("filter: type 'T' (Ctrl+F)", lambda: filter_for("T"), clear_filter, 1),
        ("Today (Ctrl+T)", key(lambda: window, Qt.Key.Key_T, True), None, 2),
        ("back to the list (Ctrl+1)", key(lambda: window, Qt.Key.Key_1, True), None, 1),
        ("F5", key(lambda: window, Qt.Key.Key_F5), None, 2),
        ("search: type 'council'", lambda: search_for("council"), None, 2),
        ("search: Enter opens the case", key(search_box, Qt.Key.Key_Return), None, 2),
        (
            "the case's Letters tab (Alt+L)",
            key(lambda: top("CaseWindow"), Qt.Key.Key_L, alt=True),
            None,
            2,
        ),
        ("close the case window", close_case_windows, key(lambda: window, Qt.Key.Key_1, True), 1),
        ("open the allocation view", action_named("Allocate cases…").trigger, None, 2),
        ("close it (Esc)", key(lambda: top("AllocationWindow"), Qt.Key.Key_Escape), None, 1),
        ("reports: count a year", reports_year, None, 6),
        ("close the reports (Esc)", key(lambda: top("ReportsWindow"), Qt.Key.Key_Escape), None, 1),
        ("retention review", retention, None, 2),
    ]
    stalls: dict[str, list[float]] = {name: [] for name, *_ in actions}
    for _ in range(args.runs):
        for name, action, after, seconds in actions:
            stalls[name].append(probe.stall(action, seconds))
            if after is not None:
                after()
    app.close()

    print(f"\n{window.model.total:,} cases, as a complaints manager; longest event-loop stall")
    print("| action | first | later (longest) | under 100 ms |")
    print("|---|---|---|---|")
    for name, found in stalls.items():
        later = max(found[1:]) if len(found) > 1 else found[0]
        met = "yes" if max(found) < TARGET else "NO"
        print(f"| {name} | {found[0] * 1000:.0f} ms | {later * 1000:.0f} ms | {met} |")
    return 0 if all(max(found) < TARGET for found in stalls.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
