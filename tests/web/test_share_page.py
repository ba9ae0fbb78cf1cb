"""A share link opens a phone-sized page of the period's report, with its files under it.

Any period (a quarter or January to a month), any report filter stored on the
link, and the 通报; every file comes from ``exports.export_report_file``.
"""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from projects import services
from projects.exports import export_report_file
from projects.models import MonthSubmission, ShareDownload, ShareLink, Unit
from projects.web import sharing
from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2024, 6, 10, 9, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(days=1)


@pytest.fixture
def programme():
    return ProgrammeFactory(year=2024)


@pytest.fixture
def units(programme):
    """Two units, each with a project reported through May."""
    made = {}
    for code, name, amount in [
        ("JSJ", "区住房和城乡建设局", "150.00"),
        ("FGJ", "区发展和改革局", "20"),
    ]:
        unit = UnitFactory(code=code, name=name)
        project = ProjectFactory(programme=programme, unit=unit, name=f"{name}的项目")
        QuarterPlanFactory(project=project)
        MonthlyProgressFactory(project=project, month=5, investment=amount, inclusion=amount)
        made[code] = unit
    return made


def make(manager, programme, **kwargs):
    kwargs.setdefault("quarter", None if "month" in kwargs else 1)
    with time_machine.travel(NOW):
        return services.create_share_link(
            actor=manager,
            programme=programme,
            year=2024,
            expires_at=NOW + dt.timedelta(days=7),
            **kwargs,
        )


@time_machine.travel(LATER)
def test_the_link_opens_a_page_with_the_headline_lights_rows_and_files(
    client, manager, programme, units
):
    link = make(manager, programme, month=5)
    response = client.get(reverse("share", args=[link.token]), HTTP_USER_AGENT="WeChat")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "2024年1—5月" in page
    headline = response.context["headline"]
    assert headline.projects == 2
    assert str(headline.investment.actual) == "170.00"
    assert "170.00" in page
    assert "区住房和城乡建设局的项目" in page and "区发展和改革局的项目" in page
    assert [(light["code"], light["count"]) for light in response.context["lights"]] == [
        ("green", sum(1 for r in response.context["rows"] if r.light == "green")),
        ("yellow", sum(1 for r in response.context["rows"] if r.light == "yellow")),
        ("red", sum(1 for r in response.context["rows"] if r.light == "red")),
    ]
    offered = [f["identifier"] for f in response.context["files"]]
    assert offered == ["csv", "xlsx", "oc4ids", "docx"]
    for fmt in offered:
        assert reverse("share-file", args=[link.token, fmt]) in page
    assert "通报" in page
    opened = ShareDownload.objects.get(link=link)
    assert (opened.format, opened.user_agent) == ("", "WeChat")


@time_machine.travel(LATER)
def test_a_unit_filtered_link_shows_that_units_projects_and_names_it(
    client, manager, programme, units
):
    link = make(manager, programme, month=5, filters={"unit": "JSJ"})
    assert link.filters == {"unit": "JSJ"}
    response = client.get(reverse("share", args=[link.token]))
    page = response.content.decode()
    assert response.context["headline"].projects == 1
    assert "区住房和城乡建设局的项目" in page
    assert "区发展和改革局的项目" not in page
    assert "2024年1—5月 · 区住房和城乡建设局" in page


@time_machine.travel(LATER)
def test_a_filtered_links_files_hold_the_filtered_report(client, manager, programme, units):
    link = make(manager, programme, month=5, filters={"unit": "FGJ"})
    response = client.get(reverse("share-file", args=[link.token, "csv"]))
    text = response.content.decode("utf-8-sig")
    assert "区发展和改革局的项目" in text
    assert "区住房和城乡建设局的项目" not in text
    assert ShareDownload.objects.get(link=link).format == "csv"


@time_machine.travel(LATER)
def test_the_briefing_comes_through_the_link_for_a_month(client, manager, programme, units):
    link = make(manager, programme, month=5)
    response = client.get(reverse("share-file", args=[link.token, "docx"]))
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "1—5月" in text


@time_machine.travel(LATER)
def test_the_files_are_made_by_the_one_export_entry_point(
    client, manager, programme, units, monkeypatch
):
    calls = []

    def spy(**kwargs):
        calls.append(kwargs)
        return export_report_file(**kwargs)

    monkeypatch.setattr(sharing, "export_report_file", spy)
    link = make(manager, programme, month=5, filters={"unit": "JSJ"})
    client.get(reverse("share-file", args=[link.token, "xlsx"]))
    assert len(calls) == 1
    call = calls[0]
    assert (call["year"], call["quarter"], call["month"], call["fmt"], call["filters"]) == (
        2024,
        None,
        5,
        "xlsx",
        {"unit": "JSJ"},
    )


@time_machine.travel(LATER)
def test_the_page_lists_the_first_rows_and_says_how_many_more(
    client, manager, programme, units, monkeypatch
):
    monkeypatch.setattr(sharing, "SHARE_PAGE_ROWS", 1)
    link = make(manager, programme, month=5)
    response = client.get(reverse("share", args=[link.token]))
    assert len(response.context["rows"]) == 1
    assert "另有 1 个项目" in response.content.decode()


