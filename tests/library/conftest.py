import pytest

from tests.dispatch_cast import *  # noqa: F403


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    # Photos and 入库 documents share the photo store; each test gets an empty folder.
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "photos")},
        },
    }
