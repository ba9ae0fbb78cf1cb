"""Warning-light thresholds: one set for the district, percentages, red not above yellow."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from projects.models import DispatchSettings, ReportSettings, WarningFlag
from tests.factories import ProjectFactory, UserFactory

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


def test_the_light_thresholds_default_to_the_published_figures():
    s = ReportSettings.current()
    assert (s.progress_style, s.behind_yellow_points, s.behind_red_points) == ("points", 10, 30)
    assert (s.time_ratio_yellow_below, s.time_ratio_red_below) == (80, 60)
    assert (s.start_yellow_months, s.start_red_months, s.node_red_days) == (1, 3, 30)
    assert DispatchSettings.current().library_min_investment == 500


def test_points_red_before_yellow_is_refused_in_plain_words():
    settings = ReportSettings.current()
    settings.behind_yellow_points, settings.behind_red_points = Decimal("30"), Decimal("10")
    with pytest.raises(ValidationError) as excinfo:
        settings.full_clean()
    assert excinfo.value.messages == ["红灯落后的百分点数不能少于黄灯。"]


def test_a_threshold_changed_in_the_admin_is_kept_in_the_history_with_who(client):
    root = UserFactory(username="root", is_superuser=True)
    client.force_login(root)
    url = reverse("admin:projects_reportsettings_change", args=[ReportSettings.current().pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data["behind_yellow_points"] = "12"
    data = {k: ("on" if v is True else "" if v in (None, False) else v) for k, v in data.items()}
    if not ReportSettings.current().submit_with_missing:
        data.pop("submit_with_missing")
    assert client.post(url, data).status_code == 302
    latest = ReportSettings.history.latest("history_date")
    assert (latest.behind_yellow_points, latest.history_user) == (Decimal("12"), root)


def test_a_manual_flag_added_in_the_admin_goes_through_the_service(client, manager):
    project = ProjectFactory()
    client.force_login(manager)
    response = client.post(
        reverse("admin:projects_warningflag_add"),
        {"project": project.pk, "light": "red", "reason": "征地受阻", "since": "2024-03-01"},
    )
    assert response.status_code == 302
    flag = WarningFlag.objects.get(project=project)
    assert (flag.light, flag.flagged_by) == ("red", manager)
    assert flag.history.get().history_user == manager
