"""Time to interactive: app start until the case list is painted with rows and can be sorted,
filtered (its filter choices filled), searched and a case opened, on the loaded core, against a
bare PySide6 window with an empty table. Target (issue 20): within 4 times the bare window.

    python benchmarks/startup.py [--db URL] [--runs 7] [--imports]

Each run is a fresh ``python`` process with ``QT_QPA_PLATFORM=offscreen``; the time is from just
before the process is started to the moment it writes "ready" on its standard output:

* app: the ``caseworker`` command itself (``caseworker.cli.main.main(["--db", URL])``), as an
  officer who left the app on the case list starts it; ``QApplication.exec`` is replaced by a
  loop that processes events until the table has been painted with rows *and* the window says
  the list is interactive: sorting on, the stage, policy and officer filters filled, the desk
  attached (a case can be opened) and the search box there. The exec is replaced once the app
  has opened its database, so that Qt is imported when the app imports it. The child then
  waits for the quick view counts ("all loaded").
* bare: ``QApplication``, a ``QMainWindow`` holding a ``QTableView`` on an empty
  ``QStandardItemModel``, shown, and events processed until the table has been painted.

With ``--imports``, also what the start cannot do without: importing each library the first
screen needs (Qt's widgets, SQLAlchemy with its ORM, pydantic, the database driver), each in a
fresh process, and all of them together, against the bare window.

The two are run in turn so that a busy moment of the machine hits each. Each child also reports
its peak resident memory (VmHWM), which ``benchmarks/memory.py`` uses. The children's settings
(the page the app opens on) are kept in a temporary folder (``XDG_CONFIG_HOME``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator

import common

SETTINGS_CHILD = r"""
from PySide6.QtCore import QSettings
# An officer who left the app on the case list (the target is worded for the list; Today is the
# first screen otherwise), in a settings folder of the benchmark's own (XDG_CONFIG_HOME).
settings = QSettings("Caseworker", "Caseworker")
settings.setValue("window/start_page", "list")
settings.sync()
"""

APP_CHILD = r"""
import sys, time
sys.path.insert(0, {root!r})


def interactive(window):
    # What the officer can do with the list: sort it (the table's headers), filter it (the
    # filter bar's choices filled: stage, policy and officer), search (the toolbar's box on the
    # loaded core) and open a case (Enter, double-click, File > Open case: the desk attached).
    return (
        window.model.rowCount() > 0
        and window.model.load_error is None
        and window.table.isSortingEnabled()
        and window.stage_combo.count() > 1
        and window.policy_combo.count() > 1
        and window.officer_combo.count() > 1
        and window.desk is not None
        and window.open_case_action.isEnabled()
        and window.finding
        and window.search_box.isEnabled()
    )


def measured_exec(*args):
    # The real app's event loop, instrumented: the clock stops at the end of the turn of the
    # event loop in which the table was first painted with rows and the list was interactive
    # (above), or when the work the window leaves until after that paint (quick view counts,
    # report actions) starts, if that comes first.
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    qt = QApplication.instance()
    from caseworker_ui.main_window import MainWindow
    window = next(w for w in qt.topLevelWidgets() if isinstance(w, MainWindow))

    class FirstRows(QObject):
        painted = False

        def eventFilter(self, watched, event):
            if (event.type() == QEvent.Type.Paint and not self.painted
                    and window.model.rowCount() > 0):
                self.painted = True
            return False

    side_started = []
    load_side = window.load_choices_and_counts

    def stamped():
        side_started.append(time.perf_counter())
        load_side()

    window.load_choices_and_counts = stamped
    first = FirstRows()
    window.table.viewport().installEventFilter(first)
    while not (first.painted and interactive(window)):
        qt.processEvents()
        if not (first.painted and interactive(window)):
            time.sleep(0.001)
    done = min([time.perf_counter(), *side_started])
    print("ready", window.model.rowCount(), repr(done), repr(time.process_time()), flush=True)
    while not window.counts_shown:  # everything loaded, for memory
        qt.processEvents()
        time.sleep(0.001)
    loaded = time.perf_counter()
    hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
    print("hwm", hwm, repr(loaded), flush=True)
    return 0


# QApplication.exec is replaced as soon as the app has opened the database, when the app itself
# imports Qt: importing PySide6 here first would make the app's own imports slower than they are
# (PySide6's import hook reads the source of every module imported after it).
import caseworker_ui.launch as launch

opened = launch.open_database


def open_database(url):
    result = opened(url)
    from PySide6.QtWidgets import QApplication

    QApplication.exec = measured_exec
    return result


launch.open_database = open_database
from caseworker.cli.main import main
sys.exit(main(["--db", {url!r}], run_app=launch.run_app))
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
print("ready 0", repr(time.perf_counter()), repr(time.process_time()), flush=True)
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
print("hwm", hwm, flush=True)
"""


CPU_SECONDS: list[tuple[bool, float]] = []
"""(bare?, processor seconds until ready) of each child run: on a machine shared with other
work, a figure its waits for the processor do not inflate."""


def run_child(code: str, config: str | None = None) -> tuple[float, int, int, float | None]:
    """Seconds to "ready", rows shown, peak resident KiB, seconds to everything loaded (the
    app only)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    # As installed, the app's modules are compiled once (pip writes their bytecode): the warm-up
    # run writes it here too, even where the environment says not to (as this machine's does).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if config is not None:
        env["XDG_CONFIG_HOME"] = config
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        env=env,
        text=True,
        cwd=str(common.ROOT),
    )
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
    if len(line.split()) > 3:  # the child's processor time until then (all its threads)
        CPU_SECONDS.append((code is BARE_CHILD, float(line.split()[3])))
    words = rest.split()
    hwm = int(words[1])
    loaded = float(words[2]) - start if len(words) > 2 else None
    return seconds, rows, hwm, loaded


