"""The tracker's addresses under /moved/: a URLconf a test switches to (``test_topbar``)."""

from django.urls import include, path

urlpatterns = [path("moved/", include("tracker.urls"))]
