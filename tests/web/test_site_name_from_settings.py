"""The site's name comes from settings everywhere it is shown (TRACKER_SITE_NAME)."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.template.loader import render_to_string

pytestmark = pytest.mark.django_db
NAME = "某某区重点项目管理"


@pytest.fixture
def renamed(settings):
    settings.TRACKER_SITE_NAME = NAME
    return settings


def test_the_top_bar_and_title_carry_the_configured_name(renamed, viewer_client):
    page = viewer_client.get("/accounts/password/").content.decode()
    assert "<title>" in page and NAME in page and "城阳区重点项目管理" not in page


def test_the_plain_error_page_carries_it_without_a_request(renamed):
    assert NAME in render_to_string("500.html")


def test_the_admin_header_carries_the_name_set_at_start(manager_client, settings):
    from django.contrib import admin

    assert admin.site.site_header == settings.TRACKER_SITE_NAME
    assert settings.TRACKER_SITE_NAME in manager_client.get("/admin/").content.decode()


def test_reminder_mails_name_the_site(renamed, settings, unit_a, staff_a):
    from tests.factories import ProgrammeFactory, ProjectFactory

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    staff_a.email = "clerk@example.gov.cn"
    staff_a.save()
    ProjectFactory(programme=ProgrammeFactory(year=2024), unit=unit_a)
    call_command(
        "remind_units",
        "--date",
        "2024-04-15",
        "--email",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert mail.outbox and all(m.subject.startswith(f"【{NAME}】") for m in mail.outbox)
