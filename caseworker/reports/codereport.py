"""The Complaint Handling Code's annual complaints performance and service improvement report, in
Word (the Code, section 8: a landlord or council publishes it each year with its self-assessment,
and its governing body responds to it).

It holds, in the order the Code lists them:

1. the self-assessment against the Code (where each policy departs, and the cases measured
   against the Code's timescales);
2. the year's figures: complaints received, decided and answered on time, the complaints not
   taken on and why (the ``refusals`` table), escalation, and for the council as landlord the
   Tenant Satisfaction Measures CH01 and CH02;
3. the service improvements made and the lessons learnt, with progress on their actions;
4. the Ombudsmen's decisions in the year;
5. a page for the governing body's response, to be filled in when it has considered the report.

The figures are the report's (:func:`caseworker.reports.figures.build_report`), so they never
disagree with the Excel export. The lessons, actions and Ombudsman decisions are listed in the
officers' and Ombudsmen's own words, by service and reference: never a complainant's name.
The service that reads them is :func:`caseworker.reports.service.write_code_annual_report`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_BREAK
from docx.shared import Pt

from caseworker.reports.annual import (
    _code_section,
    _font,
    _key_figures,
    _page_and_styles,
    _table_section,
    _widths,
)
from caseworker.reports.figures import as_day
from caseworker.reports.tables import Report

TITLE = "Annual complaints performance and service improvement report"
FIGURE_TABLES = (
    "received-by-stage",
    "by-service",
    "outcomes",
    "timeliness",
    "extensions",
    "refusals",
    "escalation",
)
"""The year's figures, in this order (the Excel export has every table)."""
OMBUDSMAN_TABLES = ("ombudsman",)
LEARNING_TABLES = ("lessons-by-service", "remedies")
TSM_TABLE = "tsm-ch01-ch02"


@dataclass(frozen=True)
class Lesson:
    service_area: str
    reference: str
    lesson: str
    action: str
    due: dt.date | None
    completed: dt.date | None


@dataclass(frozen=True)
class OmbudsmanDecision:
    body: str
    their_reference: str
    reference: str
    service_area: str
    decided_on: dt.date
    decision: str
    remedy: str
    remedy_due: dt.date | None
    complied_on: dt.date | None


def write_code_report(
    report: Report,
    lessons: list[Lesson],
    decisions: list[OmbudsmanDecision],
    path: Path,
) -> Path:
    build_code_report(report, lessons, decisions).save(str(path))
    return path


def build_code_report(
    report: Report, lessons: list[Lesson], decisions: list[OmbudsmanDecision]
) -> DocumentObject:
    document = Document()
    _page_and_styles(document)
    document.core_properties.title = f"{TITLE}: {report.period.label}"
    document.core_properties.author = "Caseworker"
    document.core_properties.comments = (
        "Lessons, actions and Ombudsman decisions are in officers' and Ombudsmen's words: "
        "read them before publishing."
    )
    document.add_heading(TITLE, level=0)
    lead = document.add_paragraph()
    lead.add_run(report.period.label).bold = True
    lead.add_run(f"\nCases: {report.scope}. Actions and remedies as at {as_day(report.as_of)}.")
    document.add_paragraph(
        "The Complaint Handling Code asks every council and landlord to publish, each year, a "
        "report on how it handled complaints and what it changed because of them, with its "
        "self-assessment against the Code and its governing body's response. This is that "
        "report. It names nobody who complained."
    )

    document.add_heading("1. Self-assessment against the Code", level=1)
    _self_assessment_summary(document, report)
    _code_section(document, report, titled=False)

    document.add_heading("2. The year's figures", level=1)
    _key_figures(document, report)
    for key in FIGURE_TABLES:
        _maybe_table(document, report, key)
    document.add_paragraph(
        "Complaints not taken on are counted in the table above with the reason recorded: late "
        "requests for the next stage, requests where the policy's reasons were not given, and "
        "other refusals, whose reasons are given in each refusal letter."
    )
    if _has(report, TSM_TABLE):
        _maybe_table(document, report, TSM_TABLE)

    document.add_heading("3. Service improvements and lessons learnt", level=1)
    _maybe_table(document, report, "lessons-actions")
    for key in LEARNING_TABLES:
        _maybe_table(document, report, key)
    _lessons(document, lessons)

    document.add_heading("4. The Ombudsmen's decisions", level=1)
    for key in OMBUDSMAN_TABLES:
        _maybe_table(document, report, key)
    _decisions(document, decisions)

    _governing_body_page(document, report)
    return document


def _has(report: Report, key: str) -> bool:
    return any(t.key == key for t in report.tables)


def _maybe_table(document: DocumentObject, report: Report, key: str) -> None:
    if _has(report, key):
        _table_section(document, report.table(key))


def _self_assessment_summary(document: DocumentObject, report: Report) -> None:
    if not _has(report, "code-departures"):
        document.add_paragraph("No council policy was compared with the Code.")
        return
    checks = report.table("code-departures")
    results = [str(row[-1]) for row in checks.rows]
    met, departs = results.count("Meets the Code"), results.count("Departs from the Code")
    document.add_paragraph(
        f"Of the {met + departs} points of the Code compared with the policies in use, they "
        f"meet {met} and depart from {departs}. Where they depart is listed below, "
        "with what the policy says and what the Code says; the Excel export lists every point."
    )


