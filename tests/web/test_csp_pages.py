"""The pages pass their own Content-Security-Policy: no inline script, no inline style."""

import re

import pytest

from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
    UnitFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def test_report_project_and_admin_pages_carry_no_inline_script_or_style(client):
    unit = UnitFactory()
    project = ProjectFactory(unit=unit, programme=ProgrammeFactory(year=2024))
    QuarterPlanFactory(project=project)
    MonthlyProgressFactory(project=project, month=3)
    client.force_login(user_with_role("manager"))
    pages = [
        "/reports/2024/q1/",
        f"/projects/{project.code}/",
        "/reports/status/2024/3/",
        "/dashboard/?year=2024&quarter=1",
        "/dashboard/?year=2024&quarter=1&screen=wall",
        "/accounts/login/",
        "/admin/",
        "/admin/projects/project/",
        f"/admin/projects/project/{project.pk}/change/",
        "/admin/projects/monthlyprogress/add/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "script-src 'self'" in response["Content-Security-Policy"]
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), (url, INLINE_SCRIPT.search(html).group(0))
        assert not INLINE_STYLE.search(html), (
            url,
            html[INLINE_STYLE.search(html).start() - 80 :][:200],
        )
