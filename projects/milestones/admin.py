"""Admin screens for node templates, and read-only views of nodes and approvals."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from projects.admin.base import ManagersOnly

from . import services
from .models import Approval, Milestone, NodeTemplate, TemplateSet


class NodeTemplateInline(admin.TabularInline):
    model = NodeTemplate
    fields = ["sort_order", "name", "anchor", "offset_days", "after_days"]
    extra = 1


@admin.register(TemplateSet)
class TemplateSetAdmin(ManagersOnly, admin.ModelAdmin):
    list_display = ["name", "kind", "sort_order", "anchor", "offset_days"]
    inlines = [NodeTemplateInline]

    def save_model(self, request, obj, form, change):
        services.save_template_set(actor=request.user, template_set=obj)

    def save_formset(self, request, form, formset, change):
        # Each node through the service, so the manager-only rule is the service's.
        for template in formset.save(commit=False):
            services.save_template(actor=request.user, template=template)
        for template in formset.deleted_objects:
            services.delete_template(actor=request.user, template=template)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


@admin.register(NodeTemplate)
class NodeTemplateAdmin(ManagersOnly, admin.ModelAdmin):
    list_display = ["template_set", "sort_order", "name", "anchor", "offset_days", "after_days"]
    list_filter = ["template_set"]
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
