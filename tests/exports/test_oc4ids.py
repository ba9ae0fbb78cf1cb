"""The OC4IDS export is a project package that validates offline against the vendored 0.9.5 schema.

Besides the schema, the checks lib-cove-oc4ids adds: codelist values from the CSVs, every
amount with its currency, every referenced party in ``parties``, no empty strings, unique ids.
"""

import csv
import datetime as dt
import json
import os
import subprocess
import sys
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from projects import demo
from projects.exports import exporter
from projects.exports.oc4ids_file import oc4ids_package
from projects.milestones.models import Approval, Milestone
from projects.models import Category, Programme, Project, Unit
from projects.permissions import WHOLE_DISTRICT
from projects.selectors import quarterly_report
from projects.selectors.oc4ids import oc4ids_data
from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
)

pytestmark = pytest.mark.django_db

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "projects/exports/oc4ids/schema"


@cache
def validator() -> Draft4Validator:
    package = json.loads((SCHEMA_DIR / "project-package-schema.json").read_text("utf-8"))
    project = json.loads((SCHEMA_DIR / "project-schema.json").read_text("utf-8"))
    # The package refers to the project schema by its URL: resolve it to the local copy.
    registry = Registry().with_resource(project["id"], Resource(project, specification=DRAFT4))
    return Draft4Validator(
        package, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER
    )


@cache
def codelist(name: str) -> frozenset[str]:
    with (SCHEMA_DIR / "codelists" / f"{name}.csv").open(encoding="utf-8") as f:
        return frozenset(row["Code"] for row in csv.DictReader(f))


def walk(value, path=()):
    """Every (path, value) pair of a JSON document, objects and lists included."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, (*path, key))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from walk(item, (*path, n))


def problems(package: dict) -> list[str]:
    """Schema errors and lib-cove-oc4ids' additional checks, as readable lines."""
    found = [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(package)]
    for path, value in walk(package):
        if value == "":
            found.append(f"{list(path)}: empty string")
        # A Value is an object whose "amount" is a number; a budget's "amount" is a Value.
        is_value = isinstance(value, dict) and isinstance(value.get("amount"), int | float)
        if is_value and "currency" not in value:
            found.append(f"{list(path)}: amount without currency")
    project_ids = [p["id"] for p in package["projects"]]
    if len(project_ids) != len(set(project_ids)):
        found.append("project ids are not unique")
    for project in package["projects"]:
        where = project["id"]
        party_ids = [party["id"] for party in project.get("parties", [])]
        if len(party_ids) != len(set(party_ids)):
            found.append(f"{where}: party ids are not unique")
        references = [project.get("publicAuthority")]
        for group in project.get("budget", {}).get("budgetBreakdowns", []):
            references += [b.get("sourceParty") for b in group.get("budgetBreakdown", [])]
        for reference in filter(None, references):
            if reference["id"] not in party_ids:
                found.append(f"{where}: party {reference['id']} is not in parties")
        for field in ("milestones", "metrics", "locations"):
            ids = [item["id"] for item in project.get(field, [])]
            if len(ids) != len(set(ids)):
                found.append(f"{where}: {field} ids are not unique")
        found += codelist_problems(project)
    return found


def codelist_problems(project: dict) -> list[str]:
    """Every coded value the export writes, looked up in its codelist's CSV."""
    used = [
        ("projectStatus", project.get("status")),
        ("projectType", project.get("type")),
        *[("projectSector", code) for code in project.get("sector", [])],
        *[("partyRole", r) for party in project.get("parties", []) for r in party["roles"]],
        *[("milestoneType", m.get("type")) for m in project.get("milestones", [])],
        *[("milestoneStatus", m.get("status")) for m in project.get("milestones", [])],
        *[("metricID", m["id"]) for m in project.get("metrics", [])],
        *[
            ("geometryType", loc["geometry"]["type"])
            for loc in project.get("locations", [])
            if "geometry" in loc
        ],
        *[
            ("currency", value["currency"])
            for _, value in walk(project)
            if isinstance(value, dict) and "currency" in value
        ],
    ]
    return [
        f"{project['id']}: {code!r} is not in {name}"
        for name, code in used
        if code is not None and code not in codelist(name)
    ]


