"""Share links expire within SHARE_LINK_MAX_DAYS, whichever way they are made."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from projects import services
from projects.models import ShareLink
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def make_link(actor, expires_at):
    return services.create_share_link(
        actor=actor,
        programme=ProgrammeFactory(),
        year=2024,
        quarter=1,
        fmt="csv",
        expires_at=expires_at,
    )


def test_share_link_expiring_in_year_9999_is_refused_with_the_cap(manager):
    far = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as caught:
        make_link(manager, far)
    assert "分享链接的有效期最长为90天" in caught.value.message_dict["expires_at"][0]
    assert not ShareLink.objects.exists()


def test_share_link_within_the_cap_is_accepted(manager):
    link = make_link(manager, timezone.now() + dt.timedelta(days=89))
    assert link.is_active()


def test_share_link_cap_follows_the_setting(manager, settings):
    settings.SHARE_LINK_MAX_DAYS = 7
    with pytest.raises(ValidationError) as caught:
        make_link(manager, timezone.now() + dt.timedelta(days=8))
    assert "最长为7天" in caught.value.message_dict["expires_at"][0]
    assert make_link(manager, timezone.now() + dt.timedelta(days=6)).is_active()


def test_admin_refuses_a_share_link_expiry_beyond_the_cap(manager_client):
    programme = ProgrammeFactory()
    response = manager_client.post(
        reverse("admin:projects_sharelink_add"),
        {
            "programme": programme.pk,
            "year": 2024,
            "quarter": 1,
            "format": "csv",
            "expires_at_0": "9999-12-31",
            "expires_at_1": "08:00:00",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["expires_at"]
    assert "分享链接的有效期最长为90天" in errors[0]
    assert not ShareLink.objects.exists()
