"""The report is computed once per data version: a repeated read is the versions' read and one
cache get, a write moves the key so no stale figure is served, and a reader's reach is part
of the key.

``settle()`` stands for the commit the test's transaction never makes (see
``tests/data_versions.py``): until its writes are committed a transaction
neither reads nor keeps cached reports.
"""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from projects.models import DataVersion, DispatchSettings, Project, ReportSettings
from projects.selectors import RowWindow, cache_writes, quarterly_report, report_cache
from projects.selectors.deferred import LaterRows
from projects.services.ledger import record_progress
from tests.data_versions import settle
from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
)
from tests.reporting import settled_list

pytestmark = pytest.mark.django_db
D = Decimal
WINDOW = RowWindow(per_page=50, every_row_up_to=200)


@pytest.fixture
def programme(unit_a, street_a):
    return settled_list(unit_a, street_a)


def report(user, programme, window=WINDOW, **kwargs):
    return quarterly_report(
        user=user, programme=programme, year=2024, quarter=1, window=window, **kwargs
    )


def test_a_repeated_read_is_the_versions_read_and_one_cache_get(programme, manager):
    first = report(manager, programme)
    with CaptureQueriesContext(connection) as queries:
        again = report(manager, programme)
    statements = [q["sql"] for q in queries.captured_queries]
    # The data versions, then the cache entry (the default cache is a database table).
    assert len(statements) == 2, statements
    assert "projects_dataversion" in statements[0]
    assert "tracker_cache" in statements[1]
    assert again == first
    assert again.headline.investment.actual == D("90.00")


def test_a_written_figure_is_read_back_at_once(programme, manager):
    assert report(manager, programme).headline.investment.actual == D("90.00")
    project = Project.objects.get(code="CY-0")
    record_progress(
        actor=manager, project=project, year=2024, month=2, investment=D("5"),
        inclusion=D("0"), acknowledge=True,
    )  # fmt: skip
    # In the writing transaction, and after its commit, the new figure and never the kept one.
    assert report(manager, programme).headline.investment.actual == D("95.00")
    settle()
    assert report(manager, programme).headline.investment.actual == D("95.00")


def test_a_street_viewer_never_gets_the_whole_lists_kept_figures(programme, manager, street_viewer):
    whole = report(manager, programme)
    theirs = report(street_viewer, programme)
    assert whole.headline.projects == 3
    assert theirs.headline.projects == 2
    assert theirs.partial and {r.code for r in theirs.rows} == {"CY-0", "CY-1"}
    # And the other way round: their kept report is not the manager's either.
    assert report(manager, programme).headline.projects == 3
    assert report(street_viewer, programme).headline.projects == 2


def test_each_filter_sort_page_and_basis_is_its_own_entry(programme, manager):
    whole = report(manager, programme)
    by_street = report(manager, programme, filters={"street": "S-OTHER"})
    assert by_street.headline.projects == 1 and whole.headline.projects == 3
    backwards = report(manager, programme, window=RowWindow(sort="-code", per_page=2))
    assert [r.code for r in backwards.rows] == ["CY-2", "CY-1"]
    second = report(manager, programme, window=RowWindow(sort="-code", per_page=2, page=2))
    assert [r.code for r in second.rows] == ["CY-0"]
    # A page whose printable rows are kept whole reads back its own slice of them.
    printable = RowWindow(sort="-code", per_page=2, page=2, every_row_up_to=200)
    computed = report(manager, programme, window=printable)
    kept = report(manager, programme, window=printable)
    assert kept == computed
    assert [r.code for r in kept.rows] == ["CY-0"]
    assert [r.code for r in kept.every_row] == ["CY-2", "CY-1", "CY-0"]
    assert report(manager, programme, basis="baseline").plan_basis == "baseline"
    assert report(manager, programme).plan_basis == "current"


def test_a_read_inside_a_writing_transaction_keeps_nothing(programme, manager):
    MonthlyProgressFactory(project=Project.objects.get(code="CY-1"), month=2)
    cache.clear()
    report(manager, programme)
    settle()
    with CaptureQueriesContext(connection) as queries:
        report(manager, programme)
    # Computed again (a kept report would be two statements), then kept for the next read.
    assert len(queries.captured_queries) > 2


def test_a_long_report_is_computed_live(programme, manager, monkeypatch):
    monkeypatch.setattr(report_cache, "ROWS_UP_TO", 2)
    first = report(manager, programme)
    with CaptureQueriesContext(connection) as queries:
        again = report(manager, programme)
    assert len(queries.captured_queries) > 2
    # Its rows are not kept, its figures are; the reader gets the whole report either way.
    assert len(first.rows) == len(again.rows) == 3 and again == first


