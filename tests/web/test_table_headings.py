"""A table's layout and headings are worked out once per class, language, options, variant
and address (``PageTable.layout``, ``PageTable.heading``), and each is what working it out
afresh gives: another dimension, language, sort, address or option is another key."""

from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils import translation

from projects.web import page_tables
from projects.web.drawn_rows import RowMemo
from projects.web.report_tables import BreakdownTable, ProjectTable
from projects.web.tables import header_row

THRESHOLDS = (Decimal("80"), Decimal("50"))


@pytest.fixture(autouse=True)
def memo(monkeypatch):
    """A memo of this test's own, empty."""
    kept = RowMemo(64)
    monkeypatch.setattr(page_tables, "HEADINGS", kept)
    return kept


def _breakdown(query="", *, first_header="责任单位", sort=None, **options) -> BreakdownTable:
    request = RequestFactory().get(f"/reports/2024/q1/{query}")
    return BreakdownTable(
        [],
        request=request,
        key="unit",
        sort=sort,
        first_header=first_header,
        thresholds=THRESHOLDS,
        **options,
    )


def _fresh(table, *, chooser=False):
    """The headings' row as drawn with nothing kept."""
    return header_row(table.headers(), chooser=chooser)


def test_a_second_table_of_the_same_shape_and_address_reads_the_kept_heading():
    first = _breakdown("?programme=L").heading()
    again = _breakdown("?programme=L").heading()
    assert again is first
    assert again.row == _fresh(_breakdown("?programme=L"))


def test_each_dimension_names_its_first_column():
    units = _breakdown(first_header="责任单位").heading().row
    streets = _breakdown(first_header="街道").heading().row
    assert "责任单位" in units and "街道" not in units
    assert "街道" in streets and "责任单位" not in streets


def test_the_links_are_the_addresses_own():
    plain = _breakdown("?programme=L").heading()
    filtered = _breakdown("?programme=L&unit=HX").heading()
    assert "unit=HX" not in plain.row
    assert "unit=HX" in filtered.row
    assert filtered.row == _fresh(_breakdown("?programme=L&unit=HX"))


def test_the_sorted_column_is_marked_and_its_link_turns_the_order_round():
    unsorted = _breakdown().heading().row
    by_name = _breakdown("?unit-sort=name", sort="name").heading().row
    assert 'aria-sort="ascending"' in by_name and "aria-sort" not in unsorted
    assert "unit-sort=-name" in by_name
    assert by_name == _fresh(_breakdown("?unit-sort=name", sort="name"))


def test_a_table_made_unorderable_draws_no_links_after_an_orderable_one():
    assert "<a href" in _breakdown().heading().row
    unorderable = _breakdown(orderable=False)
    assert "<a href" not in unorderable.heading().row
    assert unorderable.heading().row == _fresh(_breakdown(orderable=False))


def test_headings_follow_the_language():
    with translation.override("en"):
        english = _breakdown().heading().row
    chinese = _breakdown().heading().row
    assert "planned starts" in english and "planned starts" not in chinese
    assert "计划开工" in chinese and "计划开工" not in english
    with translation.override("en"):
        assert _breakdown().heading().row == english


def test_a_phones_cell_labels_follow_the_language():
    from projects.web.status_table import StatusTable

    def openings():
        request = RequestFactory().get("/status/")
        return StatusTable([], request=request, report=_Report()).layout().openings

    with translation.override("en"):
        english = openings()
    chinese = openings()
    assert any('data-label="responsible unit"' in td for td in english)
    assert any('data-label="责任单位"' in td for td in chinese)


class _Report:
    year, month = 2024, 3


def test_the_project_tables_chooser_marks_are_its_own_key():
    request = RequestFactory().get("/reports/2024/q1/")
    table = ProjectTable([], request=request, sort=None, viewable=None)
    with_chooser = table.heading(chooser=True).row
    without = table.heading().row
    assert "data-col=" in with_chooser and "data-col=" not in without
    assert with_chooser == _fresh(table, chooser=True)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_kept_layout_is_what_laying_the_table_out_afresh_gives(language):
    request = RequestFactory().get("/reports/2024/q1/")
    with translation.override(language):
        tables = [
            ProjectTable([], request=request, sort=None, viewable=None),
            _breakdown(first_header="街道"),
            _breakdown(orderable=False),
        ]
        for table in tables:
            assert table.layout() == table._laid_out()
            assert table.layout() is table.layout()


def test_a_full_memo_is_emptied_and_still_right(memo):
    for n in range(70):  # more addresses than the memo holds
        heading = _breakdown(f"?programme=L{n}").heading()
        assert heading.row == _fresh(_breakdown(f"?programme=L{n}"))
    assert len(memo) <= memo.size


def test_a_sort_the_page_chose_itself_is_marked_at_the_same_address():
    # The project table's sort is the page's (a default when the address names none).
    unsorted = _breakdown("?programme=L").heading().row
    defaulted = _breakdown("?programme=L", sort="-investment_rate").heading().row
    assert 'aria-sort="descending"' in defaulted and "aria-sort" not in unsorted


def test_a_table_whose_layout_is_known_is_not_made_by_tables2(monkeypatch):
    """tables2's own ``__init__`` (columns copied and bound) runs when something reads what
    it sets: once per layout, for the layout itself, never for a table whose layout is
    kept. Its rows are drawn all the same."""
    made = []
    real = page_tables.tables.Table.__init__

    def counted(self, *args, **kwargs):
        made.append(type(self).__name__)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(page_tables.tables.Table, "__init__", counted)
    first = _breakdown(first_header="街道")
    first.heading()
    assert made == ["BreakdownTable"]
    again = _breakdown(first_header="街道")
    again.heading()
    assert again.html_rows() == []
    assert made == ["BreakdownTable"]
    # Read for what tables2 sets, a table is made then, its first column named as asked.
    assert again.columns["name"].header == "街道"
    assert made == ["BreakdownTable", "BreakdownTable"]
