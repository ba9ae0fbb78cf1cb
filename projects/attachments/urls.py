"""Addresses of the photo and 入库 pages; files are served only through their checked views."""

from django.urls import path, register_converter

from projects.exports.registry import converter
from projects.file_formats import LIBRARY

from . import library_views, views

register_converter(converter(LIBRARY), "library_fmt")

urlpatterns = [
    path("projects/<path:code>/photos/", views.gallery, name="photo_gallery"),
    path("projects/<path:code>/library/", library_views.checklist, name="library_checklist"),
    # Before the token patterns; a token is 32 characters, so it is never "entry".
    path("photos/entry/", views.entry_upload, name="photo_entry_upload"),
    path("photos/<str:token>/", views.photo_file, name="photo_file"),
    path("photos/<str:token>/thumb/", views.photo_file, {"size": "thumb"}, name="photo_thumb"),
    path("photos/<str:token>/delete/", views.delete, name="photo_delete"),
    path("library/due/", library_views.due_list, name="library_due"),
    path("library/due.<library_fmt:fmt>", library_views.due_export, name="library_due_export"),
    path("library/documents/<str:token>/", library_views.document_file, name="library_document"),
    path("library/documents/<str:token>/delete/", library_views.remove, name="library_remove"),
]
