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
