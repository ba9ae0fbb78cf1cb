"""The entry grid's ledger: unit A's three projects with plans and February figures, one of B's.

The people are the shared cast (``staff_a`` of ``unit_a``, ``manager``) from tests/conftest.py.
"""

from decimal import Decimal

import pytest

from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
)
from tests.reporting import settled


@pytest.fixture
def clerk(staff_a):
    return staff_a


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
def logged_in(staff_a_client):
    return staff_a_client


@pytest.fixture
def report_pair(unit_a, unit_b):
    """A 2024 list of CY-A on 甲单位 and CY-B on 乙单位, each planned 100 万元 for Q1 with 30
    in January, settled and with nothing kept: what the report cache's page tests read."""
    programme = ProgrammeFactory(year=2024)
    for code, unit in (("CY-A", unit_a), ("CY-B", unit_b)):
        project = ProjectFactory(programme=programme, code=code, unit=unit, kind="continuing")
        QuarterPlanFactory(project=project, investment_q1=Decimal("100"))
        MonthlyProgressFactory(project=project, month=1, investment=Decimal("30"))
    settled(empty_cache=True)
    return programme


@pytest.fixture
def sections_drawn(monkeypatch):
    """What the report page's sections were drawn from, by response: ``sections_drawn(r)``.

    The head and body are drawn in Python (``web.drawn_head``, ``web.drawn_body``), so the
    test client's ``response.context`` holds only ``report.html``'s. This is the context
    ``report_body.body_context`` made while that response was made; a page that drew
    nothing (its sections were kept) has none: ``KeyError``.
    """
    from projects.web import report_body

    seen = {}
    real = report_body.body_context

    def recording(request, *args, **kwargs):
        context = seen[request] = real(request, *args, **kwargs)
        return context

    monkeypatch.setattr(report_body, "body_context", recording)
    return lambda response: seen[response.wsgi_request]
