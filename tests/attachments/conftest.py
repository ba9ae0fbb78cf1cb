import pytest
from django.utils.functional import empty

from projects.attachments.models import photos_storage
from tests.dispatch_cast import *  # noqa: F403


@pytest.fixture(autouse=True)
def _photos_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "photos")},
        },
    }
    photos_storage._wrapped = empty
    yield
    photos_storage._wrapped = empty
