"""Admin for the monthly cycle: submissions, locked months and the report's thresholds."""

from django.contrib import admin
from django.shortcuts import redirect
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..models import (
    MonthSubmission,
    PeriodLock,
    ReportSettings,
)
from .base import UnitScopedAdmin


@admin.register(MonthSubmission)
class MonthSubmissionAdmin(UnitScopedAdmin, SimpleHistoryAdmin):
    """Read-only here: submitting and reviewing go through the review screens and services."""

    unit_path = "unit"
    list_display = ["unit", "year", "month", "status", "submitted_by", "reviewed_by", "comment"]
    list_filter = ["status", "year", "month"]
    list_select_related = ["unit", "submitted_by", "reviewed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PeriodLock)
class PeriodLockAdmin(admin.ModelAdmin):
    list_display = ["year", "month", "locked_by", "locked_at"]
    fields = ["year", "month"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.pk = services.lock_month(actor=request.user, year=obj.year, month=obj.month).pk

    def delete_model(self, request, obj):
        services.unlock_month(actor=request.user, year=obj.year, month=obj.month)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.unlock_month(actor=request.user, year=obj.year, month=obj.month)


@admin.register(ReportSettings)
class ReportSettingsAdmin(admin.ModelAdmin):
    """One row of thresholds: the list opens it directly, and there is nothing to add."""

    def changelist_view(self, request, extra_context=None):
        settings = ReportSettings.current()
        return redirect("admin:projects_reportsettings_change", settings.pk)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
