"""Admin entry forms. Every save goes through projects.services.

Unit staff see only their units' rows: every queryset, foreign-key choice,
object URL, inline and bulk action is narrowed by ``UnitScopedAdmin``; a
service refusal comes back as a form error or an admin message, with nothing
written.
"""

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .admin_forms import PlanForm, ProgressForm, ProgressListForm, ProjectForm, with_actor
from .models import (
    PLAN_AMOUNT_FIELDS,
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
from .status import closed_month_notes

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


def is_manager(request) -> bool:
    return services.can_manage_all_units(request.user)


def scoped(request, queryset, unit_path: str):
    unit_ids = services.editable_unit_ids(request.user)
    if unit_ids is None:
        return queryset
    return queryset.filter(**{f"{unit_path}__in": unit_ids})


def refusal_text(exc) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


def delete_reason(request) -> str:
    """The reason typed on the delete confirmation page (see templates/admin/projects/)."""
    return request.POST.get("reason", "").strip()


class UnitScopedAdmin:
    """Narrow an admin to the user's units and turn service refusals into messages."""

    unit_path = "project__unit"

    def get_queryset(self, request):
        return scoped(request, super().get_queryset(request), self.unit_path)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Another unit's row and a missing row look the same: not found.
            raise Http404
        return obj

    def get_list_filter(self, request):
        if is_manager(request):
            return self.list_filter
        # A unit filter would list every unit's name to staff who see one or two.
        return [f for f in self.list_filter if f not in ("unit", "project__unit")]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "project":
            kwargs["queryset"] = scoped(request, Project.objects.all(), "unit")
        elif db_field.name == "unit":
            kwargs["queryset"] = scoped(request, Unit.objects.all(), "pk")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        return with_actor(super().get_form(request, obj, change, **kwargs), request.user)

    def get_fields(self, request, obj=None):
        return manager_only_reason(request, super().get_fields(request, obj))

    def get_fieldsets(self, request, obj=None):
        return [
            (name, {**options, "fields": manager_only_reason(request, options["fields"])})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", getattr(self, "changelist_form", self.form))
        return with_actor(super().get_changelist_form(request, **kwargs), request.user)

    def _refused(self, request, exc):
        self.message_user(request, refusal_text(exc), messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            # The admin's own transaction rolls back everything the save did before this.
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            return self._refused(request, exc)

    def changelist_view(self, request, extra_context=None):
        try:
            # Bulk actions and list_editable saves are all-or-nothing.
            with transaction.atomic():
                return super().changelist_view(request, extra_context)
        except ValidationError as exc:
            return self._refused(request, exc)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            with transaction.atomic():
                return super().delete_view(request, object_id, extra_context)
        except ValidationError as exc:
            return self._refused(request, exc)

    def history_view(self, request, object_id, extra_context=None):
        # simple-history falls back to a deleted row's history; only managers see those.
        if not is_manager(request) and not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting saves outside the services and could reach another unit's rows.
        if not is_manager(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def manager_only_reason(request, fields):
    # Only managers may change a locked month, so only they are asked for a reason.
    if is_manager(request):
        return fields
    return [f for f in fields if f != "reason"]


class ScopedInline:
    def get_fields(self, request, obj=None):
        return manager_only_reason(request, super().get_fields(request, obj))

    def get_queryset(self, request):
        return scoped(request, super().get_queryset(request), "project__unit")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = with_actor(formset.form, request.user)
        return formset


class QuarterPlanInline(ScopedInline, admin.TabularInline):
    model = QuarterPlan
    form = PlanForm
    extra = 0
    fields = [
        "expected_version",
        "year",
        *PLAN_AMOUNT_FIELDS,
        "reason",
    ]


class MonthlyProgressInline(ScopedInline, admin.TabularInline):
    model = MonthlyProgress
    form = ProgressForm
    extra = 0
    fields = [
        "expected_version",
        "year",
        "month",
        "investment",
        "inclusion",
        "image_progress",
        "problems",
        "reason",
    ]


class ServiceSavingAdmin:
    """Route the admin's saves through the service layer so its rules apply."""

    def save_formset(self, request, form, formset, change):
        # The admin's change message reads these, which formset.save() would have set.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for child_form in formset.deleted_forms:
            obj = child_form.instance
            if obj.pk is None:
                continue
            reason = child_form.cleaned_data.get("reason") or ""
            if isinstance(obj, MonthlyProgress):
                services.delete_progress(actor=request.user, entry=obj, reason=reason)
            else:
                services.delete_plan(actor=request.user, plan=obj, reason=reason)
            formset.deleted_objects.append(obj)
        for child_form in formset.forms:
            if child_form in formset.deleted_forms or not child_form.has_changed():
                continue
            is_new = child_form.instance.pk is None
            saved = save_child(request.user, child_form.instance, child_form.cleaned_data)
            if is_new:
                formset.new_objects.append(saved)
            else:
                formset.changed_objects.append((saved, child_form.changed_data))


def save_child(actor, obj, cleaned=None):
    cleaned = cleaned or {}
    options = {
        "expected_version": cleaned.get("expected_version"),
        "reason": cleaned.get("reason") or "",
    }
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
            **options,
        )
    if isinstance(obj, QuarterPlan):
        return services.save_plan(
            actor=actor,
            project=obj.project,
            year=obj.year,
            investment=[obj.investment(q) for q in (1, 2, 3, 4)],
            inclusion=[obj.inclusion(q) for q in (1, 2, 3, 4)],
            **options,
        )
    raise TypeError(obj)


@admin.register(Project)
class ProjectAdmin(UnitScopedAdmin, ServiceSavingAdmin, SimpleHistoryAdmin):
    unit_path = "unit"
    form = ProjectForm
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
        (
            None,
            {
                "fields": [
                    "expected_version",
                    "code",
                    "name",
                    "programme",
                    "category",
                    "unit",
                    "street",
                    "leader",
                ]
            },
        ),
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
        (_("Progress"), {"fields": ["image_progress", "notes", "reason"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        if is_manager(request):
            return ()
        # Which unit answers for a project, and which list it is on, is the managers' call.
        return ("code", "programme", "unit")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, object_id)
            for text in closed_month_notes(request.user, obj):
                self.message_user(request, text, messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        services.save_project(
            actor=request.user,
            project=obj,
            expected_version=form.cleaned_data.get("expected_version"),
            reason=form.cleaned_data.get("reason") or "",
        )

    def delete_model(self, request, obj):
        services.delete_project(actor=request.user, project=obj, reason=delete_reason(request))

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.delete_project(actor=request.user, project=obj, reason=delete_reason(request))


@admin.register(MonthlyProgress)
class MonthlyProgressAdmin(UnitScopedAdmin, SimpleHistoryAdmin):
    form = ProgressForm
    changelist_form = ProgressListForm
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
    fields = [
        "expected_version",
        "project",
        "year",
        "month",
        "investment",
        "inclusion",
        "image_progress",
        "problems",
        "reason",
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # An entry belongs to one project and month; moving it would orphan the old figures.
        return ["project", "year", "month"]

    def _closed_to(self, request, obj) -> bool:
        return (
            obj is not None
            and not is_manager(request)
            and bool(services.month_closed_reason(request.user, obj.project, obj.year, obj.month))
        )

    def has_change_permission(self, request, obj=None):
        # A closed month opens read-only, without save buttons; the notice says why.
        return not self._closed_to(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._closed_to(request, obj) and super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, object_id)
            reason = services.month_closed_reason(request.user, obj.project, obj.year, obj.month)
            if reason:
                self.message_user(request, reason, messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        saved = save_child(request.user, obj, form.cleaned_data)
        # The admin's redirect and log entry refer to the object it passed in.
        obj.pk, obj.version = saved.pk, saved.version

    def delete_model(self, request, obj):
        services.delete_progress(actor=request.user, entry=obj, reason=delete_reason(request))

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("project__unit"):
            services.delete_progress(actor=request.user, entry=obj, reason=delete_reason(request))

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        extra_context["totals"] = self.get_queryset(request).aggregate(
            investment=Sum("investment"), inclusion=Sum("inclusion")
        )
        return super().changelist_view(request, extra_context)


@admin.register(QuarterPlan)
class QuarterPlanAdmin(UnitScopedAdmin, SimpleHistoryAdmin):
    form = PlanForm
    list_display = ["project", "year", "investment_q1", "investment_q2", "investment_q3"]
    list_filter = ["year", "project__programme", "project__unit"]
    search_fields = ["project__code", "project__name"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]
    fields = [
        "expected_version",
        "project",
        "year",
        *PLAN_AMOUNT_FIELDS,
        "reason",
    ]

    def get_readonly_fields(self, request, obj=None):
        return ("project", "year") if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        return is_manager(request) and super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        services.delete_plan(actor=request.user, plan=obj, reason=delete_reason(request))

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("project"):
            services.delete_plan(actor=request.user, plan=obj, reason=delete_reason(request))

    def save_model(self, request, obj, form, change):
        saved = save_child(request.user, obj, form.cleaned_data)
        # The admin's redirect and log entry refer to the object it passed in.
        obj.pk, obj.version = saved.pk, saved.version


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

    def response_add(self, request, obj, post_url_continue=None):
        url = request.build_absolute_uri(reverse("share-download", args=[obj.token]))
        self.message_user(
            request,
            format_html('{} <a href="{}">{}</a>', _("Send this link to the recipient:"), url, url),
        )
        return super().response_add(request, obj, post_url_continue)

    @admin.action(description=_("Revoke the selected links"))
    def revoke(self, request, queryset):
        for link in queryset:
            services.revoke_share_link(actor=request.user, link=link)
        self.message_user(request, _("The selected links no longer give access."))