def test_without_version_rows_the_report_is_computed_live(programme, manager):
    DataVersion.objects.filter(year=2023).delete()
    report(manager, programme)
    with CaptureQueriesContext(connection) as queries:
        again = report(manager, programme)
    assert len(queries.captured_queries) > 2
    assert again.headline.investment.actual == D("90.00")


@pytest.mark.django_db(transaction=True)
def test_a_committed_write_is_read_back_at_once_through_the_cache(unit_a, street_a, manager):
    # Real commits here: the bumps are committed as in production, no ``settle()``.
    programme = ProgrammeFactory(year=2024)
    project = ProjectFactory(programme=programme, code="CY-9", unit=unit_a, kind="continuing")
    QuarterPlanFactory(project=project)
    MonthlyProgressFactory(project=project, month=1, investment=D("30"))
    ReportSettings.current(), DispatchSettings.current()
    assert report(manager, programme).headline.investment.actual == D("30.00")
    with CaptureQueriesContext(connection) as queries:
        report(manager, programme)
    assert len(queries.captured_queries) == 2  # kept
    with transaction.atomic():
        record_progress(
            actor=manager, project=project, year=2024, month=2, investment=D("30"),
            inclusion=D("0"), acknowledge=True,
        )  # fmt: skip
    assert report(manager, programme).headline.investment.actual == D("60.00")


def _record(manager, month, amount):
    project = Project.objects.get(code="CY-0")
    record_progress(
        actor=manager, project=project, year=2024, month=month, investment=D(amount),
        inclusion=D("0"), acknowledge=True,
    )  # fmt: skip
    settle()


def test_a_month_after_the_window_keeps_the_quarters_entry(programme, manager):
    kept = report(manager, programme)
    _record(manager, 12, "40")  # December: outside the first quarter's window
    with CaptureQueriesContext(connection) as queries:
        again = report(manager, programme)
    assert len(queries.captured_queries) == 2  # the versions and the cache entry
    assert again == kept
    # The fourth quarter's window holds December: its figure is the new one at once.
    q4 = quarterly_report(user=manager, programme=programme, year=2024, quarter=4, window=WINDOW)
    assert q4.headline.investment.actual == D("130.00")


def test_a_month_inside_the_window_moves_the_quarters_key(programme, manager):
    assert report(manager, programme).headline.investment.actual == D("90.00")
    _record(manager, 3, "7")
    assert report(manager, programme).headline.investment.actual == D("97.00")


def test_last_years_month_in_the_window_moves_this_years_key(unit_a, street_a, manager):
    """The outlook sets this year beside last year's same window: a correction of last
    March moves this year's first quarter, and last December does not."""
    last = ProgrammeFactory(year=2023, code="L2023")
    programme = ProgrammeFactory(year=2024, previous=last)
    old = ProjectFactory(programme=last, code="OLD", unit=unit_a, street=street_a)
    QuarterPlanFactory(project=old, year=2023)
    ProjectFactory(programme=programme, code="NEW", unit=unit_a, street=street_a)
    ReportSettings.current(), DispatchSettings.current()
    settle()
    key = lambda: report_cache.report_keys(  # noqa: E731
        programme=programme, period=report(manager, programme).period, reach=None,
        filters=None, window=WINDOW, sort=None, basis="current",
    ).figures  # fmt: skip
    before = key()
    for month, moved in ((12, False), (3, True)):
        record_progress(
            actor=manager, project=old, year=2023, month=month, investment=D("5"),
            inclusion=D("0"), acknowledge=True,
        )  # fmt: skip
        settle()
        assert (key() != before) is moved
        before = key()


