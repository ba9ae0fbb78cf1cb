"""Every output of a period says how complete it is, and an incomplete one ranks only units
that reported; projects joining or leaving in the year are listed, each in its own periods."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from docx import Document

from projects import services
from projects.briefing.wording import coverage_sentences, outline
from projects.exports import export_report_file
from projects.models import MonthSubmission
from projects.permissions import WHOLE_DISTRICT
from projects.selectors import quarterly_report
from projects.selectors.briefing import briefing_from_report
from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger():
    """Three units, a project each (two for 乙), figures for May from 甲 and 乙 only."""
    programme = ProgrammeFactory()
    units = [
        UnitFactory(code=c, name=n) for c, n in (("U1", "甲局"), ("U2", "乙局"), ("U3", "丙局"))
    ]
    projects = [
        ProjectFactory(programme=programme, code="P1", unit=units[0], kind="continuing"),
        ProjectFactory(programme=programme, code="P2", unit=units[1], kind="continuing"),
        ProjectFactory(programme=programme, code="P3", unit=units[1], kind="continuing"),
        ProjectFactory(programme=programme, code="P4", unit=units[2], kind="continuing"),
    ]
    for project in projects:
        QuarterPlanFactory(project=project, investment_q2=Decimal("2000"))
    for project in projects[:2]:
        MonthlyProgressFactory(project=project, month=5, investment=Decimal("50"))
    return programme, units, projects


def submit(unit, month, status):
    MonthSubmission.objects.create(unit=unit, year=2024, month=month, status=status)


def report(programme, **period):
    return quarterly_report(user=WHOLE_DISTRICT, programme=programme, year=2024, **period)


def test_a_month_counts_units_submitted_approved_and_projects_without_a_figure(ledger):
    programme, units, _projects = ledger
    submit(units[0], 5, MonthSubmission.Status.APPROVED)
    submit(units[1], 5, MonthSubmission.Status.SUBMITTED)
    submit(units[2], 5, MonthSubmission.Status.RETURNED)  # returned is not submitted
    coverage = report(programme, month=5).coverage
    may = coverage.last
    assert (may.month, may.units, may.submitted, may.approved) == (5, 3, 2, 1)
    assert may.missing_projects == 2  # P3 and P4
    assert not coverage.complete
    assert [m.month for m in coverage.months] == [1, 2, 3, 4, 5]
    assert coverage.unreported_unit_codes == ("U3",)
    assert coverage_sentences(report(programme, month=5))[0] == (
        "截至5月，已报送2/3个单位，已审核1个；2个项目无数据。此前1月、2月、3月、4月的数据也尚未审核完毕。"
    )


def test_every_unit_approved_in_every_month_is_complete_and_says_nothing(ledger):
    programme, units, _projects = ledger
    for month in range(1, 6):
        for unit in units:
            submit(unit, month, MonthSubmission.Status.APPROVED)
    result = report(programme, month=5)
    assert result.complete
    assert coverage_sentences(result) == []
    assert "（未完结）" not in "".join(
        s.heading for s in outline(briefing_from_report(result)).sections
    )


def test_a_project_counts_only_in_months_it_is_on_the_list(ledger):
    programme, units, projects = ledger
    ProjectFactory(
        programme=programme, code="P5", unit=UnitFactory(code="U4"), joined_on=dt.date(2024, 7, 1)
    )
    projects[3].withdrawn_on = dt.date(2024, 4, 15)
    projects[3].save()
    coverage = report(programme, quarter=2).coverage
    by_month = {m.month: m for m in coverage.months}
    assert by_month[3].units == 3 and by_month[4].units == 2 and by_month[6].units == 2
    assert by_month[6].missing_projects == 3  # P1, P2, P3 have no June figure; P4 is gone


def test_an_incomplete_periods_docx_opens_with_the_coverage_sentence_and_ranks_only_reporters(
    ledger,
):
    programme, units, _projects = ledger
    submit(units[0], 5, MonthSubmission.Status.APPROVED)
    submit(units[1], 5, MonthSubmission.Status.APPROVED)
    file = export_report_file(
        user=WHOLE_DISTRICT, programme=programme, year=2024, month=5, fmt="docx"
    )
    paragraphs = [p.text for p in Document(io.BytesIO(file.content)).paragraphs]
    title = next(i for i, p in enumerate(paragraphs) if p.endswith("推进情况通报"))
    assert paragraphs[title + 1].startswith("截至5月，已报送2/3个单位，已审核2个")
    assert "三、责任单位排名（未完结）" in paragraphs or "二、责任单位排名（未完结）" in paragraphs
    ranking = report(programme, month=5).unit_ranking
    assert [p.row.key for p in ranking.ranked] == ["U1", "U2"]
    assert [(p.row.key, p.note) for p in ranking.apart] == [("U3", "本期未报送，未参与排名")]


def test_json_carries_coverage_overall_and_per_month(ledger):
    programme, units, _projects = ledger
    submit(units[0], 5, MonthSubmission.Status.APPROVED)
    data = json.loads(
        export_report_file(
            user=WHOLE_DISTRICT, programme=programme, year=2024, month=5, fmt="json"
        ).content
    )
    coverage = data["coverage"]
    assert {
        k: coverage[k] for k in ("units", "submitted", "approved", "missing_projects", "complete")
    } == {
        "units": 3,
        "submitted": 1,
        "approved": 1,
        "missing_projects": 2,
        "complete": False,
    }
    assert [m["month"] for m in coverage["months"]] == [1, 2, 3, 4, 5]
    assert coverage["months"][0]["submitted"] == 0


def test_a_lock_with_units_waiting_is_said_with_its_reason_on_every_output(ledger, manager):
    programme, units, _projects = ledger
    submit(units[0], 1, MonthSubmission.Status.APPROVED)
    services.lock_month(actor=manager, year=2024, month=1, reason="市里催报")
    result = report(programme, month=1)
    assert "1月在2个单位未审核时锁定：市里催报。" in coverage_sentences(result)
    csv = export_report_file(
        user=WHOLE_DISTRICT, programme=programme, year=2024, month=1, fmt="csv"
    )
    assert "1月在2个单位未审核时锁定：市里催报。" in csv.content.decode("utf-8-sig")


def test_the_page_shows_the_banner_while_incomplete(ledger, manager_client):
    programme, units, _projects = ledger
    submit(units[0], 5, MonthSubmission.Status.APPROVED)
    page = manager_client.get(f"/reports/2024/m5/?programme={programme.code}").content.decode()
    assert "截至5月，已报送1/3个单位，已审核1个；2个项目无数据。" in page
    printed = manager_client.get(f"/reports/2024/m5/print/?programme={programme.code}")
    assert "截至5月，已报送1/3个单位，已审核1个" in printed.content.decode()


def test_joins_and_withdrawals_are_listed_up_to_the_periods_end_only(ledger, manager):
    programme, _units, projects = ledger
    joined = ProjectFactory(
        programme=programme, code="P9", name="七月新增项目", joined_on=dt.date(2024, 7, 1)
    )
    projects[3].withdrawn_on = dt.date(2024, 5, 10)
    projects[3]._change_reason = "项目取消"
    projects[3].save()
    q2 = report(programme, quarter=2)
    assert [(c.code, c.joined, c.on) for c in q2.list_changes] == [
        ("P4", False, dt.date(2024, 5, 10))
    ]
    assert q2.list_changes[0].reason == "项目取消"
    assert joined.code not in {r.code for r in q2.rows}
    q3 = report(programme, quarter=3)
    assert [(c.code, c.joined) for c in q3.list_changes] == [("P4", False), ("P9", True)]
    text = "\n".join(p for s in outline(briefing_from_report(q3)).sections for p in s.paragraphs)
    assert "2024年7月1日，七月新增项目（P9" in text and "纳入清单" in text
    assert "退出清单（项目取消）" in text
