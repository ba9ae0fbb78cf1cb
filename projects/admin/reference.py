"""Admin for the reference lists: units with their staff, streets, categories and programmes."""

from django.contrib import admin

from ..models import (
    Category,
    Programme,
    Street,
    Unit,
)


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
