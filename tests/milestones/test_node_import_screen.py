"""The node import screen in the admin: preview, then confirm; managers only; never half-saved."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.milestones import services
from projects.milestones.models import Milestone
from tests.milestones.test_node_import import _csv

pytestmark = pytest.mark.django_db
URL = reverse("node_import")


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _upload(content: bytes, name="nodes.csv"):
    return SimpleUploadedFile(name, content, "text/csv")


def test_a_manager_previews_then_confirms_and_only_then_nodes_are_saved(client, manager, project_a):
    services.save_milestone(
        actor=manager,
        project=project_a,
        name="开工",
        planned_date=dt.date(2024, 3, 1),
        actual_date=None,
    )
    client.force_login(manager)
    page = client.get(URL).content.decode()
    assert 'type="file"' in page and reverse("node_export", kwargs={"fmt": "xlsx"}) in page
    content = _csv(
        f"{project_a.code},,施工许可,10,2024-02-01,2024-02-03,",
        f"{project_a.code},,开工,20,2024-03-10,,",
    )
    preview = client.post(URL, {"file": _upload(content)})
    html = preview.content.decode()
    assert preview.status_code == 200 and "施工许可" in html
    assert "共读取 2 行：新增节点 1 个，修改 1 个" in html
    assert preview.context["result"].new == 1 and preview.context["result"].changed == 1
    assert Milestone.objects.get(name="开工").planned_date == dt.date(2024, 3, 1)
    assert not Milestone.objects.filter(name="施工许可").exists()
    done = client.post(URL, {"token": preview.context["token"]})
    assert done.status_code == 302
    assert Milestone.objects.get(name="开工").planned_date == dt.date(2024, 3, 10)
    assert Milestone.objects.get(name="施工许可").actual_date == dt.date(2024, 2, 3)
    # The same upload cannot be confirmed twice.
    again = client.post(URL, {"token": preview.context["token"]}, follow=True)
    assert "已过期" in again.content.decode() or "已导入" in again.content.decode()


def test_a_file_with_a_bad_row_shows_the_row_and_offers_no_import(client, manager, project_a):
    client.force_login(manager)
    content = _csv(f"{project_a.code},,开工,10,2024-13-01,,")
    preview = client.post(URL, {"file": _upload(content)})
    html = preview.content.decode()
    assert "不是日期" in html and 'name="token"' not in html
    assert not Milestone.objects.exists()


def test_a_file_that_is_not_a_table_gets_a_message_not_an_error(client, manager):
    client.force_login(manager)
    response = client.post(URL, {"file": _upload(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 64)})
    assert response.status_code == 200
    assert ".xlsx" in response.content.decode()


def test_only_managers_reach_the_screen(client, staff_a):
    client.force_login(staff_a)
    assert client.get(URL).status_code == 403


def test_the_node_admin_list_links_to_import_and_export(client, manager):
    client.force_login(manager)
    page = client.get(reverse("admin:milestones_milestone_changelist")).content.decode()
    assert URL in page and reverse("node_export", kwargs={"fmt": "xlsx"}) in page
