"""Every file the app makes comes from the export registry and leaves through one response helper.

A format registered once is served on the web, listed on its page and offered to the
command and to share links; every download names its file the way browsers read
(RFC 5987 for Chinese names) and is neither cached nor sniffed.
"""

from decimal import Decimal
from email.message import Message
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from projects.exports import exporter, formats
from projects.exports.registry import NODES, REPORT, STATUS, Exporter, register, unregister
from projects.models import ShareLink
from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
)

pytestmark = pytest.mark.django_db


def browser_filename(response) -> str:
    """The name a browser saves the file under, read from the header as a mail client would."""
    message = Message()
    message["Content-Disposition"] = response["Content-Disposition"]
    return message.get_filename()


class TsvExporter(Exporter):
    """A throwaway report format: the project codes, one a line."""

    identifier = "tsv"
    name = "TSV"
    content_type = "text/tab-separated-values; charset=utf-8"
    binary = False
    shareable = True

    def render(self, report, table, scope=None) -> bytes:
        return "\n".join(row.code for row in report.rows).encode()


class NodeTxt(Exporter):
    kind = NODES
    identifier = "txt"
    name = "Text"
    content_type = "text/plain; charset=utf-8"

    def file(self, nodes, stem):
        from projects.exports import ExportFile

        return ExportFile(b"nodes", self.content_type, f"{stem}.txt")


@pytest.fixture
def tsv():
    register(TsvExporter)
    yield exporter("tsv")
    unregister(TsvExporter)


@pytest.fixture
def programme(unit_a):
    programme = ProgrammeFactory(year=2024)
    project = ProjectFactory(programme=programme, code="GJ-001", unit=unit_a)
    QuarterPlanFactory(project=project, investment_q1=Decimal("100"))
    MonthlyProgressFactory(project=project, month=2, investment=Decimal("50"))
    return programme


def test_a_registered_report_format_is_served_at_its_url_and_gone_once_unregistered(
    manager_client, programme, tsv
):
    url = reverse("export_report", kwargs={"year": 2024, "quarter": 1, "fmt": "tsv"})
    assert url == "/reports/2024/q1.tsv"
    response = manager_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == tsv.content_type
    assert response.getvalue() == b"GJ-001"
    assert browser_filename(response) == "2024年一季度市级攻坚项目进展.tsv"
    unregister(TsvExporter)
    assert manager_client.get(url).status_code == 404


def test_a_registered_report_format_is_linked_on_the_report_page(manager_client, programme, tsv):
    page = manager_client.get(reverse("quarterly_report", args=[2024, 1])).content.decode()
    assert 'href="/reports/2024/q1.tsv?' in page


def test_the_briefing_is_not_listed_among_the_table_files(manager_client, programme):
    page = manager_client.get(reverse("quarterly_report", args=[2024, 1])).content.decode()
    assert 'href="/reports/2024/q1.csv?' in page
    assert 'href="/reports/2024/q1.docx?' not in page


def test_a_registered_node_format_is_served_and_linked(manager_client):
    register(NodeTxt)
    try:
        response = manager_client.get(reverse("node_export", args=["txt"]), {"flag": "all"})
        assert response.getvalue() == b"nodes"
        page = manager_client.get(reverse("node_list")).content.decode()
        assert reverse("node_export", args=["txt"]) in page
    finally:
        unregister(NodeTxt)
    assert manager_client.get("/nodes/export.txt").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/reports/2024/q1.exe",
        "/nodes/export.docx",
        "/problems/agenda.csv",
        "/reports/status/2024/3/xlsx/",
    ],
)
def test_a_format_its_kind_did_not_register_is_not_found(manager_client, url):
    assert manager_client.get(url).status_code == 404


def test_the_command_offers_and_writes_a_registered_format(programme, tsv):
    out = StringIO()
    call_command("export_report", year=2024, quarter=1, fmt="tsv", stdout=out)
    assert out.getvalue() == "GJ-001"


def test_share_links_offer_the_registry_shareable_formats(programme, tsv):
    assert list(formats(shareable=True)) == ["csv", "xlsx", "oc4ids", "tsv"]
    field = ShareLink._meta.get_field("format")
    assert field.clean("tsv", ShareLink()) == "tsv"
    with pytest.raises(ValidationError):
        field.clean("json", ShareLink())


def test_each_kind_holds_its_own_formats():
    assert list(formats(REPORT)) == ["csv", "xlsx", "json", "docx", "oc4ids", "geojson"]
    assert list(formats(NODES)) == ["xlsx", "csv"]
    assert list(formats(STATUS)) == ["csv"]
    assert list(formats("agenda")) == ["xlsx", "docx"]


def test_the_node_export_is_saved_under_its_chinese_name(manager_client):
    today = timezone.localdate()
    for fmt in ("csv", "xlsx"):
        response = manager_client.get(reverse("node_export", args=[fmt]), {"flag": "all"})
        assert browser_filename(response) == f"节点计划-{today:%Y%m%d}.{fmt}"


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/reports/2024/q1.csv", "2024年一季度市级攻坚项目进展.csv"),
        ("/reports/2024/q1/briefing.docx", "2024年一季度市级攻坚项目推进情况通报.docx"),
        ("/problems/agenda.xlsx", None),
        ("/problems/agenda.docx", None),
        ("/nodes/export.csv?flag=late", None),
        ("/reports/status/2024/3/csv/", "status-2024-03.csv"),
        ("/admin/imports/export/ledger/", "ledger.xlsx"),
        ("/admin/imports/ledger/template/", "ledger-template.xlsx"),
    ],
)
def test_every_download_is_an_attachment_neither_cached_nor_sniffed(
    manager_client, programme, url, name
):
    response = manager_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    if name is not None:
        assert browser_filename(response) == name
