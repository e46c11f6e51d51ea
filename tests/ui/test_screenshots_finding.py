"""`python -m caseworker_ui.screenshots.finding OUTDIR` pictures Today, search and previous
complaints."""

from __future__ import annotations

from PySide6.QtGui import QImage

from caseworker_ui.screenshots.finding import SIZE, main


def test_finding_screenshots_are_written(qapp, tmp_path, capsys):
    assert main([str(tmp_path), "--cases", "80"]) == 0
    names = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.png"))
    assert names == [
        "case-file/previous-complaints.png",
        "previous-complaints.png",
        "search.png",
        "today.png",
    ]
    image = QImage(str(tmp_path / "search.png"))
    assert (image.width(), image.height()) == SIZE
    assert "today.png" in capsys.readouterr().out
