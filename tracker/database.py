"""Databases and cache from the environment, for one app server or many on one PostgreSQL.

Every app server reads and writes the same database, so nothing a request needs later may
live in one process: sessions, login lockouts (django-axes) and share-link logs are rows in
the database, photos and pending imports sit in configurable storage, and the cache defaults
to a database table (``CACHE_URL``) rather than each process's memory.

``DATABASE_REPLICA_URL`` adds a ``replica`` alias that report pages and files read the
ledger from (see ``tracker/routers.py``); ``DATABASE_POOL`` turns on Django's psycopg
connection pool. Each value is checked here and refused with a sentence if it cannot work.
"""

from collections.abc import Mapping
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_URL = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
POSTGRESQL = "django.db.backends.postgresql"
SQLITE = "django.db.backends.sqlite3"
# A statement run this many times on a connection is prepared there (psycopg's own default).
PREPARE_AFTER = 5
# Statements a connection keeps prepared: a page's own (twenty to thirty-five) and the
# report's compiled ones, up to 2 MB of plan each in the server at 20,000 projects, so not
# psycopg's hundred; the oldest are let go first. After a round of every report read and
# some project pages there: 60 kept, 15.8 MB of plans (15 and 13.5 MB compiled alone).
PREPARED_MAX = 60
# Each SQLite connection's first statements (why: at its use in ``_database``).
SQLITE_INIT = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL"
# Request threads per gunicorn worker when GUNICORN_THREADS is unset (``gunicorn.conf.py``
# reads ``request_threads``). One: measured under ``make load`` (4 workers on 2 cores,
# 2,000 × 5), the project page's p95 was 71–110 ms in twelve runs with one thread a worker
# (the three over 100 each the first run after a code change) against 100–210 in five with
# four, and the clerks' entry page's was lower too. Four threads of one process share one
# interpreter lock, so a page that waits on the database in turns waits on its neighbours'
# Python as well; four processes of one thread are shared out by the kernel instead. With
# four, a kept-alive connection was also once reset under load (gunicorn's gthread
# keep-alive race; docs/performance.md, twenty-fourth pass); with one, never in any run.
GUNICORN_THREADS = 1
# Threads of a worker that are not serving a request but read the database: an export job
# building a workbook and its lease's heartbeat (``exports.jobs``), the robot messages
# (``notifications.services``) and the health check's query (``tracker.health``).
BACKGROUND_CONNECTIONS = 4


def database_settings(environ: Mapping[str, str] | None = None) -> dict:
    """``DATABASES``: the primary from ``DATABASE_URL``, and a replica when one is named."""
    pool = env_bool("DATABASE_POOL", False, environ)
    max_age = env_int("DATABASE_CONN_MAX_AGE", 0 if pool else 60, environ=environ)
    if pool and max_age:
        raise ImproperlyConfigured(
            f"DATABASE_CONN_MAX_AGE={max_age} keeps connections per process, which the "
            "connection pool (DATABASE_POOL=true) replaces; set it to 0 or leave it unset."
        )
    primary = _database(env_str("DATABASE_URL", DEFAULT_URL, environ), pool, max_age, environ)
    databases = {"default": primary}
    replica_url = env_str("DATABASE_REPLICA_URL", "", environ).strip()
    if replica_url:
        replica = _database(replica_url, pool, max_age, environ)
        if primary["ENGINE"] != POSTGRESQL or replica["ENGINE"] != POSTGRESQL:
            raise ImproperlyConfigured(
                "DATABASE_REPLICA_URL needs PostgreSQL for both DATABASE_URL and the replica "
                "(a streaming replica of the primary)."
            )
        # Tests run against the primary's test database, as the replica would show it.
        replica["TEST"] = {"MIRROR": "default"}
        databases["replica"] = replica
    return databases


