"""Screens: thin views that call selectors and services."""

from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import exports, selectors, services
from ..exports.jobs import start_in_thread
from ..exports.registry import SCORES, exporter, formats
from ..exports.responses import download, export_download
from ..filters import BASELINE_PLAN, PLAN_PARAMETER, ProjectReportFilter, bound_filters
from ..models import ExportJob, Project, Unit
from ..periods import QUARTERS, Period
from ..permissions import EXPORT_REPORTS, MANAGE_ALL_UNITS, can, restrict
from ..schema import page_rows
from ..selectors import RowWindow
from ..selectors.history import project_history
from ..selectors.query_plans import planned_once_per_connection
from ..selectors.scores import unit_scores as unit_scores_of
from ..selectors.status import month_states, returned_months_for
from . import panels, signing
from .entry import is_unit_clerk
from .project_page import draw_fields, draw_months, draw_quarters
from .report_body import PROJECT_PREFIX, report_sections
from .tables import int_or_none

REPORT_PAGE_SIZE = 50
MAX_REPORT_PAGE_SIZE = 500
# Up to this many projects the page holds every row, those off the page shown only in
# print; a longer list prints its page with a pointer to the print view (打印版).
PRINT_EVERY_ROW_UP_TO = MAX_REPORT_PAGE_SIZE


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
    return report_programme(request, year, quarter, month), bound_filters(request.GET)


def report_programme(request, year: int, quarter: int | None, month: int | None = None):
    """The list a report request names (``?programme=``, or the year's default); 404 for a
    period or list that does not exist."""
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
    return programme


def report_base_url(year: int, quarter: int | None, month: int | None) -> str:
    """The page of a quarter (/reports/2024/q1/) or of January to a month (/reports/2024/m10/)."""
    if month is not None:
        return reverse("monthly_report", kwargs={"year": year, "month": month})
    return reverse("quarterly_report", kwargs={"year": year, "quarter": quarter})


def export_query_of(request) -> str:
    """The address's filters without its sorts and pages: what a file or print view reads."""
    query = request.GET.copy()
    for key in list(query):
        if key.endswith("-sort") or key.endswith("-page"):
            del query[key]
    return query.urlencode()


def row_window(request) -> RowWindow:
    """Sort, page and page size from the address; out-of-range values fall back to defaults.

    A page past either end shows the nearest one (the selector brings it within range).
    """
    get = request.GET.get
    per_page = int_or_none(get(f"{PROJECT_PREFIX}-per_page"))
    if per_page is None or not 1 <= per_page <= MAX_REPORT_PAGE_SIZE:
        per_page = REPORT_PAGE_SIZE
    page = int_or_none(get(f"{PROJECT_PREFIX}-page")) or 1
    page = min(max(page, 1), 10**9)
    return RowWindow(
        sort=get(f"{PROJECT_PREFIX}-sort"),
        page=page,
        per_page=per_page,
        # Printing the page (Ctrl+P) gives every project of a list this long.
        every_row_up_to=PRINT_EVERY_ROW_UP_TO,
    )


@login_required
def quarterly_report(request, year: int, quarter: int | None = None, month: int | None = None):
    # The filter form is drawn with the page's sections, when they are not kept.
    programme = report_programme(request, year, quarter, month)
    report = selectors.quarterly_report(
        user=request.user,
        programme=programme,
        year=year,
        quarter=quarter,
        month=month,
        filters=request.GET,
        window=row_window(request),
        # Its rows are drawn into the sections kept under the figures (``report_sections``):
        # kept there, they are not kept again, and computed only when drawn.
        rows_kept=False,
    )
    base = report_base_url(year, quarter, month)
    export_query = export_query_of(request)
    can_export = request.user.has_perm(EXPORT_REPORTS)
    # The head (but the reader's month states and sign-off), charts, filters, tables,
    # breakdowns and rankings: drawn once per kept report and address.
    sections = report_sections(
        request,
        report,
        programme,
        export_base=base.rstrip("/"),
        export_query=export_query,
        can_export=can_export,
        # Earlier years' lists, for the year picker; each opens on the same quarter.
        years=selectors.programme_years(),
        head=lambda: {
            "period_links": period_links(report.period, programme),
            # The toggle between rates on the current plan and on the year's baseline.
            "plan_toggle": plan_toggle(request, report.on_baseline),
        },
    )
    context = {
        "report": report,
        "programme": programme,
        "can_export": can_export,
        "export_base": base.rstrip("/"),
        "export_query": export_query,
        # Open, submitted, approved or locked: how final each month's figures are.
        "month_states": month_states(year, report.period.months),
        # The report is unit staff's home page: a returned month must not go unseen.
        "returned": returned_months_for(request.user),
        "panels": panels.gather(
            "report", request, programme=programme, period_end=report.period.end
        ),
        # Coverage, lock, edition and list changes: how far the figures can be signed.
        **signing.sign_off_context(request, report, programme),
        "sections": sections,
    }
    return render(request, "projects/report.html", context)


