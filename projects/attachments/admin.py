"""A read-only admin list of site photos; uploads and removals go through the photo pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from projects.admin.base import ManagersOnly

from .models import Photo


@admin.register(Photo)
class PhotoAdmin(ManagersOnly, SimpleHistoryAdmin):
    list_display = ["project", "year", "month", "milestone", "caption", "taken_at", "uploaded_by"]
    search_fields = ["project__code", "project__name", "caption"]
    # The file fields are not shown: their storage paths are not links anyone may follow.
    exclude = ["image", "thumbnail"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
