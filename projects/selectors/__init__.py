"""Every read that feeds a page or a file, as typed results.

Figures go out one way: stored rows -> a few grouped queries here -> one typed
result -> the page, the print view, the exporters and the commands. Nothing
downstream computes a figure of its own; rates come from ``money.completion_rate``.
"""

from ..choices import LIGHT_LABELS, STATUS_LABELS, Light, StartStatus
from .programmes import default_programme, due_report_period, programme_for, programme_years
from .project import MonthLine, ProjectDetail, QuarterLine, project_detail
from .queries import apply_filters, light_for_rate, members, report_queryset
from .report import quarterly_report, report_row_count
from .results import (
    BreakdownRow,
    Figures,
    Headline,
    MonthPoint,
    Outlook,
    ProjectRow,
    QuarterlyReport,
    RowPage,
    RowWindow,
    Starts,
)

__all__ = [
    "LIGHT_LABELS",
    "STATUS_LABELS",
    "BreakdownRow",
    "Figures",
    "Headline",
    "Light",
    "MonthLine",
    "MonthPoint",
    "Outlook",
    "ProjectDetail",
    "ProjectRow",
    "QuarterLine",
    "QuarterlyReport",
    "RowPage",
    "RowWindow",
    "StartStatus",
    "Starts",
    "apply_filters",
    "default_programme",
    "due_report_period",
    "light_for_rate",
    "members",
    "programme_for",
    "programme_years",
    "project_detail",
    "quarterly_report",
    "report_row_count",
    "report_queryset",
]
