"""Every write the report reads moves its year's data version, whatever door it came through.

The report cache keys each report by these versions (``selectors.report_cache``), so a
write that does not bump would leave a figure cached that its rows no longer give. The
first test makes a new model fail until it is registered as a source or named as not read.

A test runs in one transaction that never commits, and a transaction bumps each version
once; ``settle()`` (``tests/data_versions.py``) drops the transaction's record of its
bumps, as a commit does, so the write under test bumps afresh.
"""

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.urls import reverse

from projects.coordination.services import raise_problem
from projects.imports import run_import
from projects.milestones.models import NodeTemplate, TemplateSet
from projects.milestones.services import apply_templates, save_milestone
from projects.models import (
    EVERY_YEAR,
    DataVersion,
    DispatchSettings,
    FundSource,
    ListThresholds,
    MonthlyProgress,
    Project,
    ReportSettings,
)
from projects.selectors.light_history import entries_version
from projects.services import versions
from projects.services.cycle import (
    approve_month,
    lock_month,
    save_dispatch_settings,
    save_list_thresholds,
    submit_month,
)
from projects.services.flags import flag_project
from projects.services.funds import record_funds
from projects.services.ledger import delete_progress, record_progress, save_plan, save_project
from projects.services.tags import set_project_tags
from tests.data_versions import settle
from tests.factories import MonthlyProgressFactory, ProgrammeFactory, ProjectFactory
from tests.importfiles import PROGRESS_HEADERS, csv_bytes
from tests.web.grid import URL as GRID
from tests.web.grid import form_data

pytestmark = pytest.mark.django_db
D = Decimal


def version(year: int, month: int = 0) -> int:
    return DataVersion.objects.get(year=year, month=month).n


@contextmanager
def moves(year: int = 2024, month: int = 0):
    """The write inside moves the version of ``year`` (of its ``month`` alone, for a month's
    figures) by one."""
    settle()
    before = version(year, month)
    yield
    assert version(year, month) == before + 1


@contextmanager
def entries_move(*projects, year: int = 2024):
    """The write inside moves each of ``projects``' entries' version of ``year`` by one."""
    settle()
    before = [entries_version(p.pk, year) for p in projects]
    yield
    assert [entries_version(p.pk, year) for p in projects] == [n + 1 for n in before]


@pytest.fixture
def project(unit_a, street_a):
    return ProjectFactory(
        programme=ProgrammeFactory(year=2024), code="CY-001", unit=unit_a, street=street_a
    )


def test_every_model_is_a_source_of_the_report_or_named_as_not_read():
    labels = {
        m._meta.label
        for m in apps.get_models()
        if m.__module__.startswith("projects") and not m.__name__.startswith("Historical")
    }
    sources = {m._meta.label for m in versions.SOURCES}
    assert labels - sources - set(versions.NOT_READ) == set()
    assert sources & set(versions.NOT_READ) == set()
    assert set(versions.NOT_READ) <= labels  # no reason left for a model that is gone


def test_every_year_and_month_of_the_lists_has_a_version_row():
    assert DataVersion.objects.filter(year__in=[EVERY_YEAR, 2000, 2024, 2100]).count() == 40
    assert DataVersion.objects.filter(year=2024, month__in=range(13)).count() == 13


# ---------------------------------------------------------------- doors


def test_a_grid_save_moves_its_month(project, staff_a_client):
    data = form_data(staff_a_client, **{"e-0-investment": "12", "e-0-inclusion": "3"})
    with moves(2024, 3), entries_move(project):
        response = staff_a_client.post(GRID, data)
    assert response.status_code == 302
    assert MonthlyProgress.objects.get(project=project, month=3).investment == D("12")


def test_an_admin_save_moves_its_month(project, manager_client):
    data = {"project": project.pk, "year": "2024", "month": "3", "investment": "7"}
    data |= {"inclusion": "1", "image_progress": "", "problems": ""}
    with moves(2024, 3), entries_move(project):
        response = manager_client.post(reverse("admin:projects_monthlyprogress_add"), data)
    assert response.status_code == 302


