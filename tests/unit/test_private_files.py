"""Personal data stays private to the account: the data folder is 0700 (issue 17)."""

from __future__ import annotations

import os
import stat

import pytest

from caseworker.storage.location import data_dir

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def test_the_data_folder_is_made_private(isolated_home) -> None:
    folder = data_dir()
    assert folder == isolated_home
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_data_folder_left_open_is_tightened(isolated_home) -> None:
    isolated_home.mkdir(mode=0o755)
    isolated_home.chmod(0o755)
    data_dir()
    assert stat.S_IMODE(isolated_home.stat().st_mode) == 0o700
