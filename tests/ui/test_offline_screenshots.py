"""`python -m caseworker_ui.screenshots.offline OUTDIR` pictures the offline screens: the team
window with a copy out, the offline bar (unreachable, then reachable), the cases marked on the
copy, the conflict window and what was brought back, each at 1366×768."""

from __future__ import annotations

from PySide6.QtGui import QImage

from caseworker_ui.screenshots.offline import SIZE, main


def test_the_offline_screens_are_written(qapp, tmp_path, capsys):
    assert main([str(tmp_path)]) == 0
    names = sorted(path.name for path in tmp_path.glob("*.png"))
    assert names == [
        "offline-bar-reachable.png",
        "offline-bar.png",
        "offline-brought-back.png",
        "offline-conflict.png",
        "offline-list.png",
        "team-with-copy-out.png",
    ]
    for name in names:
        image = QImage(str(tmp_path / name))
        assert (image.width(), image.height()) == SIZE, name
    assert "offline-conflict.png" in capsys.readouterr().out
