"""Admin entry forms. Every save goes through projects.services."""

import datetime as dt

from django import forms
from django.contrib import admin
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    Category,
    MonthlyProgress,
    MonthSubmission,
    PeriodLock,
    Programme,
    Project,
    QuarterPlan,
    ReportSettings,
    ShareDownload,
    ShareLink,
    Street,
    Unit,
)

admin.site.site_header = _("Chengyang District key projects")
admin.site.site_title = _("Key projects")
admin.site.index_title = _("Ledger administration")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "sort_order"]
    search_fields = ["code", "name"]
    filter_horizontal = ["members"]


@admin.register(Street, Category)
class NamedListAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "sort_order"]
    search_fields = ["code", "name"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "year", "previous"]
    search_fields = ["code", "name"]
    list_filter = ["year"]


class StartedFilter(admin.SimpleListFilter):
    title = _("started")
    parameter_name = "started"

    def lookups(self, request, model_admin):
        return [("yes", _("Started")), ("no", _("Not started"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(actual_start__isnull=False)
        if self.value() == "no":
            return queryset.filter(actual_start__isnull=True)
        return queryset


class QuarterPlanInline(admin.TabularInline):
    model = QuarterPlan
    extra = 0
    fields = [
        "year",
        "investment_q1",
        "investment_q2",
        "investment_q3",
        "investment_q4",
        "inclusion_q1",
        "inclusion_q2",
        "inclusion_q3",
        "inclusion_q4",
    ]


class MonthlyProgressInline(admin.TabularInline):
    model = MonthlyProgress
    extra = 0
    fields = ["year", "month", "investment", "inclusion", "image_progress", "problems"]


class ServiceSavingAdmin:
    """Route the admin's saves through the service layer so its rules apply."""

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            if isinstance(obj, MonthlyProgress):
                services.delete_progress(actor=request.user, entry=obj)
            else:
                obj.delete()
        for obj in instances:
            save_child(request.user, obj)
        formset.save_m2m()


def save_child(actor, obj):
    if isinstance(obj, MonthlyProgress):
        return services.record_progress(
            actor=actor,
            project=obj.project,
            year=obj.year,
            month=obj.month,
            investment=obj.investment,
            inclusion=obj.inclusion,
            image_progress=obj.image_progress,
            problems=obj.problems,
        )
    if isinstance(obj, QuarterPlan):
        return services.save_plan(
            actor=actor,
            project=obj.project,
            year=obj.year,
            investment=[obj.investment(q) for q in (1, 2, 3, 4)],
            inclusion=[obj.inclusion(q) for q in (1, 2, 3, 4)],
        )
    raise TypeError(obj)


@admin.register(Project)
class ProjectAdmin(ServiceSavingAdmin, SimpleHistoryAdmin):
    list_display = [
        "code",
        "name",
        "unit",
        "street",
        "category",
        "kind",
        "planned_start",
        "actual_start",
        "total_investment",
    ]
    list_display_links = ["code", "name"]
    list_filter = ["programme", "category", "unit", "street", "kind", StartedFilter]
    search_fields = ["code", "name"]
    list_select_related = ["unit", "street", "category"]
    list_per_page = 50
    inlines = [QuarterPlanInline, MonthlyProgressInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "programme", "category", "unit", "street", "leader"]}),
        (
            _("Schedule and investment"),
            {
                "fields": [
                    "kind",
                    "total_investment",
                    "planned_start",
                    "actual_start",
                    "planned_completion",
                    "statistics_entry_date",
                ]
            },
        ),
        (_("List membership"), {"fields": ["joined_on", "withdrawn_on"]}),
        (_("Progress"), {"fields": ["image_progress", "notes"]}),
    ]

    def save_model(self, request, obj, form, change):
        services.save_project(actor=request.user, project=obj)

    def delete_model(self, request, obj):
        services.delete_project(actor=request.user, project=obj)


