"""Read-only admin lists of site photos and 入库 materials; writes go through their pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from projects.admin.base import ManagersOnly

from .models import LibraryDocument, Photo


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


@admin.register(LibraryDocument)
class LibraryDocumentAdmin(ManagersOnly, SimpleHistoryAdmin):
    """Read-only with history: 入库 materials are attached and removed on the checklist page."""

    list_display = ["project", "kind", "photo", "content_type", "uploaded_by", "uploaded_at"]
    list_filter = ["kind"]
    search_fields = ["project__code", "project__name", "note"]
    exclude = ["document"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
