"""Funds in place (到位资金): entered here by units and managers, saved through the service."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..models import FundsInPlace
from .base import UnitScopedAdmin
from .forms import VersionedForm
from .ledger import AMOUNT_INPUT


class FundsForm(VersionedForm):
    class Meta:
        model = FundsInPlace
        fields = ["project", "year", "month", "source", "amount"]


@admin.register(FundsInPlace)
class FundsInPlaceAdmin(UnitScopedAdmin, SimpleHistoryAdmin):
    formfield_overrides = AMOUNT_INPUT
    form = FundsForm
    list_display = ["project", "year", "month", "source", "amount", "updated_by", "updated_at"]
    list_filter = ["year", "month", "source", "project__unit"]
    search_fields = ["project__code", "project__name"]
    list_select_related = ["project", "updated_by"]
    autocomplete_fields = ["project"]
    fields = ["expected_version", "project", "year", "month", "source", "amount", "reason"]

    def get_readonly_fields(self, request, obj=None):
        # A row is one project, month and source; moving it would misplace the old amount.
        return () if obj is None else ["project", "year", "month", "source"]

    def has_delete_permission(self, request, obj=None):
        # An arrival is corrected to zero through the service (the month rules, history);
        # deleting would skip them.
        return False

    def save_model(self, request, obj, form, change):
        saved = services.record_funds(
            actor=request.user,
            project=obj.project,
            year=obj.year,
            month=obj.month,
            source=obj.source,
            amount=obj.amount,
            expected_version=form.cleaned_data.get("expected_version"),
            reason=form.cleaned_data.get("reason") or "",
        )
        # The admin's redirect and log entry refer to the object it passed in.
        obj.pk, obj.version = saved.pk, saved.version
