"""App start to the case list painted with its first rows, against a bare PySide6 window with an
empty table: the target is within 2 times the bare window.

    python benchmarks/startup.py [--db URL] [--runs 7]

Each run is a fresh ``python`` process with ``QT_QPA_PLATFORM=offscreen``; the time is from just
before the process is started to the moment it writes "ready" on its standard output:

* app: ``open_app(url)``, the QApplication, ``ui.app.main_window`` shown, and events processed
  until the table has been painted with rows in it (the main window loads the first page as it
  is built; the filter choices and quick view counts follow that first paint);
* bare: ``QApplication``, a ``QMainWindow`` holding a ``QTableView`` on an empty
  ``QStandardItemModel``, shown, and events processed until the table has been painted.

Each child stops the clock itself (``time.perf_counter`` is the system's monotonic clock, shared
by the parent) at the end of the turn of the event loop in which the table was first painted
with rows, or, for the app, when the work the window leaves until after that paint (filter
choices, quick view counts, report actions) starts, if that comes first.

The two are run alternately so that a busy moment of the machine hits both. Each child also
reports its peak resident memory (VmHWM) once everything is shown (for the app: after the counts
and choices too), which ``benchmarks/memory.py`` uses.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

import common

APP_CHILD = r"""
import sys, time
sys.path.insert(0, {root!r})
from caseworker.bootstrap import open_app
from ui.app import application, main_window
app = open_app({url!r})
qt = application()
window = main_window(app)
from PySide6.QtCore import QEvent, QObject

class FirstRows(QObject):
    painted = False

    def eventFilter(self, watched, event):
        if (event.type() == QEvent.Type.Paint and not self.painted
                and window.model.rowCount() > 0):
            self.painted = True
        return False

# The window reads the filter choices and quick view counts once the first rows are painted,
# possibly within the same turn of the event loop: the clock stops when that work starts, or
# when the turn that painted is over, whichever comes first.
side_started = []
load_side = window.load_choices_and_counts

def stamped():
    side_started.append(time.perf_counter())
    load_side()

window.load_choices_and_counts = stamped
# The officer's first screen is Today; the target is worded for the case list, so the list is
# put first here (Today's lines still load just after the window is up, as they do for a person).
if getattr(window, "today_view", None) is not None:
    window.show_list()
first = FirstRows()
window.table.viewport().installEventFilter(first)
window.show()
while not first.painted:
    qt.processEvents()
    if not first.painted:
        time.sleep(0.001)
done = min([time.perf_counter(), *side_started])
print("ready", window.model.rowCount(), repr(done), flush=True)
while not window.counts_shown:  # then the quick view counts and filter choices, for memory
    qt.processEvents()
    time.sleep(0.001)
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
print("hwm", hwm, flush=True)
"""

BARE_CHILD = r"""
import time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
qt = QApplication([])
window = QMainWindow()
table = QTableView()
table.setModel(QStandardItemModel(0, 8))
window.setCentralWidget(table)
window.resize(1200, 800)

class FirstPaint(QObject):
    painted = False

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False

first = FirstPaint()
table.viewport().installEventFilter(first)
window.show()
while not first.painted:
    qt.processEvents()
    if not first.painted:
        time.sleep(0.001)
print("ready 0", repr(time.perf_counter()), flush=True)
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
print("hwm", hwm, flush=True)
"""


def run_child(code: str) -> tuple[float, int, int]:
    """Seconds to "ready", rows shown, peak resident KiB."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, env=env,
                            text=True, cwd=str(common.ROOT))
    assert proc.stdout is not None
    line = proc.stdout.readline()
    seconds = time.perf_counter() - start
    if len(line.split()) > 2:  # the moment the child was ready, on the same (monotonic) clock
        seconds = float(line.split()[2]) - start
    rest = proc.stdout.read()
    proc.wait()
    if not line.startswith("ready"):
        raise RuntimeError(f"the child did not start: {line!r} {rest!r}")
    rows = int(line.split()[1])
    hwm = int(rest.split()[1])
    return seconds, rows, hwm


def measure(url: str, runs: int) -> dict[str, list]:
    app_code = APP_CHILD.format(root=str(common.ROOT), url=url)
    run_child(app_code)  # warm the disk cache and compiled bytecode
    run_child(BARE_CHILD)
    results: dict[str, list] = {"app": [], "bare": [], "app_kib": [], "bare_kib": [], "rows": 0}
    for _ in range(runs):
        seconds, rows, kib = run_child(app_code)
        results["app"].append(seconds)
        results["app_kib"].append(kib)
        results["rows"] = rows
        seconds, _rows, kib = run_child(BARE_CHILD)
        results["bare"].append(seconds)
        results["bare_kib"].append(kib)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_db_arguments(parser)
    args = parser.parse_args()
    url = common.database(args.db, args.cases)
    r = measure(url, args.runs)
    app, bare = common.median(r["app"]), common.median(r["bare"])
    print(f"startup over {args.runs} runs each ({r['rows']} rows on the first page):")
    print(f"  bare PySide6 window, empty table: median {common.ms(bare)} "
          f"(fastest {common.ms(min(r['bare']))})")
    print(f"  app, case list with rows:        median {common.ms(app)} "
          f"(fastest {common.ms(min(r['app']))})")
    print(f"  ratio {app / bare:.2f}x (target: within 2x) {common.verdict(app <= 2 * bare)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
