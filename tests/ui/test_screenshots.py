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
