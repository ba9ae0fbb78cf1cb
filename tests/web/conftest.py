"""The entry grid's cast: a unit clerk with three projects and February figures."""

from decimal import Decimal

import pytest

from projects.permissions import UNIT_STAFF
from tests.factories import (
    MonthlyProgressFactory,
    ProjectFactory,
    QuarterPlanFactory,
    UnitFactory,
    user_with_role,
)


@pytest.fixture
def unit_a():
    return UnitFactory(code="UA", name="甲单位")


@pytest.fixture
def unit_b():
    return UnitFactory(code="UB", name="乙单位")


@pytest.fixture
def clerk(unit_a):
    return user_with_role(UNIT_STAFF, unit_a, username="clerk")


@pytest.fixture
def projects(unit_a, unit_b):
    """Three projects of unit A with plans and February figures, one of unit B."""
    own = [
        ProjectFactory(code=f"A{i}", unit=unit_a, total_investment=Decimal("10000"))
        for i in (1, 2, 3)
    ]
    for project in own:
        QuarterPlanFactory(
            project=project, investment_q1=Decimal("300"), inclusion_q1=Decimal("240")
        )
        MonthlyProgressFactory(
            project=project,
            month=2,
            investment=Decimal("100"),
            inclusion=Decimal("80"),
            image_progress="基础施工",
            problems="用地手续待批",
        )
    other = ProjectFactory(code="B1", unit=unit_b)
    return own, other


@pytest.fixture
def logged_in(client, clerk):
    client.force_login(clerk)
    return client
