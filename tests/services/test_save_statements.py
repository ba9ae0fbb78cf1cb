"""A save's reads are built once for every save of as many rows (``selectors.placed``).

At month end every unit saves its grid, a row or a few at a time: the checks' reads
(locks, month states, stored rows, the plausibility yardsticks, the image progress) were
built and compiled again on each save, filtered by its own projects and units."""

from decimal import Decimal

import pytest

from projects import services
from projects.models import MonthlyProgress, Project
from tests.factories import MonthlyProgressFactory, ProjectFactory
from tests.statements import statements_built

pytestmark = pytest.mark.django_db


def _unit_project(unit, code):
    project = ProjectFactory(unit=unit, code=code, total_investment=Decimal("10000"))
    for month in (1, 2):
        MonthlyProgressFactory(project=project, month=month, investment=Decimal("100"))
    return project


def _save(actor, project, amount, progress, version=1):
    return services.record_progress_batch(
        actor=actor,
        entries=[
            services.ProgressInput(
                project=project,
                year=2024,
                month=2,
                investment=Decimal(amount),
                inclusion=Decimal("0"),
                image_progress=progress,
                expected_version=version,
            )
        ],
    )


def test_another_units_save_builds_no_read_the_first_did_not(
    staff_a, staff_b, unit_a, unit_b, monkeypatch
):
    first, second = _unit_project(unit_a, "A1"), _unit_project(unit_b, "B1")
    assert _save(staff_a, first, "110", "主体施工") == {}
    version = MonthlyProgress.objects.get(project=second, month=2).version
    built = statements_built(monkeypatch)
    assert _save(staff_b, second, "120", "装修", version) == {}
    assert built == []
    # The second save is the second unit's: its row and its project's image progress.
    monkeypatch.undo()
    row = MonthlyProgress.objects.get(project=second, month=2)
    assert (row.investment, row.version) == (Decimal("120.00"), 2)
    assert Project.objects.get(pk=second.pk).image_progress == "装修"
    assert Project.objects.get(pk=first.pk).image_progress == "主体施工"
