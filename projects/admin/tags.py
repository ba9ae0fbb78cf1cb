"""Special campaigns (专项) in the admin: a tag and its projects, saved through the services."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ..models import Tag
from ..permissions import can_manage_all_units
from ..services.tags import delete_tag, save_tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order", "project_count"]
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
