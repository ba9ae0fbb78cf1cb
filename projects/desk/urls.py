"""Addresses of the daily-work actions."""

from django.urls import path

from . import views

urlpatterns = [
    path("reports/status/<int:year>/<int:month>/chase/", views.chase, name="chase_units"),
]
