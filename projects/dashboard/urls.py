"""The leaders' view: one address, a phone layout and a wall-screen one (?screen=wall)."""

from django.urls import path

from . import maps, views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("map/", maps.project_map, name="project_map"),
]