def _database(url: str, pool: bool, max_age: int, environ) -> dict:
    try:
        config = dj_database_url.parse(url, conn_max_age=max_age, conn_health_checks=max_age > 0)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{url.split('://')[0]}://… is not a database URL: {exc}"
        ) from None
    connect_timeout = env_int("DATABASE_CONNECT_TIMEOUT", 5, environ=environ)
    statement_timeout = env_int("DATABASE_STATEMENT_TIMEOUT", 30, environ=environ)
    options = config.setdefault("OPTIONS", {})
    if config["ENGINE"] == POSTGRESQL:
        server_options = [options["options"]] if options.get("options") else []
        if not env_bool("DATABASE_JIT", False, environ):
            # PostgreSQL's JIT spends longer compiling the report's queries than running them
            # (measured: 2.8 s -> 1.8 s for the report at 20,000 projects).
            server_options.append("-c jit=off")
        if statement_timeout:
            server_options.append(f"-c statement_timeout={statement_timeout * 1000}")
        if server_options:
            options["options"] = " ".join(server_options)
        if connect_timeout:
            options.setdefault("connect_timeout", connect_timeout)
        # A server that vanished from the network (host down, link cut) is noticed by the
        # client within about 30 s instead of the kernel's two hours: keepalive probes on an
        # idle connection, and a limit on data the server never acknowledges.
        options.setdefault("keepalives", 1)
        options.setdefault("keepalives_idle", 10)
        options.setdefault("keepalives_interval", 5)
        options.setdefault("keepalives_count", 3)
        options.setdefault("tcp_user_timeout", 30_000)
        if pool:
            options["pool"] = _pool(environ)
            # Django then hands the pool ConnectionPool.check_connection: each connection is
            # tried before use, since after a database restart the pooled ones are dead and
            # without the check the next requests fail on them.
            config["CONN_HEALTH_CHECKS"] = True
        # Behind PgBouncer in transaction mode a cursor cannot outlive its transaction.
        pooled_by_transaction = env_bool("DATABASE_DISABLE_SERVER_SIDE_CURSORS", False, environ)
        config["DISABLE_SERVER_SIDE_CURSORS"] = pooled_by_transaction
        # Nor a prepared statement its connection's session: off there unless asked.
        if env_bool("DATABASE_PREPARED_STATEMENTS", not pooled_by_transaction, environ):
            # Parameters bound on the server, so a statement's text is the same from one
            # run to the next, and one run PREPARE_AFTER times on a connection is prepared:
            # PostgreSQL then plans it once, not on every run. Bound in the client, every
            # ORM statement was planned afresh (a project's row with its six joined tables:
            # 1.8 ms to plan, 0.2 to run, at 20,000 x 5), and a project page sends twenty.
            # The statements compiled once per shape are prepared at their first run
            # (``selectors.compiled``). The whole suite runs on PostgreSQL this way.
            options.setdefault("server_side_binding", True)
            options.setdefault("prepare_threshold", PREPARE_AFTER)
    elif config["ENGINE"] == SQLITE:
        if pool:
            raise ImproperlyConfigured(
                "DATABASE_POOL=true needs PostgreSQL; SQLite opens its file in each process."
            )
        # SQLite has no server to wait for; what can hang is waiting on a locked file.
        options.setdefault("timeout", connect_timeout or 5)
        # Write-ahead logging: a commit appends to one log file and syncs it once, where the
        # rollback journal made, synced and deleted a file of its own for every commit, and
        # readers no longer wait while a worker writes. ``synchronous=FULL`` keeps every
        # commit on the disk before it is answered, as before: a power cut loses nothing
        # that was saved. The demo's computed report page, which then kept its figures in
        # the database cache in nine writes (now two or three): 77–80 → 69–71 ms. The mode
        # stays with the file; an in-memory database (the tests') keeps its own.
        options.setdefault("init_command", SQLITE_INIT)
    return config


def request_threads(environ: Mapping[str, str] | None = None) -> int:
    """Threads a gunicorn worker serves requests with: ``GUNICORN_THREADS``, read here for
    the pool's size and by ``gunicorn.conf.py`` for the server itself."""
    return env_int("GUNICORN_THREADS", GUNICORN_THREADS, minimum=1, environ=environ)


def _pool(environ) -> dict:
    """Django's psycopg pool: per process, so servers × workers × max size connections."""
    try:
        import psycopg_pool  # noqa: F401
    except ImportError:
        raise ImproperlyConfigured(
            "DATABASE_POOL=true needs the psycopg_pool package (pip install 'psycopg[pool]')."
        ) from None
    # Each of a worker's gthread threads may hold a connection for a whole request: a pool
    # smaller than the threads makes a short page queue behind a long report for one. The
    # worker's own background threads take one each as well (``BACKGROUND_CONNECTIONS``), so
    # the ceiling leaves room for them: with one request thread and a ceiling of one, a
    # request would wait for the connection an export job holds while it builds a workbook.
    threads = request_threads(environ)
    min_size = env_int("DATABASE_POOL_MIN_SIZE", 1, environ=environ)
    max_size = env_int(
        "DATABASE_POOL_MAX_SIZE", threads + BACKGROUND_CONNECTIONS, minimum=1, environ=environ
    )
    if min_size > max_size:
        raise ImproperlyConfigured(
            f"DATABASE_POOL_MIN_SIZE={min_size} is more than DATABASE_POOL_MAX_SIZE={max_size}."
        )
    if max_size < threads:
        raise ImproperlyConfigured(
            f"DATABASE_POOL_MAX_SIZE={max_size} is fewer than GUNICORN_THREADS={threads}: "
            "threads would queue for a connection; set it to at least the threads."
        )
    return {
        "min_size": min_size,
        "max_size": max_size,
        # Seconds a request waits for a free connection before it fails.
        "timeout": env_int("DATABASE_POOL_TIMEOUT", 10, minimum=1, environ=environ),
    }