def test_last_years_actuals_are_kept_apart_and_move_only_with_last_years_data(
    unit_a, street_a, manager
):
    """This year's writes recompute the report but not last year's same-window actuals,
    kept per last year's versions; a correction of last year's window moves them at once."""
    last = ProgrammeFactory(year=2023, code="L2023")
    programme = ProgrammeFactory(year=2024, previous=last)
    old = ProjectFactory(programme=last, code="OLD", unit=unit_a, street=street_a)
    QuarterPlanFactory(project=old, year=2023)
    new = ProjectFactory(programme=programme, code="NEW", unit=unit_a, street=street_a)
    QuarterPlanFactory(project=new, year=2024)
    ReportSettings.current(), DispatchSettings.current()

    def record(project, year, amount, month=2):
        record_progress(
            actor=manager, project=project, year=year, month=month, investment=D(amount),
            inclusion=D("0"), acknowledge=True,
        )  # fmt: skip
        settle()

    def last_years_statements() -> int:
        with CaptureQueriesContext(connection) as queries:
            outlook = report(manager, programme).headline.investment_outlook
        year_2023 = [q for q in queries.captured_queries if '"year" = 2023' in q["sql"]]
        return outlook, sum("projects_monthlyprogress" in q["sql"] for q in year_2023)

    record(old, 2023, "10")
    first, summed = last_years_statements()
    assert summed == 1  # computed once
    record(new, 2024, "30")  # this year's write: the report is computed again…
    again, summed = last_years_statements()
    assert summed == 0  # …last year's actuals are read from where they were kept
    assert again.previous_actual == first.previous_actual == D("10.00")
    record(old, 2023, "2", month=1)  # last January's figure, entered late
    moved, summed = last_years_statements()
    assert summed == 1 and moved.previous_actual == D("12.00")


def test_another_page_or_sort_reads_the_kept_figures_and_computes_its_rows_alone(
    programme, manager
):
    first = report(manager, programme)
    by_rate = RowWindow(sort="-investment_rate", page=1, per_page=2, every_row_up_to=0)
    with CaptureQueriesContext(connection) as queries:
        other = report(manager, programme, window=by_rate)
    statements = [q["sql"] for q in queries.captured_queries]
    # Neither the GROUPING SETS / UNION ALL of the figures, nor coverage, rates or lights'
    # changes: the versions, the cache, the thresholds and the page's rows.
    assert not any("UNION ALL" in sql or "GROUPING SETS" in sql for sql in statements)
    assert other.headline == first.headline and other.breakdowns == first.breakdowns
    assert [r.code for r in other.rows] == ["CY-0", "CY-1"]  # equal rates: code order
    assert other.row_page.sort == "-investment_rate"
    # Its rows are kept too: read again, two statements.
    with CaptureQueriesContext(connection) as queries:
        assert report(manager, programme, window=by_rate) == other
    assert len(queries.captured_queries) == 2


def test_under_a_light_filter_another_page_reads_its_rows_without_reading_the_ids_first(
    programme, manager
):
    """The kept ids of a light filter serve the figures (chart, rates, coverage); a page
    whose figures are kept reads only its rows, straight from the filtered statement."""
    # The three projects share one light (equal figures): filtered by it, all three stay.
    (light,) = {row.light for row in report(manager, programme).rows}
    lit = {"light": light}
    first = report(manager, programme, filters=lit)
    assert first.headline.projects == 3
    by_rate = RowWindow(sort="-investment_rate", page=1, per_page=2, every_row_up_to=0)
    with CaptureQueriesContext(connection) as queries:
        other = report(manager, programme, window=by_rate, filters=lit)
    # Beside the versions, the thresholds and the cache's reads and writes, one statement
    # reads the projects: the page's rows.
    reads = [q["sql"] for q in queries.captured_queries if '"projects_project"' in q["sql"]]
    assert len(reads) == 1, reads
    assert other.headline == first.headline
    assert [r.code for r in other.rows] == ["CY-0", "CY-1"]


def test_the_page_address_alone_shares_the_figures_key_and_a_filter_does_not(programme):
    def keys(filters):
        return report_cache.report_keys(
            programme=programme, period=report_period(), reach=None, filters=filters,
            window=WINDOW, sort=None, basis="current",
        )  # fmt: skip

    plain = keys({})
    paged = keys({"p-page": "2", "p-sort": "name", "unit-sort": "-name", "street-all": "1"})
    assert paged.figures == plain.figures and paged.rows != plain.rows
    assert keys({"unit": "JD-CY"}).figures != plain.figures


def report_period():
    from projects.periods import Period

    return Period(2024, 1)


def test_decoding_an_entry_pauses_the_collector_and_turns_it_back_on(programme, manager):
    import gc

    report(manager, programme)
    seen = []
    real_loads = report_cache.pickle.loads

    def loads(data):
        enabled = gc.isenabled()
        value = real_loads(data)
        # The cache backend's own unpickling hands over the entry's bytes; ours decodes them.
        if not isinstance(value, bytes):
            seen.append(enabled)
        return value

    report_cache.pickle.loads = loads
    try:
        assert gc.isenabled()
        report(manager, programme)
    finally:
        report_cache.pickle.loads = real_loads
    assert seen and not any(seen)  # paused while decoding
    assert gc.isenabled()  # and on again after


