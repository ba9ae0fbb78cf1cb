"""Admin screens for node templates, and read-only views of nodes and approvals."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from projects.admin.base import ManagersOnly

from . import services
from .models import Approval, Milestone, NodeTemplate


@admin.register(NodeTemplate)
class NodeTemplateAdmin(ManagersOnly, admin.ModelAdmin):
    list_display = ["kind", "sort_order", "name", "anchor", "offset_days"]
    list_filter = ["kind"]
    list_editable = ["sort_order"]

    def save_model(self, request, obj, form, change):
        services.save_template(actor=request.user, template=obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


class ReadOnly(ManagersOnly):
    """Nodes and approvals are changed on the project's plan page, through the services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Milestone)
class MilestoneAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["project", "name", "planned_date", "actual_date", "unit"]
    search_fields = ["project__code", "project__name", "name"]


@admin.register(Approval)
class ApprovalAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["project", "kind", "status", "date", "document_number"]
    list_filter = ["kind", "status"]
    search_fields = ["project__code", "project__name", "document_number"]
