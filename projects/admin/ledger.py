"""Admin for the ledger: projects with plans and progress inline, the progress and plan lists."""

from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..models import (
    PLAN_AMOUNT_FIELDS,
    Leader,
    MonthlyProgress,
    Project,
    QuarterPlan,
)
from ..money import AmountFormField
from ..permissions import can
from ..schema import DIMENSION_KEYS, MAIN, PLAN_ATTRS, PROGRESS, admin_fieldsets
from ..selectors.status import closed_month_notes
from ..services import plausibility
from ..services.period_guard import hold_ledger
from .base import (
    ScopedInline,
    ServiceSavingAdmin,
    UnitScopedAdmin,
    delete_reason,
    is_manager,
    save_child,
)
from .forms import PlanForm, ProgressForm, ProgressListForm, ProjectForm

# Every decimal of the ledger is an amount in 万元: the admin reads it by the one grammar
# (``money.parse_amount``), as the grid and the imports do.
AMOUNT_INPUT = {models.DecimalField: {"form_class": AmountFormField}}


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


class QuarterPlanInline(ScopedInline, admin.TabularInline):
    model = QuarterPlan
    formfield_overrides = AMOUNT_INPUT
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
    formfield_overrides = AMOUNT_INPUT
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
        "acknowledge",
        "reason",
    ]


@admin.register(Project)
class ProjectAdmin(UnitScopedAdmin, ServiceSavingAdmin, SimpleHistoryAdmin):
    formfield_overrides = AMOUNT_INPUT
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
    list_filter = ["programme", *DIMENSION_KEYS, "kind", StartedFilter]
    search_fields = ["code", "name", "national_code"]
    list_select_related = ["unit", "street", "category"]
    list_per_page = 50
    inlines = [QuarterPlanInline, MonthlyProgressInline]
    # The sections and their fields come from the ledger schema.
    fieldsets = admin_fieldsets(before={MAIN: ["expected_version"]}, after={PROGRESS: ["reason"]})

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        leader = form.base_fields.get("leader")
        if leader is not None:
            # A leader no longer in post stays on the projects they hold, and is offered
            # for no other (the form class is made afresh per request).
            held = obj.leader_id if obj is not None else None
            leader.queryset = Leader.objects.filter(models.Q(active=True) | models.Q(pk=held))
        return form

    def get_readonly_fields(self, request, obj=None):
        # Plans belong to the office: 总投资 and the planned dates are read-only to
        # anyone the access policy's ``plan`` does not reach (they ask instead).
        plans = () if obj is None or can(request.user, "plan", obj) else PLAN_ATTRS
        if is_manager(request):
            return plans
        # Which unit answers for a project, which list it is on and whether the
        # briefing features it are the managers' call.
        return ("code", "programme", "unit", "highlighted", *plans)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        with transaction.atomic():
            # The inlines' checks hold their months before the project is saved, and a
            # project save holds the whole ledger: that one first (services/period_guard.py).
            hold_ledger()
            return super().changeform_view(request, object_id, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, object_id)
            for text in closed_month_notes(request.user, obj):
                self.message_user(request, text, messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        reverting = getattr(request, "reverting_from", None) is not None
        if change and not form.has_changed() and not reverting:
            # Only the inlines changed: the project row itself is no write. (A revert's
            # form starts from the old values, so it never looks changed: it still is.)
            return
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
    formfield_overrides = AMOUNT_INPUT
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
        "acknowledge",
        "reason",
    ]
    # Who confirmed the stored figures' warnings, shown on an existing entry.
    ACKNOWLEDGEMENT = ["acknowledged_warnings_text", "acknowledged_by", "acknowledged_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # An entry belongs to one project and month; moving it would orphan the old figures.
        return ["project", "year", "month", *self.ACKNOWLEDGEMENT]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None or not obj.acknowledged_at:
            return fields
        return [*fields, *self.ACKNOWLEDGEMENT]

    @admin.display(description=_("acknowledged warnings"))
    def acknowledged_warnings_text(self, obj):
        return plausibility.warning_names(obj.acknowledged_warnings)

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
    formfield_overrides = AMOUNT_INPUT
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
