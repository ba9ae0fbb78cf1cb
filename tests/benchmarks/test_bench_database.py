"""make bench and make load never work on the database the app runs on."""

import pytest

from benchmarks import load, run


def args(*argv):
    return run.parse_args(list(argv))


def test_postgresql_gets_a_sibling_database_named_for_the_size(monkeypatch):
    monkeypatch.delenv("BENCH_DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db:5432/tracker?sslmode=require")
    assert run.bench_database_url(args("--projects", "20000", "--years", "5")) == (
        "postgres://u@db:5432/tracker_bench_20000_5?sslmode=require"
    )
    assert run.bench_database_url(args("--demo")).startswith(
        "postgres://u@db:5432/tracker_bench_demo"
    )


def test_without_postgresql_the_bench_uses_a_file_of_its_own(monkeypatch):
    monkeypatch.delenv("BENCH_DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    url = run.bench_database_url(args())
    assert url.startswith("sqlite:///") and url.endswith("benchmarks/data/bench-2000x1.sqlite3")


def test_bench_database_url_names_one_outright(monkeypatch):
    monkeypatch.setenv("BENCH_DATABASE_URL", "postgres://u@db/scale")
    assert run.bench_database_url(args()) == "postgres://u@db/scale"


@pytest.mark.parametrize("argv", [["--runs", "3"], ["--projects", "0"], ["--quarter", "5"]])
def test_the_bench_refuses_meaningless_sizes(argv):
    with pytest.raises(SystemExit):
        args(*argv)


def test_the_load_test_needs_postgresql_and_its_own_database(monkeypatch):
    monkeypatch.delenv("LOAD_DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///db.sqlite3")
    with pytest.raises(SystemExit, match="PostgreSQL"):
        load.load_database_url(load.parse_args([]))
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db:5432/tracker")
    assert load.load_database_url(load.parse_args([])) == "postgres://u@db:5432/tracker_load_2000_5"


def _row(operation, ms):
    return run.Row(operation, ms, ms, ms, queries=1, peak_mb=1.0)


@pytest.mark.parametrize(
    ("page_ms", "sorted_ms", "page_met", "sorted_met"),
    [
        # Floors a, b, c, d of 100 ms each: a+b+c 300, the full floor 400.
        (600, 800, True, True),  # 2.0 × a+b+c, 1.5 × full; sorted 2 × full
        (601, 801, False, False),
        # Within 2.5 × a+b+c (750) but above 1.5 × the full floor (600): missed.
        (700, 700, False, True),
    ],
)
def test_the_page_is_judged_by_the_scale_issues_two_floors(
    page_ms, sorted_ms, page_met, sorted_met
):
    floors = {key: _row(f"floor {key}", 100) for key in "abcd"}
    page = _row("report page, first 50 rows", page_ms)
    by_rate = _row("page sorted by rate, last page (400)", sorted_ms)
    args = run.parse_args(["--projects", "20000", "--years", "5"])
    run.judge([page, by_rate], floors, args, "postgresql")
    assert (page.met, by_rate.met) == (page_met, sorted_met)
    assert page.ratio == page_ms / 300  # the ratio shown stays the one to a+b+c


@pytest.mark.django_db
def test_a_save_answered_as_done_without_its_history_row_is_named_as_lost(manager, unit_a):
    from decimal import Decimal

    from projects.models import MonthlyProgress
    from projects.services.ledger import record_progress
    from tests.factories import ProgrammeFactory, ProjectFactory

    project = ProjectFactory(programme=ProgrammeFactory(year=2024), unit=unit_a)
    before = MonthlyProgress.history.model.objects.order_by("-history_id").first()
    info = {"year": 2024, "history_ids_before": before.history_id if before else 0}
    record_progress(
        actor=manager, project=project, year=2024, month=12, investment=Decimal("12.50"),
        inclusion=Decimal("10.00"), acknowledge=True,
    )  # fmt: skip
    saved = {"project": project.pk, "month": 12, "investment": "12.50", "inclusion": "10.00"}
    assert load.lost_edits(info, [saved])["lost"] == 0
    # The same figures answered twice, written once (a "nothing changed" 302 counted as a
    # save): the stored row is as saved, yet one save has no history row of its own.
    edits = load.lost_edits(info, [saved, saved])
    assert edits["rows_not_as_saved"] == 0
    assert edits["saves_without_history"] == [saved]
    assert edits["lost"] == 1


def test_the_percentile_is_the_nearest_rank():
    values = list(range(1, 101))
    assert load.percentile(values, 0.95) == 95
    assert load.percentile(values, 0.5) == 50
    assert load.percentile([7], 0.95) == 7
    assert load.percentile([], 0.95) is None


def test_the_run_is_shown_ten_seconds_at_a_time_for_the_named_pages():
    timeline = [
        (0.2, "project page", 900),
        (3.0, "project page", 40),
        (9.9, "project page", 50),
        (10.0, "project page", 30),
        (25.5, "project page", 60),
        (4.0, "login", 2000),
    ]
    windows = load.by_window(timeline, ["project page", "report page"])
    assert windows["report page"] == []
    assert [(w["from_s"], w["count"], w["p95_ms"]) for w in windows["project page"]] == [
        (0, 3, 900),
        (10, 1, 30),
        (20, 1, 60),
    ]
    assert "login" not in windows


@pytest.mark.django_db(transaction=True)
def test_the_bench_measures_settled_tables(capsys):
    """Fresh statistics on either database and, on PostgreSQL, the last run's dead rows
    vacuumed (VACUUM runs only outside a transaction, hence a transactional test)."""
    from django.db import connection

    from benchmarks.run import settle

    settle(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT last_vacuum IS NOT NULL AND last_analyze IS NOT NULL"
                " FROM pg_stat_user_tables WHERE relname = 'projects_monthlyprogress'"
            )
            assert cursor.fetchone() == (True,)
            cursor.execute("SHOW autovacuum")
            noticed = "autovacuum is off" in capsys.readouterr().out
            assert noticed == (cursor.fetchone()[0] != "on")
        else:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            assert cursor.fetchone() == (1,)


@pytest.mark.django_db(transaction=True)
def test_first_pages_are_read_on_a_new_connection_after_a_write_of_their_year(manager):
    """A new connection is closing the old one, which a test transaction would not outlive;
    hence a transactional test."""
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from projects.models import DataVersion
    from tests.factories import ProgrammeFactory, ProjectFactory

    project = ProjectFactory(programme=ProgrammeFactory(year=2024), code="FIRST-1")
    client = Client()
    client.force_login(manager)
    pages = run.first_pages(client, [reverse("project_detail", args=[project.code])] * 2, 2024)
    pages()  # the first read makes the settings' rows, which moves the every-year version
    before = DataVersion.objects.current([2024])
    connection.ensure_connection()
    opened = connection.connection
    read = pages()
    assert read > 0 and read % 2 == 0  # the same page twice, read whole
    if connection.vendor == "postgresql":  # SQLite's test database in memory is never closed
        assert connection.connection is not opened  # closed, and opened again by the pages
    assert DataVersion.objects.current([2024]) != before  # their strips computed again
