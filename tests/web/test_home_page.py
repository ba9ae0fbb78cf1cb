"""The home page opens the quarter whose reporting is due."""

import datetime as dt

import pytest
import time_machine

from tests.factories import MonthlyProgressFactory, ProjectFactory, UnitFactory

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2024, 5, 20, 9, 0, tzinfo=dt.UTC))
def test_manager_home_opens_the_due_quarter_not_the_one_of_a_future_entry(manager_client):
    reported, silent = ProjectFactory(unit=UnitFactory()), ProjectFactory(unit=UnitFactory())
    other = ProjectFactory(unit=UnitFactory(), programme=reported.programme)
    for project in (reported, silent, other):
        MonthlyProgressFactory(project=project, month=3)
    MonthlyProgressFactory(project=reported, month=4)
    MonthlyProgressFactory(project=reported, year=2027, month=1)
    response = manager_client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/reports/2024/q1/"
    MonthlyProgressFactory(project=silent, month=4)
    assert manager_client.get("/")["Location"] == "/reports/2024/q2/"
