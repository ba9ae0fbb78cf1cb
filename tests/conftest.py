import os

import pytest
from django.conf import settings

# Browser tests drive a live server from Playwright's sync API inside pytest.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The hashed-name manifest exists only after collectstatic; tests serve plain files
# straight from static/ (also for the live server of browser tests).
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
settings.STATIC_ROOT = None
settings.WHITENOISE_USE_FINDERS = True
# The test client speaks plain HTTP; production redirects to HTTPS.
settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _english_off(settings):
    # Tests read Chinese pages by default, as users do; a test can switch per request.
    settings.LANGUAGE_CODE = "zh-hans"
    # Lockout bookkeeping would leak between tests that log in with bad passwords.
    settings.AXES_ENABLED = False


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """The 147-project demo ledger, loaded once per test module and removed afterwards.

    Tests using it still need ``pytest.mark.django_db``; their own writes are
    rolled back as usual, so the ledger stays as loaded for the whole module.
    """
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
