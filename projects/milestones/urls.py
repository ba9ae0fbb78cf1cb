"""Addresses of the node plan pages."""

from django.urls import path, register_converter

from projects.exports.registry import NODES, converter

from . import views

register_converter(converter(NODES), "node_fmt")

urlpatterns = [
    path("projects/<path:code>/plan/", views.project_plan, name="project_plan"),
    path("nodes/", views.node_list, name="node_list"),
    path("nodes/export.<node_fmt:fmt>", views.node_export, name="node_export"),
    path("nodes/templates/apply/", views.apply_templates, name="apply_node_templates"),
]
