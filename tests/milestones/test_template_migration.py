"""The per-kind node templates become one set per kind, every template kept with its dates."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("milestones", "0001_node_plans_and_approvals")]
AFTER = [("milestones", "0003_templates_belong_to_sets")]


@pytest.mark.django_db(transaction=True)
def test_each_kinds_templates_become_a_set_of_that_kind_with_nothing_lost():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("milestones", "NodeTemplate")
    old.objects.create(
        kind="new", name="施工许可", sort_order=10, anchor="planned_start", offset_days=-15
    )
    old.objects.create(kind="new", name="开工", sort_order=20, anchor="planned_start")
    old.objects.create(
        kind="continuing",
        name="竣工验收",
        sort_order=10,
        anchor="planned_completion",
        offset_days=-30,
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    sets = apps.get_model("milestones", "TemplateSet")
    templates = apps.get_model("milestones", "NodeTemplate")
    assert sorted(sets.objects.values_list("name", "kind")) == [
        ("新开工项目节点", "new"),
        ("续建项目节点", "continuing"),
    ]
    kept = templates.objects.values_list(
        "template_set__kind", "name", "sort_order", "anchor", "offset_days", "after_days"
    )
    assert sorted(kept) == [
        ("continuing", "竣工验收", 10, "planned_completion", -30, None),
        ("new", "开工", 20, "planned_start", 0, None),
        ("new", "施工许可", 10, "planned_start", -15, None),
    ]
