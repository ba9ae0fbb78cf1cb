"""Django's database cache, writing an entry in one statement.

Django's ``DatabaseCache.set`` sends five: a ``COUNT(*)`` of the whole table (to decide
whether to cull), ``BEGIN``, a ``SELECT`` of the key, an ``INSERT`` or ``UPDATE``, and
``COMMIT``. A computed report page keeps six values (figures, rows, folds, campaigns,
problem counts, sections), so 30 of the demo page's 83 statements were the cache's
writes. Here a ``set`` is one ``INSERT … ON CONFLICT (cache_key) DO UPDATE`` (PostgreSQL,
and SQLite since 3.24; Django asks for 3.31), atomic on its own, and the table is counted
for culling on one write in ``CULL_EVERY`` of each cache object (Django makes one per
thread) rather than on every one.

``set_many`` is one statement for all its entries (Django's sends a ``set`` each): the
report cache sends the entries a request keeps together (``projects.selectors.cache_writes``).
``add`` is one statement too, the same upsert over an expired entry only. What is
unchanged: the stored form (pickled, base64), the expiry, ``get``,
``touch``, ``delete`` and the culling itself (Django's ``_cull``, a third when over). A
table may hold up to ``CULL_EVERY`` entries a thread past ``MAX_ENTRIES`` before it is
culled (while a third of the limit is more than ``CULL_EVERY``, as 5,000's is): the limit
is not a hard one, and Django's own was never one between two processes either.
"""

from __future__ import annotations

import base64
import itertools
import pickle
import sqlite3
from contextlib import nullcontext
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import DatabaseError, connections, router, transaction
from django.utils.timezone import now as tz_now

# One write in this many (per cache object, so per thread) counts the table and culls it
# when over MAX_ENTRIES.
CULL_EVERY = 32

UPSERT_VENDORS = ("postgresql", "sqlite")
# An add reads back whether it wrote (``RETURNING``): SQLite from 3.35 (Django 5.2 runs on
# 3.31, whose ``ON CONFLICT`` a set needs no more than).
SQLITE_RETURNING = sqlite3.sqlite_version_info >= (3, 35)


def _one_statement(connection, mode: str) -> bool:
    """Whether this write is the one-statement upsert here, or Django's own."""
    if mode not in ("set", "add") or connection.vendor not in UPSERT_VENDORS:
        return False
    return mode == "set" or connection.vendor != "sqlite" or SQLITE_RETURNING


class DatabaseCache(DjangoDatabaseCache):
    def __init__(self, table, params):
        super().__init__(table, params)
        self._writes = itertools.count()

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        """Every entry in one statement (Django's sends each as its own ``set``): the
        report cache sends a request's entries together (``projects.selectors.cache_writes``)."""
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if len(data) < 2 or not _one_statement(connection, "set"):
            return super().set_many(data, timeout, version=version)
        statement, params = self._upsert_many(connection, data, timeout, version)
        try:
            self._write(db, connection, statement, params)
        except DatabaseError:
            return list(data)  # as Django's: the keys that were not written
        return []

    def set_many_and_delete(self, data, timeout, delete: str) -> list:
        """``set_many(data)`` and ``delete(delete)`` in one statement on PostgreSQL (a
        data-modifying ``WITH``; SQLite has none, so two there): the report cache keeps a
        computed report's figures and lets its lock go at once (``report_cache.one_computes``),
        one round trip and one commit fewer, and no reader sees the lock gone before the
        figures are there. Returns the keys not written, as ``set_many``; on a failure the
        lock is let go all the same, as a waiter computes when it is gone."""
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if not data or connection.vendor != "postgresql":
            try:
                return self.set_many(data, timeout) if data else []
            finally:
                self.delete(delete)
        upsert, params = self._upsert_many(connection, data, timeout)
        quote = connection.ops.quote_name
        statement = (
            f"WITH gone AS (DELETE FROM {quote(self._table)} WHERE {quote('cache_key')} = %s) "
            + upsert
        )
        try:
            self._write(db, connection, statement, [self.make_and_validate_key(delete), *params])
        except DatabaseError:
            self.delete(delete)
            return list(data)
        return []

    def _upsert_many(self, connection, data, timeout, version=None) -> tuple[str, list]:
        """The one statement writing every entry of ``data``, and its parameters."""
        expires = self._expires(connection, timeout)
        params = []
        for key, value in data.items():
            params += [self.make_and_validate_key(key, version=version), self._encoded(value)]
            params.append(expires)
        rows = ", ".join(["(%s, %s, %s)"] * len(data))
        return self._upsert(connection, rows), params

    def _expires(self, connection, timeout):
        timeout = self.get_backend_timeout(timeout)
        if timeout is None:
            expires = datetime.max
        else:
            expires = datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None)
        return connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0))

    def _encoded(self, value) -> str:
        return base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")

    def _upsert(self, connection, rows: str = "(%s, %s, %s)", *, add: bool = False) -> str:
        """The write of ``rows`` (key, value, expiry each). An ``add`` writes only over an
        entry that has expired, and its row comes back when it wrote (one more parameter:
        now)."""
        quote = connection.ops.quote_name
        table, key_column = quote(self._table), quote("cache_key")
        value_column, expires_column = quote("value"), quote("expires")
        upsert = (
            f"INSERT INTO {table} ({key_column}, {value_column}, {expires_column}) "
            f"VALUES {rows} ON CONFLICT ({key_column}) DO UPDATE SET "
            f"{value_column} = EXCLUDED.{value_column}, "
            f"{expires_column} = EXCLUDED.{expires_column}"
        )
        if add:
            upsert += f" WHERE {table}.{expires_column} < %s RETURNING {key_column}"
        return upsert

    def _write(self, db, connection, statement: str, params: list, *, returns: bool = False):
        """Run one write, counting the table for culling on one write in ``CULL_EVERY``;
        whether the statement returned a row, when ``returns``."""
        table = connection.ops.quote_name(self._table)
        with connection.cursor() as cursor:
            if next(self._writes) % CULL_EVERY == 0:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                count = cursor.fetchone()[0]
                if count > self._max_entries:
                    self._cull(db, cursor, tz_now().replace(microsecond=0), count)
            # Inside a caller's transaction a failed write must not break it: a
            # savepoint, as Django's own set has.
            savepoint = (
                transaction.atomic(using=db) if connection.in_atomic_block else nullcontext()
            )
            with savepoint:
                cursor.execute(statement, params)
                return returns and cursor.fetchone() is not None

    def _base_set(self, mode, key, value, timeout=DEFAULT_TIMEOUT):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if not _one_statement(connection, mode):
            return super()._base_set(mode, key, value, timeout)
        add = mode == "add"
        params = [key, self._encoded(value), self._expires(connection, timeout)]
        if add:
            # Only over an entry that has expired, as Django's add. One statement, so of two
            # callers adding one key at once exactly one wins: the other waits on the key's
            # row and finds it live (the report cache's lock, ``one_computes``, rests on this).
            now = tz_now().replace(microsecond=0)
            params.append(connection.ops.adapt_datetimefield_value(now))
        try:
            returned = self._write(
                db, connection, self._upsert(connection, add=add), params, returns=add
            )
        except DatabaseError:
            # As Django's: a cache write that fails (a race, a full disk) is a miss, not an error.
            return False
        return not add or returned
