"""A table row is drawn once per value (``web.drawn_rows``): an equal row at a later data
version is the same cells; anything else the cells read is part of its key."""

import dataclasses
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils import translation

from projects import selectors
from projects.permissions import WHOLE_DISTRICT
from projects.selectors import RowWindow
from projects.web import page_tables
from projects.web.drawn_rows import RowMemo
from projects.web.report_tables import BreakdownTable, ProjectTable
from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def memo(monkeypatch):
    """A memo of this test's own, empty."""
    kept = RowMemo()
    monkeypatch.setattr(page_tables, "ROWS", kept)
    return kept


@pytest.fixture
def report(unit_a, unit_b):
    programme = ProgrammeFactory()
    for i in range(1, 5):
        project = ProjectFactory(
            programme=programme, code=f"D{i}", unit=unit_a if i % 2 else unit_b
        )
        QuarterPlanFactory(project=project, investment_q1=Decimal("100"))
        MonthlyProgressFactory(project=project, month=2, investment=Decimal(30 * i))
    return selectors.quarterly_report(
        user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1, window=RowWindow()
    )


def _drawn(rows, *, viewable=None, cls=ProjectTable) -> list[str]:
    request = RequestFactory().get("/reports/2024/q1/")
    return cls(rows, request=request, sort=None, viewable=viewable).html_rows()


def _counting(monkeypatch) -> list:
    """The rows whose cells were drawn (a call of ``render_code`` each)."""
    drawn = []
    render = ProjectTable.render_code

    def counted(self, record):
        drawn.append(record.code)
        return render(self, record)

    monkeypatch.setattr(ProjectTable, "render_code", counted)
    return drawn


def test_an_equal_row_is_drawn_once(memo, report, monkeypatch):
    drawn = _counting(monkeypatch)
    first = _drawn(report.rows)
    # The same figures read again: other objects, equal values.
    again = _drawn([dataclasses.replace(row) for row in report.rows])
    assert again == first
    assert drawn == ["D1", "D2", "D3", "D4"]
    assert len(memo) == 4


def test_a_changed_row_is_drawn_afresh_and_the_others_kept(memo, report, monkeypatch):
    before = _drawn(report.rows)
    drawn = _counting(monkeypatch)
    changed = report.rows[1]
    figures = dataclasses.replace(changed.investment, actual=Decimal("987.65"))
    rows = list(report.rows)
    rows[1] = dataclasses.replace(changed, investment=figures)
    after = _drawn(rows)
    assert drawn == ["D2"]
    assert "987.65" in after[1] and "987.65" not in before[1]
    assert [after[i] for i in (0, 2, 3)] == [before[i] for i in (0, 2, 3)]


class _Forgetful(RowMemo):
    """Keeps nothing: every row drawn."""

    def cells(self, key, draw):
        return draw()


def test_drawn_from_the_memo_is_what_is_drawn_without_it(memo, report, monkeypatch):
    _drawn(report.rows)
    kept = _drawn(report.rows)  # every row from the memo
    monkeypatch.setattr(page_tables, "ROWS", _Forgetful())
    assert _drawn(report.rows) == kept


def test_who_may_open_a_project_is_part_of_its_key(memo, report, unit_a):
    linked = _drawn(report.rows)
    # A reader of unit A alone: unit B's projects (D2, D4) are not links.
    own = _drawn(report.rows, viewable={unit_a.pk})
    assert '<a href="/projects/D2/">' in linked[1]
    assert "<a href" not in own[1] and own[1].startswith("<tr><td>D2</td>")
    assert own[0] == linked[0]


def test_the_pages_language_is_part_of_its_key(memo, report):
    with translation.override("zh-hans"):
        chinese = _drawn(report.rows)
    with translation.override("en"):
        english = _drawn(report.rows)
    assert chinese != english
    with translation.override("zh-hans"):
        assert _drawn(report.rows) == chinese


def test_a_breakdowns_thresholds_are_part_of_its_key(memo, report):
    request = RequestFactory().get("/reports/2024/q1/")
    rows = report.breakdowns["unit"]

    def drawn(thresholds):
        table = BreakdownTable(
            rows, request=request, key="unit", sort=None, first_header="单位", thresholds=thresholds
        )
        return table.html_rows()

    # Rates of 60 % (unit A: D1, D3) and 90 % (unit B: D2, D4), lit by two rules.
    lenient, strict = drawn((Decimal(50), Decimal(30))), drawn((Decimal(150), Decimal(130)))
    assert lenient != strict
    assert "bar-red" not in "".join(lenient) and "bar-red" in "".join(strict)


def test_the_memo_holds_no_more_rows_than_its_size():
    memo = RowMemo(size=2)
    memo.drawn("a", lambda: "A")
    memo.drawn("b", lambda: "B")
    assert memo.drawn("a", lambda: "never drawn") == "A"
    memo.drawn("c", lambda: "C")  # full: emptied, then "c" kept
    assert len(memo) == 1
    assert memo.drawn("c", lambda: "drawn again") == "C"
    assert memo.drawn("a", lambda: "drawn again") == "drawn again"


def test_a_key_that_cannot_be_hashed_is_drawn_and_not_kept():
    memo = RowMemo()
    assert memo.drawn(("rows", ["a list"]), lambda: "drawn") == "drawn"
    assert len(memo) == 0
