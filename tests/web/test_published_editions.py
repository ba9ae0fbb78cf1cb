"""Locking a period publishes edition 1; corrections never move it; edition 2 is a manager's act.

The issue's acceptance on the demo: lock Q1 2024, correct a March figure with a reason,
and the quarter's CSV, JSON, XLSX and 通报 are the same bytes; publish edition 2 and
they change, edition 1 still downloadable.
"""

import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from docx import Document

from projects import demo, services
from projects.models import MonthlyProgress, MonthSubmission, Programme, PublishedEdition
from projects.periods import Period
from projects.services.editions import periods_closed_by, publish_edition

pytestmark = pytest.mark.django_db

FILES = ("q1.csv", "q1.json", "q1.xlsx", "q1/briefing.docx")


def approve_march(manager):
    for submission in MonthSubmission.objects.filter(
        year=2024, month=3, status=MonthSubmission.Status.SUBMITTED
    ):
        services.approve_month(actor=manager, unit=submission.unit, year=2024, month=3)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def downloads(client, query="") -> dict[str, bytes]:
    out = {}
    for name in FILES:
        response = client.get(f"/reports/2024/{name}{query}")
        assert response.status_code == 200, name
        out[name] = body(response)
    return out


def correct_march(manager, amount=Decimal("999.00")):
    entry = (
        MonthlyProgress.objects.filter(year=2024, month=3, project__programme__year=2024)
        .select_related("project")
        .order_by("project__code")
        .first()
    )
    services.record_progress(
        actor=manager,
        project=entry.project,
        year=2024,
        month=3,
        investment=amount,
        inclusion=entry.inclusion,
        image_progress=entry.image_progress,
        problems=entry.problems,
        expected_version=entry.version,
        reason="统计局反馈更正",
        acknowledge=True,
    )
    return entry


def test_locking_q1_publishes_edition_one_and_corrections_do_not_move_its_files(
    demo_db, manager, manager_client
):
    approve_march(manager)
    services.lock_quarter(actor=manager, year=2024, quarter=1)
    programme = Programme.objects.get(code=demo.PROGRAMME_CODE)
    keys = set(PublishedEdition.objects.filter(programme=programme).values_list("period", "number"))
    # January to each month, and the quarter once its three months are locked.
    assert keys == {("m1", 1), ("m2", 1), ("m3", 1), ("q1", 1)}

    before = downloads(manager_client)
    entry = correct_march(manager)
    after = downloads(manager_client)
    for name in FILES:
        assert after[name] == before[name], f"{name} moved after a correction"

    page = manager_client.get("/reports/2024/q1/").content.decode()
    assert "本期已发布第1版" in page and "其后更正1处" in page
    assert entry.project.code in page and "统计局反馈更正" in page
    live = manager_client.get("/reports/2024/q1/?edition=live").content.decode()
    assert "实时数据" in live

    services.lock_quarter(actor=manager, year=2024, quarter=1)  # already locked: nothing new
    publish_edition(
        actor=manager, programme=programme, period=Period(2024, 1), reason="更正后重新报送"
    )
    second = downloads(manager_client)
    for name in FILES:
        assert second[name] != before[name], f"{name} did not change with edition 2"
    assert downloads(manager_client, "?edition=1") == before
    data = json.loads(second["q1.json"])
    assert data["edition"]["number"] == 2 and data["edition"]["reason"] == "更正后重新报送"
    assert json.loads(before["q1.json"])["edition"]["number"] == 1


def test_an_edition_reads_back_as_the_report_it_stored(demo_db, manager, manager_client):
    manager.first_name, manager.last_name = "王", "芳"
    manager.save()
    approve_march(manager)
    services.lock_quarter(actor=manager, year=2024, quarter=1)
    live = body(manager_client.get("/reports/2024/q1.json?edition=live"))
    published = json.loads(body(manager_client.get("/reports/2024/q1.json")))
    expected = json.loads(live)
    # The same document apart from saying which edition it is, and who published it.
    edition = published.pop("edition")
    assert edition["number"] == 1
    assert edition["published_by"] == "王 芳" == manager.get_full_name()
    expected.pop("edition")
    assert published == expected


