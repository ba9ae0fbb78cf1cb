"""Admin import screens: upload -> preview -> confirm, templates and the ledger export."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import MonthlyProgress, Project
from tests.factories import MonthlyProgressFactory, ProjectFactory, UserFactory, user_with_role
from tests.full_storage import full
from tests.importfiles import (
    LEDGER_HEADERS,
    PROGRESS_HEADERS,
    csv_bytes,
    ledger_row,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

PROGRESS_URL = reverse("imports:import", args=["progress"])
LEDGER_URL = reverse("imports:import", args=["ledger"])


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "en"
    with time_machine.travel(dt.datetime(2024, 6, 30, 12, 0), tick=False):
        yield


@pytest.fixture
def manager(manager, client):
    # These tests post through the default client, logged in as the cast's manager.
    client.force_login(manager)
    return manager


def upload(client, url, name, content):
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def test_progress_preview_shows_new_changed_with_old_and_new_and_unchanged(client, manager):
    project = ProjectFactory(code="CY-001")
    MonthlyProgressFactory(project=project, month=1, investment=Decimal("50"))
    MonthlyProgressFactory(project=project, month=2, investment=Decimal("60"), inclusion=80)
    content = csv_bytes(
        [
            PROGRESS_HEADERS,
            ["CY-001", 2024, 1, "55", "40", "", ""],
            ["CY-001", 2024, 2, "60", "80", "", ""],
            ["CY-001", 2024, 3, "70", "10", "", ""],
        ]
    )

    response = upload(client, PROGRESS_URL, "march.csv", content)

    assert response.status_code == 200
    assert response.context["counts"] == {"new": 1, "changed": 1, "unchanged": 1, "errors": 0}
    page = response.content.decode()
    assert "<td>当月完成投资（万元）</td><td>50.00</td><td>55.00</td>" in page
    assert response.context["token"]
    assert not project.progress.filter(month=3).exists()


def test_confirm_writes_the_previewed_file_and_returns_to_the_list(client, manager, settings):
    ProjectFactory(code="CY-001")
    content = xlsx_bytes([PROGRESS_HEADERS, ["CY-001", 2024, 3, "1,234.5", "", "基础施工", ""]])
    token = upload(client, PROGRESS_URL, "march.xlsx", content).context["token"]

    response = client.post(PROGRESS_URL, {"token": token})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:projects_monthlyprogress_changelist")
    entry = MonthlyProgress.objects.get()
    assert entry.investment == Decimal("1234.50")
    assert not any((settings.MEDIA_ROOT / "import-uploads").iterdir())
    assert entry.history.get().history_user == manager
    # The same token cannot import twice.
    again = client.post(PROGRESS_URL, {"token": token})
    assert again.status_code == 302 and MonthlyProgress.history.count() == 1


def test_preview_with_errors_lists_row_column_reason_and_offers_no_confirm(client, manager):
    ProjectFactory(code="CY-001")
    content = csv_bytes(
        [
            PROGRESS_HEADERS,
            ["CY-001", 2024, 1, "10", "5", "", ""],
            ["CY-001", 2024, 13, "abc", "5", "", ""],
        ]
    )

    response = upload(client, PROGRESS_URL, "bad.csv", content)

    assert response.status_code == 200
    errors = [(e.row, e.column) for e in response.context["errors"]]
    assert errors == [(3, "月份"), (3, "当月完成投资（万元）")]
    page = response.content.decode()
    assert "“abc” is not an amount: write digits with at most one decimal point" in page
    assert 'name="token"' not in page
    assert not MonthlyProgress.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scan.pdf", b"%PDF-1.4\x00\x00binary", "cannot be read"),
        ("empty.csv", b"", "empty"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", ".xls"),
    ],
)
def test_unreadable_upload_gets_a_message_not_a_server_error(
    client, manager, name, content, message
):
    response = upload(client, PROGRESS_URL, name, content)

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors["file"])


def test_upload_form_speaks_chinese_by_default(client, manager, settings):
    settings.LANGUAGE_CODE = "zh-hans"

    response = client.post(PROGRESS_URL, {})

    assert response.status_code == 200
    assert "这个字段是必填项。" in response.content.decode()


def test_ledger_preview_lists_new_lookups_and_confirm_creates_them(client, manager):
    content = csv_bytes([LEDGER_HEADERS, ledger_row()])

    preview = upload(client, LEDGER_URL, "台账.csv", content)

    assert {lookup.name for lookup in preview.context["new_lookups"]} == {
        "2024年市级攻坚项目",
        "先进制造业",
        "区发展和改革局",
        "流亭",
    }
    client.post(LEDGER_URL, {"token": preview.context["token"]})
    project = Project.objects.get()
    assert project.history.get().history_change_reason == "导入 台账.csv"


def test_unit_staff_see_rows_of_other_units_as_errors(client):
    staff = UserFactory()
    staff.user_permissions.add(
        Permission.objects.get(codename="add_monthlyprogress"),
        Permission.objects.get(codename="change_monthlyprogress"),
    )
    own = ProjectFactory(code="CY-001")
    own.unit.members.add(staff)
    ProjectFactory(code="CY-002")
    client.force_login(staff)
    content = csv_bytes(
        [
            PROGRESS_HEADERS,
            ["CY-001", 2024, 1, "10", "5", "", ""],
            ["CY-002", 2024, 1, "10", "5", "", ""],
        ]
    )

    response = upload(client, PROGRESS_URL, "p.csv", content)

    assert [(e.row, e.column) for e in response.context["errors"]] == [(3, "项目编号")]
    assert not MonthlyProgress.objects.exists()


def test_staff_without_import_permission_are_refused(client):
    client.force_login(UserFactory())

    assert client.get(PROGRESS_URL).status_code == 403
    assert client.get(reverse("imports:template", args=["ledger"])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(LEDGER_URL)

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_unknown_import_kind_is_not_found(client, manager):
    assert client.get(reverse("imports:import", args=["budget"])).status_code == 404


@pytest.mark.parametrize(
    ("kind", "headers"), [("ledger", LEDGER_HEADERS), ("progress", PROGRESS_HEADERS)]
)
def test_template_has_headers_an_example_row_and_a_notes_sheet(client, manager, kind, headers):
    response = client.get(reverse("imports:template", args=[kind]))

    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    data, notes = workbook.worksheets
    rows = list(data.iter_rows(values_only=True))
    assert list(rows[0]) == headers
    assert len(rows) == 2 and rows[1][0]
    assert [
        row[0] for row in notes.iter_rows(min_row=2, max_row=len(headers) + 1, values_only=True)
    ] == headers


def test_exported_ledger_imports_back_through_the_admin_with_no_changes(client, manager):
    ProjectFactory.create_batch(3)
    exported = client.get(reverse("imports:export-ledger"))
    assert exported.status_code == 200

    preview = upload(client, LEDGER_URL, "ledger.xlsx", exported.content)

    assert preview.context["counts"] == {"new": 0, "changed": 0, "unchanged": 3, "errors": 0}


def test_unit_staff_export_only_their_units_ledger(client):
    staff = user_with_role("unit_staff")
    own = ProjectFactory(code="OWN-1")
    own.unit.members.add(staff)
    ProjectFactory(code="OTHER-1")
    client.force_login(staff)

    response = client.get(reverse("imports:export-ledger"))

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["OWN-1"]


def test_changelists_link_to_import_template_and_export(client, manager):
    projects_page = client.get(reverse("admin:projects_project_changelist")).content.decode()
    progress_page = client.get(
        reverse("admin:projects_monthlyprogress_changelist")
    ).content.decode()

    assert LEDGER_URL in projects_page
    assert reverse("imports:export-ledger") in projects_page
    assert reverse("imports:template", args=["ledger"]) in projects_page
    assert PROGRESS_URL in progress_page
    assert reverse("imports:template", args=["progress"]) in progress_page


def test_unconfirmed_uploads_older_than_a_day_are_removed(client, manager, settings):
    import os
    import time

    ProjectFactory(code="CY-001")
    stale = settings.MEDIA_ROOT / "import-uploads" / "abandoned"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    day_and_a_bit = time.time() - 25 * 60 * 60
    os.utime(stale, (day_and_a_bit, day_and_a_bit))

    upload(client, PROGRESS_URL, "p.csv", csv_bytes([PROGRESS_HEADERS, ["CY-001", 2024, 1, 1, 1]]))

    assert not stale.exists()
    assert len(list(stale.parent.iterdir())) == 1


def test_confirming_a_previewed_change_to_an_existing_project_writes_it(client, manager):
    from projects.imports.ledger_files import ledger_xlsx

    project = ProjectFactory(image_progress="基础施工")
    book = openpyxl.load_workbook(io.BytesIO(ledger_xlsx(Project.objects.filter(pk=project.pk))))
    sheet = book.active
    head = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=head.index("形象进度") + 1).value = "主体封顶"
    out = io.BytesIO()
    book.save(out)

    preview = upload(client, LEDGER_URL, "台账.xlsx", out.getvalue())
    assert preview.context["counts"]["changed"] == 1
    # The preview's own dry run must not make the row look changed by someone else.
    confirmed = client.post(LEDGER_URL, {"token": preview.context["token"]})
    assert confirmed.status_code == 302
    project.refresh_from_db()
    assert project.image_progress == "主体封顶"


def test_a_preview_waits_in_the_configured_storage_for_a_confirm_any_server_may_get(
    client, manager, settings
):
    # Shared storage for servers that share no disk: nothing lands under MEDIA_ROOT.
    from django.core.files.storage import storages

    settings.STORAGES = {
        **settings.STORAGES,
        "imports": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    storages._storages.pop("imports", None)
    ProjectFactory(code="CY-001")
    content = csv_bytes([PROGRESS_HEADERS, ["CY-001", 2024, 3, "12", "", "", ""]])
    token = upload(client, PROGRESS_URL, "march.csv", content).context["token"]
    assert storages["imports"].listdir("")[1]
    assert not (settings.MEDIA_ROOT / "import-uploads").exists()

    response = client.post(PROGRESS_URL, {"token": token})

    assert response.status_code == 302
    assert MonthlyProgress.objects.get().investment == Decimal("12.00")
    assert storages["imports"].listdir("")[1] == []
    storages._storages.pop("imports", None)


def test_a_full_disk_at_the_preview_says_so_and_keeps_no_file(client, manager, settings, tmp_path):
    settings.LANGUAGE_CODE = "zh-hans"
    settings.STORAGES = {
        **settings.STORAGES,
        "imports": full(tmp_path),
    }
    ProjectFactory(code="CY-001")
    content = csv_bytes([PROGRESS_HEADERS, ["CY-001", 2024, 1, "55", "40", "", ""]])
    response = upload(client, PROGRESS_URL, "progress.csv", content)
    assert response.status_code == 200
    assert "存储空间已满" in response.content.decode()
    assert "token" not in response.context or not response.context.get("token")
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    assert not MonthlyProgress.objects.exists()
