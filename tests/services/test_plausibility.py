"""The plausibility rule: hard limits refuse, warnings need an acknowledgement the row keeps."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from projects import services
from projects.models import MonthlyProgress, ReportSettings
from projects.services import plausibility
from tests.factories import MonthlyProgressFactory, ProjectFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def project(unit_a):
    """A 10,000 万元 project with January 100/80 and February 100/80."""
    project = ProjectFactory(unit=unit_a, code="A1", total_investment=D("10000"))
    for month in (1, 2):
        MonthlyProgressFactory(project=project, month=month, investment=D("100"), inclusion=D("80"))
    return project


def march(project, investment, inclusion, **extra):
    return services.ProgressInput(
        project=project,
        year=2024,
        month=3,
        investment=D(investment),
        inclusion=D(inclusion),
        **extra,
    )


def codes(project, investment, inclusion, **settings):
    current = ReportSettings.current()
    for name, value in settings.items():
        setattr(current, name, D(value))
    return plausibility.review_one(march(project, investment, inclusion), current).codes


def refused(project, investment, inclusion):
    return [f.code for f in plausibility.review_one(march(project, investment, inclusion)).refusals]


def test_an_ordinary_month_has_no_warning(project):
    assert codes(project, "120", "90") == []


def test_a_month_above_the_share_of_the_total_is_queried(project):
    # 3,001 of 10,000 is above 30 %; 3,000 is not.
    assert "share_of_total" in codes(project, "3001", "0")
    assert "share_of_total" not in codes(project, "3000", "0")


def test_the_share_threshold_comes_from_report_settings(project):
    assert "share_of_total" in codes(project, "600", "0", entry_share_of_total="5")


def test_a_month_over_ten_times_the_average_is_queried(project):
    assert "times_average" in codes(project, "1000.01", "0")
    assert "times_average" not in codes(project, "1000", "0")


def test_year_to_date_inclusion_above_investment_is_queried(project):
    # Year to date before March: 200 invested, 160 included.
    assert "inclusion_above_investment" in codes(project, "10", "51")
    assert "inclusion_above_investment" not in codes(project, "10", "50")


def test_a_jump_or_fall_from_last_month_is_queried(project):
    assert "jump" in codes(project, "501", "0")
    assert "fall" in codes(project, "19", "0")
    assert not {"jump", "fall"} & set(codes(project, "20", "0"))


def test_the_same_figures_as_last_month_are_queried(project):
    assert "same_as_last_month" in codes(project, "100", "80")
    assert "same_as_last_month" not in codes(project, "100", "79")


def test_the_same_figures_as_another_project_of_the_unit_that_month_are_queried(project, unit_a):
    other = ProjectFactory(unit=unit_a, code="A2")
    MonthlyProgressFactory(project=other, month=3, investment=D("120"), inclusion=D("90"))
    found = plausibility.review_one(march(project, "120", "90"))
    assert found.codes == ["same_as_other_project"]
    assert "A2" in found.warnings[0].message
    assert "same_as_other_project" not in codes(project, "120", "91")


def test_rows_of_one_batch_are_read_against_each_other(project, unit_a):
    other = ProjectFactory(unit=unit_a, code="A2")
    april = services.ProgressInput(
        project=project, year=2024, month=4, investment=D("600"), inclusion=D("0")
    )
    reviews = plausibility.review([march(project, "110", "80"), april, march(other, "110", "80")])
    # April jumps from the batch's own March (110), not from the stored February.
    assert "jump" in reviews[1].codes
    assert "same_as_other_project" in reviews[0].codes
    assert "same_as_other_project" in reviews[2].codes


def test_a_month_above_the_total_investment_is_refused(project):
    assert refused(project, "10000.01", "0") == ["month_above_total"]
    assert refused(project, "5000", "0") == []


def test_a_months_inclusion_above_the_total_investment_is_refused(project):
    assert refused(project, "0", "10000.01") == ["inclusion_above_total"]


def test_cumulative_investment_over_all_years_above_the_total_is_refused(project):
    MonthlyProgressFactory(project=project, year=2023, month=12, investment=D("9000"))
    # 9,000 (2023) + 200 (Jan, Feb) + 800 = 10,000: allowed; a cent more is not.
    assert refused(project, "800", "0") == []
    assert refused(project, "800.01", "0") == ["cumulative_above_total"]


def test_negative_amounts_are_refused(project):
    assert refused(project, "-1", "0") == ["negative"]


def test_a_project_without_a_total_has_no_limit_to_break(unit_a):
    project = ProjectFactory(unit=unit_a, total_investment=D("0"))
    assert refused(project, "500000", "0") == []


def test_the_article_case_is_refused_naming_the_row_and_the_rule(unit_a, staff_a):
    """500,000 万元 in one month on a 131,500 万元 project: nothing is written."""
    project = ProjectFactory(unit=unit_a, code="CY-001", total_investment=D("131500"))
    with pytest.raises(ValidationError) as exc:
        services.record_progress(
            actor=staff_a,
            project=project,
            year=2024,
            month=3,
            investment=D("500000"),
            inclusion=D("0"),
            acknowledge=True,
        )
    assert exc.value.messages == [
        "CY-001 2024-03：当月完成投资 500000 万元超过项目总投资 131500 万元，未保存。"
        "项目确实超出总投资的，请管理员先调高总投资。"
    ]
    assert not MonthlyProgress.objects.exists()


def test_warnings_refuse_a_save_until_acknowledged(project, staff_a):
    with pytest.raises(ValidationError) as exc:
        services.record_progress(
            actor=staff_a,
            project=project,
            year=2024,
            month=3,
            investment=D("3500"),
            inclusion=D("0"),
        )
    assert exc.value.code == "unacknowledged"
    assert "A1 2024-03" in exc.value.messages[0]
    assert not MonthlyProgress.objects.filter(month=3).exists()


def test_an_acknowledgement_is_kept_on_the_row_and_in_its_history(project, staff_a):
    entry = services.record_progress(
        actor=staff_a,
        project=project,
        year=2024,
        month=3,
        investment=D("3500"),
        inclusion=D("0"),
        acknowledge=True,
    )
    entry.refresh_from_db()
    assert entry.acknowledged_warnings == "share_of_total,times_average,jump"
    assert entry.acknowledged_by == staff_a
    assert entry.acknowledged_at is not None
    record = entry.history.latest()
    assert (record.acknowledged_warnings, record.acknowledged_by_id, record.history_user) == (
        "share_of_total,times_average,jump",
        staff_a.pk,
        staff_a,
    )


def test_new_ordinary_figures_clear_an_old_acknowledgement(project, staff_a):
    args = {"actor": staff_a, "project": project, "year": 2024, "month": 3}
    entry = services.record_progress(
        **args, investment=D("3500"), inclusion=D("0"), acknowledge=True
    )
    entry = services.record_progress(
        **args, investment=D("120"), inclusion=D("90"), expected_version=entry.version
    )
    entry.refresh_from_db()
    assert (entry.acknowledged_warnings, entry.acknowledged_by, entry.acknowledged_at) == (
        "",
        None,
        None,
    )


def test_editing_only_the_text_of_acknowledged_figures_asks_nothing_again(project, staff_a):
    args = {"actor": staff_a, "project": project, "year": 2024, "month": 3}
    entry = services.record_progress(
        **args, investment=D("3500"), inclusion=D("0"), acknowledge=True
    )
    entry = services.record_progress(
        **args,
        investment=D("3500"),
        inclusion=D("0"),
        image_progress="主体施工",
        expected_version=entry.version,
    )
    entry.refresh_from_db()
    assert (entry.image_progress, entry.acknowledged_by) == ("主体施工", staff_a)


def test_the_batch_refuses_unacknowledged_rows_and_writes_nothing(project, staff_a, unit_a):
    other = ProjectFactory(unit=unit_a, code="A2")
    refusals = services.record_progress_batch(
        actor=staff_a,
        entries=[march(other, "120", "90"), march(project, "3500", "0")],
    )
    assert list(refusals) == [1]
    assert refusals[1].code == "unacknowledged"
    assert not MonthlyProgress.objects.filter(month=3).exists()


def test_the_batch_keeps_each_acknowledgement(project, staff_a):
    refusals = services.record_progress_batch(
        actor=staff_a, entries=[march(project, "3500", "0", acknowledge=True)]
    )
    assert refusals == {}
    entry = MonthlyProgress.objects.get(month=3)
    assert (entry.acknowledged_warnings, entry.acknowledged_by) == (
        "share_of_total,times_average,jump",
        staff_a,
    )
    assert entry.history.latest().acknowledged_by_id == staff_a.pk


def test_the_batch_refuses_a_hard_limit_even_when_acknowledged(project, staff_a):
    refusals = services.record_progress_batch(
        actor=staff_a, entries=[march(project, "10001", "0", acknowledge=True)]
    )
    assert refusals[0].error_list[0].code == "month_above_total"
    assert not MonthlyProgress.objects.filter(month=3).exists()


def test_the_total_investment_cannot_drop_below_what_is_done(project, manager):
    project.total_investment = D("199.99")
    with pytest.raises(ValidationError) as exc:
        services.save_project(actor=manager, project=project, expected_version=project.version)
    assert exc.value.message_dict["total_investment"] == [
        "A1 历年累计已完成投资 200.00 万元，超过所填总投资 199.99 万元；总投资不能低于已完成投资。"
    ]
