"""The whole complaint's outcome as its points' findings add up (plain data, no database): the
Letters tab's suggestion and the stage 2 decision letter's outcome when none is recorded."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

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


class _Point(Protocol):
    @property
    def finding(self) -> Finding | None: ...
    @property
    def stage2_finding(self) -> Finding | None: ...


def findings_now(points: Sequence[_Point], stage: int) -> list[Finding | None]:
    """The findings that answer the complaint at ``stage``: stage 1's at stage 1, the stage 2
    review's after (never stage 1's in their place)."""
    return [p.stage2_finding if stage > 1 else p.finding for p in points]


def outcome_now(points: Sequence[_Point], stage: int) -> Outcome | None:
    """The whole complaint's outcome as the findings at ``stage`` add up (None until each point
    has one)."""
    return suggested_outcome(findings_now(points, stage))
