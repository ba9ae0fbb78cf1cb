"""Admin screens for departments and a read-only view of problems."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from projects.admin.base import ManagersOnly

from . import services
from .models import Department, Problem, ProblemStep


@admin.register(Department)
class DepartmentAdmin(ManagersOnly, admin.ModelAdmin):
    list_display = ["code", "name", "sort_order"]
    search_fields = ["code", "name"]

    def save_model(self, request, obj, form, change):
        services.save_department(actor=request.user, department=obj)


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
