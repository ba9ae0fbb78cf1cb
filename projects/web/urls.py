"""The pages' addresses: reports, projects, the monthly review cycle and share links."""

from django.urls import path, register_converter

from ..exports.registry import REPORT, SCORES, STATUS, converter
from . import (
    briefing,
    confirm,
    entry,
    indicators,
    plans,
    printing,
    reports,
    review,
    sharing,
    signing,
    suggest,
)

# The report's files and its briefing as Word (/reports/2024/q1.docx): whatever the registry holds.
register_converter(converter(REPORT), "fmt")
register_converter(converter(STATUS), "status_fmt")
register_converter(converter(SCORES), "scores_fmt")

urlpatterns = [
    path("", reports.home, name="home"),
    path("entry/", entry.entry_page, name="entry"),
    path("filters/<str:key>/suggestions/", suggest.filter_suggestions, name="filter_suggestions"),
    path("entry/submit/", confirm.submit_with_checks, name="entry_submit"),
    path(
        "review/<int:year>/<int:month>/lock/confirm/",
        confirm.lock_confirm,
        name="lock_confirm",
    ),
    path(
        "reports/status/<int:year>/<int:month>/unit/<int:unit_id>/",
        confirm.unit_figures,
        name="unit_figures",
    ),
    path("reports/<int:year>/q<int:quarter>/", reports.quarterly_report, name="quarterly_report"),
    path("reports/<int:year>/q<int:quarter>/scores/", reports.unit_scores, name="quarter_scores"),
    path("reports/<int:year>/m<int:month>/scores/", reports.unit_scores, name="month_scores"),
    path(
        "reports/<int:year>/q<int:quarter>/scores.<scores_fmt:fmt>",
        reports.unit_scores_file,
        name="quarter_scores_file",
    ),
    path(
        "reports/<int:year>/m<int:month>/scores.<scores_fmt:fmt>",
        reports.unit_scores_file,
        name="month_scores_file",
    ),
    path(
        "reports/<int:year>/q<int:quarter>.<fmt:fmt>",
        reports.export_report,
        name="export_report",
    ),
    path("indicators/", indicators.indicator_list, name="indicators"),
    path("indicators/<str:code>/", indicators.indicator_entry, name="indicator_entry"),
    path("plans/requests/", plans.plan_request_list, name="plan_requests"),
    path("plans/requests/<int:pk>/", plans.plan_request_detail, name="plan_request"),
    path("plans/requests/<int:pk>/decide/", plans.plan_request_decide, name="plan_request_decide"),
    path("plans/requests/new/<path:code>/", plans.plan_request_new, name="plan_request_new"),
    # "path", not "str": older project codes may hold "/" and must still have a page.
    path("projects/<path:code>/", reports.project_detail, name="project_detail"),
    # January to the end of a month (1—M月), the same report and files.
    path("reports/<int:year>/m<int:month>/", reports.quarterly_report, name="monthly_report"),
    path(
        "reports/<int:year>/m<int:month>.<fmt:fmt>",
        reports.export_report,
        name="export_monthly_report",
    ),
    path("reports/<int:year>/q<int:quarter>/publish/", signing.publish, name="publish_quarter"),
    path("reports/<int:year>/m<int:month>/publish/", signing.publish, name="publish_month"),
    path("reports/<int:year>/q<int:quarter>/print/", printing.report_print, name="report_print"),
    path("reports/<int:year>/m<int:month>/print/", printing.report_print, name="monthly_print"),
    path("reports/<int:year>/q<int:quarter>/briefing/", briefing.briefing_page, name="briefing"),
    path(
        "reports/<int:year>/m<int:month>/briefing/",
        briefing.briefing_page,
        name="monthly_briefing",
    ),
    path(
        "reports/<int:year>/q<int:quarter>/briefing.docx",
        reports.export_report,
        {"fmt": "docx"},
        name="briefing_docx",
    ),
    path(
        "reports/<int:year>/m<int:month>/briefing.docx",
        reports.export_report,
        {"fmt": "docx"},
        name="monthly_briefing_docx",
    ),
    path("share/<str:token>/", sharing.page, name="share"),
    path("share/<str:token>/file.<str:fmt>", sharing.download, name="share-file"),
    path("exports/<int:pk>/", reports.export_job, name="export_job"),
    path("exports/<int:pk>/download/", reports.export_job_download, name="export_job_download"),
    path("exports/<int:pk>/retry/", reports.export_job_retry, name="export_job_retry"),
    path("reports/status/", review.status_latest, name="status_latest"),
    path("reports/status/<int:year>/<int:month>/", review.status_page, name="status_page"),
    # The CSV's address predates the other formats; links to it keep working.
    path(
        "reports/status/<int:year>/<int:month>/csv/",
        review.status_file,
        {"fmt": "csv"},
        name="status_csv",
    ),
    path(
        "reports/status/<int:year>/<int:month>/<status_fmt:fmt>/",
        review.status_file,
        name="status_file",
    ),
    path(
        "review/<int:year>/<int:month>/unit/<int:unit_id>/",
        review.review_unit,
        name="review_unit",
    ),
    path("review/<int:year>/<int:month>/lock/", review.lock_period, name="lock_period"),
    path("review/submit/", review.submit_page, name="submit_month"),
    path("review/deleted/", review.deleted_projects_page, name="deleted_projects"),
]
