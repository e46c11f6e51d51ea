"""Caseworker: corporate complaints casework for English councils.

This package is the core. It never imports Qt: the desktop front end lives in ``ui/`` and talks to
the services in :mod:`caseworker.services`.
"""

__version__ = "0.1.0"