def _lessons(document: DocumentObject, lessons: list[Lesson]) -> None:
    document.add_heading("What was learnt, and what was done", level=2)
    if not lessons:
        document.add_paragraph("No lessons were recorded on the complaints decided this year.")
        return
    document.add_paragraph(
        "Each lesson recorded on the complaints decided this year, by service, with the action "
        "agreed and how far it has got. The same lesson drawn from several complaints is listed "
        "once, with how many."
    )
    grouped: dict[tuple[str, str], list[Lesson]] = {}
    for lesson in lessons:
        key = (lesson.service_area, " ".join(lesson.lesson.lower().split()).rstrip("."))
        grouped.setdefault(key, []).append(lesson)
    current = None
    for (service, _), same in grouped.items():
        if service != current:
            current = service
            heading = document.add_paragraph()
            heading.add_run(current).bold = True
            heading.paragraph_format.keep_with_next = True
        first = same[0]
        complaints = sorted({lesson.reference for lesson in same})
        where = ", ".join(complaints[:3]) + (
            f" and {len(complaints) - 3} more" if len(complaints) > 3 else ""
        )
        document.add_paragraph(
            f"{_sentence(first.lesson)} {_actions(same)} [{where}]", style="List Bullet"
        )


def _actions(same: list[Lesson]) -> str:
    """What was done about a lesson: one action in words, several counted."""
    with_action = [lesson for lesson in same if lesson.action]
    if not with_action:
        return "No action recorded."
    if len(with_action) == 1:
        lesson = with_action[0]
        return f"Action: {_sentence(lesson.action)[:-1]} ({_status(lesson)})."
    done = sum(1 for lesson in with_action if lesson.completed is not None)
    actions = {" ".join(lesson.action.split()) for lesson in with_action}
    what = f"Action: {_sentence(next(iter(actions)))[:-1]}" if len(actions) == 1 else "Actions"
    return f"{what} ({len(with_action)} agreed, {done} done, {len(with_action) - done} open)."


def _status(lesson: Lesson) -> str:
    if lesson.completed is not None:
        return f"done on {as_day(lesson.completed)}"
    if lesson.due is not None:
        return f"due by {as_day(lesson.due)}"
    return "no date set"


def _decisions(document: DocumentObject, decisions: list[OmbudsmanDecision]) -> None:
    document.add_heading("Decisions made this year", level=2)
    if not decisions:
        document.add_paragraph("No Ombudsman decided a complaint about the council this year.")
        return
    grid = document.add_table(rows=1, cols=5)
    grid.style = "Light Grid Accent 1"
    for cell, name in zip(
        grid.rows[0].cells,
        ("Ombudsman and reference", "Service", "Decided", "Decision", "Remedy and compliance"),
        strict=True,
    ):
        cell.text = name
    for decision in decisions:
        if not decision.remedy:
            remedy = "No remedy"
        elif decision.complied_on is not None:
            late = decision.remedy_due is not None and decision.complied_on > decision.remedy_due
            remedy = f"{decision.remedy} Complied with on {as_day(decision.complied_on)}" + (
                " (late)." if late else "."
            )
        else:
            due = f", due {as_day(decision.remedy_due)}" if decision.remedy_due else ""
            remedy = f"{decision.remedy} Outstanding{due}."
        theirs = f" {decision.their_reference}" if decision.their_reference else ""
        cells = grid.add_row().cells
        cells[0].text = f"{decision.body}{theirs} ({decision.reference})"
        cells[1].text = decision.service_area
        cells[2].text = as_day(decision.decided_on)
        cells[3].text = decision.decision or "–"
        cells[4].text = remedy
    _font(grid, 8.5)
    from docx.shared import Cm

    _widths(grid, (Cm(3.6), Cm(2.8), Cm(2.2), Cm(4.4), Cm(4.0)))


def _governing_body_page(document: DocumentObject, report: Report) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_heading("5. The governing body's response", level=1)
    document.add_paragraph(
        "The Code asks the governing body (for a council: the cabinet or the committee that "
        "oversees complaints, and the member responsible for complaints) to consider this report "
        "and to publish its response with it. To be completed once it has done so."
    )
    for label in (
        "Considered by",
        "Date considered",
        "Member responsible for complaints",
    ):
        line = document.add_paragraph()
        line.add_run(f"{label}: ").bold = True
        line.add_run("_" * 40)
    document.add_paragraph().add_run("The governing body's response:").bold = True
    for _ in range(12):
        blank = document.add_paragraph("_" * 76)
        blank.paragraph_format.space_after = Pt(10)
    closing = document.add_paragraph(
        f"This response is published with the report for {report.period.label}."
    )
    closing.runs[0].italic = True


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    if text and text[-1] not in ".!?":
        text += "."
    return text[:1].upper() + text[1:]


__all__ = ["Lesson", "OmbudsmanDecision", "TITLE", "build_code_report", "write_code_report"]
