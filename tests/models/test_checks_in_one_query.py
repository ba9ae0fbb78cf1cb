"""A model's check constraints are validated by one query, with Django's own errors."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from projects.models import MonthlyProgress, QuarterPlan
from projects.models.constraints import ChecksInOneQuery
from tests.factories import MonthlyProgressFactory, QuarterPlanFactory

pytestmark = pytest.mark.django_db


def django_errors(instance, exclude=None) -> dict | None:
    """What Django's own loop (one query a check) says of the instance."""
    try:
        models.Model.validate_constraints(instance, exclude=exclude)
    except ValidationError as exc:
        return exc.message_dict
    return None


def our_errors(instance, exclude=None) -> dict | None:
    try:
        instance.validate_constraints(exclude=exclude)
    except ValidationError as exc:
        return exc.message_dict
    return None


def out_of_range_plan() -> QuarterPlan:
    plan = QuarterPlanFactory()
    plan.investment_q1 = Decimal("-1")
    plan.inclusion_q3 = Decimal("10000000000")
    return plan


def test_a_plans_eight_checks_are_one_query_and_fail_as_djangos_loop_says():
    plan = out_of_range_plan()
    with CaptureQueriesContext(connection) as ours:
        errors = our_errors(plan)
    with CaptureQueriesContext(connection) as djangos:
        assert errors is not None and errors == django_errors(plan)
    assert len(errors["__all__"]) == 2  # the two fields out of range, in the constraints' order
    # The checks in one query, the unique (project, year) in another; Django's loop sends
    # one a check. (Each check query inside a transaction also takes a savepoint.)
    assert (selects(ours), selects(djangos)) == (2, 9)


def selects(queries) -> int:
    return sum(q["sql"].startswith("SELECT") for q in queries.captured_queries)


def test_a_valid_row_passes_as_it_does_in_djangos_loop():
    plan = QuarterPlanFactory()
    progress = MonthlyProgressFactory()
    assert our_errors(plan) is None and django_errors(plan) is None
    assert our_errors(progress) is None and django_errors(progress) is None


def test_a_check_on_an_excluded_field_is_skipped_as_django_skips_it():
    progress = MonthlyProgressFactory()
    progress.month = 13
    progress.investment = Decimal("-5")
    for exclude in (None, {"month"}, {"investment"}, {"month", "investment", "inclusion"}):
        assert our_errors(progress, exclude) == django_errors(progress, exclude)
    assert len(our_errors(progress)["__all__"]) == 2
    assert len(our_errors(progress, {"month"})["__all__"]) == 1


def test_every_model_with_several_checks_validates_them_together():
    def checks(model):
        return [c for c in model._meta.constraints if isinstance(c, models.CheckConstraint)]

    several = {m for m in apps.get_models() if len(checks(m)) > 1}
    mixed_in = {m for m in apps.get_models() if issubclass(m, ChecksInOneQuery)}
    assert several == mixed_in
    assert MonthlyProgress in several and QuarterPlan in several
