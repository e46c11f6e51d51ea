"""The desktop bundle's entry point: what the installed ``caseworker`` script runs
(:func:`caseworker_ui.launch.main`), frozen by PyInstaller (``packaging/caseworker.spec``)."""

import sys

from caseworker_ui.launch import main

if __name__ == "__main__":
    sys.exit(main())
