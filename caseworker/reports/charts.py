"""The report's charts: the trend by month, outcomes by service and timeliness.

Each is a matplotlib :class:`~matplotlib.figure.Figure` made without pyplot (no global state, no
GUI backend chosen): :func:`png` renders one with the Agg backend for the Word report and the
docs, and the dashboard puts the same figure in a Qt canvas. Colours are the Okabe–Ito palette,
told apart by people with colour-blindness, and every bar chart also says its numbers in words.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING

from caseworker.reports.tables import Report

if TYPE_CHECKING:
    # matplotlib (about 0.4 s to import) only when a chart is drawn: this module is imported,
    # through the reports service, as the main window starts
    from matplotlib.figure import Figure

BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILION = "#D55E00"
SKY = "#56B4E9"
GREY = "#999999"

WIDTH_INCHES = 7.0
"""Wide enough for twelve months, narrow enough for a portrait page (6.3 inches after margins:
the Word report scales it down)."""


def _figure(height: float = 3.4) -> Figure:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_INCHES, height), layout="constrained")
    figure.set_facecolor("white")
    return figure


def _title(figure: Figure, text: str) -> None:
    figure.suptitle(text, x=0.01, ha="left", fontsize=11)


def _legend(figure: Figure, columns: int) -> None:
    figure.legend(loc="outside lower center", ncols=columns, fontsize=8, frameon=False)


def _thousands(axis: object) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))  # type: ignore[attr-defined]
    axis.set_major_formatter(  # type: ignore[attr-defined]
        FuncFormatter(lambda value, _: f"{value:,.0f}")
    )


def _tidy(axes: object) -> None:
    axes.spines[["top", "right"]].set_visible(False)  # type: ignore[attr-defined]
    axes.tick_params(labelsize=8)  # type: ignore[attr-defined]


def trend_figure(report: Report) -> Figure:
    """Complaints received and closed in each month of the period."""
    table = report.table("monthly")
    months = [str(m) for m in table.column("Month")]
    received = [int(v or 0) for v in table.column("Received")]
    closed = [int(v or 0) for v in table.column("Closed")]
    figure = _figure()
    axes = figure.add_subplot()
    positions = range(len(months))
    width = 0.4
    axes.bar([p - width / 2 for p in positions], received, width, label="Received", color=BLUE)
    axes.bar([p + width / 2 for p in positions], closed, width, label="Closed", color=ORANGE)
    axes.set_xticks(list(positions))
    step = max(1, len(months) // 12)
    axes.set_xticklabels(
        [m if i % step == 0 else "" for i, m in enumerate(months)],
        rotation=0 if len(months) <= 6 else 45,
        ha="center" if len(months) <= 6 else "right",
    )
    axes.set_ylabel("Complaints", fontsize=9)
    _thousands(axes.yaxis)
    _title(figure, f"Complaints received and closed by month, {report.period.label}")
    _legend(figure, 2)
    axes.yaxis.grid(True, color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    _tidy(axes)
    if not any(received) and not any(closed):
        axes.text(
            0.5,
            0.5,
            "No complaints in this period",
            transform=axes.transAxes,
            ha="center",
            va="center",
            color=GREY,
        )
    return figure


OUTCOME_GROUPS = (
    ("Upheld", ("Upheld",), VERMILION),
    ("Partially upheld", ("Partially upheld",), ORANGE),
    ("Not upheld", ("Not upheld",), BLUE),
    (
        "Withdrawn, settled or other",
        ("Withdrawn", "Settled", "Discontinued", "Refused (not taken on)", "No outcome recorded"),
        GREY,
    ),
)


def outcomes_figure(report: Report, *, most: int = 15) -> Figure:
    """Outcomes of the cases closed, by service area (the ``most`` busiest), as stacked bars."""
    table = report.table("outcomes-by-service")
    services = sorted(table.rows, key=lambda row: -int(row[-1] or 0))[:most]
    services.reverse()  # the busiest at the top
    names = [str(row[0]) for row in services]
    figure = _figure(max(2.8, 1.2 + 0.28 * len(names)))
    axes = figure.add_subplot()
    left = [0] * len(names)
    for label, columns, colour in OUTCOME_GROUPS:
        values = [
            sum(int(row[table.columns.index(c)] or 0) for c in columns if c in table.columns)
            for row in services
        ]
        axes.barh(names, values, left=left, label=label, color=colour, height=0.7)
        left = [a + b for a, b in zip(left, values, strict=True)]
    for y, total in enumerate(left):
        axes.text(total, y, f" {total:,}", va="center", fontsize=7, color="#333333")
    axes.set_xlabel("Cases closed", fontsize=9)
    title = "Outcomes by service area"
    if len(table.rows) > most:
        title += f" (the {most} with most cases closed)"
    _thousands(axes.xaxis)
    _title(figure, title)
    _legend(figure, 4)
    axes.xaxis.grid(True, color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.margins(x=0.08)
    _tidy(axes)
    if not names:
        axes.text(
            0.5,
            0.5,
            "No cases closed in this period",
            transform=axes.transAxes,
            ha="center",
            va="center",
            color=GREY,
        )
    return figure


def timeliness_figure(report: Report) -> Figure:
    """Per stage: the share acknowledged on time, answered on time under the policy, and
    answered within the Complaint Handling Code's timescale."""
    table = report.table("timeliness")
    rows = [row for row in table.rows if row[0] != "All stages"]
    stages = [str(row[0]) for row in rows]
    ack = [row[table.columns.index("% acknowledged on time")] for row in rows]
    answered = [row[table.columns.index("% answered on time")] for row in rows]
    code = _code_percent_by_stage(report, stages)
    series = [
        ("Acknowledged on time", ack, SKY),
        ("Answered on time (policy)", answered, BLUE),
        ("Answered within the Code's time", code, GREEN),
    ]
    figure = _figure(3.2)
    axes = figure.add_subplot()
    width = 0.26
    for index, (label, values, colour) in enumerate(series):
        offsets = [p + (index - 1) * width for p in range(len(stages))]
        heights = [v if isinstance(v, int | float) else 0 for v in values]
        bars = axes.bar(offsets, heights, width, label=label, color=colour)
        for bar, value in zip(bars, values, strict=True):
            text = f"{value:.0f}%" if isinstance(value, int | float) else "n/a"
            axes.text(
                bar.get_x() + bar.get_width() / 2,
                bar.get_height() + 1.5,
                text,
                ha="center",
                va="bottom",
                fontsize=7,
            )
    axes.set_xticks(list(range(len(stages))))
    axes.set_xticklabels(stages)
    axes.set_ylim(0, 112)
    axes.set_yticks([0, 25, 50, 75, 100])
    axes.set_ylabel("% of cases", fontsize=9)
    _title(figure, "Timeliness by stage")
    _legend(figure, 3)
    axes.yaxis.grid(True, color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    _tidy(axes)
    return figure


def _code_percent_by_stage(report: Report, stages: list[str]) -> list[float | None]:
    try:
        table = report.table("code-timeliness")
    except KeyError:
        return [None] * len(stages)
    sent: dict[str, int] = {}
    on_time: dict[str, int] = {}
    for row in table.rows:
        if row[0] == "Total":
            continue
        stage = str(row[1])
        sent[stage] = sent.get(stage, 0) + int(row[2] or 0)
        on_time[stage] = on_time.get(stage, 0) + int(row[5] or 0)
    return [round(100 * on_time[s] / sent[s], 1) if sent.get(s) else None for s in stages]


CHARTS: dict[str, tuple[str, Callable[[Report], Figure]]] = {
    "trend": ("Complaints received and closed by month", trend_figure),
    "outcomes": ("Outcomes by service area", outcomes_figure),
    "timeliness": ("Timeliness by stage", timeliness_figure),
}
"""Each chart: its title and the function drawing it."""


def png(figure: Figure, *, dpi: int = 150) -> bytes:
    """The figure as PNG bytes, drawn with the Agg backend."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()


def chart_pngs(report: Report, *, dpi: int = 150) -> dict[str, bytes]:
    """Every chart of the report as PNG bytes, by key."""
    return {key: png(draw(report), dpi=dpi) for key, (_, draw) in CHARTS.items()}


__all__ = ["CHARTS", "chart_pngs", "outcomes_figure", "png", "timeliness_figure", "trend_figure"]
