import pytest


@pytest.fixture(autouse=True)
def _photos_in_tmp(settings, tmp_path):
    # Each test stores its photos in its own empty folder.
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "photos")},
        },
    }