def test_equal_amounts_of_a_figure_are_kept_and_decoded_once(programme, manager):
    """In the first quarter the year-to-date, quarter, baseline and adjusted plans are one
    figure: held as one object, the kept entry encodes and decodes it once."""
    import pickle

    from projects.selectors.queries import FIGURE_PARTS, STARTS_COUNTS, figures_from, starts_from

    report(manager, programme)
    kept = report(manager, programme)
    row = kept.by_street[0].investment
    assert row.planned == row.quarter_planned == row.baseline_planned
    assert row.planned is row.quarter_planned is row.baseline_planned
    # A zero of either sign is the one unsigned zero: -0.00 is never printed.
    values = {f"total_investment_{part}": D("-0") for part in FIGURE_PARTS}
    values |= {f"total_investment_{part}": D("0") for part in ("planned", "actual")}
    figures = figures_from(values, "investment")
    assert str(figures.planned) == "0.00" and str(figures.annual_plan) == "0.00"
    decoded = pickle.loads(pickle.dumps(figures))
    assert decoded == figures and decoded.planned is decoded.actual is decoded.annual_plan
    assert str(decoded.annual_plan) == "0.00"
    # PostgreSQL's sums come as text (``compiled.fetch``): rounded half up here, once, and
    # an equal text is the one object too.
    texts = {f"total_investment_{part}": "1.005" for part in FIGURE_PARTS}
    texts |= {"total_investment_actual": "0.00", "total_investment_annual_plan": None}
    from_text = figures_from(texts, "investment")
    assert from_text.planned == D("1.01") and from_text.planned is from_text.quarter_planned
    assert str(from_text.actual) == "0.00" and from_text.annual_plan == D("0.00")
    # Start counts repeat across groups (a province's 3,334 rows hold some forty sets).
    counts = {f"starts_{name}": n for n, name in enumerate(STARTS_COUNTS)}
    assert (
        starts_from(counts)
        is starts_from(dict(counts))
        != starts_from({**counts, "starts_planned": 9})
    )
    assert starts_from(counts).quarter_overdue == 7


def test_a_kept_reports_long_breakdowns_are_decoded_only_when_read(programme, manager, monkeypatch):
    """A kept report's long tables stay encoded in its entry until read: a page reads their
    folds (``web.report_folds``), a file reads them whole, and both get the computed rows."""
    import pickle

    from projects.selectors import snapshot

    monkeypatch.setattr(report_cache, "DEFER_ABOVE", 1)  # the two streets' table is long
    live = report(manager, programme)
    kept = report(manager, programme)
    tables = kept.breakdowns
    assert isinstance(tables, report_cache.DeferredBreakdowns)
    decoded = []
    real_loads = report_cache.pickle.loads

    def loads(data):
        decoded.append(real_loads(data))
        return decoded[-1]

    monkeypatch.setattr(report_cache.pickle, "loads", loads)
    # Asking which tables there are, or for a short one, decodes nothing.
    assert list(tables) == list(live.breakdowns) and "street" in tables and "nope" not in tables
    assert tables["unit"] == live.breakdowns["unit"]
    assert decoded == []
    assert tables["street"] == live.breakdowns["street"] and len(tables["street"]) == 2
    # Fetched from the tables' own entry (a dict of encoded tables) and decoded, once.
    assert tables.get("street") is tables["street"]
    assert [type(value) for value in decoded if not isinstance(value, bytes)] == [dict, tuple]
    assert tables.get("nope", ()) == ()
    assert kept == live and kept.by_street == live.by_street
    # Pickled again (an export job's payload), the long tables go back encoded, all of them.
    again = real_loads(pickle.dumps(tables))
    assert isinstance(again, report_cache.DeferredBreakdowns)
    before = len(decoded)
    assert again["street"] == tables["street"] and len(decoded) == before + 1
    assert again["category"] == live.breakdowns["category"]
    # Published from a kept report, the edition holds what it would from a live one.
    assert snapshot.encode(kept) == snapshot.encode(live)


