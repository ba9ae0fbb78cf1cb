"""The 按累计 conversion (the plausibility checks are tests/services/test_plausibility.py)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from projects.services.entry import month_from_cumulative

D = Decimal


def test_cumulative_figure_becomes_the_month_difference():
    amount = month_from_cumulative(
        cumulative=D("350"), before=D("200"), label="完成投资", last_month=2
    )
    assert amount == D("150")


def test_cumulative_figure_below_the_reported_total_is_refused_with_a_reason():
    with pytest.raises(ValidationError) as exc:
        month_from_cumulative(cumulative=D("150"), before=D("200"), label="完成投资", last_month=2)
    assert exc.value.messages == [
        "累计完成投资 150 万元小于截至 2 月已填报的 200 万元，当月数将为负数。"
        "请核对累计数，或改为按当月填报。"
    ]
