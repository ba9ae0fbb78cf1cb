"""generate_scale_data: deterministic bulk lists that never mix with real data."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum

from projects import scale
from projects.models import MonthlyProgress, Programme, Project, QuarterPlan, Unit
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def generate(**options):
    args = {"projects": 30, "years": 2, "verbosity": 0, **options}
    call_command("generate_scale_data", **args)


def snapshot():
    projects = list(
        Project.objects.order_by("code").values_list(
            "code", "name", "unit__code", "street__code", "category__code", "kind", "actual_start"
        )
    )
    months = list(
        MonthlyProgress.objects.order_by("project__code", "year", "month").values_list(
            "project__code", "year", "month", "investment", "inclusion", "image_progress"
        )
    )
    return projects, months


def test_fills_every_month_of_every_list_with_plans_units_and_accounts():
    generate(programmes=2, password="generated-pass-1")

    assert Programme.objects.filter(year=2023).count() == 2
    assert Programme.objects.filter(year=2024).count() == 2
    assert Project.objects.count() == 60
    assert Project.objects.filter(programme__year=2024).count() == 30
    assert QuarterPlan.objects.count() == 60
    # Every project on a list reports every month of its year.
    assert MonthlyProgress.objects.count() == 60 * 12
    # One district (under 147 projects a year): the demo's 18 units, each with one clerk.
    assert Unit.objects.count() == 18
    clerk = get_user_model().objects.get(username="gen-d001-fgj")
    assert clerk.check_password("generated-pass-1")
    assert list(clerk.units.values_list("code", flat=True)) == ["GEN-D001-FGJ"]
    assert clerk.groups.filter(name="unit_staff").exists()
    manager = get_user_model().objects.get(username=scale.MANAGER_USERNAME)
    assert manager.has_perm("projects.manage_all_units")


def test_a_list_names_last_years_list_and_continues_part_of_it():
    generate()

    for programme in Programme.objects.filter(year=2024):
        assert programme.previous is not None
        assert programme.previous.year == 2023
    continuing = Project.objects.filter(programme__year=2024, kind="continuing")
    assert continuing.exists()
    names_2023 = set(Project.objects.filter(programme__year=2023).values_list("name", flat=True))
    assert set(continuing.values_list("name", flat=True)) <= names_2023


def test_the_same_arguments_give_the_same_rows_and_a_rerun_replaces_them():
    generate()
    first = snapshot()
    generate()
    assert snapshot() == first
    assert Project.objects.count() == 60

    generate(seed=99)
    assert snapshot() != first


def test_months_that_have_not_begun_get_no_rows():
    with time_machine.travel(dt.datetime(2024, 5, 10, 12), tick=False):
        generate(years=1)
    assert set(MonthlyProgress.objects.values_list("month", flat=True)) == {1, 2, 3, 4, 5}
    # A start that would lie in the future is left blank, as the app requires.
    assert not Project.objects.filter(actual_start__gt=dt.date(2024, 5, 10)).exists()


def test_refuses_a_database_with_real_data_unless_forced():
    real = ProjectFactory()
    real_amount = MonthlyProgress.objects.aggregate(total=Sum("investment"))["total"]

    with pytest.raises(CommandError, match="did not write"):
        generate()
    assert Project.objects.count() == 1

    generate(force=True)
    assert Project.objects.count() == 61
    generate(force=True, delete=True)
    assert list(Project.objects.all()) == [real]
    assert MonthlyProgress.objects.aggregate(total=Sum("investment"))["total"] == real_amount


def test_delete_removes_only_its_own_accounts():
    get_user_model().objects.create_user(username="gen-wang", password="x-long-password")
    generate()
    generate(delete=True)
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["gen-wang"]
    assert not Project.objects.exists()
    assert not Unit.objects.exists()


@pytest.mark.parametrize(
    "options", [{"projects": 0}, {"years": 0}, {"programmes": 31}, {"years": 30}]
)
def test_refuses_impossible_sizes(options):
    with pytest.raises(CommandError):
        generate(**options)


def test_a_rerun_lets_go_of_other_accounts_memberships_in_generated_units():
    generate()
    other = get_user_model().objects.create_user(username="bench-clerk", password="x-long-pw-1")
    other.units.add(Unit.objects.get(code="GEN-D001-FGJ"))

    generate()

    other.refresh_from_db()
    assert not other.units.exists()
    assert Unit.objects.filter(code="GEN-D001-FGJ").exists()
