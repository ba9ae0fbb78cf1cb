"""Addresses of the problem pages."""

from django.urls import path, register_converter

from projects.exports.registry import AGENDA, converter

from . import views

register_converter(converter(AGENDA), "agenda_fmt")

urlpatterns = [
    path("problems/", views.problem_list, name="problem_list"),
    path("problems/agenda.<agenda_fmt:fmt>", views.agenda_export, name="problem_agenda"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("projects/<path:code>/problems/new/", views.problem_new, name="problem_new"),
]
