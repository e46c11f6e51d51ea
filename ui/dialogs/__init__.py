"""Dialogs: each has a classmethod that runs it and returns ``(value, accepted)``."""
