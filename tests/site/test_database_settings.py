"""Databases, replica, pool and cache settings: read strictly from the environment."""

import runpy

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.utils import ConnectionHandler

from tracker.database import (
    BACKGROUND_CONNECTIONS,
    GUNICORN_THREADS,
    PREPARE_AFTER,
    SQLITE,
    cache_settings,
    database_settings,
    request_threads,
)

PG = "postgres://tracker@db.internal:5432/tracker"
REPLICA = "postgres://tracker@replica.internal:5432/tracker"
GUNICORN_CONF = settings.BASE_DIR / "gunicorn.conf.py"


def test_one_database_by_default_with_persistent_connections():
    databases = database_settings({"DATABASE_URL": PG})
    assert list(databases) == ["default"]
    assert databases["default"]["CONN_MAX_AGE"] == 60
    assert databases["default"]["CONN_HEALTH_CHECKS"] is True
    assert "pool" not in databases["default"]["OPTIONS"]


def test_a_replica_url_adds_a_replica_with_the_same_options_mirrored_in_tests():
    databases = database_settings(
        {"DATABASE_URL": PG, "DATABASE_REPLICA_URL": REPLICA, "DATABASE_STATEMENT_TIMEOUT": "9"}
    )
    replica = databases["replica"]
    assert replica["HOST"] == "replica.internal"
    assert replica["OPTIONS"]["options"] == "-c jit=off -c statement_timeout=9000"
    assert replica["TEST"] == {"MIRROR": "default"}


def test_a_replica_needs_postgresql_on_both_sides():
    with pytest.raises(ImproperlyConfigured, match="needs PostgreSQL"):
        database_settings({"DATABASE_URL": "sqlite:///x.sqlite3", "DATABASE_REPLICA_URL": REPLICA})


def test_a_sqlite_file_writes_ahead_to_a_log_and_syncs_every_commit(tmp_path, django_db_blocker):
    config = database_settings({"DATABASE_URL": f"sqlite:///{tmp_path}/tracker.sqlite3"})
    wrapper = ConnectionHandler(config)["default"]  # Django's defaults filled in
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("CREATE TABLE t (n integer)")
            cursor.execute("INSERT INTO t VALUES (1)")
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone() == ("wal",)
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone() == (2,)  # FULL: a commit is on the disk when answered
            assert (tmp_path / "tracker.sqlite3-wal").exists()
    finally:
        wrapper.close()
    assert config["default"]["ENGINE"] == SQLITE


