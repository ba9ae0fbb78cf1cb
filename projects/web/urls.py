"""The pages' addresses: reports, projects, the monthly review cycle and share links."""

from django.urls import path, register_converter

from . import confirm, entry, reports, review, sharing


class FormatConverter:
    regex = "csv|xlsx|json"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FormatConverter, "fmt")

urlpatterns = [
    path("", reports.home, name="home"),
    path("entry/", entry.entry_page, name="entry"),
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
    path(
        "reports/<int:year>/q<int:quarter>.<fmt:fmt>",
        reports.export_report,
        name="export_report",
    ),
    path("projects/<str:code>/", reports.project_detail, name="project_detail"),
    path("share/<str:token>/", sharing.download, name="share-download"),
    path("reports/status/", review.status_latest, name="status_latest"),
    path("reports/status/<int:year>/<int:month>/", review.status_page, name="status_page"),
    path("reports/status/<int:year>/<int:month>/csv/", review.status_csv, name="status_csv"),
    path(
        "review/<int:year>/<int:month>/unit/<int:unit_id>/",
        review.review_unit,
        name="review_unit",
    ),
    path("review/<int:year>/<int:month>/lock/", review.lock_period, name="lock_period"),
    path("review/submit/", review.submit_page, name="submit_month"),
    path("review/deleted/", review.deleted_projects_page, name="deleted_projects"),
]