def test_sorted_pages_of_an_edition_match_the_live_pages(
    demo_db, manager, manager_client, sections_drawn
):
    approve_march(manager)
    services.lock_quarter(actor=manager, year=2024, quarter=1)
    for sort in ("-investment_rate", "unit", "actual_start", "-name", "light"):
        for page in (1, 3):
            query = f"p-sort={sort}&p-page={page}"
            published = sections_drawn(manager_client.get(f"/reports/2024/q1/?{query}"))
            live = sections_drawn(manager_client.get(f"/reports/2024/q1/?{query}&edition=live"))
            a, b = published["report"], live["report"]
            # The campaigns come from the edition as stored, the same as counted now.
            assert published["campaigns"] == live["campaigns"]
            assert a.edition is not None and b.edition is None
            assert [r.code for r in a.rows] == [r.code for r in b.rows], (sort, page)
            # Ctrl+P prints every row of a short list, published or live.
            assert [r.code for r in a.every_row] == [r.code for r in b.every_row]


def test_a_new_edition_needs_a_manager_a_reason_and_a_lock(
    demo_db, manager, staff_a, manager_client
):
    programme = Programme.objects.get(code=demo.PROGRAMME_CODE)
    with pytest.raises(ValidationError, match="锁定"):
        publish_edition(actor=manager, programme=programme, period=Period(2024, 1), reason="x")
    approve_march(manager)
    services.lock_quarter(actor=manager, year=2024, quarter=1)
    with pytest.raises(ValidationError):
        publish_edition(actor=manager, programme=programme, period=Period(2024, 1), reason=" ")
    with pytest.raises(PermissionDenied):
        publish_edition(actor=staff_a, programme=programme, period=Period(2024, 1), reason="x")
    # Through the page: a reason-less post is refused with a message, nothing written.
    response = manager_client.post("/reports/2024/q1/publish/", {"reason": ""}, follow=True)
    assert "说明" in response.content.decode()
    assert PublishedEdition.objects.filter(period="q1").count() == 1
    manager_client.post("/reports/2024/q1/publish/", {"reason": "更正"})
    assert PublishedEdition.objects.filter(period="q1").count() == 2


def test_an_unknown_edition_is_not_found(demo_db, manager, manager_client):
    assert manager_client.get("/reports/2024/q1/?edition=1").status_code == 404
    assert manager_client.get("/reports/2024/q1/?edition=abc").status_code == 404
    approve_march(manager)
    services.lock_quarter(actor=manager, year=2024, quarter=1)
    assert manager_client.get("/reports/2024/q1/?edition=7").status_code == 404
    assert manager_client.get("/reports/2024/q1.csv?edition=1").status_code == 200


def test_the_docx_of_an_edition_is_dated_when_it_was_published(demo_db, manager, manager_client):
    approve_march(manager)
    services.lock_quarter(actor=manager, year=2024, quarter=1)
    edition = PublishedEdition.objects.get(period="q1", number=1)
    docx = body(manager_client.get("/reports/2024/q1/briefing.docx"))
    text = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    day = timezone.localtime(edition.published_at).date()
    assert f"{day.year}年{day.month}月{day.day}日" in text


@pytest.mark.parametrize(
    "locked, months, expected",
    [
        ({(2024, 1)}, [1], ["m1"]),
        ({(2024, m) for m in (1, 2, 3)}, [1, 2, 3], ["m1", "m2", "m3", "q1"]),
        # The quarter's last month locked before its second: the quarter closes with the second.
        ({(2024, m) for m in (4, 5, 6)}, [5], ["m5", "q2"]),
        ({(2024, 4), (2024, 6)}, [6], ["m6"]),
    ],
)
def test_which_periods_a_lock_closes(locked, months, expected):
    periods = periods_closed_by(2024, months, locked)
    assert [f"m{p.month}" if p.is_month else f"q{p.quarter}" for p in periods] == expected
