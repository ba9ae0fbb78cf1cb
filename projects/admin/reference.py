"""Admin for the reference lists: units with their staff, streets, categories, programmes,
the leaders in charge (包联领导) and the 专班 groups of tags."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ..models import (
    Category,
    Leader,
    Programme,
    Street,
    TagGroup,
    Unit,
)
from ..permissions import can_manage_all_units
from ..services.reference import delete_leader, delete_tag_group, save_leader, save_tag_group


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


class ManagersOnly:
    """Leaders and 专班 groups span units: only those who manage every unit see or keep them."""

    def has_module_permission(self, request):
        return can_manage_all_units(request.user)

    def has_view_permission(self, request, obj=None):
        return can_manage_all_units(request.user)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


class LeaderForm(forms.ModelForm):
    class Meta:
        model = Leader
        fields = ["name", "title", "code", "sort_order", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The code defaults to the name (save_leader), as a file's named entries get it.
        self.fields["code"].required = False
        self.fields["code"].help_text = _("Blank: the name itself.")

    def clean(self):
        data = super().clean()
        if not data.get("code") and data.get("name"):
            data["code"] = data["name"][: Leader._meta.get_field("code").max_length]
            self.instance.code = data["code"]
        return data


@admin.register(Leader)
class LeaderAdmin(ManagersOnly, SimpleHistoryAdmin):
    form = LeaderForm
    list_display = ["name", "title", "code", "sort_order", "active", "project_count"]
    list_filter = ["active"]
    search_fields = ["code", "name", "title"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(project_count=Count("projects"))

    @admin.display(description=_("projects"), ordering="project_count")
    def project_count(self, obj):
        return obj.project_count

    def save_model(self, request, obj, form, change):
        save_leader(actor=request.user, leader=obj)

    def delete_model(self, request, obj):
        delete_leader(actor=request.user, leader=obj)

    def delete_queryset(self, request, queryset):
        for leader in queryset:
            delete_leader(actor=request.user, leader=leader)


@admin.register(TagGroup)
class TagGroupAdmin(ManagersOnly, SimpleHistoryAdmin):
    list_display = ["name", "sort_order", "tag_count"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(tag_count=Count("tags"))

    @admin.display(description=_("special campaign tags"), ordering="tag_count")
    def tag_count(self, obj):
        return obj.tag_count

    def save_model(self, request, obj, form, change):
        save_tag_group(actor=request.user, group=obj)

    def delete_model(self, request, obj):
        delete_tag_group(actor=request.user, group=obj)

    def delete_queryset(self, request, queryset):
        for group in queryset:
            delete_tag_group(actor=request.user, group=group)