def package_for(programme, year=None, codes=None) -> dict:
    return oc4ids_package(oc4ids_data(programme, year or programme.year, codes))


def lone_project(**fields) -> Project:
    """A project on a list of its own, apart from the demo's list if that is loaded."""
    return ProjectFactory(programme=ProgrammeFactory(code="OC4IDS-TEST"), **fields)


@pytest.fixture
def programme(demo_db):
    return Programme.objects.get(code=demo.PROGRAMME_CODE)


@pytest.fixture
def demo_package(programme):
    """The demo's package, with nodes and approvals added so they are checked too."""
    first, second = Project.objects.filter(programme=programme).order_by("code")[:2]
    other_unit = Unit.objects.exclude(pk=first.unit_id).first()
    Milestone.objects.create(
        project=first, name="外单位节点", planned_date=dt.date(2024, 2, 1), unit=other_unit
    )
    Milestone.objects.create(
        project=first,
        name="已完成节点",
        planned_date=dt.date(2024, 3, 1),
        actual_date=dt.date(2024, 2, 20),
    )
    Milestone.objects.create(project=second, name="未定节点")
    # The demo may hold these approvals already: set them to the states under test.
    Approval.objects.update_or_create(
        project=first,
        kind=Approval.Kind.LAND,
        defaults={"status": Approval.Status.DONE, "date": dt.date(2023, 12, 1)},
    )
    Approval.objects.update_or_create(
        project=first,
        kind=Approval.Kind.CONSTRUCTION,
        defaults={"status": Approval.Status.IN_PROGRESS, "date": None},
    )
    return package_for(programme)


def test_the_demo_package_validates_with_no_errors(demo_package):
    assert len(demo_package["projects"]) == 147
    assert problems(demo_package) == []


def test_a_project_with_coordinates_is_located_by_a_point(demo_package):
    # The demo places every project inside its street's (schematic) outline.
    geometries = [p["locations"][0].get("geometry") for p in demo_package["projects"]]
    assert all(g and g["type"] == "Point" for g in geometries)
    longitude, latitude = geometries[0]["coordinates"]
    assert 120.25 <= longitude <= 120.55 and 36.20 <= latitude <= 36.45


def test_the_package_says_who_publishes_it_and_the_version(demo_package, settings):
    assert demo_package["version"] == "0.9"
    assert demo_package["publisher"]["name"] == settings.BRIEFING_ISSUER
    assert all(
        p["id"].startswith(f"oc4ids-{settings.OC4IDS_PREFIX}-") for p in demo_package["projects"]
    )


def test_amounts_are_yuan_numbers_from_the_ledgers_wan(programme, demo_package):
    project = Project.objects.filter(programme=programme).order_by("code").first()
    published = demo_package["projects"][0]
    assert published["title"] == project.name
    budget = published["budget"]["amount"]
    assert budget == {"amount": int(project.total_investment * 10_000), "currency": "CNY"}
    plan = project.plans.get(year=programme.year)
    quarters = published["budget"]["budgetBreakdowns"][0]["budgetBreakdown"]
    assert [q["amount"]["amount"] for q in quarters] == [
        int(plan.investment(q) * 10_000) for q in (1, 2, 3, 4)
    ]


def test_nodes_and_approvals_are_milestones_with_their_state(demo_package):
    first = demo_package["projects"][0]
    by_title = {m["title"]: m for m in first["milestones"]}
    assert by_title["外单位节点"]["type"] == "delivery"
    assert by_title["外单位节点"]["status"] == "notMet"  # planned 2024-02-01, never done
    assert by_title["已完成节点"]["status"] == "met"
    assert by_title["已完成节点"]["dateMet"].startswith("2024-02-20T00:00:00")
    assert by_title["用地预审"] == {
        "id": by_title["用地预审"]["id"],
        "title": "用地预审",
        "type": "approval",
        "dateMet": "2023-12-01T00:00:00+08:00",
        "status": "met",
    }
    # An approval still being applied for has no date: scheduled, nothing met.
    assert by_title["施工许可"]["status"] == "scheduled"
    assert "dateMet" not in by_title["施工许可"] and "dueDate" not in by_title["施工许可"]
    # The node answered for by another unit names that unit among the parties.
    assert {tuple(p["roles"]) for p in first["parties"]} == {
        ("publicAuthority",),
        ("interestedParty",),
    }