@time_machine.travel(LATER)
def test_a_link_for_one_file_offers_only_that_file(client, manager, programme, units):
    link = make(manager, programme, fmt="docx")
    response = client.get(reverse("share", args=[link.token]))
    assert [f["identifier"] for f in response.context["files"]] == ["docx"]
    refused = client.get(reverse("share-file", args=[link.token, "csv"]))
    assert refused.status_code == 404
    assert "不提供" in refused.content.decode()


@time_machine.travel(LATER)
def test_a_format_that_is_not_shareable_is_refused_with_a_page(client, manager, programme, units):
    link = make(manager, programme)
    for fmt in ("json", "exe"):
        response = client.get(reverse("share-file", args=[link.token, fmt]))
        assert response.status_code == 404
        assert "不提供" in response.content.decode()


@time_machine.travel(LATER)
def test_a_link_whose_filter_no_longer_exists_shows_nothing(client, manager, programme, units):
    link = make(manager, programme, filters={"unit": "JSJ"})
    Unit.objects.filter(code="JSJ").update(code="JSJ2")
    for url in (
        reverse("share", args=[link.token]),
        reverse("share-file", args=[link.token, "csv"]),
    ):
        response = client.get(url)
        assert response.status_code == 410
        assert "筛选条件已不存在" in response.content.decode()
    assert not ShareDownload.objects.exists()


def test_a_link_names_a_quarter_or_a_month_not_both_nor_neither(manager, programme):
    for period in ({"quarter": 1, "month": 5}, {"quarter": None}):
        with pytest.raises(ValidationError) as caught:
            make(manager, programme, **period)
        assert caught.value.message_dict["quarter"] == ["请选择季度或“1月至某月”，二者只选其一。"]
    assert not ShareLink.objects.exists()


def test_a_link_with_an_unknown_or_invalid_filter_is_refused_in_chinese(manager, programme, units):
    with pytest.raises(ValidationError) as caught:
        make(manager, programme, filters={"colour": "red"})
    assert caught.value.message_dict["filters"] == ["报表没有筛选条件：colour。"]
    with pytest.raises(ValidationError) as caught:
        make(manager, programme, filters={"unit": "NOPE"})
    assert caught.value.message_dict["filters"][0].startswith("责任单位：")
    assert not ShareLink.objects.exists()


def test_a_link_with_an_unknown_plan_basis_is_refused(manager, programme):
    with pytest.raises(ValidationError) as caught:
        make(manager, programme, filters={"plan": "wishful"})
    assert caught.value.message_dict["filters"] == ["报表筛选条件无效。"]
    assert make(manager, programme, filters={"plan": "baseline"}).filters == {"plan": "baseline"}


@time_machine.travel(LATER)
def test_the_page_says_how_complete_the_figures_are(client, manager, programme, units):
    # Only 区住房和城乡建设局 has submitted May: the superior reads that before any rate.
    MonthSubmission.objects.create(
        unit=units["JSJ"], year=2024, month=5, status=MonthSubmission.Status.APPROVED
    )
    link = make(manager, programme, month=5, quarter=None)
    page = client.get(f"/share/{link.token}/").content.decode()
    assert "截至5月，已报送1/2个单位，已审核1个。" in page


def test_blank_filter_values_are_left_off_the_link(manager, programme, units):
    link = make(manager, programme, filters={"unit": "JSJ", "street": "", "light": None})
    assert link.filters == {"unit": "JSJ"}


@time_machine.travel(LATER)
def test_the_page_takes_the_same_queries_however_many_projects(client, manager, programme, units):
    link = make(manager, programme, month=5)
    url = reverse("share", args=[link.token])
    client.get(url)  # settings rows exist from here on
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(6):
        project = ProjectFactory(programme=programme, unit=units["JSJ"])
        QuarterPlanFactory(project=project)
        MonthlyProgressFactory(project=project, month=5)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.context["headline"].projects == 8
    assert len(many) == len(few) <= 20


def test_a_manager_makes_a_month_link_for_one_unit_in_the_admin(client, manager, programme, units):
    client.force_login(manager)
    response = client.post(
        reverse("admin:projects_sharelink_add"),
        {
            "programme": programme.pk,
            "year": 2024,
            "month": 5,
            "format": "",
            "filter_unit": "JSJ",
            "expires_at_0": (dt.date.today() + dt.timedelta(days=3)).isoformat(),
            "expires_at_1": "18:00:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    link = ShareLink.objects.get()
    assert (link.quarter, link.month, link.format, link.filters) == (
        None,
        5,
        "",
        {"unit": "JSJ"},
    )
    changelist = client.get(reverse("admin:projects_sharelink_changelist")).content.decode()
    assert "区住房和城乡建设局" in changelist


def test_the_admin_refuses_a_link_with_both_a_quarter_and_a_month(client, manager, programme):
    client.force_login(manager)
    response = client.post(
        reverse("admin:projects_sharelink_add"),
        {
            "programme": programme.pk,
            "year": 2024,
            "quarter": 1,
            "month": 5,
            "format": "",
            "expires_at_0": (dt.date.today() + dt.timedelta(days=3)).isoformat(),
            "expires_at_1": "18:00:00",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["quarter"] == [
        "请选择季度或“1月至某月”，二者只选其一。"
    ]
    assert not ShareLink.objects.exists()
