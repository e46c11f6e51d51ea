"""The whole complaint's outcome as its points' findings add up (plain data, no database): the
Letters tab's suggestion and the stage 2 decision letter's outcome when none is recorded."""

from __future__ import annotations

from caseworker.domain.enums import Finding, Outcome


def suggested_outcome(findings: list[Finding | None]) -> Outcome | None:
    """The whole complaint's outcome as its points' findings add up (Appendix A: say which part
    is upheld): None until every point has a finding."""
    if not findings or any(finding is None for finding in findings):
        return None
    if all(finding == Finding.UPHELD for finding in findings):
        return Outcome.UPHELD
    if all(finding == Finding.NOT_UPHELD for finding in findings):
        return Outcome.NOT_UPHELD
    return Outcome.PARTIALLY_UPHELD