@dataclass(frozen=True)
class PeriodLink:
    label: str
    href: str
    current: bool


def period_links(period: Period, programme) -> dict[str, list[PeriodLink]]:
    """The year's quarters and 1–N月 periods as links to this list's report, the one shown
    marked. Built once here: the page draws them twice (a desk's row of buttons, a phone's
    folded list), and a template's ``{% url %}`` per link was a fifth of its drawing."""
    zh = (translation.get_language() or "").startswith("zh")
    query = f"?programme={quote(programme.code, safe='/')}"
    year = period.year
    quarters = [Period(year, q) for q in QUARTERS]
    months = [Period.through_month(year, m) for m in range(1, 13)]
    return {
        "quarters": [
            PeriodLink(
                p.ytd_label_zh if zh else f"Q{p.quarter}",
                report_base_url(year, p.quarter, None) + query,
                p == period,
            )
            for p in quarters
        ],
        "months": [
            PeriodLink(
                p.ytd_name_zh if zh else p.label_en,
                report_base_url(year, None, p.month) + query,
                p == period,
            )
            for p in months
        ],
    }


def plan_toggle(request, on_baseline: bool) -> str:
    """The same report computed on the other plan (the page's first page of rows)."""
    query = request.GET.copy()
    query.pop(f"{PROJECT_PREFIX}-page", None)
    if on_baseline:
        query.pop(PLAN_PARAMETER, None)
    else:
        query[PLAN_PARAMETER] = BASELINE_PLAN
    return "?" + query.urlencode()


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
    if exports.exporter(fmt).background:
        rows = selectors.report_row_count(
            user=request.user,
            programme=programme,
            year=year,
            quarter=quarter,
            month=month,
            filters=request.GET,
        )
        if rows > settings.EXPORT_BACKGROUND_ROWS:
            return queue_export(
                request,
                programme=programme,
                year=year,
                quarter=quarter,
                month=month,
                fmt=fmt,
                table=table,
            )
    export = exports.stream_report_file(
        user=request.user,
        programme=programme,
        year=year,
        quarter=quarter,
        month=month,
        fmt=fmt,
        table=table,
        filters=request.GET,
    )
    # Sent as it is written: CSV and JSON rows leave while later rows are still being read.
    return export_download(export)


def queue_export(request, *, programme, year, quarter, month, fmt, table):
    """Queue the file as a job and send the requester to its page."""
    filters = {
        key: request.GET.get(key)
        for key in (*ProjectReportFilter.base_filters, PLAN_PARAMETER)
        if request.GET.get(key) not in (None, "")
    }
    job = services.export_job_request(
        actor=request.user,
        params={
            "programme": programme.code,
            "year": year,
            "quarter": quarter,
            "month": month,
            "fmt": fmt,
            "table": table,
            "filters": filters,
        },
    )
    if settings.EXPORT_JOBS_IN_PROCESS:
        transaction.on_commit(lambda: start_in_thread(job.pk))
    return redirect("export_job", pk=job.pk)


def _own_job(request, pk: int) -> ExportJob:
    """The requester's own job; anyone else's is not found (its file holds their scope)."""
    if not request.user.has_perm(EXPORT_REPORTS):
        raise PermissionDenied(_("You do not have permission to download report files."))
    job = ExportJob.objects.filter(pk=pk, requester=request.user).first()
    if job is None:
        raise Http404(_("There is no report file %(pk)s of yours.") % {"pk": pk})
    return job


