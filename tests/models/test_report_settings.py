"""Warning-light thresholds: one set for the district, percentages, red not above yellow."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from projects.models import ReportSettings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_thresholds_outside_zero_to_hundred_are_rejected():
    settings = ReportSettings.current()
    settings.red_below = Decimal("-10")
    with pytest.raises(ValidationError) as excinfo:
        settings.full_clean()
    assert excinfo.value.message_dict["red_below"] == ["阈值须为 0 到 100 之间的百分比。"]


def test_red_above_yellow_gives_one_plain_message():
    settings = ReportSettings.current()
    settings.red_below, settings.yellow_below = Decimal("90"), Decimal("80")
    with pytest.raises(ValidationError) as excinfo:
        settings.full_clean()
    assert excinfo.value.messages == ["红灯阈值不能高于黄灯阈值。"]


def test_a_second_settings_row_is_refused():
    ReportSettings.current()
    with pytest.raises(ValidationError):
        ReportSettings(pk=2).full_clean()


def test_admin_opens_the_one_settings_row_and_offers_no_add(client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    response = client.get(reverse("admin:projects_reportsettings_changelist"))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:projects_reportsettings_change", args=[ReportSettings.current().pk]
    )
    assert client.get(reverse("admin:projects_reportsettings_add")).status_code == 403
