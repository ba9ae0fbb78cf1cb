"""The node import pins what its preview showed, as the ledger import does.

A node someone saves or adds between the preview and the confirm is not
overwritten: the confirm refuses the file, names the row and saves nothing.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.milestones import imports, services
from projects.milestones.imports import import_nodes
from projects.milestones.models import Milestone
from tests.milestones.test_node_import import _csv

pytestmark = pytest.mark.django_db
URL = reverse("node_import")
STALE = "这一行的节点在您预览之后已被他人修改；请重新上传文件查看新的预览。"
CLASH = "在您填写期间，其他人已录入了这一条。"


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _start(manager, project, planned):
    return services.save_milestone(
        actor=manager, project=project, name="开工", planned_date=planned, actual_date=None
    )


def _preview(client, content):
    preview = client.post(URL, {"file": SimpleUploadedFile("nodes.csv", content, "text/csv")})
    assert preview.status_code == 200 and preview.context["token"]
    return preview.context["token"]


def test_a_node_saved_after_the_preview_refuses_the_confirm_and_keeps_their_dates(
    client, manager, project_a
):
    node = _start(manager, project_a, dt.date(2024, 3, 1))
    client.force_login(manager)
    token = _preview(client, _csv(f"{project_a.code},,开工,20,2024-03-10,,"))

    # A colleague moves the start between the preview and the confirm.
    services.save_milestone(
        actor=manager,
        project=project_a,
        name="开工",
        planned_date=dt.date(2024, 4, 1),
        actual_date=None,
        version=node.version,
    )
    confirm = client.post(URL, {"token": token})

    assert confirm.status_code == 200
    assert confirm.context["result"].errors == [(2, STALE)]
    assert STALE in confirm.content.decode()
    assert Milestone.objects.get(name="开工").planned_date == dt.date(2024, 4, 1)


def test_a_node_added_after_the_preview_refuses_the_confirm(client, manager, project_a):
    client.force_login(manager)
    token = _preview(
        client,
        _csv(
            f"{project_a.code},,施工许可,10,2024-02-01,,", f"{project_a.code},,开工,20,2024-03-10,,"
        ),
    )

    _start(manager, project_a, dt.date(2024, 4, 1))
    confirm = client.post(URL, {"token": token})

    assert confirm.context["result"].errors == [(3, STALE)]
    assert list(Milestone.objects.values_list("name", "planned_date")) == [
        ("开工", dt.date(2024, 4, 1))
    ]


def test_a_confirm_with_nothing_changed_since_the_preview_imports(client, manager, project_a):
    _start(manager, project_a, dt.date(2024, 3, 1))
    client.force_login(manager)
    token = _preview(client, _csv(f"{project_a.code},,开工,20,2024-03-10,,"))

    assert client.post(URL, {"token": token}).status_code == 302
    assert Milestone.objects.get(name="开工").planned_date == dt.date(2024, 3, 10)


def test_a_node_inserted_while_the_import_writes_is_a_clash_not_a_500(
    manager, project_a, monkeypatch
):
    real = services.save_milestones_in_bulk

    def someone_adds_it_first(**kwargs):
        # Committed after the file was read, before its insert.
        Milestone.objects.create(project=project_a, name="开工", planned_date=dt.date(2024, 4, 1))
        return real(**kwargs)

    monkeypatch.setattr(imports.services, "save_milestones_in_bulk", someone_adds_it_first)
    result = import_nodes(actor=manager, content=_csv(f"{project_a.code},,开工,20,2024-03-10,,"))

    assert result.saved == 0
    assert [(n, m[: len(CLASH)]) for n, m in result.errors] == [(1, CLASH)]
    assert list(Milestone.objects.values_list("planned_date", flat=True)) == [dt.date(2024, 4, 1)]
