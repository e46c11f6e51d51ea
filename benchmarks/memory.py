"""Peak memory of the app with the 250,000-case database open: under 400 MB.

    python benchmarks/memory.py [--db URL] [--runs 3]

Starts the app as ``benchmarks/startup.py`` does (a fresh process, ``QT_QPA_PLATFORM=offscreen``,
the main window shown with the first page of the list) and reads the process's peak resident set
(``VmHWM`` in ``/proc/self/status``) once the rows are there; the bare PySide6 window's peak is
printed alongside for scale. Linux only.
"""

from __future__ import annotations

import argparse
import sys

import common
import startup


def measure(url: str, runs: int) -> dict[str, float]:
    with startup.settings_folder() as config:  # the app opens on the list
        app = [startup.run_child(startup.app_code(url), config)[2] for _ in range(runs)]
    bare = [startup.run_child(startup.BARE_CHILD)[2] for _ in range(runs)]
    return {"app_mib": common.median(app) / 1024, "bare_mib": common.median(bare) / 1024}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_db_arguments(parser)
    parser.set_defaults(runs=3)
    args = parser.parse_args()
    url = common.database(args.db, args.cases)
    r = measure(url, args.runs)
    print(f"peak resident memory (VmHWM), median of {args.runs} runs:")
    print(f"  bare PySide6 window: {r['bare_mib']:.0f} MiB")
    print(
        f"  app, list shown:     {r['app_mib']:.0f} MiB (target: under 400 MB) "
        f"{common.verdict(r['app_mib'] * 1.048576 < 400)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