def test_a_progress_import_moves_its_month_though_it_writes_in_bulk(project, manager):
    content = csv_bytes([PROGRESS_HEADERS, ["CY-001", 2024, 3, "5", "1", "", ""]])
    with moves(2024, 3), entries_move(project):
        result = run_import("progress", content, filename="p.csv", actor=manager)
    assert result.written


def test_a_changed_import_row_moves_its_month_though_it_is_updated_in_bulk(project, manager):
    MonthlyProgressFactory(project=project, month=3, investment=D("1"))
    content = csv_bytes([PROGRESS_HEADERS, ["CY-001", 2024, 3, "6", "1", "", ""]])
    with moves(2024, 3), entries_move(project):
        run_import("progress", content, filename="p.csv", actor=manager)
    assert MonthlyProgress.objects.get(project=project, month=3).investment == D("6")


def test_a_deleted_month_moves_that_month(project, manager):
    entry = MonthlyProgressFactory(project=project, month=2)
    with moves(2024, 2), entries_move(project):
        delete_progress(actor=manager, entry=entry)


def test_a_plan_moves_the_year(project, manager):
    with moves():
        save_plan(
            actor=manager, project=project, year=2024, investment=[D("10")] * 4,
            inclusion=[D("5")] * 4,
        )  # fmt: skip


def test_funds_move_the_year(project, manager):
    with moves():
        record_funds(
            actor=manager, project=project, year=2024, month=3, source=FundSource.CITY,
            amount=D("8"),
        )  # fmt: skip


def test_a_node_and_applied_templates_move_the_list_year(project, manager):
    with moves():
        save_milestone(
            actor=manager, project=project, name="施工许可", planned_date=dt.date(2024, 5, 1),
            actual_date=None,
        )  # fmt: skip
    steps = TemplateSet.objects.create(name="竣工验收", kind=project.kind)
    NodeTemplate.objects.create(template_set=steps, name="竣工", sort_order=90)
    with moves():
        added = apply_templates(actor=manager, projects=Project.objects.all(), kind=project.kind)
    assert added >= 1


def test_a_flag_moves_the_list_year(project, manager):
    with moves():
        flag_project(actor=manager, project=project, light="red", reason="征地受阻")


def test_a_problem_moves_the_list_year(project, manager):
    with moves():
        raise_problem(actor=manager, project=project, description="用地未批", kind="land")


def test_a_tag_moves_the_list_year(project, manager):
    with moves():
        set_project_tags(actor=manager, project=project, names=["老旧小区改造"])


def test_settings_move_every_year(manager):
    settings = ReportSettings.current()
    settings.yellow_below = D("85")
    with moves(EVERY_YEAR):
        settings.save()
    values = DispatchSettings.current()
    values.due_soon_days = 3
    with moves(EVERY_YEAR):
        save_dispatch_settings(actor=manager, values=values)


def test_a_renamed_unit_moves_every_year(unit_a):
    unit_a.name = "城阳区发改局"
    with moves(EVERY_YEAR):
        unit_a.save()


def test_submitting_approving_and_locking_move_the_year(project, staff_a, manager, unit_a):
    MonthlyProgressFactory(project=project, month=1)
    with moves():
        submit_month(actor=staff_a, unit=unit_a, year=2024, month=1)
    with moves():
        approve_month(actor=manager, unit=unit_a, year=2024, month=1)
    with moves():
        lock_month(actor=manager, year=2024, month=1)


def test_moving_a_project_to_another_years_list_moves_both_years(project, manager):
    project.programme = ProgrammeFactory(year=2025)
    settle()
    before = version(2024), version(2025)
    save_project(actor=manager, project=project, expected_version=project.version)
    assert (version(2024), version(2025)) == (before[0] + 1, before[1] + 1)


def test_a_write_of_one_year_leaves_another_years_version(project, manager):
    settle()
    before = version(2023)
    record_progress(
        actor=manager, project=project, year=2024, month=3, investment=D("1"), inclusion=D("0")
    )
    assert version(2023) == before


