"""The stage 2 review of each point: its own finding, explanation and remedy.

At stage 2 the complaints manager (or the handler the case was given for the stage) looks again
at every point of the complaint, the ones answered at stage 1 and any the request for stage 2
added, and reaches their own finding on each. It is kept beside the stage 1 finding, never in
its place: what stage 1 found and sent stays on the file unchanged
(:func:`~caseworker.services.investigation.issues.stage1_fixed`), and the
stage 2 decision letter answers point by point from the stage 2 findings alone
(:func:`caseworker.letters.builder.issue_responses`), its outcome the one they add up to
(:func:`findings_now`).

Recording a finding is one step (:data:`~caseworker.services.cases.steps.Step.STAGE2_FINDING`):
its right and the case's state come from :func:`~caseworker.services.cases.steps.why_not` (the
Next stage tab enables its button by it), what it is given from :func:`stage2_missing` (the tab
shows the refusal in its words and keeps the form open with what was typed).
"""

from __future__ import annotations

from caseworker.domain.enums import Finding
from caseworker.domain.outcomes import findings_now as findings_now
from caseworker.domain.outcomes import outcome_now as outcome_now
from caseworker.domain.refusals import MissingInformation, Refused
from caseworker.services.cases.steps import Step, authorise_step
from caseworker.services.context import Context
from caseworker.storage.models import Issue


def stage2_missing(finding: Finding | str | None, explanation: str, remedy: str) -> str | None:
    """What a stage 2 finding still lacks before it can be recorded, in the rule's words (None:
    nothing): the finding itself, its reason (Appendix A: a valid and clear reason for every
    finding) and, where the point is upheld even in part, how the council will put it right."""
    if finding is None or finding == "":
        return "choose the stage 2 finding: upheld, partially upheld or not upheld"
    value = Finding(finding)
    if not explanation.strip():
        return "a finding needs a valid and clear reason: write the stage 2 explanation"
    if value in (Finding.UPHELD, Finding.PARTIALLY_UPHELD) and not remedy.strip():
        return "the point is upheld: say how the council will put it right (the remedy)"
    return None


def record_stage2_finding(
    ctx: Context,
    issue_id: int,
    *,
    finding: Finding | str | None,
    explanation: str,
    remedy: str = "",
) -> None:
    """Record (or change, until the stage 2 response is sent) the stage 2 finding on one point,
    with its explanation and remedy. The stage 1 finding is left as it was."""
    with ctx.unit() as uow:
        issue = uow.session.get(Issue, issue_id)
        if issue is None:
            raise Refused(f"there is no issue with id {issue_id}")
        authorise_step(uow, issue.case_id, Step.STAGE2_FINDING, issue)
        problem = stage2_missing(finding, explanation, remedy)
        if problem is not None:
            raise MissingInformation(f"issue {issue.number}: {problem}")
        issue.stage2_finding = Finding(str(finding))
        issue.stage2_explanation = explanation.strip()
        issue.stage2_remedy = remedy.strip()
        uow.commit()
