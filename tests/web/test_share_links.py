"""Share links give a superior one period's export without an account until it lapses."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from projects import services
from projects.models import ShareDownload, ShareLink
from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    QuarterPlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2024, 4, 15, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def link(manager):
    entry = MonthlyProgressFactory(month=2)
    QuarterPlanFactory(project=entry.project)
    with time_machine.travel(NOW):
        return services.create_share_link(
            actor=manager,
            programme=entry.project.programme,
            year=2024,
            quarter=1,
            fmt="csv",
            expires_at=NOW + dt.timedelta(days=7),
            recipient="市总指挥部",
        )


def test_share_token_is_long_and_unguessable(link):
    other = ShareLink.objects.create(
        programme=link.programme, year=2024, quarter=1, format="csv", expires_at=link.expires_at
    )
    assert len(link.token) >= 40
    assert link.token != other.token


@time_machine.travel(NOW + dt.timedelta(days=1))
def test_share_link_downloads_the_csv_without_login_and_logs_it(client, link):
    response = client.get(reverse("share-file", args=[link.token, "csv"]), HTTP_USER_AGENT="WPS")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    download = ShareDownload.objects.get(link=link)
    assert (download.user_agent, download.format) == ("WPS", "csv")


@time_machine.travel(NOW + dt.timedelta(days=1))
def test_a_link_made_for_one_file_gives_no_other(client, link):
    response = client.get(reverse("share-file", args=[link.token, "xlsx"]))
    assert response.status_code == 404
    assert "不提供" in response.content.decode()
    assert not ShareDownload.objects.exists()


@time_machine.travel(NOW + dt.timedelta(days=8))
def test_expired_share_link_gives_a_clear_page_not_the_file(client, link):
    for url in (
        reverse("share", args=[link.token]),
        reverse("share-file", args=[link.token, "csv"]),
    ):
        response = client.get(url)
        assert response.status_code == 410
        assert "过期" in response.content.decode()
    assert not ShareDownload.objects.exists()


@time_machine.travel(NOW + dt.timedelta(days=1))
def test_revoked_share_link_gives_a_clear_page_not_the_file(client, link, manager):
    services.revoke_share_link(actor=manager, link=link)
    for url in (
        reverse("share", args=[link.token]),
        reverse("share-file", args=[link.token, "csv"]),
    ):
        response = client.get(url)
        assert response.status_code == 410
        assert "撤回" in response.content.decode()
    assert not ShareDownload.objects.exists()


def test_unknown_share_token_is_a_404_page(client):
    for url in (
        reverse("share", args=["not-a-real-token"]),
        reverse("share-file", args=["not-a-real-token", "csv"]),
    ):
        assert client.get(url).status_code == 404


def test_only_managers_can_create_share_links():
    staff = UserFactory(username="clerk")
    with pytest.raises(PermissionDenied):
        services.create_share_link(
            actor=staff,
            programme=ProgrammeFactory(),
            year=2024,
            quarter=1,
            fmt="csv",
            expires_at=timezone.now() + dt.timedelta(days=1),
        )


def test_manager_creates_a_share_link_in_the_admin(client, manager):
    programme = ProgrammeFactory()
    client.force_login(manager)
    response = client.post(
        reverse("admin:projects_sharelink_add"),
        {
            "programme": programme.pk,
            "year": 2024,
            "quarter": 1,
            "format": "xlsx",
            "recipient": "市发改委",
            "expires_at_0": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
            "expires_at_1": "18:00:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    link = ShareLink.objects.get()
    assert link.created_by == manager
    changelist = client.get(reverse("admin:projects_sharelink_changelist")).content.decode()
    assert link.token in changelist


def test_admin_refuses_an_expiry_in_the_past_with_a_field_error(client, manager):
    programme = ProgrammeFactory()
    client.force_login(manager)
    response = client.post(
        reverse("admin:projects_sharelink_add"),
        {
            "programme": programme.pk,
            "year": 2024,
            "quarter": 1,
            "format": "csv",
            "expires_at_0": "2020-01-01",
            "expires_at_1": "08:00:00",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["expires_at"] == ["有效期必须晚于当前时间。"]
    assert not ShareLink.objects.exists()


def test_share_link_year_must_be_its_programmes_year(manager):
    with pytest.raises(ValidationError) as excinfo:
        services.create_share_link(
            actor=manager,
            programme=ProgrammeFactory(year=2024),
            year=2030,
            quarter=1,
            fmt="csv",
            expires_at=timezone.now() + dt.timedelta(days=1),
        )
    assert "year" in excinfo.value.message_dict


def test_admin_shows_the_full_link_after_creating_it(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("admin:projects_sharelink_add"),
        {
            "programme": ProgrammeFactory().pk,
            "year": 2024,
            "quarter": 1,
            "format": "csv",
            "expires_at_0": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
            "expires_at_1": "18:00:00",
        },
        follow=True,
    )
    link = ShareLink.objects.get()
    assert f"http://testserver/share/{link.token}/" in response.content.decode()