def test_the_months_progress_is_the_financial_progress_metric(programme, demo_package):
    project = Project.objects.filter(programme=programme).order_by("code").first()
    rows = list(project.progress.filter(year=programme.year).order_by("month"))
    metric = next(
        m for m in demo_package["projects"][0]["metrics"] if m["id"] == "financialProgress"
    )
    assert [o["value"]["amount"] for o in metric["observations"]] == [
        int(r.investment * 10_000) for r in rows
    ]
    assert metric["observations"][0]["period"]["startDate"].startswith(
        f"{programme.year}-{rows[0].month:02d}-01"
    )


def test_the_query_count_does_not_grow_with_the_projects(db):
    def count(n: int) -> int:
        programme = ProgrammeFactory(year=2024, code=f"L{n}")
        for _ in range(n):
            project = ProjectFactory(programme=programme)
            QuarterPlanFactory(project=project)
            MonthlyProgressFactory(project=project, month=1)
            Milestone.objects.create(project=project, name="外单位节点")
            Approval.objects.create(project=project, kind=Approval.Kind.LAND)
        with CaptureQueriesContext(connection) as queries:
            package_for(programme)
        return len(queries)

    assert count(1) == count(6)


def test_a_project_without_dates_or_plans_still_validates(db):
    # A 续建 project is the one kind the ledger allows without a planned start.
    project = lone_project(planned_start=None, kind=Project.Kind.CONTINUING)
    package = package_for(project.programme)
    assert problems(package) == []
    published = package["projects"][0]
    assert "period" not in published and "metrics" not in published
    assert published["status"] == "implementation"
    # No coordinates given, so no geometry: the address alone locates the project.
    assert "geometry" not in published["locations"][0]


def test_a_withdrawn_project_is_published_as_cancelled(db):
    project = lone_project(withdrawn_on=dt.date(2024, 5, 1), actual_start=dt.date(2024, 3, 1))
    package = package_for(project.programme)
    assert problems(package) == []
    assert package["projects"][0]["status"] == "cancelled"


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({}, "preparation"),
        ({"actual_start": dt.date(2024, 3, 5)}, "implementation"),
        ({"kind": Project.Kind.CONTINUING, "planned_start": None}, "implementation"),
        (
            {"actual_start": dt.date(2024, 3, 5), "actual_completion": dt.date(2024, 6, 30)},
            "completion",
        ),
    ],
)
def test_the_status_follows_the_start_and_completion_dates(db, changes, status):
    project = lone_project(**changes)
    published = package_for(project.programme)["projects"][0]
    assert published["status"] == status
    assert ("completion" in published) == (status == "completion")


def test_urban_renewal_is_rehabilitation_and_its_sector_is_mapped(db):
    renewal = lone_project(
        category=Category.objects.get_or_create(code="CSGX", defaults={"name": "城市更新"})[0]
    )
    other = ProjectFactory(programme=renewal.programme)
    published = {p["title"]: p for p in package_for(renewal.programme)["projects"]}
    assert published[renewal.name]["type"] == "rehabilitation"
    assert published[renewal.name]["sector"] == ["socialHousing"]
    assert published[other.name]["type"] == "construction"
    assert "sector" not in published[other.name]  # an unmapped category gets none


def test_private_text_is_not_published(db):
    project = lone_project(notes="内部备注：资金缺口", total_investment=Decimal("0.01"))
    text = json.dumps(package_for(project.programme), ensure_ascii=False)
    assert "内部备注" not in text
    assert "documents" not in text
    assert '"amount": 100,' in text  # 0.01 万元 is 100 yuan


