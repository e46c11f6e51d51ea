"""Why a service refused to do something: one error class per kind of rule.

Every message starts with "Refused:", says what was asked and names the rule that refused it and
where the rule comes from, e.g. "Refused: Ann Smith is named in this complaint (Stockport Appendix
A: nobody investigates a complaint about themselves)". The app shows the message as it is; tests
check it word for word where the wording matters.
"""

from __future__ import annotations

from caseworker.errors import UserError


class Refused(UserError):
    """A case transition (or other service) refused by one of the rules."""

    def __init__(self, message: str) -> None:
        if not message.startswith("Refused: "):
            message = "Refused: " + message
        super().__init__(message)


class NotAnOfficer(Refused):
    """The login at the keyboard maps to no active officer record."""


class NotPermitted(Refused):
    """The officer's role does not allow this action on this case."""


class CaseClosed(Refused):
    """The case is closed: read-only except through re-opening."""


class ConflictOfInterest(Refused):
    """The officer may not handle this case (named in it, or handled the stage before)."""


class PolicyForbids(Refused):
    """The case's policy has no rule allowing this (no suspension rule, no extension...)."""


class MissingInformation(Refused):
    """Something the rule needs was not given (a reason, the date the complainant was told...)."""


class WrongState(Refused):
    """The case is not in a state where this makes sense (no response sent, nothing pending...)."""


class BadDate(Refused):
    """A date that cannot be right (before receipt, before the suspension began...)."""


class NotEnoughContactAttempts(Refused):
    """Discontinuation refused: too few attempts to reach the complainant, or too few methods."""


class LetterChecksFail(Refused):
    """A letter whose checks fail, kept or sent without the officer's reason: the app asks for
    the reason (``gaps``) and tries again with it."""

    def __init__(self, message: str, gaps: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.gaps = gaps