@login_required
def export_job(request, pk: int):
    """Where a large file is waited for: its state, the download once ready, or why it failed."""
    # The page that polls also notices a worker that stopped, so it never waits for ever.
    services.export_jobs_take_back()
    job = _own_job(request, pk)
    return render(request, "projects/export_job.html", {"job": job})


@login_required
@require_POST
def export_job_retry(request, pk: int):
    """Ask again for the file a job was for: a new job, same parameters."""
    job = services.export_job_retry(actor=request.user, job=_own_job(request, pk))
    if settings.EXPORT_JOBS_IN_PROCESS:
        transaction.on_commit(lambda: start_in_thread(job.pk))
    return redirect("export_job", pk=job.pk)


@login_required
def export_job_download(request, pk: int):
    job = _own_job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        return redirect("export_job", pk=job.pk)
    return download(
        job.file.open("rb"),
        content_type=job.content_type or "application/octet-stream",
        filename=job.filename,
    )


@login_required
@planned_once_per_connection  # one project's rows, and a few small tables', by their keys
def project_detail(request, code: str):
    year = request.GET.get("year")
    try:
        # Fetched through the policy: another unit's (or street's) project is not found.
        detail = selectors.project_detail(
            code,
            int(year) if year and year.isascii() and year.isdigit() else None,
            user=request.user,
        )
    except Project.DoesNotExist:
        raise Http404(_("There is no project with code %(code)s.") % {"code": code}) from None
    # The ledger fields come from the schema, so a new one shows without a template edit.
    # The page's own sections are drawn in Python (``web.project_page``).
    context = {
        "detail": detail,
        "p": detail.project,
        "drawn": {
            "fields": draw_fields(page_rows(detail.project)),
            "quarters": draw_quarters(detail),
            "months": draw_months(detail),
        },
        "panels": panels.gather("project", request, project=detail.project),
        # Plans belong to the office: whoever may change the project's figures but not
        # its plan asks for a plan change; both see the project's requests.
        "plan_requests": can(request.user, "change", detail.project),
        "may_plan": can(request.user, "plan", detail.project),
    }
    if request.user.has_perm(MANAGE_ALL_UNITS):
        context["history"] = project_history(detail.project)
    return render(request, "projects/project_detail.html", context)


@login_required
def unit_scores(request, year: int, quarter: int | None = None, month: int | None = None):
    """The units' scores (考核) for the period; each unit's breakdown only to whoever reaches it."""
    programme, _filters = _report_context(request, year, quarter, month)
    report = selectors.quarterly_report(
        user=request.user, programme=programme, year=year, quarter=quarter, month=month
    )
    scores, reached = _scores(request, report)
    return render(
        request,
        "projects/scores.html",
        {
            "report": report,
            "scores": scores,
            "reached": reached,
            "report_url": report_base_url(year, quarter, month),
            "score_formats": formats(SCORES).values(),
        },
    )


def _scores(request, report):
    """The period's scores, and the units whose breakdown this reader may see."""
    if report.partial:
        # Scores rank the whole list; a reader who sees part of it has no ranking to read.
        raise Http404(_("The unit scores cover the whole list."))
    reached = set(
        Unit.objects.filter(restrict(request.user, "change", unit="pk", street=None)).values_list(
            "code", flat=True
        )
    )
    return unit_scores_of(report), reached


@login_required
@permission_required(EXPORT_REPORTS, raise_exception=True)
def unit_scores_file(
    request, year: int, fmt: str, quarter: int | None = None, month: int | None = None
):
    """The scores as a file of a registered ``scores`` format, with the page's rule."""
    programme, _filters = _report_context(request, year, quarter, month)
    report = selectors.quarterly_report(
        user=request.user, programme=programme, year=year, quarter=quarter, month=month
    )
    scores, reached = _scores(request, report)
    return export_download(exporter(fmt, SCORES).file(report.period, scores, reached))
