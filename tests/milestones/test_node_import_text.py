"""The node import applies the edge rule of projects.text: names one line, guards undone."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from projects.milestones import services as nodes
from projects.milestones.imports import import_nodes
from projects.milestones.models import Milestone
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _end_of_june_2024():
    with time_machine.travel(dt.datetime(2024, 6, 30, 12, 0), tick=False):
        yield


@pytest.fixture
def project(unit_a):
    return ProjectFactory(code="CY-001", unit=unit_a)


def test_node_import_refuses_a_node_name_with_a_line_break_naming_the_row(manager, project):
    content = "项目编号,节点,计划完成\nCY-001,开工,2024-03-01\nCY-001,施工\x0b许可,2024-04-01\n"

    result = import_nodes(actor=manager, content=content.encode(), filename="n.csv")

    assert result.saved == 1 and not Milestone.objects.exists()
    [(row, message)] = result.errors
    assert row == 3 and "只能填写一行可见文字" in message


def test_node_export_then_import_keeps_a_name_starting_with_a_minus(client, manager, project):
    nodes.save_milestone(
        actor=manager,
        project=project,
        name="-1层封顶",
        planned_date=dt.date(2024, 3, 1),
        actual_date=None,
    )
    client.force_login(manager)
    exported = client.get(reverse("node_export", args=["csv"]), {"flag": "all"}).content
    Milestone.objects.all().delete()

    result = import_nodes(actor=manager, content=exported, filename="n.csv")

    assert result.errors == []
    assert Milestone.objects.get().name == "-1层封顶"
