from django.urls import path

from . import review_views

urlpatterns = [
    path("reports/status/", review_views.status_latest, name="status_latest"),
    path("reports/status/<int:year>/<int:month>/", review_views.status_page, name="status_page"),
    path("reports/status/<int:year>/<int:month>/csv/", review_views.status_csv, name="status_csv"),
    path(
        "review/<int:year>/<int:month>/unit/<int:unit_id>/",
        review_views.review_unit,
        name="review_unit",
    ),
    path("review/<int:year>/<int:month>/lock/", review_views.lock_period, name="lock_period"),
    path("review/submit/", review_views.submit_page, name="submit_month"),
    path("review/deleted/", review_views.deleted_projects_page, name="deleted_projects"),
]
