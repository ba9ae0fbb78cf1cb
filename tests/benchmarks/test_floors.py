"""The bench's hand-written SQL floors answer the report's questions with the app's figures."""

import pytest
from django.core.management import call_command

from benchmarks import floors
from projects import selectors
from projects.models import MonthlyProgress, Programme, ReportSettings
from projects.permissions import WHOLE_DISTRICT

pytestmark = pytest.mark.django_db


def window(programme, quarter):
    settings = ReportSettings.current()
    return floors.Window(
        programme_id=programme.pk,
        previous_id=programme.previous_id,
        year=programme.year,
        quarter=quarter,
        yellow_below=settings.yellow_below,
        red_below=settings.red_below,
    )


@pytest.fixture
def programme():
    call_command("generate_scale_data", projects=40, years=2, verbosity=0)
    return Programme.objects.get(code="GEN-2024-1")


@pytest.mark.parametrize("quarter", [1, 2, 4])
def test_the_floors_give_the_apps_figures(programme, quarter):
    report = selectors.quarterly_report(
        user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=quarter
    )
    assert floors.check_against_app(report, window(programme, quarter)) == []
    assert len(floors.run("d", window(programme, quarter))) == 40


def test_a_figure_the_floors_do_not_share_is_reported(programme):
    report = selectors.quarterly_report(
        user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1
    )
    entry = MonthlyProgress.objects.filter(project__programme=programme, year=2024, month=2).first()
    MonthlyProgress.objects.filter(pk=entry.pk).update(investment=entry.investment + 1)

    problems = floors.check_against_app(report, window(programme, 1))
    assert any(p.startswith("a: investment") for p in problems)
    assert any(p.startswith(f"c: {entry.project.code} investment") for p in problems)
