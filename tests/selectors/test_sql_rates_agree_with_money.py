"""The SQL that sorts and lights by rate agrees with ``money.completion_rate`` at the edges.

The report sorts by ``rate_tenths`` and picks lights with ``rate_below`` in the database,
while every shown rate comes from ``money.completion_rate``; a rate that rounds half up
at .x5 is where two roundings would part.
"""

from decimal import Decimal

import pytest
from django.db.models import Value

from projects.models import Project
from projects.money import completion_rate
from projects.selectors.queries import AMOUNT, rate_below, rate_tenths
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

# (actual, planned) in 万元, stored cents as the ledger holds them.
EDGES = [
    ("12.34", "8"),  # 154.25 % -> 154.3 (half up; banker's rounding gives 154.2)
    ("0.01", "4"),  # 0.25 % -> 0.3
    ("0.03", "8"),  # 0.375 % -> 0.4
    ("0.02", "16"),  # 0.125 % -> 0.1
    ("0.01", "40"),  # 0.025 % -> 0.0
    ("2", "3"),  # 66.666… % -> 66.7
    ("1", "3"),  # 33.333… % -> 33.3
    ("99.95", "100"),  # 99.95 % -> 100.0
    ("99.94", "100"),  # 99.94 % -> 99.9
    ("0", "5"),
    ("500", "100"),
    ("7", "0"),  # no plan, no rate
]


def _annotated(actual, planned):
    ProjectFactory()
    return Project.objects.annotate(
        investment_actual=Value(Decimal(actual), output_field=AMOUNT),
        investment_planned=Value(Decimal(planned), output_field=AMOUNT),
    )


@pytest.mark.parametrize(("actual", "planned"), EDGES)
def test_sql_sort_key_is_the_shown_rate_in_tenths(actual, planned):
    tenths = (
        _annotated(actual, planned)
        .annotate(tenths=rate_tenths("investment", None))
        .values_list("tenths", flat=True)
        .get()
    )
    rate = completion_rate(Decimal(actual), Decimal(planned))
    assert tenths == (None if rate is None else int(rate * 10))


# Thresholds are stored with one decimal (ReportSettings.yellow_below / red_below).
@pytest.mark.parametrize("threshold", ["100", "66.7", "0.3", "154.3", "99.9", "0.1"])
@pytest.mark.parametrize(("actual", "planned"), EDGES)
def test_sql_light_cut_off_agrees_with_the_shown_rate(actual, planned, threshold):
    below = _annotated(actual, planned).filter(rate_below(Decimal(threshold))).exists()
    rate = completion_rate(Decimal(actual), Decimal(planned))
    assert below == (rate is not None and rate < Decimal(threshold))
