"""District indicators: managers define them here; figures are entered on their page."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import Indicator, IndicatorValue


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "count_unit", "frequency", "unit", "sort_order"]
    list_filter = ["frequency", "unit"]
    search_fields = ["code", "name"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    """Read-only: a figure is written through the service (who may, the lock, the version)."""

    list_display = ["indicator", "year", "period", "value", "target", "entered_by", "updated_at"]
    list_filter = ["indicator", "year"]
    list_select_related = ["indicator", "entered_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
