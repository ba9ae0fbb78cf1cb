"""Projects that turned red this period and those that recovered (issue #23, 瓯海).

A small list by hand, on the plan style (yellow below 100%, red below 60% of the plan to
date) with 100 planned a quarter: Q1 is January–March, Q2 January–June (plan 200).
"""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document

from projects import services
from projects.briefing.light_changes import light_change_sentences
from projects.briefing.wording import outline
from projects.exports import export_report_file
from projects.exports.docx_file import render_docx
from projects.models import LightRecord, MonthlyProgress, Project, ReportSettings
from projects.periods import Period
from projects.permissions import WHOLE_DISTRICT
from projects.selectors import Light, quarterly_report
from projects.selectors.briefing import build_briefing
from projects.selectors.light_history import previous_period
from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
)

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def programme():
    ReportSettings.objects.update_or_create(pk=1, defaults={"progress_style": "plan"})
    return ProgrammeFactory(year=2024)


def project(programme, code, q1, q2):
    """A continuing project in the library with ``q1`` done in February and ``q2`` in May."""
    p = ProjectFactory(
        programme=programme,
        code=code,
        name=f"项目{code}",
        kind=Project.Kind.CONTINUING,
        actual_start=dt.date(2023, 1, 1),
        statistics_entry_date=dt.date(2023, 2, 1),
    )
    QuarterPlanFactory(project=p, **{f"investment_q{q}": D(100) for q in range(1, 5)})
    MonthlyProgressFactory(project=p, month=2, investment=D(q1), inclusion=D(0))
    if q2:
        MonthlyProgressFactory(project=p, month=5, investment=D(q2), inclusion=D(0))
    return p


@pytest.fixture
def cast(programme):
    project(programme, "A", "20", "130")  # red (20%) → yellow (75%): the shortfall made good
    project(programme, "B", "100", None)  # green (100%) → red (50%)
    project(programme, "C", "0", None)  # red → red: neither list
    project(programme, "D", "70", "130")  # yellow → green: not about red
    project(programme, "E", "10", "190")  # red → green
    return programme


def report(programme, **period):
    return quarterly_report(user=WHOLE_DISTRICT, programme=programme, year=2024, **period)


def said(items):
    return [(c.code, c.was, c.light) for c in items]


def test_turned_red_and_recovered_against_the_previous_quarters_end(cast):
    changes = report(cast, quarter=2).light_changes
    assert changes.previous == Period(2024, 1)
    assert said(changes.turned_red) == [("B", Light.GREEN, Light.RED)]
    assert said(changes.recovered) == [
        ("A", Light.RED, Light.YELLOW),
        ("E", Light.RED, Light.GREEN),
    ]
    assert changes.turned_red[0].reasons_text == "累计投资完成率50.0%"


def test_the_years_first_period_has_nothing_to_compare_with_and_says_so(cast):
    q1 = report(cast, quarter=1)
    assert q1.light_changes.previous is None
    assert (q1.light_changes.turned_red, q1.light_changes.recovered) == ((), ())
    assert light_change_sentences(q1) == [
        "2024年一季度为本年首个统计期，无上期可比，不列示新转红灯和红灯回升项目。"
    ]
    assert previous_period(Period.through_month(2024, 1)) is None
    assert previous_period(Period.through_month(2024, 5)) == Period.through_month(2024, 4)


def test_a_recovery_reads_the_locked_months_record_not_a_later_correction(cast, manager):
    services.lock_quarter(actor=manager, year=2024, quarter=1, reason="一季度已上报")
    assert LightRecord.objects.get(project__code="A", month=3).light == Light.RED
    # A correction after the lock lifts A's February to 60 (yellow at Q1 if computed now);
    # the record keeps the red it went upward with, so Q2 still says A recovered from red.
    a = Project.objects.get(code="A")
    entry = MonthlyProgress.objects.get(project=a, year=2024, month=2)
    services.record_progress(
        actor=manager,
        project=a,
        year=2024,
        month=2,
        investment=D("60"),
        inclusion=D(0),
        expected_version=entry.version,
        reason="统计局更正",
        acknowledge=True,
    )
    changes = report(cast, quarter=2).light_changes
    assert changes.previous_recorded
    assert ("A", Light.RED, Light.YELLOW) in said(changes.recovered)


def test_the_briefing_and_the_json_name_both_lists(cast):
    q2 = report(cast, quarter=2)
    assert light_change_sentences(q2) == [
        "与2024年一季度末相比，新转为红灯项目1个：项目B（累计投资完成率50.0%）。"
        "红灯回升项目2个：项目A（转为黄灯）、项目E（转为绿灯）。"
    ]
    export = export_report_file(
        user=WHOLE_DISTRICT, programme=cast, year=2024, quarter=2, fmt="json"
    )
    data = json.loads(export.content)
    changes = data["light_changes"]
    assert changes["previous"] == {"label": "2024年一季度", "end": "2024-03-31"}
    assert [(c["code"], c["was"], c["light"]) for c in changes["turned_red"]] == [
        ("B", "green", "red")
    ]
    assert [(c["code"], c["light"]) for c in changes["recovered"]] == [
        ("A", "yellow"),
        ("E", "green"),
    ]
    assert changes["turned_red"][0]["reasons"] == [
        {"code": "behind_time", "light": "red", "text": "累计投资完成率50.0%"}
    ]


def test_a_street_viewer_sees_only_the_changes_in_reach(cast, street_viewer):
    changes = quarterly_report(
        user=street_viewer, programme=cast, year=2024, quarter=2
    ).light_changes
    assert (changes.turned_red, changes.recovered) == ((), ())


def test_the_report_page_lists_both_and_q1_says_there_is_nothing_to_compare(cast, viewer_client):
    page = viewer_client.get(reverse("quarterly_report", args=[2024, 2])).content.decode()
    changes = page[page.index('class="light-changes"') :]
    changes = changes[: changes.index("</section>")]
    assert "与2024年一季度末相比。" in changes
    red = changes[changes.index("本期新转红灯") : changes.index("红灯回升")]
    back = changes[changes.index("红灯回升") :]
    assert "B 项目B" in red and "A 项目A" not in red
    assert "A 项目A</a>（" in back and "由红灯转为黄灯" in back and "由红灯转为绿灯" in back
    q1 = viewer_client.get(reverse("quarterly_report", args=[2024, 1])).content.decode()
    assert "本期为年内首个统计期，无上期可比，不列示新转红灯和红灯回升项目。" in q1


def test_the_briefings_docx_says_the_lists_in_its_lagging_section(cast):
    briefing = build_briefing(
        user=WHOLE_DISTRICT, programme=cast, year=2024, quarter=2, issued_on=dt.date(2024, 7, 8)
    )
    document = Document(io.BytesIO(render_docx(outline(briefing))))
    body = [p.text for p in document.paragraphs]
    lagging = next(i for i, text in enumerate(body) if "滞后项目" in text)
    assert (
        "与2024年一季度末相比，新转为红灯项目1个：项目B（累计投资完成率50.0%）。"
        "红灯回升项目2个：项目A（转为黄灯）、项目E（转为绿灯）。"
    ) in body[lagging:]
