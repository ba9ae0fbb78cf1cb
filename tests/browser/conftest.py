"""Browser journeys: a live server on the test database, driven by Debian's Chromium.

One Chromium serves the whole ``tests/browser`` package and pytest-django's
``live_server`` the session; each module loads the demo ledger once (``demo_db``) and
its journeys run on it, committed, so the server's own connection sees every row.
"""

import os
import shutil

import pytest
from django.test.utils import modify_settings, override_settings

from tests.browser.pages import DESKTOP

CHROMIUM = "/usr/bin/chromium"
# Set by CI: there a missing browser is a failure, not a skip.
REQUIRED_ENV = "BROWSER_TESTS_REQUIRED"
PASSWORD = "correct-horse-battery-staple"


def pytest_collection_modifyitems(items):
    # Every test in this package drives Chromium; `-m browser` / `-m "not browser"` select them.
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def _missing_requirements() -> str:
    if not os.access(CHROMIUM, os.X_OK):
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return "fontconfig is missing, so Chinese text cannot be checked"
    import subprocess

    fonts = subprocess.run([fc_list], capture_output=True, text=True, check=False).stdout
    if "microhei" not in fonts.lower():
        return "the WenQuanYi Micro Hei font is missing (apt-get install fonts-wqy-microhei)"
    return ""


@pytest.fixture(scope="package")
def browser():
    """Chromium, started once for the package, with the ORM allowed beside its event loop."""
    missing = _missing_requirements()
    if missing:
        if os.environ.get(REQUIRED_ENV):
            pytest.fail(f"Browser tests are required here but {missing}.")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, which makes
    # Django refuse ORM calls; allowed only while the browser runs, never suite-wide.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
            )
            yield chromium
            chromium.close()


@pytest.fixture(autouse=True)
def _live_server_helper():
    """Stands in for pytest-django's helper of the same name inside this package.

    That helper makes every test using ``live_server`` transactional, which empties
    all tables afterwards; here the demo ledger loaded once (``cast``) must outlive
    each journey. The journeys read and write it committed, as the server does.
    """
    yield


@pytest.fixture(scope="package")
def cast(browser, live_server, django_db_setup, django_db_blocker):
    """The demo ledger, with a manager and staff of two units that have projects on it.

    Loaded once for the package and emptied afterwards: the journeys write only to
    months and rows of their own (April entries, the March review and lock, one
    project's image progress), so the first quarter's figures stay the article's.
    """
    from django.core.management import call_command
    from django.db import connections

    from projects.models import Unit
    from tests.factories import user_with_role

    with (
        modify_settings(ALLOWED_HOSTS={"append": live_server.thread.host}),
        # The cookies are marked Secure in production; the live server speaks plain HTTP.
        override_settings(
            SESSION_COOKIE_SECURE=False,
            CSRF_COOKIE_SECURE=False,
        ),
        django_db_blocker.unblock(),
    ):
        call_command("load_demo", verbosity=0)
        units = list(Unit.objects.filter(projects__isnull=False).distinct().order_by("sort_order"))
        yield {
            "manager": user_with_role("manager", username="manager", password=PASSWORD),
            "clerk": user_with_role("unit_staff", units[0], username="clerk", password=PASSWORD),
            "other_clerk": user_with_role(
                "unit_staff", units[1], username="other_clerk", password=PASSWORD
            ),
            "unit": units[0],
            "other_unit": units[1],
        }
        call_command("flush", interactive=False, verbosity=0)
        # The ORM calls made beside Playwright's event loop hold a connection of their
        # own; closed here, or PostgreSQL refuses to drop the test database at the end.
        connections.close_all()


@pytest.fixture(scope="package")
def _sessions():
    # Cookies of each user's first login through the login page, reused by later journeys.
    return {}


@pytest.fixture
def open_browser(django_db_setup, browser, live_server, cast, _sessions):
    """``open_browser(user, viewport=..., locale=...)``: a new window logged in as ``user``.

    A user's first window logs in through the login page; later ones reuse its cookies.
    The test database is asked for first so that it is dropped after the live server
    has stopped and closed its connections.
    """
    contexts = []

    def _open(user=None, *, viewport=None, locale="zh-CN"):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport or DESKTOP,
            locale=locale,
            accept_downloads=True,
            storage_state=_sessions.get(getattr(user, "username", None)),
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        if user is not None and user.username not in _sessions:
            log_in(page, user.username)
            _sessions[user.username] = context.storage_state()
        return page

    yield _open
    for context in contexts:
        context.close()


def log_in(page, username: str, password: str = PASSWORD) -> None:
    """Through the login page, as a person does."""
    page.goto("/accounts/login/?next=/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("form[action$='/accounts/login/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".topbar .who").inner_text() == username
