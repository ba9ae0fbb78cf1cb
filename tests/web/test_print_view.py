"""The report's print view: every row and the columns that matter, without screen furniture."""

import pytest

from projects.models import Tag
from projects.schema import DIMENSIONS
from projects.services.tags import save_tag
from tests.factories import user_with_role
from tests.reporting import bulk_projects

pytestmark = pytest.mark.django_db


@pytest.fixture
def sixty(client):
    programme, projects = bulk_projects(60)
    client.force_login(user_with_role("manager"))
    return programme, projects


def test_print_view_renders_every_row_not_one_page(sixty, client):
    _programme, projects = sixty
    page = client.get("/reports/2024/q1/print/").content.decode()
    for project in projects:
        assert f"<td>{project.code}</td>" in page
    assert "print.css" in page
    assert "<form" not in page and "pagination" not in page and "topbar" not in page
    # Head repeated on each printed page; 合计 rows close the tables: the projects' and
    # one per schema dimension (category, unit, street, industry).
    assert "<thead>" in page and page.count("<tfoot>") == 1 + len(DIMENSIONS)


def test_print_title_names_the_period_and_the_filter(sixty, client):
    _programme, projects = sixty
    unit = projects[0].unit
    page = client.get(f"/reports/2024/q1/print/?unit={unit.code}").content.decode()
    assert "2024年一季度" in page and unit.name in page
    assert page.count('<tr class="light-') == 15


def test_print_view_lists_campaigns_with_all_started(sixty, client):
    _programme, projects = sixty
    started = [p for p in projects if p.actual_start][:3]
    save_tag(actor=user_with_role("manager"), tag=Tag(name="断头路打通"), projects=started)
    page = client.get("/reports/2024/q1/print/").content.decode()
    assert "断头路打通（全面开工）" in page


def test_report_page_links_print_view_and_briefing_and_totals_breakdowns(sixty, client):
    page = client.get("/reports/2024/q1/").content.decode()
    assert "/reports/2024/q1/print/" in page and "/reports/2024/q1/briefing/" in page
    assert page.count("<tfoot") >= 3
    assert "bar-green" in page or "bar-yellow" in page or "bar-red" in page


def test_unit_staff_may_read_the_print_view_but_not_download_the_briefing(sixty, client):
    client.force_login(user_with_role("unit_staff"))
    assert client.get("/reports/2024/q1/print/").status_code == 200
    assert client.get("/reports/2024/q1/briefing.docx").status_code == 403


def test_only_managers_shape_campaigns(sixty):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        save_tag(actor=user_with_role("unit_staff"), tag=Tag(name="微更新"))
    assert save_tag(actor=user_with_role("manager"), tag=Tag(name="微更新")).pk


def test_managers_set_a_campaigns_projects_in_the_admin(sixty, client):
    _programme, projects = sixty
    admin_user = user_with_role("manager")
    client.force_login(admin_user)
    response = client.post(
        "/admin/projects/tag/add/",
        {"name": "老旧小区改造", "sort_order": 0, "projects": [p.pk for p in projects[:2]]},
    )
    assert response.status_code == 302
    assert set(Tag.objects.get(name="老旧小区改造").projects.all()) == set(projects[:2])
    client.force_login(user_with_role("unit_staff"))
    assert client.get("/admin/projects/tag/").status_code == 403


def test_report_page_ranks_units_and_categories_with_token_plans_apart(sixty, client):
    from projects.models import ReportSettings

    settings = ReportSettings.current()
    settings.ranking_floor = 100_000
    settings.save()
    page = client.get("/reports/2024/q1/").content.decode()
    assert "各类别投资完成率排名" in page
    assert "计划低于100,000万元，未参与排名" in page
