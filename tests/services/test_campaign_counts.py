"""Campaigns with their own counts (专项): entered by managers under the month's lock, shown
with the tag-based ones in the report, its JSON and the 通报 in the article's wording."""

import datetime as dt
import json
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from projects.briefing.wording import campaign_sentence
from projects.models import CampaignCount, PeriodLock, Tag
from projects.selectors.briefing import Campaign, build_briefing
from projects.selectors.snapshot import decode, encode
from projects.services.tags import record_campaign_counts, save_tag
from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
    StreetFactory,
)

pytestmark = pytest.mark.django_db
MICRO = {"launched": 45, "design_done": 0, "started": 0, "early": 0, "completed": 3}


@pytest.fixture(autouse=True)
def _april_2024():
    with time_machine.travel(dt.datetime(2024, 4, 20, 12, 0), tick=False):
        yield


@pytest.fixture
def micro(manager):
    tag = Tag(name="微更新", target=45, categories="口袋公园、街角绿地，背街小巷、社区微空间")
    return save_tag(actor=manager, tag=tag)


def _record(actor, tag, month=3, counts=MICRO, **kwargs):
    return record_campaign_counts(
        actor=actor, tag=tag, year=2024, month=month, counts=counts, **kwargs
    )


def _message(caught) -> str:
    with translation.override("zh-hans"):
        return " ".join(caught.value.messages)


# ---------------------------------------------------------------- writes


def test_managers_enter_counts_with_history_and_others_are_refused(micro, manager, staff_a):
    row = _record(manager, micro)
    assert (row.launched, row.completed, row.entered_by) == (45, 3, manager)
    assert row.history.first().history_user == manager
    with pytest.raises(PermissionDenied):
        _record(staff_a, micro, month=2)


def test_a_stage_beyond_what_was_launched_is_refused_in_chinese(micro, manager):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        _record(manager, micro, counts={**MICRO, "completed": 46})
    assert "不能多于已启动的项目数（45个）" in _message(caught)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        _record(manager, micro, counts={**MICRO, "started": 2, "early": 3})
    assert "提前开工" in _message(caught)


def test_a_future_month_is_refused(micro, manager):
    with pytest.raises(ValidationError):
        _record(manager, micro, month=6)


def test_a_locked_month_needs_a_managers_reason_through_the_ledgers_lock_rule(micro, manager):
    PeriodLock.objects.create(year=2024, month=3, locked_by=manager)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        _record(manager, micro)
    assert "锁定" in _message(caught)
    row = _record(manager, micro, reason="区城管局核定")
    assert row.history.first().history_change_reason == "区城管局核定"


def test_a_save_on_a_stale_version_is_refused(micro, manager):
    first = _record(manager, micro)
    _record(manager, micro, counts={**MICRO, "completed": 4}, expected_version=first.version)
    with pytest.raises(ValidationError):
        _record(manager, micro, counts={**MICRO, "completed": 5}, expected_version=first.version)
    assert CampaignCount.objects.get().completed == 4


def test_the_admin_enters_counts_through_the_service_and_shows_a_lock_on_the_form(
    micro, manager, manager_client
):
    PeriodLock.objects.create(year=2024, month=3, locked_by=manager)
    url = reverse("admin:projects_campaigncount_add")
    form = {"tag": micro.pk, "year": 2024, "month": 3, **MICRO}
    with translation.override("zh-hans"):
        response = manager_client.post(url, form)
    assert response.status_code == 200
    assert "锁定" in " ".join(response.context["adminform"].form.errors["reason"])
    response = manager_client.post(url, {**form, "reason": "补录"})
    assert response.status_code == 302
    assert CampaignCount.objects.get().history.first().history_change_reason == "补录"


# ---------------------------------------------------------------- wording


def test_the_sentences_follow_the_article():
    micro = Campaign(
        "微更新",
        45,
        0,
        0,
        3,
        counted=True,
        target=45,
        categories=("口袋公园", "街角绿地", "背街小巷", "社区微空间"),
    )
    assert campaign_sentence(micro) == (
        "启动口袋公园、街角绿地、背街小巷、社区微空间等4大类45个“微更新”项目，3个项目基本完工。"
    )
    parks = Campaign("公园建设", 46, 5, 5, 0, counted=True, design_done=46)
    assert campaign_sentence(parks) == "启动46个“公园建设”项目，设计方案全部完成，5个提前开工。"
    partly = Campaign("口袋公园", 20, 8, 2, 0, counted=True, target=30, design_done=12)
    assert campaign_sentence(partly) == (
        "启动20个“口袋公园”项目（目标30个），12个完成设计方案，8个已开工（其中2个提前开工）。"
    )


# ---------------------------------------------------------------- reads


@pytest.fixture
def listed(manager):
    """One listed project in a tag without counts, so the tag-based campaign shows too."""
    project = ProjectFactory(programme=ProgrammeFactory(year=2024, code="SJ2024"))
    QuarterPlanFactory(project=project, investment_q1=Decimal("300"))
    MonthlyProgressFactory(project=project, month=3, investment=Decimal("300"))
    save_tag(actor=manager, tag=Tag(name="老旧小区改造"), projects=[project])
    return project


def test_an_empty_tag_with_counts_is_shown_with_the_tag_based_ones(micro, listed, manager):
    _record(manager, micro, month=2, counts={**MICRO, "completed": 1})
    _record(manager, micro)
    briefing = build_briefing(user=manager, programme=listed.programme, year=2024, quarter=1)
    names = [c.name for c in briefing.campaigns]
    assert names == ["老旧小区改造", "微更新"]
    counted = briefing.campaigns[1]
    assert (counted.projects, counted.completed, counted.month) == (45, 3, 3)  # latest month
    assert counted.categories == ("口袋公园", "街角绿地", "背街小巷", "社区微空间")
    # Published editions store the briefing: the new fields come back.
    assert decode(json.loads(json.dumps(encode(briefing.campaigns)))) == briefing.campaigns


def test_a_filtered_report_leaves_the_whole_districts_counts_out(micro, listed, manager):
    _record(manager, micro)
    street = StreetFactory(code="Z", name="另一街道")
    briefing = build_briefing(
        user=manager,
        programme=listed.programme,
        year=2024,
        quarter=1,
        filters={"street": street.code},
    )
    assert [c.name for c in briefing.campaigns if c.counted] == []


def test_the_report_page_and_json_show_the_counted_campaign(micro, listed, manager, manager_client):
    _record(manager, micro)
    with translation.override("zh-hans"):
        page = manager_client.get(reverse("quarterly_report", args=[2024, 1])).content.decode()
    assert "微更新" in page and "老旧小区改造" in page and "口袋公园、街角绿地" in page
    response = manager_client.get(reverse("export_report", args=[2024, 1, "json"]))
    document = json.loads(b"".join(response.streaming_content))
    (campaign,) = document["campaigns"]
    assert campaign["name"] == "微更新" and campaign["launched"] == 45
    assert campaign["completed"] == 3 and campaign["target"] == 45 and campaign["month"] == 3