def test_the_long_breakdowns_are_kept_apart_from_the_figures(programme, manager, monkeypatch):
    """The figures' entry holds no long table (a page read again fetches only what it
    draws); should the tables' entry be gone, the figures go too and the tables are
    computed live, the same rows."""
    from django.core.cache import cache

    monkeypatch.setattr(report_cache, "DEFER_ABOVE", 1)
    live = report(manager, programme)
    kept = report(manager, programme)
    figures = report_cache._load(cache.get(kept.kept_as))
    assert figures.breakdowns._encoded == {} and "street" not in figures.breakdowns._tables
    cache.delete(f"{kept.kept_as}:tables")
    assert kept.breakdowns["street"] == live.breakdowns["street"]
    assert cache.get(kept.kept_as) is None  # the next read computes both again
    again = report(manager, programme)
    assert again.kept_as == kept.kept_as and again.by_street == live.by_street


def test_a_tables_equal_amounts_are_one_object_and_a_zero_has_no_sign():
    """A breakdown shares its equal amounts across rows (one object to keep and decode),
    rounded as ``money.as_money`` rounds them; a negative zero is printed as 0.00."""
    from projects.selectors.queries import FIGURE_PARTS, STARTS_COUNTS
    from projects.selectors.report import breakdown_from

    def group(key, investment, inclusion):
        row = {"key": key, "label": key, "projects": 1}
        row |= {f"starts_{name}": 0 for name in STARTS_COUNTS}
        row |= {f"total_investment_{part}": investment for part in FIGURE_PARTS}
        row |= {f"total_inclusion_{part}": inclusion for part in FIGURE_PARTS}
        return row

    first, second, third = breakdown_from(
        [group("A", D("12.5"), D("0")), group("B", D("12.50"), D("-0")), group("C", 3, None)]
    )
    assert str(first.investment.planned) == "12.50"
    assert first.investment.planned is second.investment.actual  # across rows
    assert str(first.inclusion.planned) == "0.00" and str(second.inclusion.planned) == "0.00"
    assert second.inclusion.planned is second.inclusion.actual
    assert str(third.investment.planned) == "3.00" and str(third.inclusion.planned) == "0.00"


def test_a_kept_pages_rows_are_decoded_only_when_read(programme, manager, monkeypatch):
    """Read again, the page's rows come back undecoded with their count: a page that draws
    its kept sections reads the header alone and never decodes them. Read, they equal the
    computed rows, and pickle as the tuple they stand for."""
    import pickle

    live = report(manager, programme)
    kept = report(manager, programme)
    assert isinstance(kept.rows, report_cache.DeferredRows) and kept.rows._rows is None
    assert len(kept.rows) == len(live.rows) and bool(kept.rows)
    assert kept.rows._rows is None  # the count and truth need no decoding
    assert kept.rows == live.rows and list(kept.rows) == list(live.rows)
    assert kept == live
    assert pickle.loads(pickle.dumps(kept.rows)) == tuple(live.rows)


def test_a_reader_that_keeps_its_drawn_rows_keeps_no_rows_entry(programme, manager, keys_of):
    """The report page draws its rows into sections it keeps under the figures: with
    ``rows_kept=False`` the computed report keeps its figures and not its rows."""
    live = report(manager, programme, kept=False)
    first = report(manager, programme, rows_kept=False)
    keys = keys_of[-1]
    assert cache.get(keys.figures) is not None
    assert cache.get(keys.rows) is None
    assert first == live


@pytest.mark.parametrize(
    ("window", "every_row"),
    [
        (WINDOW, True),  # a short list: its printable rows beside the page's
        (RowWindow(page=2, per_page=2, every_row_up_to=0), False),  # a page of a long one
        (RowWindow(page=9, per_page=2, every_row_up_to=200), True),  # past the end: the last
    ],
    ids=["short list", "long list", "page past the end"],
)
def test_on_kept_figures_its_rows_are_computed_only_when_read(
    programme, manager, computed, window, every_row
):
    """Read again with ``rows_kept=False``, the report comes from the figures' entry alone,
    its page from the headline's count; its rows and printable rows are computed when
    first read, once for both, and equal the live report's."""
    live = report(manager, programme, window=window, kept=False)
    computed.clear()
    report(manager, programme, window=window, rows_kept=False)
    assert computed == ["figures"]
    with CaptureQueriesContext(connection) as queries:
        again = report(manager, programme, window=window, rows_kept=False)
    # The data versions and the figures' entry: no rows entry read, no row computed.
    assert len(queries.captured_queries) == 2, [q["sql"] for q in queries.captured_queries]
    assert computed == ["figures"]
    computed.clear()
    assert isinstance(again.rows, LaterRows)
    assert again.row_page == live.row_page
    assert (again.every_row is not None) is every_row
    assert list(again.rows) == list(live.rows) and len(again.rows) == len(live.rows)
    if every_row:
        assert list(again.every_row) == list(live.every_row)
    assert computed == ["rows"]  # once, for both
    assert again == live


