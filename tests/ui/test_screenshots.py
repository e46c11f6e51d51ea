"""`python -m caseworker_ui.screenshots.main OUTDIR` writes a picture of each state of the main
window."""

from __future__ import annotations

from PySide6.QtGui import QImage

from caseworker_ui.screenshots.main import SIZE, main


def test_screenshots_are_written(qapp, tmp_path, capsys):
    assert main([str(tmp_path), "--cases", "40"]) == 0
    names = sorted(path.name for path in tmp_path.glob("*.png"))
    assert names == ["empty-database.png", "main-window.png", "no-match.png", "overdue.png"]
    image = QImage(str(tmp_path / "main-window.png"))
    assert (image.width(), image.height()) == SIZE
    assert "main-window.png" in capsys.readouterr().out


def test_the_documentation_has_every_picture_at_both_sizes():
    """`python -m caseworker_ui.screenshots.docs docs/screenshots` files each picture under the
    documentation's name at 1366×768 and at 1920×1080 at 150%: each is there, within the
    screen (a window fills it; a dialog is its own size), and the README shows none that is
    not."""
    import re
    from pathlib import Path

    from caseworker_ui.screenshots.docs import NAMES, SIZES

    root = Path(__file__).resolve().parents[2]
    shots = root / "docs" / "screenshots"
    for folder, size in zip(SIZES, [(1366, 768), (1920, 1080)], strict=True):
        for name in NAMES.values():
            image = QImage(str(shots / folder / name))
            assert not image.isNull(), (folder, name)
            assert image.width() <= size[0] and image.height() <= size[1], (folder, name)
            if name == "main-window.png":
                assert (image.width(), image.height()) == size, folder
    shown = re.findall(r"docs/screenshots/([\w./-]+\.png)", (root / "README.md").read_text())
    assert shown and all((shots / name).exists() for name in shown)