def test_the_pool_replaces_persistent_connections():
    databases = database_settings(
        {"DATABASE_URL": PG, "DATABASE_POOL": "true", "DATABASE_POOL_MAX_SIZE": "4"}
    )
    default = databases["default"]
    assert default["CONN_MAX_AGE"] == 0
    assert default["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 4, "timeout": 10}
    # Django then gives the pool its check: a database restart costs no request an error.
    assert default["CONN_HEALTH_CHECKS"] is True


def test_the_pool_is_sized_to_the_threads_and_the_background_threads_by_default():
    databases = database_settings(
        {"DATABASE_URL": PG, "DATABASE_POOL": "true", "GUNICORN_THREADS": "6"}
    )
    assert databases["default"]["OPTIONS"]["pool"]["max_size"] == 6 + BACKGROUND_CONNECTIONS


def test_a_worker_of_one_thread_has_room_in_its_pool_for_an_export_job():
    # One request thread by default: a ceiling of one connection would make the next
    # request wait for the one an export job holds while it builds a workbook.
    databases = database_settings({"DATABASE_URL": PG, "DATABASE_POOL": "true"})
    assert request_threads({}) == GUNICORN_THREADS == 1
    assert databases["default"]["OPTIONS"]["pool"]["max_size"] == 1 + BACKGROUND_CONNECTIONS


def test_the_server_serves_with_the_threads_the_pool_is_sized_for(monkeypatch):
    monkeypatch.setenv("GUNICORN_THREADS", "3")
    config = runpy.run_path(str(GUNICORN_CONF))
    assert (config["worker_class"], config["threads"]) == ("gthread", 3)
    monkeypatch.delenv("GUNICORN_THREADS")
    assert runpy.run_path(str(GUNICORN_CONF))["threads"] == GUNICORN_THREADS


@pytest.mark.parametrize(
    ("value", "message"), [("four", "is not a whole number"), ("0", "must be at least 1")]
)
def test_the_server_refuses_threads_it_cannot_serve_with(monkeypatch, value, message):
    monkeypatch.setenv("GUNICORN_THREADS", value)
    with pytest.raises(SystemExit, match=f"GUNICORN_THREADS='{value}' {message}"):
        runpy.run_path(str(GUNICORN_CONF))


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_POOL": "ture"}, "is not a boolean"),
        ({"DATABASE_POOL": "true", "DATABASE_CONN_MAX_AGE": "60"}, "DATABASE_CONN_MAX_AGE=60"),
        ({"DATABASE_POOL": "true", "DATABASE_POOL_MAX_SIZE": "0"}, "must be at least 1"),
        ({"DATABASE_POOL": "true", "DATABASE_POOL_MAX_SIZE": "four"}, "not a whole number"),
        (
            {"DATABASE_POOL": "true", "DATABASE_POOL_MIN_SIZE": "5", "DATABASE_POOL_MAX_SIZE": "2"},
            "more than DATABASE_POOL_MAX_SIZE",
        ),
        ({"DATABASE_POOL": "true", "DATABASE_URL": "sqlite:///x.sqlite3"}, "needs PostgreSQL"),
        (
            {"DATABASE_POOL": "true", "DATABASE_POOL_MAX_SIZE": "2", "GUNICORN_THREADS": "4"},
            "fewer than GUNICORN_THREADS=4",
        ),
        ({"DATABASE_URL": "mongodb://x/y"}, "is not a database URL"),
        ({"DATABASE_DISABLE_SERVER_SIDE_CURSORS": "maybe"}, "is not a boolean"),
    ],
)
def test_settings_that_cannot_work_stop_the_app(env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        database_settings({"DATABASE_URL": PG, **env})


def test_server_side_cursors_can_be_turned_off_for_transaction_pooling():
    databases = database_settings(
        {"DATABASE_URL": PG, "DATABASE_DISABLE_SERVER_SIDE_CURSORS": "yes"}
    )
    assert databases["default"]["DISABLE_SERVER_SIDE_CURSORS"] is True


@pytest.mark.parametrize(
    "env, prepared",
    [
        ({}, True),
        ({"DATABASE_PREPARED_STATEMENTS": "false"}, False),
        # PgBouncer in transaction mode: no statement outlives its transaction there.
        ({"DATABASE_DISABLE_SERVER_SIDE_CURSORS": "true"}, False),
        (
            {"DATABASE_DISABLE_SERVER_SIDE_CURSORS": "true", "DATABASE_PREPARED_STATEMENTS": "1"},
            True,
        ),
    ],
)
def test_prepared_statements_are_on_unless_a_pooler_forbids_them(env, prepared):
    options = database_settings({"DATABASE_URL": PG, **env})["default"]["OPTIONS"]
    # On: parameters bound on the server, a statement prepared once run PREPARE_AFTER times.
    assert options.get("prepare_threshold") == (PREPARE_AFTER if prepared else None)
    assert options.get("server_side_binding", False) is prepared


def test_the_cache_is_a_database_table_shared_by_every_server_by_default():
    assert cache_settings({}) == {
        "default": {
            "BACKEND": "tracker.db_cache.DatabaseCache",
            "LOCATION": "tracker_cache",
            "OPTIONS": {"MAX_ENTRIES": 5_000},
        }
    }


@pytest.mark.parametrize("url", ["db://tracker_cache", "locmem://", "file:///srv/cache"])
def test_a_counting_cache_holds_what_a_province_keeps_not_djangos_300(url):
    for environ, entries in (({}, 5_000), ({"CACHE_MAX_ENTRIES": "20000"}, 20_000)):
        found = cache_settings({"CACHE_URL": url, **environ})["default"]["OPTIONS"]
        assert found == {"MAX_ENTRIES": entries}


@pytest.mark.parametrize("value", ["0", "-5", "many"])
def test_a_cache_size_that_makes_no_sense_stops_the_app(value):
    with pytest.raises(ImproperlyConfigured, match="CACHE_MAX_ENTRIES"):
        cache_settings({"CACHE_MAX_ENTRIES": value})


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("locmem://", "locmem.LocMemCache"),
        ("dummy://", "dummy.DummyCache"),
        ("file:///srv/cache", "filebased.FileBasedCache"),
        ("db://other_cache", "db_cache.DatabaseCache"),
    ],
)
def test_cache_urls(url, backend):
    assert cache_settings({"CACHE_URL": url})["default"]["BACKEND"].endswith(backend)


@pytest.mark.parametrize(
    "url", ["memcached://x", "locmem", "db://", "db://bad;name", "file://relative/path"]
)
def test_a_cache_url_that_cannot_work_stops_the_app(url):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_settings({"CACHE_URL": url})


def test_redis_needs_its_package(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_redis(name, *args, **kwargs):
        if name == "redis":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_redis)
    with pytest.raises(ImproperlyConfigured, match="needs the redis package"):
        cache_settings({"CACHE_URL": "redis://cache.internal:6379/0"})


def test_postgresql_connections_notice_a_vanished_server_within_about_30_seconds():
    options = database_settings({"DATABASE_URL": PG})["default"]["OPTIONS"]
    assert (options["keepalives"], options["tcp_user_timeout"]) == (1, 30_000)
    # idle 10 s, then 3 probes 5 s apart: a dead peer is found within 25 s.
    idle, every, probes = (
        options["keepalives_idle"],
        options["keepalives_interval"],
        options["keepalives_count"],
    )
    assert idle + every * probes <= 30
