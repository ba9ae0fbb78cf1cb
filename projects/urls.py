from django.urls import path, register_converter

from . import sharing, views


class FormatConverter:
    regex = "csv|xlsx|json"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FormatConverter, "fmt")

urlpatterns = [
    path("", views.home, name="home"),
    path("reports/<int:year>/q<int:quarter>/", views.quarterly_report, name="quarterly_report"),
    path(
        "reports/<int:year>/q<int:quarter>.<fmt:fmt>",
        views.export_report,
        name="export_report",
    ),
    path("projects/<str:code>/", views.project_detail, name="project_detail"),
    path("share/<str:token>/", sharing.download, name="share-download"),
]