def test_the_export_command_writes_the_package(programme, tmp_path):
    out = tmp_path / "package.json"
    call_command(
        "export_report",
        "--year",
        "2024",
        "--quarter",
        "1",
        "--format",
        "oc4ids",
        "--output",
        str(out),
    )
    package = json.loads(out.read_text("utf-8"))
    assert len(package["projects"]) == 147
    assert problems(package) == []


def test_a_filtered_report_publishes_only_its_projects(programme, settings):
    street = Project.objects.filter(programme=programme).first().street
    report = quarterly_report(
        user=WHOLE_DISTRICT,
        programme=programme,
        year=2024,
        quarter=1,
        filters={"street": street.code},
    )
    package = json.loads(exporter("oc4ids").render(report, "projects"))
    shown = {f"oc4ids-{settings.OC4IDS_PREFIX}-{row.code}" for row in report.rows}
    assert report.filtered
    assert {p["id"] for p in package["projects"]} == shown
    assert 0 < len(shown) < 147


def test_the_checks_catch_a_broken_package(db):
    """The checks are not vacuous: the project schema (through $ref) and the extra checks bite."""
    package = package_for(lone_project().programme)
    project = package["projects"][0]
    project["status"] = "bogus"
    project["budget"]["amount"].pop("currency")
    project["publicAuthority"]["id"] = "nobody"
    project["title"] = ""
    found = "\n".join(problems(package))
    assert "'bogus' is not one of" in found  # from the project schema, reached through $ref
    assert "amount without currency" in found
    assert "party nobody is not in parties" in found
    assert "empty string" in found


def test_the_report_url_serves_the_package_as_json(programme, manager_client):
    response = manager_client.get("/reports/2024/q1.oc4ids")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert ".oc4ids.json" in response["Content-Disposition"]
    package = json.loads(b"".join(response.streaming_content))
    assert len(package["projects"]) == 147


@pytest.mark.parametrize("prefix", ["abc", "abcdefg", "ab-cde", "城阳区项目办"])
def test_a_malformed_prefix_is_refused_at_start(prefix):
    """Every published id would be invalid: the site does not start instead."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "DJANGO_DEBUG": "true", "OC4IDS_PREFIX": prefix},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "OC4IDS_PREFIX" in result.stderr


def test_the_prefix_setting_names_the_ids(settings, db):
    settings.OC4IDS_PREFIX = "abc123"
    project = lone_project()
    package = package_for(project.programme)
    assert package["projects"][0]["id"] == f"oc4ids-abc123-{project.code}"


def test_a_street_viewer_gets_only_their_streets_projects(programme, client, settings):
    from tests.factories import user_with_role

    street = Project.objects.filter(programme=programme).first().street
    reader = user_with_role("street_viewer", username="oc4ids_street")
    reader.streets.set([street])
    client.force_login(reader)
    response = client.get("/reports/2024/q1.oc4ids")
    assert response.status_code == 200
    package = json.loads(b"".join(response.streaming_content))
    theirs = set(
        Project.objects.filter(programme=programme, street=street).values_list("code", flat=True)
    )
    ids = {p["id"].removeprefix(f"oc4ids-{settings.OC4IDS_PREFIX}-") for p in package["projects"]}
    assert ids and ids <= theirs


def test_the_national_project_code_is_published_as_an_identifier_and_left_out_when_blank():
    with_code = lone_project(code="OC-1", national_code="2024-370214-04-01-000123")
    ProjectFactory(programme=with_code.programme, code="OC-2")
    package = package_for(with_code.programme)
    assert problems(package) == []
    by_code = {p["id"].rsplit("-", 1)[-1]: p for p in package["projects"]}
    assert by_code["1"]["identifiers"] == [
        {"id": "2024-370214-04-01-000123", "scheme": "GB/T 40058-2021"}
    ]
    assert "identifiers" not in by_code["2"]
