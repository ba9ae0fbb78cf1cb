"""Admin screens for departments, the dispatch settings and a read-only view of problems."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from projects.permissions import can_manage_all_units as is_manager

from . import services
from .models import Department, DispatchSettings, Problem, ProblemStep


class ManagersOnly:
    """The ledger's roles do not carry these models' permissions; managers see them all."""

    def has_module_permission(self, request):
        return is_manager(request.user)

    def has_view_permission(self, request, obj=None):
        return is_manager(request.user)

    def has_add_permission(self, request, obj=None):
        return is_manager(request.user)

    def has_change_permission(self, request, obj=None):
        return is_manager(request.user)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Department)
class DepartmentAdmin(ManagersOnly, admin.ModelAdmin):
    list_display = ["code", "name", "sort_order"]
    search_fields = ["code", "name"]

    def save_model(self, request, obj, form, change):
        services.save_department(actor=request.user, department=obj)


@admin.register(DispatchSettings)
class DispatchSettingsAdmin(ManagersOnly, admin.ModelAdmin):
    list_display = ["__str__", "due_soon_days", "node_warning_days", "library_yellow_months"]

    def has_add_permission(self, request, obj=None):
        return is_manager(request.user) and not DispatchSettings.objects.exists()

    def save_model(self, request, obj, form, change):
        services.save_dispatch_settings(actor=request.user, values=obj)


class StepInline(admin.TabularInline):
    model = ProblemStep
    extra = 0
    can_delete = False
    fields = ["at", "action", "status", "actor", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Problem)
class ProblemAdmin(ManagersOnly, SimpleHistoryAdmin):
    """Read-only: problems are raised and handled on the /problems/ pages, through the services."""

    list_display = ["id", "project", "kind", "department", "deadline", "status", "raised_on"]
    list_filter = ["status", "kind", "department"]
    search_fields = ["project__code", "project__name", "description"]
    inlines = [StepInline]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
