"""Addresses of the node plan pages."""

from django.urls import path, register_converter

from projects.exports.registry import NODES, converter

from . import chart_views, views

register_converter(converter(NODES), "node_fmt")

urlpatterns = [
    path("projects/<path:code>/plan/", views.project_plan, name="project_plan"),
    path("nodes/", views.node_list, name="node_list"),
    path("nodes/export.<node_fmt:fmt>", views.node_export, name="node_export"),
    path("nodes/templates/apply/", views.apply_templates, name="apply_node_templates"),
    # 挂图作战
    path("projects/<path:code>/chart/", chart_views.project_chart, name="project_chart"),
    path("projects/<path:code>/chart/sets/", chart_views.apply_sets, name="apply_node_sets"),
    path(
        "projects/<path:code>/plan/nodes/<int:node_id>/replan/",
        chart_views.replan,
        name="replan_nodes",
    ),
    path("nodes/chart/", chart_views.chart_units, name="chart_units"),
    path("nodes/chart/units/<int:pk>/", chart_views.unit_chart, name="unit_chart"),
]
