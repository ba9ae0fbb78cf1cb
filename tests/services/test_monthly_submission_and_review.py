"""Monthly submission, review and locks: who may do what, and what it closes."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from projects import services
from projects.models import MonthlyProgress, MonthSubmission, PeriodLock
from tests.factories import (
    MonthlyProgressFactory,
    ProjectFactory,
    UnitFactory,
    user_with_role,
    version_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    unit = UnitFactory()
    project = ProjectFactory(unit=unit)
    entry = MonthlyProgressFactory(project=project, month=3)
    return {
        "unit": unit,
        "project": project,
        "entry": entry,
        "staff": user_with_role("unit_staff", unit),
        "manager": user_with_role("manager"),
    }


def record(actor, project, month=3, investment="60", **kwargs):
    """A save by someone who read the month as it is stored now."""
    kwargs.setdefault(
        "expected_version", version_of(MonthlyProgress, project=project, year=2024, month=month)
    )
    return services.record_progress(
        actor=actor,
        project=project,
        year=2024,
        month=month,
        investment=Decimal(investment),
        inclusion=Decimal("1"),
        **kwargs,
    )


def test_submitted_month_refuses_unit_staff_edits(setup):
    services.submit_month(actor=setup["staff"], unit=setup["unit"], year=2024, month=3)
    with pytest.raises(ValidationError, match="submitted|已提交|提交"):
        record(setup["staff"], setup["project"])
    assert MonthlyProgress.objects.get(pk=setup["entry"].pk).investment == Decimal("50.00")


def test_returned_month_accepts_unit_staff_edits_again(setup):
    staff, manager, unit = setup["staff"], setup["manager"], setup["unit"]
    services.submit_month(actor=staff, unit=unit, year=2024, month=3)
    services.return_month(actor=manager, unit=unit, year=2024, month=3, comment="3月数据漏填")
    entry = record(staff, setup["project"])
    assert entry.investment == Decimal("60")
    resubmitted = services.submit_month(actor=staff, unit=unit, year=2024, month=3)
    assert resubmitted.status == MonthSubmission.Status.SUBMITTED


def test_approved_month_stays_closed_to_unit_staff(setup):
    services.submit_month(actor=setup["staff"], unit=setup["unit"], year=2024, month=3)
    services.approve_month(actor=setup["manager"], unit=setup["unit"], year=2024, month=3)
    with pytest.raises(ValidationError):
        record(setup["staff"], setup["project"])


def test_unit_staff_cannot_review_or_lock(setup):
    staff, unit = setup["staff"], setup["unit"]
    services.submit_month(actor=staff, unit=unit, year=2024, month=3)
    with pytest.raises(PermissionDenied):
        services.approve_month(actor=staff, unit=unit, year=2024, month=3)
    with pytest.raises(PermissionDenied):
        services.lock_month(actor=staff, year=2024, month=3)


def test_unit_staff_cannot_submit_another_units_month(setup):
    with pytest.raises(PermissionDenied):
        services.submit_month(actor=setup["staff"], unit=UnitFactory(), year=2024, month=3)


def test_return_needs_a_comment(setup):
    services.submit_month(actor=setup["staff"], unit=setup["unit"], year=2024, month=3)
    with pytest.raises(ValidationError):
        services.return_month(
            actor=setup["manager"], unit=setup["unit"], year=2024, month=3, comment=" "
        )


def test_submitting_twice_is_refused(setup):
    services.submit_month(actor=setup["staff"], unit=setup["unit"], year=2024, month=3)
    with pytest.raises(ValidationError):
        services.submit_month(actor=setup["staff"], unit=setup["unit"], year=2024, month=3)


def test_locked_month_refuses_unit_staff_even_without_submission(setup):
    services.lock_quarter(
        actor=setup["manager"], year=2024, quarter=1, reason="上报（部分单位未审核）"
    )
    assert set(PeriodLock.objects.values_list("month", flat=True)) == {1, 2, 3}
    with pytest.raises(ValidationError, match="locked|锁定"):
        record(setup["staff"], setup["project"])


def test_manager_edit_of_locked_month_needs_reason_and_keeps_it_in_history(setup):
    manager = setup["manager"]
    services.lock_month(actor=manager, year=2024, month=3, reason="上报（部分单位未审核）")
    with pytest.raises(ValidationError):
        record(manager, setup["project"])
    record(manager, setup["project"], reason="统计局核定后更正")
    latest = MonthlyProgress.history.filter(id=setup["entry"].pk).latest("history_date")
    assert latest.history_change_reason == "统计局核定后更正"
    assert latest.history_user == manager
    assert latest.investment == Decimal("60")


def test_locking_twice_changes_nothing_and_unlock_reopens(setup):
    manager = setup["manager"]
    services.lock_month(actor=manager, year=2024, month=3, reason="上报（部分单位未审核）")
    services.lock_month(actor=manager, year=2024, month=3, reason="上报（部分单位未审核）")
    assert PeriodLock.objects.count() == 1
    services.unlock_quarter(actor=manager, year=2024, quarter=1, reason="复核更正")
    assert record(setup["staff"], setup["project"]).investment == Decimal("60")


def test_new_plan_for_a_locked_quarter_needs_a_managers_reason(setup):
    services.lock_quarter(
        actor=setup["manager"], year=2024, quarter=1, reason="上报（部分单位未审核）"
    )
    with pytest.raises(ValidationError, match="locked|锁定"):
        services.save_plan(
            actor=setup["manager"],
            project=setup["project"],
            year=2024,
            investment=[Decimal(10), 0, 0, 0],
            inclusion=[0, 0, 0, 0],
        )


def test_concurrent_progress_edit_is_refused_not_overwritten(setup):
    entry = setup["entry"]
    opened_at = entry.version
    record(setup["manager"], setup["project"], investment="70", expected_version=opened_at)
    with pytest.raises(ValidationError, match="[Rr]eload|刷新|重新"):
        record(setup["staff"], setup["project"], investment="80", expected_version=opened_at)
    assert MonthlyProgress.objects.get(pk=entry.pk).investment == Decimal("70")


def test_concurrent_admin_edit_of_progress_shows_reload_message(client, setup):
    entry, staff = setup["entry"], setup["staff"]
    url = reverse("admin:projects_monthlyprogress_change", args=[entry.pk])
    stale_version = entry.version
    record(setup["manager"], setup["project"], investment="70")
    client.force_login(staff)
    client.cookies["django_language"] = "en"
    response = client.post(
        url,
        {
            "expected_version": stale_version,
            "investment": "80",
            "inclusion": "1",
            "image_progress": "",
            "problems": "",
            "reason": "",
        },
    )
    assert response.status_code == 200
    assert "Reload" in response.content.decode() or "刷新" in response.content.decode()
    assert MonthlyProgress.objects.get(pk=entry.pk).investment == Decimal("70")


def test_concurrent_admin_edit_of_plan_inline_is_refused(client, setup, manager):
    from projects.models import QuarterPlan

    project = setup["project"]
    plan = services.save_plan(
        actor=manager,
        project=project,
        year=2024,
        investment=[Decimal(100)] * 4,
        inclusion=[Decimal(80)] * 4,
    )
    stale_version = plan.version
    services.save_plan(
        actor=manager,
        project=project,
        year=2024,
        investment=[Decimal(100), Decimal(200), Decimal(100), Decimal(100)],
        inclusion=[Decimal(80)] * 4,
        expected_version=stale_version,
    )
    # Plans are the office's: the second editor is another manager with a stale page.
    client.force_login(setup["manager"])
    from tests.admin.posts import inline_management, project_post

    data = project_post(project, **inline_management("plans", 1, 1))
    data["progress-TOTAL_FORMS"] = "0"
    data.update(
        {
            "plans-0-id": plan.pk,
            "plans-0-project": project.pk,
            "plans-0-expected_version": stale_version,
            "plans-0-year": 2024,
            **{f"plans-0-investment_q{q}": "150" for q in (1, 2, 3, 4)},
            **{f"plans-0-inclusion_q{q}": "80" for q in (1, 2, 3, 4)},
        }
    )
    url = reverse("admin:projects_project_change", args=[project.pk])
    client.cookies["django_language"] = "en"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Reload the page" in response.content.decode()
    assert QuarterPlan.objects.get(pk=plan.pk).investment_q2 == Decimal(200)


def test_admin_says_why_a_submitted_month_is_read_only(client, setup):
    services.submit_month(actor=setup["staff"], unit=setup["unit"], year=2024, month=3)
    client.force_login(setup["staff"])
    url = reverse("admin:projects_monthlyprogress_change", args=[setup["entry"].pk])
    client.cookies["django_language"] = "en"
    response = client.get(url)
    assert response.status_code == 200
    assert "already submitted" in response.content.decode()
    # Read-only: a post changes nothing.
    client.post(url, {"investment": "99", "inclusion": "1", "reason": ""})
    assert MonthlyProgress.objects.get(pk=setup["entry"].pk).investment == Decimal("50.00")


def test_unit_staff_admin_edit_of_locked_month_inline_is_an_error_not_a_500(client, setup):
    services.lock_month(actor=setup["manager"], year=2024, month=4, reason="上报（部分单位未审核）")
    client.force_login(setup["staff"])
    project = setup["project"]
    from tests.admin.posts import inline_management, project_post

    data = project_post(project, **inline_management("progress", 1, 0))
    data.update(
        {
            "progress-0-project": project.pk,
            "progress-0-year": 2024,
            "progress-0-month": 4,
            "progress-0-investment": "10",
            "progress-0-inclusion": "1",
        }
    )
    url = reverse("admin:projects_project_change", args=[project.pk])
    client.cookies["django_language"] = "en"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "is locked" in response.content.decode()
    assert not MonthlyProgress.objects.filter(project=project, month=4).exists()


def test_manager_admin_edit_of_locked_month_records_reason(client, setup):
    manager, entry = setup["manager"], setup["entry"]
    services.lock_month(actor=manager, year=2024, month=3, reason="上报（部分单位未审核）")
    client.force_login(manager)
    url = reverse("admin:projects_monthlyprogress_change", args=[entry.pk])
    form = {
        "expected_version": entry.version,
        "investment": "88",
        "inclusion": "1",
        "image_progress": "",
        "problems": "",
    }
    client.cookies["django_language"] = "en"
    response = client.post(url, {**form, "reason": ""})
    assert response.status_code == 200
    assert "give a reason" in response.content.decode()
    response = client.post(url, {**form, "reason": "市统计局反馈更正"})
    assert response.status_code == 302
    latest = MonthlyProgress.history.filter(id=entry.pk).latest("history_date")
    assert (latest.investment, latest.history_change_reason) == (Decimal("88"), "市统计局反馈更正")


def test_second_insert_of_the_same_month_is_refused_as_stale(setup, monkeypatch):
    # Simulate the race: full_clean passed for both, the row appeared in between.
    from projects.models import MonthlyProgress as MP

    monkeypatch.setattr(MP, "validate_unique", lambda self, exclude=None: None)
    monkeypatch.setattr(MP, "validate_constraints", lambda self, exclude=None: None)
    real_filter = MP.objects.select_for_update

    class NoRow:
        def filter(self, **kwargs):
            return MP.objects.none()

    monkeypatch.setattr(MP.objects, "select_for_update", lambda: NoRow())
    with pytest.raises(ValidationError, match="[Rr]eload|刷新"):
        record(setup["staff"], setup["project"], month=3)
    monkeypatch.setattr(MP.objects, "select_for_update", real_filter)
    assert MP.objects.get(pk=setup["entry"].pk).investment == Decimal("50.00")


def test_plan_deletion_is_for_managers_and_a_locked_quarter_needs_a_reason(setup, manager):
    from projects.models import QuarterPlan

    plan = services.save_plan(
        actor=manager,
        project=setup["project"],
        year=2024,
        investment=[Decimal(10)] * 4,
        inclusion=[Decimal(1)] * 4,
    )
    with pytest.raises(PermissionDenied):
        services.delete_plan(actor=setup["staff"], plan=plan)
    services.lock_quarter(
        actor=setup["manager"], year=2024, quarter=1, reason="上报（部分单位未审核）"
    )
    with pytest.raises(ValidationError):
        services.delete_plan(actor=setup["manager"], plan=plan)
    services.delete_plan(actor=setup["manager"], plan=plan, reason="清单调整")
    assert not QuarterPlan.objects.filter(pk=plan.pk).exists()


def test_changelist_edit_over_someone_elses_change_is_refused(client, setup):
    entry = setup["entry"]
    shown = str(entry.investment)
    record(setup["manager"], setup["project"], investment="70")
    client.force_login(setup["staff"])
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("admin:projects_monthlyprogress_changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": entry.pk,
            "form-0-investment": "80",
            "initial-form-0-investment": shown,
            "form-0-inclusion": "1.00",
            "initial-form-0-inclusion": "1.00",
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert "Reload the page" in response.content.decode()
    assert MonthlyProgress.objects.get(pk=entry.pk).investment == Decimal("70")


def test_changelist_edit_of_current_figures_is_saved(client, setup):
    entry = setup["entry"]
    client.force_login(setup["staff"])
    response = client.post(
        reverse("admin:projects_monthlyprogress_changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": entry.pk,
            "form-0-investment": "80",
            "initial-form-0-investment": str(entry.investment),
            "form-0-inclusion": str(entry.inclusion),
            "initial-form-0-inclusion": str(entry.inclusion),
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    saved = MonthlyProgress.objects.get(pk=entry.pk)
    assert (saved.investment, saved.version) == (Decimal("80"), entry.version + 1)


def test_project_page_says_which_months_are_closed_in_fixed_queries(
    client, setup, django_assert_max_num_queries
):
    from projects.selectors.status import closed_month_notes

    for month in (1, 2):
        MonthlyProgressFactory(project=setup["project"], month=month)
    services.submit_month(actor=setup["staff"], unit=setup["unit"], year=2024, month=3)
    services.lock_month(actor=setup["manager"], year=2024, month=1, reason="上报（部分单位未审核）")
    with django_assert_max_num_queries(3):
        notes = closed_month_notes(setup["staff"], setup["project"])
    assert len(notes) == 2
    client.force_login(setup["staff"])
    url = reverse("admin:projects_project_change", args=[setup["project"].pk])
    client.cookies["django_language"] = "en"
    page = client.get(url).content.decode()
    assert "2024-01 has been reported upward and is locked" in page
    assert "already submitted 2024-03" in page
