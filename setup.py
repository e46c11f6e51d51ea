"""Build hook: ship the top-level policies/ and letter_templates/ folders inside the package.

They stay at the top of the repository, where a complaints manager finds them; a wheel carries a
copy under ``caseworker/_bundled/`` so that ``pip install .`` (not only an editable install) has
them.
"""

import shutil
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).parent
BUNDLED = ("policies", "letter_templates")


class BuildWithBundledData(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "caseworker" / "_bundled"
        for name in BUNDLED:
            source = HERE / name
            if source.is_dir():
                shutil.copytree(source, target / name, dirs_exist_ok=True)


PACKAGES = find_packages(include=["caseworker", "caseworker.*"]) + [
    "caseworker_ui" + name.removeprefix("ui") for name in find_packages(include=["ui", "ui.*"])
]

setup(
    cmdclass={"build_py": BuildWithBundledData},
    packages=PACKAGES,
    package_dir={"caseworker_ui": "ui"},
)
