"""Nodes come back in from the file the node list exports; one refused row saves nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from projects.milestones.imports import import_nodes
from projects.milestones.models import Milestone
from tests.data_versions import settle

pytestmark = pytest.mark.django_db
HEAD = "项目编号,项目名称,节点,序号,计划完成,实际完成,责任单位\n"


def _csv(*rows):
    return (HEAD + "".join(r + "\n" for r in rows)).encode("utf-8")


def test_the_exported_file_imports_back_unchanged(client, manager, project_a):
    from projects.milestones import services

    services.save_milestone(
        actor=manager,
        project=project_a,
        name="开工",
        planned_date=dt.date(2024, 3, 1),
        actual_date=dt.date(2024, 3, 5),
    )
    client.force_login(manager)
    exported = client.get(reverse("node_export", kwargs={"fmt": "csv"}), {"flag": "all"}).content
    Milestone.objects.all().delete()
    result = import_nodes(actor=manager, content=exported)
    assert (result.saved, result.errors) == (1, [])
    node = Milestone.objects.get()
    assert (node.planned_date, node.actual_date, node.unit) == (
        dt.date(2024, 3, 1),
        dt.date(2024, 3, 5),
        None,
    )


def test_one_bad_row_saves_nothing_and_names_the_row(manager, project_a):
    content = _csv(
        f"{project_a.code},,施工许可,10,2024-02-01,,",
        f"{project_a.code},,开工,20,2024-13-01,,",
        "NOPE,,开工,10,2024-02-01,,",
    )
    result = import_nodes(actor=manager, content=content)
    assert [n for n, _m in result.errors] == [3, 4]
    assert "不是日期" in result.errors[0][1]
    assert Milestone.objects.count() == 0


def test_unit_staff_cannot_import_nodes_for_another_units_project(staff_a, project_b):
    result = import_nodes(actor=staff_a, content=_csv(f"{project_b.code},,开工,10,2024-02-01,,"))
    assert result.saved == 0 and len(result.errors) == 1
    assert Milestone.objects.count() == 0


def test_a_dry_run_checks_without_saving(manager, project_a):
    result = import_nodes(
        actor=manager, content=_csv(f"{project_a.code},,开工,10,2024-02-01,,"), dry_run=True
    )
    assert (result.saved, result.errors) == (1, [])
    assert Milestone.objects.count() == 0


def test_an_import_keeps_a_nodes_note(manager, project_a):
    from projects.milestones import services

    services.save_milestone(
        actor=manager,
        project=project_a,
        name="开工",
        planned_date=dt.date(2024, 3, 1),
        actual_date=None,
        note="待施工许可",
    )
    result = import_nodes(actor=manager, content=_csv(f"{project_a.code},,开工,10,2024-04-01,,"))
    assert result.errors == []
    node = Milestone.objects.get()
    assert (node.planned_date, node.note) == (dt.date(2024, 4, 1), "待施工许可")


def _rows(projects, nodes_each):
    return _csv(
        *(
            f"{p.code},,节点{i},{(i + 1) * 10},{dt.date(2024, 1, 15) + dt.timedelta(days=i)},,"
            for p in projects
            for i in range(nodes_each)
        )
    )


def test_an_import_takes_the_same_number_of_queries_for_2_and_60_rows(
    manager, project_a, project_b
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    manager.has_perm("milestones.change_milestone")  # the permission cache, read once a request
    for each in (1, 30):
        Milestone.objects.all().delete()
        settle()  # as between two requests: each import bumps the lists' versions once
        with CaptureQueriesContext(connection) as queries:
            result = import_nodes(actor=manager, content=_rows([project_a, project_b], each))
        assert result.errors == [] and result.saved == 2 * each
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # one history row per node written: 2 in the first round, 60 in the second
    assert Milestone.objects.count() == 60
    assert Milestone.history.filter(history_type="+").count() == 62


def test_rows_that_change_nothing_write_no_history(manager, project_a):
    import_nodes(actor=manager, content=_rows([project_a], 3))
    before = Milestone.history.count()
    result = import_nodes(actor=manager, content=_rows([project_a], 3))
    assert (result.saved, result.new, result.changed) == (3, 0, 0)
    assert Milestone.history.count() == before


def test_a_node_changed_by_someone_else_while_the_file_is_read_refuses_the_whole_file(
    manager, project_a, monkeypatch
):
    from projects.milestones import imports, services

    import_nodes(actor=manager, content=_rows([project_a], 2))
    real = services.save_milestones_in_bulk

    def someone_saves_first(**kwargs):
        Milestone.objects.filter(name="节点0").update(version=99, note="别人刚改过")
        return real(**kwargs)

    monkeypatch.setattr(imports.services, "save_milestones_in_bulk", someone_saves_first)
    changed = _csv(
        f"{project_a.code},,节点0,10,2024-05-01,,", f"{project_a.code},,节点1,20,2024-06-01,,"
    )
    result = import_nodes(actor=manager, content=changed)
    assert result.saved == 0 and "别人" not in result.errors[0][1]
    assert "重新导入" in result.errors[0][1] or "import it again" in result.errors[0][1]
    assert sorted(Milestone.objects.values_list("planned_date", flat=True)) == [
        dt.date(2024, 1, 15),
        dt.date(2024, 1, 16),
    ]
