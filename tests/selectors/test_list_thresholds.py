"""Thresholds are data per list and year (issue #23 item 1): a list may set its own light
thresholds; a blank one is the district's, and another list keeps the district's."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from projects import services
from projects.models import DispatchSettings, ListThresholds, Project, ReportSettings
from projects.periods import Period
from projects.permissions import WHOLE_DISTRICT
from projects.selectors import Light, quarterly_report
from projects.selectors.light_history import lights_at
from projects.selectors.thresholds import dispatch_for, thresholds_for
from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
)

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def programme():
    return ProgrammeFactory(year=2024)


@pytest.fixture
def other():
    """A second list of the same year (专项), which sets nothing of its own."""
    return ProgrammeFactory(year=2024, code="ZX2024", name="2024年专项攻坚项目")


def behind(programme, code, amount):
    """A continuing project in the library planning 400 for the year, with ``amount`` done by
    December: at Q4 the time elapsed is 100%, so it is (400 - amount) / 4 points behind."""
    project = ProjectFactory(
        programme=programme,
        code=code,
        kind=Project.Kind.CONTINUING,
        actual_start=dt.date(2023, 1, 1),
        statistics_entry_date=dt.date(2023, 2, 1),
    )
    QuarterPlanFactory(
        project=project, year=2024, **{f"investment_q{q}": D(100) for q in range(1, 5)}
    )
    MonthlyProgressFactory(project=project, month=12, investment=D(amount), inclusion=D(0))
    return project


def lights(programme, quarter=4):
    report = quarterly_report(user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=quarter)
    return {r.code: r.light for r in report.rows}, report


def own(manager, programme, **values):
    return services.save_list_thresholds(
        actor=manager, values=ListThresholds(programme=programme, **values)
    )


def test_a_list_with_stricter_points_lights_yellow_where_the_district_leaves_green(
    programme, other, manager
):
    behind(programme, "P8", "368")  # 8 points behind: green by the district's 10
    behind(other, "O8", "368")
    own(manager, programme, behind_yellow_points=D("5"))
    assert lights(programme)[0]["P8"] == Light.YELLOW
    # The other list keeps the district's thresholds.
    assert lights(other)[0]["O8"] == Light.GREEN


def test_a_list_with_looser_points_leaves_green_what_the_district_lights_yellow(
    programme, other, manager
):
    behind(programme, "P12", "352")  # 12 points behind: yellow by the district's 10
    behind(other, "O12", "352")
    own(manager, programme, behind_yellow_points=D("15"))
    assert lights(programme)[0]["P12"] == Light.GREEN
    assert lights(other)[0]["O12"] == Light.YELLOW


def test_blank_fields_are_the_districts(programme, manager):
    behind(programme, "P20", "320")  # 20 behind
    behind(programme, "P31", "276")  # 31 behind: red by the district's 30, which is kept
    own(manager, programme, behind_yellow_points=D("25"))
    got, _report = lights(programme)
    assert got == {"P20": Light.GREEN, "P31": Light.RED}


def test_the_rule_sentence_states_the_lists_thresholds(programme, other, manager):
    behind(programme, "P1", "400")
    behind(other, "O1", "400")
    own(manager, programme, behind_yellow_points=D("5"), library_min_investment=D("1000"))
    rule = lights(programme)[1].light_rule
    assert "落后时序进度5个百分点及以上亮黄灯、超过30个百分点亮红灯" in rule
    assert "计划总投资1000万元及以上" in rule
    assert "落后时序进度10个百分点" in lights(other)[1].light_rule


def test_a_lists_library_threshold_lights_the_not_in_library_signal(programme, manager):
    ProjectFactory(
        programme=programme,
        code="LIB",
        kind=Project.Kind.CONTINUING,
        actual_start=dt.date(2024, 1, 31),
        statistics_entry_date=None,
        total_investment=D("600"),
    )
    assert lights(programme, quarter=1)[0]["LIB"] == Light.RED  # 2 months out, from 500
    own(manager, programme, library_min_investment=D("1000"))
    assert lights(programme, quarter=1)[0]["LIB"] == Light.GREEN


def test_the_light_history_reads_the_lists_thresholds(programme, manager):
    project = behind(programme, "P8", "368")
    own(manager, programme, behind_yellow_points=D("5"))
    found = lights_at(programme, Period.through_month(2024, 12))
    assert found[project.pk][0] == Light.YELLOW


def test_thresholds_for_reads_the_district_and_the_list_in_one_query(
    programme, manager, django_assert_num_queries
):
    own(manager, programme, start_red_months=6)
    ReportSettings.current(), DispatchSettings.current()  # the district's rows, as in use
    with django_assert_num_queries(1):
        report, dispatch = thresholds_for(programme)
    assert report.start_red_months == 6 and report.start_yellow_months == 1
    assert report._dispatch is dispatch and dispatch.library_red_months == 2


def test_the_thresholds_statement_compiled_once_reads_each_list_and_each_change_afresh(
    programme, other, manager
):
    # The first read compiles the statement; the reads after it run it with another list's id
    # and see values saved since, the district's and the list's.
    assert thresholds_for(programme)[0].start_red_months == 3
    own(manager, programme, start_red_months=6)
    assert thresholds_for(programme)[0].start_red_months == 6
    assert thresholds_for(other)[0].start_red_months == 3
    ReportSettings.objects.update_or_create(pk=1, defaults={"start_red_months": 4})
    assert thresholds_for(other)[0].start_red_months == 4
    assert thresholds_for(programme)[0].start_red_months == 6
    assert dispatch_for(other.pk).library_red_months == 2


def test_a_lists_yellow_past_the_districts_red_is_refused_by_the_districts_rule(programme, manager):
    with pytest.raises(ValidationError) as refused:
        own(manager, programme, behind_yellow_points=D("40"))  # the district's red is 30
    assert "红灯落后的百分点数不能少于黄灯。" in str(refused.value)
    with pytest.raises(ValidationError):
        own(manager, programme, library_yellow_months=3)  # the district's red is 2
    assert not ListThresholds.objects.exists()


def test_a_clerk_cannot_set_a_lists_thresholds(programme, staff_a, staff_a_client):
    with pytest.raises(PermissionDenied):
        own(staff_a, programme, behind_yellow_points=D("5"))
    url = reverse("admin:projects_listthresholds_add")
    assert staff_a_client.get(url).status_code == 403
    assert staff_a_client.post(url, {"programme": programme.pk}).status_code == 403
    assert not ListThresholds.objects.exists()


def test_a_manager_sets_them_in_the_admin_and_history_keeps_the_actor(
    programme, manager, manager_client
):
    url = reverse("admin:projects_listthresholds_add")
    response = manager_client.post(
        url, {"programme": programme.pk, "behind_yellow_points": "5", "progress_style": ""}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = ListThresholds.objects.get(programme=programme)
    assert saved.behind_yellow_points == D("5") and saved.behind_red_points is None
    record = saved.history.get()
    assert record.history_user == manager


def test_the_projects_library_status_reads_its_lists_floor(programme, other, manager):
    own(manager, programme, library_min_investment=D("1000"))
    assert dispatch_for(programme.pk).library_min_investment == D("1000")
    assert dispatch_for(other.pk).library_min_investment == D("500")


def test_district_rows_never_saved_read_as_their_defaults_and_are_not_created(programme):
    report, dispatch = thresholds_for(programme)
    assert (report.behind_yellow_points, report.behind_red_points) == (D("10"), D("30"))
    assert dispatch.library_red_months == 2
    assert not ReportSettings.objects.exists() and not DispatchSettings.objects.exists()
