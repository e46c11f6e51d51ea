"""`python -m caseworker_ui.screenshots.main OUTDIR` also pictures the new-case form and every case
file tab."""

from __future__ import annotations

from PySide6.QtGui import QImage

from caseworker_ui.screenshots.main import CASE_FILE_DIR, SIZE, main


def test_the_case_file_screens_are_written(qapp, tmp_path, capsys):
    assert main([str(tmp_path), "--cases", "40"]) == 0
    folder = tmp_path / CASE_FILE_DIR
    names = sorted(path.name for path in folder.glob("*.png"))
    assert names == [
        "documents.png",
        "home-visit.png",
        "interviews.png",
        "issues.png",
        "letters.png",
        "new-case-from-email-filled.png",
        "new-case-from-email.png",
        "new-case.png",
        "next-stage-late.png",
        "next-stage.png",
        "overview.png",
        "progress.png",
        "timeline.png",
    ]
    for name in names:
        image = QImage(str(folder / name))
        assert (image.width(), image.height()) == SIZE, name
    assert "case-file/letters.png" in capsys.readouterr().out