def test_a_deploy_that_changes_code_templates_or_translations_reads_no_old_entry(
    settings, tmp_path
):
    """The keys' prefix digests the app's code, templates and translations: a kept value
    (figures, drawn HTML) is never read by code that would compute or draw it otherwise."""
    for name in ("projects/a.py", "templates/b.html", "locale/zh/c.mo", "projects/notes.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("一")
    settings.BASE_DIR = tmp_path

    def digest():
        report_cache._code.cache_clear()
        return report_cache._code()

    try:
        first = digest()
        (tmp_path / "projects/notes.txt").write_text("二")  # not code
        assert digest() == first
        for name in ("projects/a.py", "templates/b.html", "locale/zh/c.mo"):
            (tmp_path / name).write_text("二")
            assert digest() != first
            first = digest()
    finally:
        report_cache._code.cache_clear()


# ------------------------------------------------- one reader computes, the others wait


@pytest.fixture
def keys_of(monkeypatch):
    """The keys each report read asked for, in order."""
    from projects.selectors import report as report_module

    asked = []

    def report_keys(**kwargs):
        keys = report_cache.report_keys(**kwargs)
        asked.append(keys)
        return keys

    monkeypatch.setattr(report_module, "report_keys", report_keys)
    return asked


@pytest.fixture
def computed(monkeypatch):
    """What each report read computed rather than read back: "figures" (and its rows with
    them), or "rows" alone, on kept figures."""
    from projects.selectors import report as report_module

    calls = []
    figures, rows = report_module._computed, report_module._rows_of

    def computing_figures(**kwargs):
        calls.append("figures")
        return figures(**kwargs)

    def computing_rows(*args, **kwargs):
        if calls[-1:] != ["figures"]:  # the figures' own rows are theirs
            calls.append("rows")
        return rows(*args, **kwargs)

    monkeypatch.setattr(report_module, "_computed", computing_figures)
    monkeypatch.setattr(report_module, "_rows_of", computing_rows)
    return calls


def _another_reader_holds_the_lock(programme, manager, keys_of):
    """The report computed once and its entries taken out of the cache, as another
    worker's would be while it computes them; that worker holds the figures' lock."""
    first = report(manager, programme)
    keys = keys_of[-1]
    entries = {k: cache.get(k) for k in (keys.figures, keys.rows, keys.tables)}
    cache.clear()
    assert cache.add(keys.computing, True)
    return first, keys, {k: v for k, v in entries.items() if v is not None}


def test_a_reader_that_misses_while_another_computes_waits_and_reads_its_figures(
    programme, manager, keys_of, computed, monkeypatch
):
    first, keys, entries = _another_reader_holds_the_lock(programme, manager, keys_of)
    computed.clear()
    pauses = []

    def the_other_keeps_them(seconds):  # while this reader pauses, the holder finishes
        pauses.append(seconds)
        if len(pauses) == 2:
            cache.set_many(entries)
            cache.delete(keys.computing)

    monkeypatch.setattr(report_cache.time, "sleep", the_other_keeps_them)
    again = report(manager, programme)
    assert computed == []  # neither its figures nor its rows: both were kept for it
    assert again == first and len(pauses) == 2
    assert cache.get(keys.computing) is None


def test_a_waiting_reader_computes_its_own_rows_when_only_the_figures_are_kept(
    programme, manager, keys_of, computed, monkeypatch
):
    first, keys, entries = _another_reader_holds_the_lock(programme, manager, keys_of)
    computed.clear()

    def the_other_keeps_its_figures(seconds):  # another page's reader: no rows for this one
        cache.set_many({k: v for k, v in entries.items() if k != keys.rows})
        cache.delete(keys.computing)

    monkeypatch.setattr(report_cache.time, "sleep", the_other_keeps_its_figures)
    again = report(manager, programme)
    assert computed == ["rows"]  # its rows alone, on the kept figures
    assert again.headline == first.headline and again.rows == first.rows


def test_a_reader_computes_the_figures_when_the_lock_goes_without_them(
    programme, manager, keys_of, computed, monkeypatch
):
    first, keys, _entries = _another_reader_holds_the_lock(programme, manager, keys_of)
    computed.clear()
    pauses = []

    def the_other_lets_go(seconds):  # it failed, or kept nothing (a published edition…)
        pauses.append(seconds)
        cache.delete(keys.computing)

    monkeypatch.setattr(report_cache.time, "sleep", the_other_lets_go)
    again = report(manager, programme)
    assert computed == ["figures"] and again == first
    assert len(pauses) == 1  # it did not wait on for figures no one computes


def test_a_reader_waits_no_longer_than_its_bound_then_computes(
    programme, manager, keys_of, computed, monkeypatch
):
    first, keys, _entries = _another_reader_holds_the_lock(programme, manager, keys_of)
    computed.clear()
    monkeypatch.setattr(report_cache, "WAIT_SECONDS", 0.5)
    clock = [0.0]
    monkeypatch.setattr(report_cache.time, "monotonic", lambda: clock[0])
    pauses = []

    def sleep(seconds):  # the holder never finishes: a worker killed while it computed
        pauses.append(seconds)
        clock[0] += seconds

    monkeypatch.setattr(report_cache.time, "sleep", sleep)
    again = report(manager, programme)
    assert computed == ["figures"] and again == first
    assert 0.25 < sum(pauses) <= 0.5 and pauses[0] == report_cache.PAUSES[0]


def test_the_figures_lock_is_let_go_when_computing_fails(programme, manager, keys_of, monkeypatch):
    from projects.selectors import report as report_module

    first = report(manager, programme)
    cache.clear()

    def fails(**kwargs):
        assert cache.get(keys_of[-1].computing) is not None  # held while computing
        raise RuntimeError("the database went away")

    monkeypatch.setattr(report_module, "_computed", fails)
    with pytest.raises(RuntimeError):
        report(manager, programme)
    assert cache.get(keys_of[-1].computing) is None
    monkeypatch.undo()
    assert report(manager, programme) == first


def test_a_reader_that_keeps_nothing_takes_no_lock(programme, manager):
    MonthlyProgressFactory(project=Project.objects.get(code="CY-1"), month=2)
    with CaptureQueriesContext(connection) as queries:
        report(manager, programme)  # in a transaction that wrote: computed, nothing kept
    assert not [q for q in queries.captured_queries if "tracker_cache" in q["sql"]]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="readers in threads, each with its connection"
)
@pytest.mark.django_db(transaction=True)
def test_readers_missing_together_compute_the_figures_once(unit_a, street_a, manager, monkeypatch):
    import threading

    from django.db import connections

    from projects.selectors import report as report_module

    programme = ProgrammeFactory(year=2024)
    for n in range(3):
        project = ProjectFactory(programme=programme, code=f"CY-{n}", unit=unit_a)
        QuarterPlanFactory(project=project)
        MonthlyProgressFactory(project=project, month=1, investment=D("30"))
    ReportSettings.current(), DispatchSettings.current()
    real, computed = report_module._computed, []

    def slow(**kwargs):  # long enough that every reader misses before any figure is kept
        import time

        computed.append("figures")
        time.sleep(0.5)
        return real(**kwargs)

    monkeypatch.setattr(report_module, "_computed", slow)
    readers, barrier, reports = 4, threading.Barrier(4), []

    def read():
        try:
            barrier.wait(timeout=30)
            reports.append(report(manager, programme))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=read) for _ in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(reports) == readers
    assert computed == ["figures"]  # the others read its figures and its rows, both kept
    assert all(r == reports[0] for r in reports)
    assert reports[0].headline.investment.actual == D("90.00")


