import os

import pytest
from django.conf import settings

# Browser tests drive a live server from Playwright's sync API inside pytest.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The hashed-name manifest exists only after collectstatic; tests serve plain files.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@pytest.fixture(autouse=True)
def _english_off(settings):
    # Tests read Chinese pages by default, as users do; a test can switch per request.
    settings.LANGUAGE_CODE = "zh-hans"
    # Lockout bookkeeping would leak between tests that log in with bad passwords.
    settings.AXES_ENABLED = False
