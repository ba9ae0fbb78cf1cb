"""The report's print view: every project row and column on A4 landscape, no screen furniture."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import selectors
from ..choices import TASK_FORCE_OVERLAP_NOTE
from ..schema import DIMENSIONS
from ..scope_labels import describe
from ..selectors.briefing import campaigns_of, with_counted
from .reports import _report_context
from .signing import sign_off_context


@login_required
def report_print(request, year: int, quarter: int | None = None, month: int | None = None):
    programme, filterset = _report_context(request, year, quarter, month)
    report = selectors.quarterly_report(
        user=request.user,
        programme=programme,
        year=year,
        quarter=quarter,
        month=month,
        filters=request.GET,
    )
    breakdowns = [(f.report_table, f.report_head, report.breakdown(f.key), "") for f in DIMENSIONS]
    # The 专班 close the breakdowns, each group with the overlap note instead of a 合计.
    breakdowns += [
        (f"按专班：{group}", "专班", rows, TASK_FORCE_OVERLAP_NOTE)
        for group, rows in report.task_force_groups
    ]
    context = {
        "report": report,
        "programme": programme,
        "filter_labels": describe(request.GET).labels,
        "filter_errors": filterset.is_bound and not filterset.is_valid(),
        "breakdowns": breakdowns,
        "campaigns": with_counted(
            campaigns_of(report.programme_code, report.rows, report.period.end), report
        ),
        **sign_off_context(request, report, programme, print_view=True),
    }
    return render(request, "projects/report_print.html", context)