@admin.register(MonthlyProgress)
class MonthlyProgressAdmin(SimpleHistoryAdmin):
    list_display = [
        "project",
        "year",
        "month",
        "investment",
        "inclusion",
        "image_progress",
        "updated_by",
        "updated_at",
    ]
    list_filter = ["year", "month", "project__programme", "project__unit"]
    search_fields = ["project__code", "project__name"]
    list_select_related = ["project", "updated_by"]
    autocomplete_fields = ["project"]
    list_editable = ["investment", "inclusion"]
    list_per_page = 100

    def save_model(self, request, obj, form, change):
        save_child(request.user, obj)

    def delete_model(self, request, obj):
        services.delete_progress(actor=request.user, entry=obj)

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        extra_context["totals"] = self.get_queryset(request).aggregate(
            investment=Sum("investment"), inclusion=Sum("inclusion")
        )
        return super().changelist_view(request, extra_context)


@admin.register(QuarterPlan)
class QuarterPlanAdmin(SimpleHistoryAdmin):
    list_display = ["project", "year", "investment_q1", "investment_q2", "investment_q3"]
    list_filter = ["year", "project__programme", "project__unit"]
    search_fields = ["project__code", "project__name"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]

    def save_model(self, request, obj, form, change):
        save_child(request.user, obj)


@admin.register(MonthSubmission)
class MonthSubmissionAdmin(admin.ModelAdmin):
    list_display = ["unit", "year", "month", "status", "submitted_by", "reviewed_by"]
    list_filter = ["status", "year", "month"]


@admin.register(PeriodLock)
class PeriodLockAdmin(admin.ModelAdmin):
    list_display = ["year", "month", "locked_by", "locked_at"]


@admin.register(ReportSettings)
class ReportSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "yellow_below", "red_below"]


class ShareDownloadInline(admin.TabularInline):
    model = ShareDownload
    extra = 0
    can_delete = False
    fields = readonly_fields = ["at", "ip_address", "user_agent"]

    def has_add_permission(self, request, obj=None):
        return False


class ShareLinkForm(forms.ModelForm):
    class Meta:
        model = ShareLink
        fields = ["programme", "year", "quarter", "format", "recipient", "expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault("expires_at", timezone.now() + dt.timedelta(days=7))


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    form = ShareLinkForm
    list_display = [
        "programme",
        "year",
        "quarter",
        "format",
        "recipient",
        "link",
        "expires_at",
        "revoked_at",
        "download_count",
    ]
    list_filter = ["format", "year"]
    actions = ["revoke"]

    def get_inlines(self, request, obj):
        # The download log belongs to a sent link; a new one has none.
        return [ShareDownloadInline] if obj is not None else []

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(download_total=Count("downloads"))

    @admin.display(description=_("link"))
    def link(self, obj):
        url = reverse("share-download", args=[obj.token])
        return format_html('<a href="{}">{}</a>', url, url)

    @admin.display(description=_("downloads"), ordering="download_total")
    def download_count(self, obj):
        return obj.download_total

    def get_readonly_fields(self, request, obj=None):
        # A link's target is fixed once sent; only revoking changes it.
        if obj is not None:
            return ["programme", "year", "quarter", "format", "recipient", "expires_at", "link"]
        return []

    def save_model(self, request, obj, form, change):
        if not change:
            created = services.create_share_link(
                actor=request.user,
                programme=obj.programme,
                year=obj.year,
                quarter=obj.quarter,
                fmt=obj.format,
                expires_at=obj.expires_at,
                recipient=obj.recipient,
            )
            obj.pk, obj.token = created.pk, created.token

    def has_delete_permission(self, request, obj=None):
        # Links are revoked, not deleted, so the download log stays.
        return False

    @admin.action(description=_("Revoke the selected links"))
    def revoke(self, request, queryset):
        for link in queryset:
            services.revoke_share_link(actor=request.user, link=link)
        self.message_user(request, _("The selected links no longer give access."))
