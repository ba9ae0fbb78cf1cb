"""Migration 0028: each distinct free-text 包联领导 becomes one Leader; nothing is lost."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

conversion = importlib.import_module("projects.migrations.0028_leaders_and_task_forces")

BEFORE = [("projects", "0027_data_versions")]
AFTER = [("projects", "0029_leader_text_removed")]


def test_names_typed_apart_by_spaces_or_breaks_become_one_leader():
    texts = ["王某某", " 王某某 ", "王某某\n", "王\u200b某某", "李某某（副区长）", "", "  "]
    names = conversion.leader_names(texts)
    assert names == {
        "王某某": "王某某",
        " 王某某 ": "王某某",
        "王某某\n": "王某某",
        "王\u200b某某": "王某某",
        "李某某（副区长）": "李某某（副区长）",
    }


def test_a_code_is_the_name_unless_taken_or_too_long():
    long_name = "某" * 40
    codes = conversion.leader_codes(["王某某", "李某某", long_name], taken=["李某某"])
    assert codes["王某某"] == "王某某"
    assert codes["李某某"] != "李某某" and codes["李某某"].startswith("李某某-")
    assert len(codes[long_name]) <= 32
    assert len(set(codes.values())) == 3


@pytest.fixture
def latest_schema_after():
    """Put the schema back at the latest migrations, whatever the test did: the later
    tests of this worker need the tables of migrations after the ones it stops at."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_links_every_project_and_history_row_to_its_leader(latest_schema_after):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Programme = old.get_model("projects", "Programme")
    Unit, Street = old.get_model("projects", "Unit"), old.get_model("projects", "Street")
    Category = old.get_model("projects", "Category")
    Project = old.get_model("projects", "Project")
    History = old.get_model("projects", "HistoricalProject")
    programme = Programme.objects.create(code="L", name="清单", year=2024)
    refs = {
        "programme": programme,
        "unit": Unit.objects.create(code="U", name="单位"),
        "street": Street.objects.create(code="S", name="街道"),
        "category": Category.objects.create(code="C", name="类别"),
    }
    dated = {"joined_on": "2024-01-01", "planned_start": "2024-03-01"}
    for code, text in [("A", "王某某"), ("B", "王某某 "), ("C", ""), ("D", "李某某")]:
        project = Project.objects.create(code=code, name=code, leader=text, **refs, **dated)
        History.objects.create(
            id=project.pk,
            code=code,
            name=code,
            leader=text,
            history_date="2024-01-01T00:00Z",
            history_type="+",
            created_at=project.created_at,
            updated_at=project.updated_at,
            **dated,
            programme_id=programme.pk,
            unit_id=refs["unit"].pk,
            street_id=refs["street"].pk,
            category_id=refs["category"].pk,
        )
    # A leader who left the list: only the history still names them.
    History.objects.create(
        id=999,
        code="Z",
        name="Z",
        leader="赵某某",
        history_date="2024-01-01T00:00Z",
        history_type="-",
        created_at="2024-01-01T00:00Z",
        updated_at="2024-01-01T00:00Z",
        **dated,
        programme_id=programme.pk,
        unit_id=refs["unit"].pk,
        street_id=refs["street"].pk,
        category_id=refs["category"].pk,
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Leader = new.get_model("projects", "Leader")
    linked = dict(new.get_model("projects", "Project").objects.values_list("code", "leader__name"))
    history = dict(
        new.get_model("projects", "HistoricalProject").objects.values_list("code", "leader_id")
    )
    leaders = dict(Leader.objects.values_list("pk", "name"))

    assert sorted(leaders.values()) == ["李某某", "王某某", "赵某某"]
    assert linked == {"A": "王某某", "B": "王某某", "C": None, "D": "李某某"}
    assert {code: leaders.get(pk) for code, pk in history.items()} == {
        "A": "王某某",
        "B": "王某某",
        "C": None,
        "D": "李某某",
        "Z": "赵某某",
    }
    assert Leader.objects.get(name="王某某").code == "王某某"
