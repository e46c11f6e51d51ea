"""Every screenshot of the documentation, at both screen sizes:
``python -m caseworker_ui.screenshots.docs docs/screenshots``.

Renders the main window and each of its views, every tab of a case file, New case, Today,
search, Allocation, Reports, Officers and the team dialogs (:mod:`~caseworker_ui.screenshots.
main`, :mod:`~caseworker_ui.screenshots.finding`, :mod:`~caseworker_ui.screenshots.managers`,
:mod:`~caseworker_ui.screenshots.team`) and files them under the names the README and the
guides use:

* in ``OUTDIR`` at 1366×768 (a common council laptop) at 100%;
* in ``OUTDIR/1920x1080-at-150`` at 1920×1080 with 150% scaling (1280×720 logical pixels,
  ``QT_SCALE_FACTOR=1.5``).

Each size is rendered in a process of its own (Qt reads the scale factor once, as it starts).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SIZES = {
    "": {"CASEWORKER_SCREENSHOT_SIZE": "1366x768", "QT_SCALE_FACTOR": "1"},
    "1920x1080-at-150": {"CASEWORKER_SCREENSHOT_SIZE": "1280x720", "QT_SCALE_FACTOR": "1.5"},
}
"""Sub-folder: the environment that renders it."""

NAMES = {
    "main-window.png": "main-window.png",
    "today.png": "today.png",
    "search.png": "search-results.png",
    "previous-complaints.png": "new-case-previous-complaints.png",
    "case-file/previous-complaints.png": "case-previous-complaints.png",
    "allocation.png": "allocation.png",
    "reports.png": "reports.png",
    "officers.png": "officers.png",
    "team-conflict.png": "team-conflict.png",
    "team-unsaved-text.png": "team-unsaved-text.png",
    "team-checked-out.png": "team-checked-out.png",
    **{
        f"case-file/{name}.png": f"case-{name}.png"
        for name in (
            "overview",
            "issues",
            "interviews",
            "home-visit",
            "letters",
            "documents",
            "progress",
            "next-stage",
            "next-stage-late",
            "timeline",
            "new-case",
            "new-case-from-email",
            "new-case-from-email-filled",
        )
    },
}
"""What each renderer writes: the documentation's name for it."""


def render_all(outdir: Path) -> list[Path]:
    """Render every picture at this process's size into ``outdir`` (the renderers' names)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from caseworker_ui.screenshots import finding, main, managers, team

    written = list(main.render(outdir))
    written += finding.render(outdir)
    written.append(managers.render(outdir))
    written += team.render(outdir)
    return written


def file_under_docs_names(rendered: Path, target: Path) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for source, name in NAMES.items():
        if (rendered / source).exists():
            shutil.copyfile(rendered / source, target / name)
            copied.append(target / name)
    return copied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m caseworker_ui.screenshots.docs")
    parser.add_argument("outdir", type=Path, help="the documentation's screenshots folder")
    parser.add_argument(
        "--this-size",
        action="store_true",
        help="render at this process's size into OUTDIR as it is (used for each size)",
    )
    args = parser.parse_args(argv)
    if args.this_size:
        for path in render_all(args.outdir):
            print(path)
        return 0
    for folder, environment in SIZES.items():
        with tempfile.TemporaryDirectory() as rendered:
            subprocess.run(
                [sys.executable, "-m", "caseworker_ui.screenshots.docs", rendered, "--this-size"],
                env={**os.environ, **environment},
                check=True,
                stdout=subprocess.DEVNULL,
            )
            for path in file_under_docs_names(Path(rendered), args.outdir / folder):
                print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
