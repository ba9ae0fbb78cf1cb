"""Screens: thin views that call selectors and services."""

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import exports, selectors
from ..filters import ProjectReportFilter
from ..models import Project
from ..periods import QUARTERS, Period
from ..permissions import EXPORT_REPORTS, MANAGE_ALL_UNITS, may, visible_unit_ids
from ..selectors.briefing import campaigns_of
from ..selectors.history import project_history
from ..selectors.status import month_states, returned_months_for
from .charts import category_chart, monthly_chart
from .entry import is_unit_clerk
from .tables import BoundedRequestConfig, ProjectReportTable, breakdown_table

REPORT_PAGE_SIZE = 50
MAX_REPORT_PAGE_SIZE = 500


@login_required
def home(request):
    """Unit staff start at their month's entry; others at the latest quarter that is due."""
    if is_unit_clerk(request.user) and "report" not in request.GET:
        return redirect("entry")
    period = selectors.due_report_period()
    if period is not None and selectors.default_programme(period.year) is not None:
        return redirect("quarterly_report", year=period.year, quarter=period.quarter)
    return render(request, "projects/home.html")


def _report_context(request, year: int, quarter: int | None, month: int | None = None):
    """The programme and filters of a report request; 404 for what does not exist."""
    if month is not None and not 1 <= month <= 12:
        raise Http404(_("There is no month %(month)s; months run from 1 to 12.") % {"month": month})
    if month is None and quarter not in QUARTERS:
        raise Http404(
            _("There is no quarter %(quarter)s; quarters run from 1 to 4.") % {"quarter": quarter}
        )
    code = request.GET.get("programme") or None
    programme = selectors.programme_for(year, code)
    if programme is None:
        if code:
            raise Http404(
                _("There is no list with code %(code)s for %(year)s.")
                % {"code": code, "year": year}
            )
        raise Http404(_("There is no list of key projects for %(year)s.") % {"year": year})
    filterset = ProjectReportFilter(request.GET or None, queryset=Project.objects.none())
    return programme, filterset


def report_base_url(year: int, quarter: int | None, month: int | None) -> str:
    """The page of a quarter (/reports/2024/q1/) or of January to a month (/reports/2024/m10/)."""
    if month is not None:
        return reverse("monthly_report", kwargs={"year": year, "month": month})
    return reverse("quarterly_report", kwargs={"year": year, "quarter": quarter})


@login_required
def quarterly_report(request, year: int, quarter: int | None = None, month: int | None = None):
    programme, filterset = _report_context(request, year, quarter, month)
    report = selectors.quarterly_report(
        programme=programme, year=year, quarter=quarter, month=month, filters=request.GET
    )
    table = ProjectReportTable(
        list(report.rows),
        prefix="p-",
        orderable=True,
        viewable_unit_ids=visible_unit_ids(request.user),
    )
    BoundedRequestConfig(
        request, per_page=REPORT_PAGE_SIZE, max_per_page=MAX_REPORT_PAGE_SIZE
    ).configure(table)
    breakdowns = [
        ("category", _("By category"), report.by_category, _("category")),
        ("unit", _("By responsible unit"), report.by_unit, _("responsible unit")),
        ("street", _("By street"), report.by_street, _("street")),
    ]
    query = request.GET.copy()
    for key in list(query):
        if key.endswith("-sort") or key.endswith("-page"):
            del query[key]
    export_query = query.urlencode()
    base = report_base_url(year, quarter, month)
    context = {
        "report": report,
        "programme": programme,
        "filterset": filterset,
        "table": table,
        "breakdowns": [
            {
                "key": key,
                "title": title,
                "table": breakdown_table(
                    rows, request=request, prefix=key, title=column, report=report
                ),
            }
            for key, title, rows, column in breakdowns
        ],
        "can_export": request.user.has_perm(EXPORT_REPORTS),
        "export_base": base.rstrip("/"),
        "export_query": export_query,
        "quarters": [Period(year, q) for q in QUARTERS],
        "month_periods": [Period.through_month(year, m) for m in range(1, 13)],
        "campaigns": campaigns_of(report.programme_code, report.rows, report.period.end),
        # Earlier years' lists, for the year picker; each opens on the same quarter.
        "years": selectors.programme_years(),
        "chart": monthly_chart(report),
        "category_chart": category_chart(report),
        # Open, submitted, approved or locked: how final each month's figures are.
        "month_states": month_states(year, report.period.months),
        # The report is unit staff's home page: a returned month must not go unseen.
        "returned": returned_months_for(request.user),
    }
    return render(request, "projects/report.html", context)


def invalid_filters_response(filterset):
    """400 naming each bad filter, or None when the filters are fine.

    The page can show the form's errors beside the figures; a file cannot, and
    one silently covering every project would pass for the filtered report.
    """
    if not filterset.is_bound or filterset.is_valid():
        return None
    problems = "; ".join(
        f"{filterset.form.fields[name].label}: {' '.join(errors)}"
        for name, errors in filterset.form.errors.items()
    )
    return HttpResponseBadRequest(
        _("The filters are not valid, so no file was made: %(problems)s") % {"problems": problems},
        content_type="text/plain; charset=utf-8",
    )


@login_required
def export_report(
    request, year: int, fmt: str, quarter: int | None = None, month: int | None = None
):
    """A report file (CSV, XLSX, JSON) or the period's briefing (DOCX)."""
    if not request.user.has_perm(EXPORT_REPORTS):
        raise PermissionDenied(_("You do not have permission to download report files."))
    programme, filterset = _report_context(request, year, quarter, month)
    bad = invalid_filters_response(filterset)
    if bad is not None:
        return bad
    table = request.GET.get("table") or "projects"
    if table not in exports.TABLES:
        raise Http404(
            _("Unknown table %(table)s; choose category, unit or street.") % {"table": table}
        )
    export = exports.export_report_file(
        programme=programme,
        year=year,
        quarter=quarter,
        month=month,
        fmt=fmt,
        table=table,
        filters=request.GET,
    )
    return FileResponse(
        io.BytesIO(export.content),
        as_attachment=True,
        filename=export.filename,
        content_type=export.content_type,
    )


def can_view_project(user, project: Project) -> bool:
    """Managers and report readers see every project; unit staff their own unit's."""
    return may(user, "view", project.unit_id)


@login_required
def project_detail(request, code: str):
    year = request.GET.get("year")
    try:
        detail = selectors.project_detail(
            code, int(year) if year and year.isascii() and year.isdigit() else None
        )
    except Project.DoesNotExist:
        raise Http404(_("There is no project with code %(code)s.") % {"code": code}) from None
    if not can_view_project(request.user, detail.project):
        raise PermissionDenied(_("This project belongs to another unit."))
    context = {"detail": detail, "p": detail.project}
    if request.user.has_perm(MANAGE_ALL_UNITS):
        context["history"] = project_history(detail.project)
    return render(request, "projects/project_detail.html", context)
