"""Errors a person can act on. Their message says what is wrong and where."""


class CaseworkerError(Exception):
    """Base for every error the core raises on purpose."""


class UserError(CaseworkerError):
    """Bad input from a person or a file: printed or shown without a traceback."""