def test_a_transaction_bumps_once_and_again_after_its_bump_is_rolled_back(project, manager):
    other = ProjectFactory(programme=project.programme, code="CY-002")
    settle()
    before = version(2024, 1)
    with transaction.atomic():
        MonthlyProgressFactory(project=project, month=1)
        MonthlyProgressFactory(project=other, month=1)
    assert version(2024, 1) == before + 1  # one bump for the transaction
    settle()
    march = version(2024, 3)
    try:
        with transaction.atomic():
            MonthlyProgressFactory(project=project, month=3)
            raise RuntimeError
    except RuntimeError:
        pass
    assert version(2024, 3) == march  # the savepoint's bump went with it
    MonthlyProgressFactory(project=project, month=3)
    assert version(2024, 3) == march + 1  # so the next write bumps again


def test_a_months_figures_move_that_month_alone(project, manager):
    settle()
    before = {m: version(2024, m) for m in (0, 2, 3, 4)}
    record_progress(
        actor=manager, project=project, year=2024, month=3, investment=D("1"), inclusion=D("0")
    )
    after = {m: version(2024, m) for m in (0, 2, 3, 4)}
    assert after == {**before, 3: before[3] + 1}


def test_a_year_write_moves_the_whole_year_row_only(project, manager):
    settle()
    before = {m: version(2024, m) for m in (0, 3)}
    with moves(2024):
        flag_project(actor=manager, project=project, light="red", reason="征地受阻")
    assert version(2024, 3) == before[3]


def test_a_lists_own_thresholds_move_its_year(manager):
    programme = ProgrammeFactory(year=2024)
    values = ListThresholds(programme=programme, behind_yellow_points=D("5"))
    with moves(2024):
        save_list_thresholds(actor=manager, values=values)
    values.behind_yellow_points = D("8")
    with moves(2024):
        save_list_thresholds(actor=manager, values=values)


# ---------------------------------------------------------------- a project's entries


def test_an_entry_moves_its_projects_entries_version_and_no_other_projects(project, manager):
    other = ProjectFactory(programme=project.programme, code="CY-002")
    MonthlyProgressFactory(project=other, month=1)
    settle()
    theirs = entries_version(other.pk, 2024)
    with entries_move(project):
        record_progress(
            actor=manager, project=project, year=2024, month=3, investment=D("1"),
            inclusion=D("0"),
        )  # fmt: skip
    assert entries_version(other.pk, 2024) == theirs
    assert entries_version(project.pk, 2023) == 0  # its year's alone


def test_an_import_moves_each_of_its_projects_entries_once_many_at_a_time(
    project, manager, monkeypatch
):
    # Two pairs a statement here, so three projects take two statements.
    monkeypatch.setattr("projects.models.versions.ENTRY_BUMPS_AT_ONCE", 2)
    others = [ProjectFactory(programme=project.programme, code=f"CY-00{n}") for n in (2, 3)]
    rows = [["CY-001", 2024, 3, "5", "1", "", ""], ["CY-001", 2024, 4, "7", "2", "", ""]]
    rows += [[p.code, 2024, 3, "2", "1", "", ""] for p in others]
    with entries_move(project, *others):
        result = run_import(
            "progress", csv_bytes([PROGRESS_HEADERS, *rows]), filename="p.csv", actor=manager
        )
    assert result.written


def test_an_entries_bump_rolled_back_with_its_savepoint_is_undone(project):
    settle()
    before = entries_version(project.pk, 2024)
    try:
        with transaction.atomic():
            MonthlyProgressFactory(project=project, month=3)
            assert entries_version(project.pk, 2024) == before + 1
            raise RuntimeError
    except RuntimeError:
        pass
    assert entries_version(project.pk, 2024) == before
    MonthlyProgressFactory(project=project, month=3)
    assert entries_version(project.pk, 2024) == before + 1  # bumped again


def test_deleting_a_project_with_entries_commits(project):
    # Each entry's delete bumps its project's entries' version while the project itself is
    # being deleted: the version row must not hold the project's deletion back at commit.
    MonthlyProgressFactory(project=project, month=1)
    settle()
    project.delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # what the commit checks
    else:
        connection.check_constraints()
    assert not Project.objects.filter(pk=project.pk).exists()