@contextlib.contextmanager
def settings_folder() -> Iterator[str]:
    """A temporary settings folder (for ``XDG_CONFIG_HOME``) in which the app opens on the case
    list."""
    with tempfile.TemporaryDirectory() as config:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=config)
        subprocess.run([sys.executable, "-c", SETTINGS_CHILD], env=env, check=True)
        yield config


def app_code(url: str) -> str:
    return APP_CHILD.format(root=str(common.ROOT), url=url)


def sign_in_as_a_manager(url: str) -> None:
    """The account running the benchmark opens the app as a complaints manager (every case
    listed): its login is given to one, once."""
    from sqlalchemy import select

    from caseworker.bootstrap import current_login, open_app
    from caseworker.domain.enums import Role
    from caseworker.storage.models import Officer

    login = current_login()
    app = open_app(url, actor=login)
    try:
        with app.sessions() as session:
            if session.scalar(select(Officer).where(Officer.login == login)) is None:
                manager = session.scalars(
                    select(Officer)
                    .where(Officer.role == Role.COMPLAINTS_MANAGER, Officer.login.is_(None))
                    .order_by(Officer.id)
                ).first()
                if manager is not None:
                    manager.login = login
                    session.commit()
    finally:
        app.close()


def measure(url: str, runs: int) -> dict[str, list]:
    sign_in_as_a_manager(url)
    kinds = {"app": app_code(url), "bare": BARE_CHILD}
    results: dict[str, list] = {
        f"{kind}{what}": [] for kind in kinds for what in ("", "_kib", "_loaded")
    }
    with settings_folder() as config:
        for code in kinds.values():  # warm the disk cache and compiled bytecode
            run_child(code, config)
        for _ in range(runs):
            for kind, code in kinds.items():
                seconds, rows, kib, loaded = run_child(code, config)
                results[kind].append(seconds)
                results[f"{kind}_kib"].append(kib)
                results[f"{kind}_loaded"].append(loaded)
                if kind == "app":
                    results["rows"] = [rows]
    return results


IMPORTED = "import time; t = time.perf_counter(); import {modules}; print(time.perf_counter() - t)"


def import_seconds(modules: list[str], runs: int) -> float:
    """Median seconds to import ``modules`` (with all they import) in a fresh process."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    code = IMPORTED.format(modules=", ".join(modules))
    times = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
            ).stdout
        )
        for _ in range(runs + 1)
    ][1:]  # the first writes any bytecode missing
    return common.median(times)


def print_imports(url: str, runs: int, bare: float) -> None:
    """What the first screen imports that the bare window does not, each library alone and all
    of them together in the app's order (Qt last: PySide6's import hook reads the source of
    every module imported after it), against the bare window."""
    driver = ["psycopg"] if url.startswith("postgresql") else ["sqlite3"]
    libraries = [["sqlalchemy"], ["sqlalchemy.orm"], ["pydantic"], driver, ["PySide6.QtWidgets"]]
    print("  importing, fresh process each (median), against the bare window:")
    for modules in [*libraries, [m for group in libraries for m in group]]:
        seconds = import_seconds(modules, runs)
        print(f"    {', '.join(modules):58} {common.ms(seconds):>10} ({seconds / bare:.2f}x)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_db_arguments(parser)
    parser.add_argument(
        "--imports",
        action="store_true",
        help="also time importing each library the first screen needs, against the bare window",
    )
    args = parser.parse_args()
    url = common.database(args.db, args.cases)
    r = measure(url, args.runs)
    bare = common.median(r["bare"])
    print(f"startup over {args.runs} runs each ({r['rows'][0]} rows on the first page):")
    print(
        f"  bare PySide6 window, empty table:  median {common.ms(bare)} "
        f"(fastest {common.ms(min(r['bare']))})"
    )
    app = common.median(r["app"])
    print(
        f"  app, case list interactive:        median {common.ms(app)} "
        f"(fastest {common.ms(min(r['app']))}), {app / bare:.2f}x; "
        f"all loaded {common.ms(common.median(r['app_loaded']))}"
    )
    print(f"  ratio {app / bare:.2f}x (target: within 4x) {common.verdict(app <= 4 * bare)}")
    measured = CPU_SECONDS[2:]  # not the warm-up runs
    cpu_bare = common.median([s for is_bare, s in measured if is_bare])
    cpu_app = common.median([s for is_bare, s in measured if not is_bare])
    print(
        f"  processor time until ready: bare {common.ms(cpu_bare)}, app {common.ms(cpu_app)} "
        f"({cpu_app / cpu_bare:.2f}x)"
    )
    if args.imports:
        print_imports(url, args.runs, bare)
    return 0


if __name__ == "__main__":
    sys.exit(main())
