"""District indicators (区级指标): entered by their unit through one service, shown, sentenced."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from projects import services
from projects.briefing.wording import indicators_paragraph, outline
from projects.models import Frequency, Indicator, IndicatorValue, PeriodLock
from projects.money import format_count
from projects.permissions import WHOLE_DISTRICT
from projects.selectors.briefing import build_briefing
from projects.selectors.indicators import indicator_progress
from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _april_2024():
    with time_machine.travel(dt.datetime(2024, 4, 20, 12, 0), tick=False):
        yield


@pytest.fixture
def science(unit_a):
    return Indicator.objects.create(
        code="KJXZX",
        name="科技型中小企业入库",
        count_unit="家",
        frequency=Frequency.YEAR,
        unit=unit_a,
    )


@pytest.fixture
def removals(unit_a):
    return Indicator.objects.create(
        code="CCLJ",
        name="拆除超期临建",
        count_unit="处",
        frequency=Frequency.QUARTER,
        unit=unit_a,
        sort_order=2,
    )


def _record(actor, indicator, period, value, target=None, **kwargs):
    return services.record_indicator_value(
        actor=actor,
        indicator=indicator,
        year=2024,
        period=period,
        value=Decimal(value),
        target=None if target is None else Decimal(target),
        **kwargs,
    )


def _message(caught) -> str:
    with translation.override("zh-hans"):
        return " ".join(caught.value.messages)


# ---------------------------------------------------------------- the service


def test_the_owning_units_staff_and_managers_enter_figures_with_history(science, staff_a, manager):
    row = _record(staff_a, science, 0, "2400", "2500")
    assert (row.value, row.target, row.entered_by) == (Decimal("2400"), Decimal("2500"), staff_a)
    row = _record(manager, science, 0, "2427", "2500", expected_version=row.version)
    assert row.version == 2 and row.history.count() == 2
    assert row.history.first().history_user == manager


def test_another_units_staff_and_readers_are_refused(science, staff_b, viewer):
    for actor in (staff_b, viewer):
        with pytest.raises(PermissionDenied):
            _record(actor, science, 0, "1")
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize(
    ("frequency", "period", "words"),
    [
        (Frequency.MONTH, 13, "1 至 12 月"),
        (Frequency.QUARTER, 5, "第 1 至 4 季度"),
        (Frequency.YEAR, 1, "期间为 0"),
        (Frequency.MONTH, 5, "尚未开始"),  # May 2024 has not begun on 20 April
    ],
)
def test_a_period_the_frequency_does_not_have_is_refused_in_chinese(
    unit_a, staff_a, frequency, period, words
):
    indicator = Indicator.objects.create(
        code="X", name="测试指标", count_unit="个", frequency=frequency, unit=unit_a
    )
    with pytest.raises(ValidationError) as caught:
        _record(staff_a, indicator, period, "1")
    assert words in _message(caught)


def test_a_negative_or_absurd_figure_is_refused(removals, staff_a):
    for value in ("-1", "100000000000"):
        with pytest.raises(ValidationError) as caught:
            _record(staff_a, removals, 1, value)
        assert "不小于 0 的计数" in _message(caught)


def test_a_locked_month_refuses_staff_and_asks_a_manager_for_a_reason(removals, staff_a, manager):
    PeriodLock.objects.create(year=2024, month=3, locked_by=manager)
    with pytest.raises(ValidationError) as caught:
        _record(staff_a, removals, 1, "57")
    assert "锁定" in _message(caught)
    with pytest.raises(ValidationError):
        _record(manager, removals, 1, "57")
    row = _record(manager, removals, 1, "57", reason="市里核定数")
    assert row.history.first().history_change_reason == "市里核定数"


def test_a_save_on_a_stale_version_is_refused(removals, staff_a, manager):
    first = _record(staff_a, removals, 1, "50")
    _record(manager, removals, 1, "57", expected_version=first.version)
    with pytest.raises(ValidationError):
        _record(staff_a, removals, 1, "52", expected_version=first.version)
    assert IndicatorValue.objects.get().value == Decimal("57")


# ---------------------------------------------------------------- reads


def test_progress_is_each_indicators_latest_figure_with_the_share_of_target(
    science, removals, staff_a
):
    _record(staff_a, science, 0, "2427", "2500")
    _record(staff_a, removals, 1, "57")
    science_now, removals_now = indicator_progress(2024, 3)
    assert science_now.rate == Decimal("97.1") and removals_now.rate is None
    assert removals_now.value == Decimal("57") and removals_now.period_label == "2024年第1季度"
    # A quarter not yet ended at the month asked for is not shown.
    assert [i.code for i in indicator_progress(2024, 2)] == ["KJXZX"]


def test_counts_print_with_commas_and_only_the_places_they_have():
    assert format_count(Decimal("2427.00")) == "2,427"
    assert format_count(Decimal("12.50")) == "12.5"
    assert format_count(None) == "—"


def _ledger():
    project = ProjectFactory(programme=ProgrammeFactory(year=2024), kind="continuing")
    QuarterPlanFactory(project=project)
    MonthlyProgressFactory(project=project, month=3)
    return project


def test_the_briefing_sentences_the_stored_figures_and_a_filtered_one_leaves_them_out(
    science, removals, staff_a
):
    project = _ledger()
    _record(staff_a, science, 0, "2427", "2500")
    _record(staff_a, removals, 1, "57")
    briefing = build_briefing(
        user=WHOLE_DISTRICT, programme=ProgrammeFactory(year=2024), year=2024, quarter=1
    )
    paragraph = indicators_paragraph(briefing)
    assert paragraph == "科技型中小企业入库2,427家，完成目标2,500家的97.1%；拆除超期临建57处。"
    headings = [s.heading for s in outline(briefing).sections]
    assert any("区级重点指标" in h for h in headings)
    filtered = build_briefing(
        user=WHOLE_DISTRICT,
        programme=ProgrammeFactory(year=2024),
        year=2024,
        quarter=1,
        filters={"unit": project.unit.code},
    )
    assert indicators_paragraph(filtered) is None


# ---------------------------------------------------------------- doors


def test_the_entry_page_stores_a_figure_and_reports_a_bad_one_in_chinese(science, staff_a_client):
    url = reverse("indicator_entry", args=[science.code])
    page = staff_a_client.get(url)
    assert page.status_code == 200 and "科技型中小企业入库" in page.content.decode()
    bad = staff_a_client.post(url, {"year": 2024, "period": 0, "value": "两千"})
    assert bad.status_code == 200 and IndicatorValue.objects.count() == 0
    good = staff_a_client.post(url, {"year": 2024, "period": 0, "value": "2,427", "target": "2500"})
    assert good.status_code == 302
    assert IndicatorValue.objects.get().value == Decimal("2427")
    listing = staff_a_client.get(reverse("indicators"), {"year": 2024}).content.decode()
    assert "2,427 家" in listing


def test_the_entry_page_of_another_units_indicator_is_not_found(unit_b, staff_a_client):
    other = Indicator.objects.create(
        code="GXJS", name="高新技术企业", count_unit="家", frequency=Frequency.YEAR, unit=unit_b
    )
    assert staff_a_client.get(reverse("indicator_entry", args=[other.code])).status_code == 404
    response = staff_a_client.post(
        reverse("indicator_entry", args=[other.code]), {"year": 2024, "period": 0, "value": "1"}
    )
    assert response.status_code == 404 and not IndicatorValue.objects.exists()


@pytest.mark.parametrize(
    "params",
    [
        {"year": "x", "period": "y"},
        {"year": "99999999999999999999"},
        {"year": "2024", "period": "99999999999999999999"},
    ],
)
def test_hostile_periods_on_the_entry_page_never_fail(science, staff_a_client, params):
    response = staff_a_client.get(reverse("indicator_entry", args=[science.code]), params)
    assert response.status_code == 200


def test_the_dashboard_shows_indicators_but_not_to_a_street_viewer(
    science, staff_a, manager_client, street_viewer_client
):
    _ledger()
    _record(staff_a, science, 0, "2427", "2500")
    page = manager_client.get(reverse("dashboard"), {"year": "2024", "quarter": "1"})
    html = page.content.decode()
    assert "科技型中小企业入库" in html and "97.1%" in html and "目标 2,500家" in html
    page = street_viewer_client.get(reverse("dashboard"), {"year": "2024", "quarter": "1"})
    assert page.status_code == 200 and "科技型中小企业入库" not in page.content.decode()


def test_the_admin_lists_figures_but_never_edits_them(science, staff_a, manager_client):
    row = _record(staff_a, science, 0, "2427", "2500")
    assert manager_client.get("/admin/projects/indicatorvalue/").status_code == 200
    change = manager_client.get(f"/admin/projects/indicatorvalue/{row.pk}/change/")
    assert change.status_code == 200 and b'name="_save"' not in change.content
