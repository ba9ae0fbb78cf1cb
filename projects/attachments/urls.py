"""Addresses of the photo pages; the files are served only through ``photo_file``."""

from django.urls import path

from . import views

urlpatterns = [
    path("projects/<path:code>/photos/", views.gallery, name="photo_gallery"),
    # Before the token patterns; a token is 32 characters, so it is never "entry".
    path("photos/entry/", views.entry_upload, name="photo_entry_upload"),
    path("photos/<str:token>/", views.photo_file, name="photo_file"),
    path("photos/<str:token>/thumb/", views.photo_file, {"size": "thumb"}, name="photo_thumb"),
    path("photos/<str:token>/delete/", views.delete, name="photo_delete"),
]
