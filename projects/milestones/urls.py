"""Addresses of the node plan pages."""

from django.urls import path, register_converter

from . import views


class NodeFormat:
    regex = "xlsx|csv"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(NodeFormat, "node_fmt")

urlpatterns = [
    path("projects/<path:code>/plan/", views.project_plan, name="project_plan"),
    path("nodes/", views.node_list, name="node_list"),
    path("nodes/export.<node_fmt:fmt>", views.node_export, name="node_export"),
    path("nodes/templates/apply/", views.apply_templates, name="apply_node_templates"),
]
