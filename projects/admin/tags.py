"""Special campaigns (专项) in the admin: a tag and its projects, saved through the services."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ..models import CampaignCount, Tag
from ..models.tags import COUNT_STAGES
from ..permissions import can_manage_all_units
from ..services.checks import ensure_months_unlocked
from ..services.tags import delete_tag, record_campaign_counts, save_tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "group", "sort_order", "target", "project_count"]
    list_filter = ["group"]
    fields = ["name", "group", "sort_order", "target", "categories", "projects"]
    search_fields = ["name"]
    autocomplete_fields = ["projects"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(project_count=Count("projects"))

    @admin.display(description=_("projects"), ordering="project_count")
    def project_count(self, obj):
        return obj.project_count

    # A campaign spans units: only those who manage every unit see or shape it here.
    def has_module_permission(self, request):
        return can_manage_all_units(request.user)

    def has_view_permission(self, request, obj=None):
        return can_manage_all_units(request.user)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission

    def save_model(self, request, obj, form, change):
        # Saved together with its projects in save_related, through the service.
        pass

    def save_related(self, request, form, formsets, change):
        save_tag(actor=request.user, tag=form.instance, projects=form.cleaned_data["projects"])

    def delete_model(self, request, obj):
        delete_tag(actor=request.user, tag=obj)

    def delete_queryset(self, request, queryset):
        for tag in queryset:
            delete_tag(actor=request.user, tag=tag)


class CampaignCountForm(forms.ModelForm):
    """The counts with a reason for a locked month; the lock is checked before saving so a
    refusal is shown on the form (the service checks it again inside its transaction)."""

    reason = forms.CharField(
        label=_("reason for change"),
        required=False,
        max_length=100,
        help_text=_("Needed only when the month is locked; kept in the change history."),
    )

    class Meta:
        model = CampaignCount
        fields = ["tag", "year", "month", *COUNT_STAGES]

    def clean(self):
        data = super().clean()
        year, month = data.get("year"), data.get("month")
        if year and month and not self.errors:
            try:
                ensure_months_unlocked(self.actor, [(year, month)], data.get("reason") or "")
            except ValidationError as exc:
                self.add_error("reason", exc)
        return data


@admin.register(CampaignCount)
class CampaignCountAdmin(SimpleHistoryAdmin):
    """A campaign's own counts by stage, month by month; written through the service."""

    form = CampaignCountForm
    list_display = ["tag", "year", "month", *COUNT_STAGES, "entered_by"]
    list_filter = ["tag", "year"]
    list_select_related = ["tag", "entered_by"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def has_module_permission(self, request):
        return can_manage_all_units(request.user)

    def has_view_permission(self, request, obj=None):
        return can_manage_all_units(request.user)

    has_add_permission = has_change_permission = has_view_permission

    def has_delete_permission(self, request, obj=None):
        # A month's counts are corrected, not deleted: the history keeps every change.
        return False

    def save_model(self, request, obj, form, change):
        saved = record_campaign_counts(
            actor=request.user,
            tag=form.cleaned_data["tag"],
            year=form.cleaned_data["year"],
            month=form.cleaned_data["month"],
            counts={stage: form.cleaned_data[stage] for stage in COUNT_STAGES},
            expected_version=obj.version if change else None,
            reason=form.cleaned_data.get("reason") or "",
        )
        obj.pk = saved.pk