def test_a_published_period_takes_no_lock(programme, manager, monkeypatch):
    from projects.selectors import editions

    monkeypatch.setattr(editions, "published_briefing", lambda *args: object())
    monkeypatch.setattr(editions, "edition_report", lambda *args, **kwargs: "as it was sent")
    monkeypatch.setattr(report_cache.cache, "add", lambda *a, **k: pytest.fail("a lock taken"))
    assert report(manager, programme) == "as it was sent"


def _kept_writes(queries) -> list[str]:
    """The statements that wrote kept entries (not the figures' lock, an add); on PostgreSQL
    the figures' with the lock's release."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith(
            ('INSERT INTO "tracker_cache"', 'WITH gone AS (DELETE FROM "tracker_cache"')
        )
        and "RETURNING" not in q["sql"]
    ]


def test_a_requests_kept_entries_go_to_the_cache_together(programme, manager):
    with CaptureQueriesContext(connection) as alone:
        first = report(manager, programme)  # outside a request: each entry as it is kept
    assert len(_kept_writes(alone)) == 2  # the figures, then the rows
    cache.clear()
    with cache_writes.writes_together():
        with CaptureQueriesContext(connection) as together:
            assert report(manager, programme) == first
        # Both in one statement, sent as the figures' lock was let go.
        assert len(_kept_writes(together)) == 1
        kept = {}
        name = "test-panel"
        value = report_cache.kept_for(
            name, years=[2024], parts=[], classes=[], compute=lambda: kept.setdefault("n", 1)
        )
        again = report_cache.kept_for(
            name, years=[2024], parts=[], classes=[], compute=lambda: kept.setdefault("n", 2)
        )
        assert value == again == 1  # read back from what waits, not computed again


def test_what_waits_is_sent_in_one_statement_a_timeout_the_longest_lived_first(monkeypatch):
    sent = []
    monkeypatch.setattr(cache, "set_many", lambda data, timeout: sent.append((timeout, data)))
    with cache_writes.writes_together():
        cache_writes.keep("figures", b"f", 60)
        cache_writes.keep("tables", b"t", 120)
        cache_writes.keep("rows", b"r", 60)
        cache_writes.keep("figures", b"f2", 60)  # kept again: the last value goes
        assert cache_writes.read("figures") == b"f2"
        assert cache_writes.read_many(["rows", "absent"]) == {"rows": b"r"}
        cache_writes.drop("rows")
        assert sent == []
    assert sent == [(120, {"tables": b"t"}), (60, {"figures": b"f2"})]


def test_a_figures_lock_is_let_go_only_after_what_its_holder_kept_is_sent(
    programme, manager, keys_of, monkeypatch
):
    order = []
    set_many, delete = cache.set_many, cache.delete

    def sending(data, timeout):
        order.append(("sent", sorted(data)))
        return set_many(data, timeout)

    def deleting(key):
        order.append(("let go", key))
        return delete(key)

    together = cache.set_many_and_delete

    def both(data, timeout, release):
        order.append(("sent and let go", sorted(data), release))
        return together(data, timeout, release)

    monkeypatch.setattr(cache, "set_many", sending)
    monkeypatch.setattr(cache, "delete", deleting)
    monkeypatch.setattr(cache, "set_many_and_delete", both)
    with cache_writes.writes_together():
        report(manager, programme)
        keys = keys_of[-1]
        # A waiter in another request finds the lock gone and the figures there: on
        # PostgreSQL in one statement, elsewhere the figures first, then the release.
        kept = sorted([keys.figures, keys.rows])
        assert order[0] == ("sent and let go", kept, keys.computing)
        if connection.vendor != "postgresql":
            assert order[1:3] == [("sent", kept), ("let go", keys.computing)]
        else:
            assert len(order) == 1
        assert cache.get(keys.figures) is not None
        assert cache.get(keys.computing) is None


def _cache_reads(queries) -> int:
    return sum(
        q["sql"].startswith("SELECT") and "tracker_cache" in q["sql"]
        for q in queries.captured_queries
    )


def test_what_derives_from_figures_this_request_computed_is_computed_without_a_read(
    programme, manager
):
    computed = []

    def derived(report):
        return report_cache.kept_with(
            report, "derived", parts=[], classes=(), compute=lambda: computed.append(1) or "drawn"
        )

    with cache_writes.writes_together():
        fresh = report(manager, programme)
        with CaptureQueriesContext(connection) as queries:
            assert derived(fresh) == "drawn"
        assert _cache_reads(queries) == 0 and computed == [1]
    # Another request reads the kept figures: what derives from them is read, not computed.
    with cache_writes.writes_together():
        kept = report(manager, programme)
        with CaptureQueriesContext(connection) as queries:
            assert derived(kept) == "drawn"
        assert _cache_reads(queries) == 1 and computed == [1]


def test_a_lock_is_let_go_when_nothing_waits_to_be_sent():
    cache.add("a-lock", True, 60)
    with cache_writes.writes_together():
        cache_writes.send(release="a-lock")
        assert cache.get("a-lock") is None


def test_what_derives_from_fresh_figures_is_computed_once_a_request_however_often_asked(
    programme, manager
):
    computed = []

    def derived(report):
        return report_cache.kept_with(
            report, "asked-twice", parts=[], classes=(), compute=lambda: computed.append(1) or 7
        )

    with cache_writes.writes_together():
        fresh = report(manager, programme)
        with CaptureQueriesContext(connection) as queries:
            assert derived(fresh) == 7 and derived(fresh) == 7
        assert computed == [1] and _cache_reads(queries) == 0
