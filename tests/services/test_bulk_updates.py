"""update_in_bulk writes exactly the changed fields of many rows, on either database."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.milestones.models import Milestone
from projects.services import bulk
from tests.factories import ProjectFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_each_row_gets_its_own_values_and_untouched_fields_stay(monkeypatch):
    monkeypatch.setattr(bulk, "VALUES_BATCH", 3)  # several statements, a short last one
    project, other_unit = ProjectFactory(), UnitFactory()
    nodes = Milestone.objects.bulk_create(
        Milestone(project=project, name=f"节点{i}", note="原备注", sort_order=i) for i in range(7)
    )
    for i, node in enumerate(nodes):
        node.planned_date = dt.date(2024, 1, 1) + dt.timedelta(days=i)
        node.unit = other_unit if i % 2 else None
        node.sort_order = 100 + i
        node.note = "不应写入"  # not among the fields written
    bulk.update_in_bulk(Milestone, nodes, ["planned_date", "unit", "sort_order"])
    stored = {
        n.name: (n.planned_date, n.unit_id, n.sort_order, n.note) for n in Milestone.objects.all()
    }
    assert stored == {
        f"节点{i}": (
            dt.date(2024, 1, 1) + dt.timedelta(days=i),
            other_unit.pk if i % 2 else None,
            100 + i,
            "原备注",
        )
        for i in range(7)
    }


def changed_nodes(count: int, sort_order: int) -> list[Milestone]:
    """``count`` new nodes of one project, each changed in memory to ``sort_order``."""
    project = ProjectFactory()
    nodes = Milestone.objects.bulk_create(
        Milestone(project=project, name=f"n{i}") for i in range(count)
    )
    for node in nodes:
        node.sort_order = sort_order
    return nodes


def analyse_nodes() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE milestones_milestone")


def planned_node_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) SELECT 1 FROM milestones_milestone")
        (plan,) = cursor.fetchone()
    return plan[0]["Plan"]["Plan Rows"]


def test_postgresql_writes_a_batch_in_one_statement():
    if connection.vendor != "postgresql":
        pytest.skip("the VALUES join is PostgreSQL's; other databases use bulk_update")
    nodes = changed_nodes(50, sort_order=7)
    analyse_nodes()  # statistics that know the rows: nothing to refresh
    with CaptureQueriesContext(connection) as queries:
        bulk.update_in_bulk(Milestone, nodes, ["sort_order"])
    # The rows in one statement, and their list's data version in one more
    # (services/versions.py), whatever the batch's size; the planner's estimate of the
    # table is read first.
    statements = [q["sql"] for q in queries]
    assert sum(s.startswith('UPDATE "milestones_milestone"') for s in statements) == 1
    assert sum("projects_dataversion" in s for s in statements) == 1
    assert [s.split(" (")[0] for s in statements if s.startswith(("EXPLAIN", "ANALYZE"))] == [
        "EXPLAIN"
    ]
    assert set(Milestone.objects.values_list("sort_order", flat=True)) == {7}


def test_postgresql_analyses_a_table_it_believes_empty_before_updating_many_of_its_rows():
    if connection.vendor != "postgresql":
        pytest.skip("the VALUES join and its statistics are PostgreSQL's")
    analyse_nodes()  # statistics taken while the table was empty,
    nodes = changed_nodes(300, sort_order=9)  # then 300 rows written
    assert planned_node_rows() < 300
    with CaptureQueriesContext(connection) as queries:
        bulk.update_in_bulk(Milestone, nodes, ["sort_order"])
    assert any(q["sql"].startswith("ANALYZE") for q in queries)
    assert planned_node_rows() >= 300
    assert set(Milestone.objects.values_list("sort_order", flat=True)) == {9}
