"""Admin for the monthly cycle: submissions, locked months and the report's thresholds."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..models import (
    DispatchSettings,
    ListThresholds,
    MonthSubmission,
    PeriodLock,
    ReportSettings,
    ScoringRule,
    WarningFlag,
)
from ..models.settings import DISPATCH_LIGHT_FIELDS, REPORT_LIGHT_FIELDS
from .base import ManagersOnly, UnitScopedAdmin, is_manager, refusal_text


@admin.register(MonthSubmission)
class MonthSubmissionAdmin(UnitScopedAdmin, SimpleHistoryAdmin):
    """Read-only here: submitting and reviewing go through the review screens and services."""

    list_display = ["unit", "year", "month", "status", "submitted_by", "reviewed_by", "comment"]
    list_filter = ["status", "year", "month"]
    list_select_related = ["unit", "submitted_by", "reviewed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PeriodLockForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("reason"), required=False, max_length=100, help_text=_("Kept in the lock history.")
    )

    class Meta:
        model = PeriodLock
        fields = ["year", "month"]

    def clean(self):
        # The lock's own rules, asked before saving, so a refusal shows on the form.
        cleaned = super().clean()
        year, month = cleaned.get("year"), cleaned.get("month")
        if year and month and 1 <= month <= 12:
            try:
                services.check_lockable(year=year, months=[month], reason=cleaned.get("reason", ""))
            except ValidationError as exc:
                # A month not yet begun is the month field's fault; missing approvals the lock's.
                field = "month" if getattr(exc, "code", None) == "future_month" else None
                self.add_error(field, exc)
        return cleaned


@admin.register(PeriodLock)
class PeriodLockAdmin(admin.ModelAdmin):
    """Locks are added here or on the status page; unlocking (with a reason) only there."""

    form = PeriodLockForm
    list_display = ["year", "month", "locked_by", "locked_at"]
    fields = ["year", "month", "reason"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # The admin's delete page has no place for the reason an unlock needs.
        return False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            # Refused after the form's checks: saves to the month kept it busy too long.
            self.message_user(request, refusal_text(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        obj.pk = services.lock_month(
            actor=request.user,
            year=obj.year,
            month=obj.month,
            reason=form.cleaned_data.get("reason", ""),
        ).pk


@admin.register(ReportSettings)
class ReportSettingsAdmin(SimpleHistoryAdmin):
    """One row of thresholds: the list opens it directly, and there is nothing to add.

    Its history page keeps every change of a threshold: a light must be explainable later.
    """

    fieldsets = [
        (None, {"fields": ["yellow_below", "red_below", "ranking_floor"]}),
        (
            _("Warning lights"),
            {
                "fields": [
                    "progress_style",
                    "behind_yellow_points",
                    "behind_red_points",
                    "time_ratio_yellow_below",
                    "time_ratio_red_below",
                    "start_yellow_months",
                    "start_red_months",
                    "node_red_days",
                ]
            },
        ),
        (
            _("Entry checks"),
            {
                "fields": [
                    "entry_share_of_total",
                    "entry_times_average",
                    "entry_change_factor",
                    "submit_with_missing",
                    "deadline_day",
                ]
            },
        ),
    ]

    def changelist_view(self, request, extra_context=None):
        settings = ReportSettings.current()
        return redirect("admin:projects_reportsettings_change", settings.pk)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DispatchSettings)
class DispatchSettingsAdmin(ManagersOnly, SimpleHistoryAdmin):
    list_display = ["__str__", "due_soon_days", "node_warning_days", "node_reminder_days"]

    def has_add_permission(self, request, obj=None):
        return is_manager(request) and not DispatchSettings.objects.exists()

    def save_model(self, request, obj, form, change):
        services.save_dispatch_settings(actor=request.user, values=obj)


@admin.register(ListThresholds)
class ListThresholdsAdmin(ManagersOnly, SimpleHistoryAdmin):
    """A list's own light thresholds: a blank field is the district's (the report settings').

    Its history page keeps every change: a list's light must be explainable later.
    """

    list_display = ["programme", "progress_style"]
    list_select_related = ["programme"]
    fieldsets = [
        (None, {"fields": ["programme"]}),
        (
            _("Warning lights"),
            {
                "description": _("Leave a field blank to use the district's setting."),
                # The fields a list may set, as the model names them.
                "fields": [*REPORT_LIGHT_FIELDS, *DISPATCH_LIGHT_FIELDS],
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        services.save_list_thresholds(actor=request.user, values=obj)


class WarningFlagForm(forms.ModelForm):
    class Meta:
        model = WarningFlag
        fields = ["project", "light", "reason", "since"]


@admin.register(WarningFlag)
class WarningFlagAdmin(ManagersOnly, SimpleHistoryAdmin):
    """Managers' own warnings (人工标记); put, changed and cleared through the services."""

    form = WarningFlagForm
    list_display = ["project", "light", "reason", "since", "flagged_by"]
    list_select_related = ["project", "flagged_by"]
    autocomplete_fields = ["project"]
    search_fields = ["project__code", "project__name", "reason"]

    def has_delete_permission(self, request, obj=None):
        return is_manager(request)

    def save_model(self, request, obj, form, change):
        obj.pk = services.flag_project(
            actor=request.user,
            project=obj.project,
            light=obj.light,
            reason=obj.reason,
            since=obj.since,
        ).pk

    def delete_model(self, request, obj):
        services.clear_flag(actor=request.user, project=obj.project, reason=str(_("Cleared")))

    def delete_queryset(self, request, queryset):
        for flag in queryset.select_related("project"):
            self.delete_model(request, flag)


@admin.register(ScoringRule)
class ScoringRuleAdmin(SimpleHistoryAdmin):
    """The unit scoring formula: one row; its history keeps every weight a score was given by."""

    def has_add_permission(self, request):
        return not ScoringRule.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False
