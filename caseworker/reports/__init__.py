"""Reports: the figures for any period, counted in SQL, and their exports (Excel, CSV, Word).

``build_report(session, period)`` counts everything; :mod:`caseworker.reports.export` writes it.
Nothing here imports Qt: the command line and the dashboard share it.
"""

from caseworker.reports.figures import build_report
from caseworker.reports.period import Period
from caseworker.reports.tables import Headline, Report, Table

__all__ = ["Headline", "Period", "Report", "Table", "build_report"]
