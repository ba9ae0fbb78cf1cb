"""What every ledger admin shares: unit scoping, refusals as messages, saving through services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect

from .. import permissions, services
from ..models import (
    MonthlyProgress,
    Project,
    QuarterPlan,
    Unit,
)
from .forms import with_actor


def is_manager(request) -> bool:
    return permissions.can_manage_all_units(request.user)


class ManagersOnly:
    """For the nested apps' reference tables: the ledger's roles carry no permissions on them,
    so managers see and edit them all, nobody deletes, and everyone else never sees them."""

    def has_module_permission(self, request):
        return is_manager(request)

    def has_view_permission(self, request, obj=None):
        return is_manager(request)

    def has_add_permission(self, request, obj=None):
        return is_manager(request)

    def has_change_permission(self, request, obj=None):
        return is_manager(request)

    def has_delete_permission(self, request, obj=None):
        return False


def scoped(request, queryset):
    """The admin edits: the rows the user may change, by the one access policy."""
    return queryset.restrict(request.user, "change")


def refusal_text(exc) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


def delete_reason(request) -> str:
    """The reason typed on the delete confirmation page (see templates/admin/projects/)."""
    return request.POST.get("reason", "").strip()


class UnitScopedAdmin:
    """Narrow an admin to the user's units and turn service refusals into messages."""

    def get_queryset(self, request):
        return scoped(request, super().get_queryset(request))

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
            kwargs["queryset"] = scoped(request, Project.objects.all())
        elif db_field.name == "unit":
            kwargs["queryset"] = scoped(request, Unit.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = with_actor(super().get_form(request, obj, change, **kwargs), request.user)
        reverting_from = getattr(request, "reverting_from", None)
        if reverting_from is not None:
            form.current_version = reverting_from.first()
        return form

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
        except services.PlanRefused as exc:
            # A service's refusal of a plan write (a crafted post past the read-only
            # form): said on the page, like any other refusal.
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
        # The form starts from the old version's values; the row it replaces is the one
        # stored now, so that is the version the revert must find unchanged when saved.
        request.reverting_from = self.model.objects.filter(pk=object_id).values_list(
            "version", flat=True
        )
        try:
            # simple-history saves without a transaction of its own: the check in the
            # form and the service's save are one, and a refusal leaves nothing behind.
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)
        except ValidationError as exc:
            return self._refused(request, exc)


def manager_only_reason(request, fields):
    # Only managers may change a locked month, so only they are asked for a reason.
    if is_manager(request):
        return fields
    return [f for f in fields if f != "reason"]


class ScopedInline:
    def get_fields(self, request, obj=None):
        return manager_only_reason(request, super().get_fields(request, obj))

    def get_queryset(self, request):
        return scoped(request, super().get_queryset(request))

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = with_actor(formset.form, request.user)
        return formset


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
        # A read-only inline (plans, to unit staff) posts no figures for its rows, so
        # they look changed; they are not the user's to save. New rows still reach
        # the service, which refuses them.
        read_only = not request.user.has_perm(
            f"{formset.model._meta.app_label}.change_{formset.model._meta.model_name}"
        )
        for child_form in formset.forms:
            if child_form in formset.deleted_forms or not child_form.has_changed():
                continue
            if read_only and child_form.instance.pk is not None:
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
            acknowledge=bool(cleaned.get("acknowledge")),
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
