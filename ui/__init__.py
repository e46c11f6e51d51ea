"""The PySide6 desktop front end. It shows and edits cases only through :mod:`caseworker.services`.

Nothing in :mod:`caseworker` imports this package; ``caseworker`` with no subcommand starts it
through :func:`caseworker_ui.app.run`.
"""