CACHE_BACKENDS = {
    # Django's database cache, each write one statement (see tracker/db_cache.py).
    "db": "tracker.db_cache.DatabaseCache",
    "locmem": "django.core.cache.backends.locmem.LocMemCache",
    "dummy": "django.core.cache.backends.dummy.DummyCache",
    "file": "django.core.cache.backends.filebased.FileBasedCache",
    "redis": "django.core.cache.backends.redis.RedisCache",
    "rediss": "django.core.cache.backends.redis.RedisCache",
}
DEFAULT_CACHE_URL = "db://tracker_cache"
# Entries a table, file or process cache holds before it culls a third of them. Django's
# default, 300, is far too few here: a report keeps its figures, each page and sort's rows,
# the page's folds, the panels' lists, each project's light strip and a workbook, and
# after one `make load` minute at 2,000 projects the table stood at 296 entries, culling
# at random, the figures among them, so a reader computed the report again for nothing.
# Not far more either: the database cache counts its table to cull it (measured at 20,000
# entries of 1.4 KB: 10 ms a count, now on one write in 32, tracker/db_cache.py).
DEFAULT_CACHE_MAX_ENTRIES = 5_000


def cache_settings(environ: Mapping[str, str] | None = None) -> dict:
    """``CACHES`` from ``CACHE_URL``: shared by every server unless told otherwise.

    ``db://tracker_cache`` (default; ``manage.py createcachetable`` makes the table),
    ``redis://host:6379/0``, ``file:///srv/cache`` (shared only if the folder is), and
    ``locmem://`` or ``dummy://`` for one process.
    """
    url = env_str("CACHE_URL", "", environ).strip() or DEFAULT_CACHE_URL
    scheme, sep, rest = url.partition("://")
    backend = CACHE_BACKENDS.get(scheme.lower()) if sep else None
    if backend is None:
        raise ImproperlyConfigured(
            f"CACHE_URL={url!r} is not a cache; use db://TABLE, redis://HOST:PORT/DB, "
            "file:///PATH, locmem:// or dummy://."
        )
    scheme = scheme.lower()
    # Redis evicts by its own memory limit; the others count entries (CACHE_MAX_ENTRIES).
    entries = env_int("CACHE_MAX_ENTRIES", DEFAULT_CACHE_MAX_ENTRIES, minimum=1, environ=environ)
    options = {"OPTIONS": {"MAX_ENTRIES": entries}}
    if scheme == "db":
        if not rest.replace("_", "").isalnum():
            raise ImproperlyConfigured(f"CACHE_URL={url!r}: name a table, e.g. db://tracker_cache.")
        return {"default": {"BACKEND": backend, "LOCATION": rest, **options}}
    if scheme == "file":
        if not rest.startswith("/"):
            raise ImproperlyConfigured(f"CACHE_URL={url!r}: give an absolute path, file:///srv/…")
        return {"default": {"BACKEND": backend, "LOCATION": rest, **options}}
    if scheme in ("redis", "rediss"):
        try:
            import redis  # noqa: F401
        except ImportError:
            raise ImproperlyConfigured(
                f"CACHE_URL={url!r} needs the redis package (pip install redis)."
            ) from None
        return {"default": {"BACKEND": backend, "LOCATION": url}}
    if scheme == "dummy":
        return {"default": {"BACKEND": backend, "LOCATION": rest or "tracker"}}
    return {"default": {"BACKEND": backend, "LOCATION": rest or "tracker", **options}}


def keep_few_prepared(sender, connection, **kwargs) -> None:
    """``connection_created``: each new PostgreSQL connection keeps ``PREPARED_MAX``."""
    raw = connection.connection
    if connection.vendor == "postgresql" and raw.prepare_threshold is not None:
        raw.prepared_max = PREPARED_MAX
