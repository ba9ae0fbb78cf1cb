"""Addresses of a person's notices."""

from django.urls import path

from . import views

urlpatterns = [
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/read/", views.mark_read, name="notice_read"),
]
