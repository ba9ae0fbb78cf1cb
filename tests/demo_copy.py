"""The demo ledger loaded once per test worker, then copied into the test database.

``load_demo`` writes every row through the services (checks, plausibility, history, nodes,
photos): about 14 s of CPU, and a dozen modules load it. Emptying the database after each
such module took seconds more on PostgreSQL (``flush`` truncates every table). So the
worker keeps two copies of its whole test database: as it stood before the first load
(``clean``) and right after the command (``demo``). A module asking for the demo gets the
``demo`` copy put back, and afterwards the ``clean`` one:

* SQLite (an in-memory test database): SQLite's online backup into a second in-memory
  database, and back again (milliseconds);
* PostgreSQL: template databases made from the test database (``CREATE DATABASE …
  TEMPLATE``, ~0.2 s); putting one back drops the test database and creates it again from
  the template under the same name, so Django's connection simply reconnects.

Either way a module sees the very rows (and ids) the command wrote, and the modules after
it the database as it was before. Any other backend runs the command each time and flushes.
``tests/commands/test_load_demo.py`` and ``tests/test_dispatch_demo.py`` still run the
command on a loaded ledger (it must change nothing), so the loader itself stays tested.
"""

import sqlite3

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, connections


class DemoCopies:
    """Puts the demo ledger into the test database, and takes it out again."""

    def __init__(self):
        self._copies = None
        self._demo_saved = False

    def load(self) -> None:
        if self._copies is None:
            self._copies = _COPIES.get(connection.vendor, _NoCopies)()
            self._copies.save("clean")
        if self._demo_saved:
            self._copies.restore("demo")
        else:
            call_command("load_demo", verbosity=0)
            self._demo_saved = self._copies.save("demo")
        _forget_cached_ids()

    def remove(self) -> None:
        self._copies.restore("clean")
        _forget_cached_ids()

    def discard(self) -> None:
        if self._copies is not None:
            self._copies.discard()


def _forget_cached_ids() -> None:
    # Content type ids are cached per process; a copy brings back the ones it was saved with.
    ContentType.objects.clear_cache()


class _NoCopies:
    def save(self, name: str) -> bool:
        return False

    def restore(self, name: str) -> None:
        if name == "clean":
            call_command("flush", interactive=False, verbosity=0)

    def discard(self) -> None:
        pass


class _SQLiteCopies:
    def __init__(self):
        self._saved: dict[str, sqlite3.Connection] = {}

    def save(self, name: str) -> bool:
        connection.ensure_connection()
        self._saved[name] = sqlite3.connect(":memory:")
        connection.connection.backup(self._saved[name])
        return True

    def restore(self, name: str) -> None:
        connection.ensure_connection()
        self._saved[name].backup(connection.connection)

    def discard(self) -> None:
        for saved in self._saved.values():
            saved.close()


class _PostgreSQLCopies:
    """Template databases beside the worker's test database: ``test_…_gw0_clean`` and so on."""

    def __init__(self):
        self._test_name = connection.settings_dict["NAME"]
        self._saved: list[str] = []

    def save(self, name: str) -> bool:
        template = f"{self._test_name}_{name}"
        self._recreate(template, source=self._test_name)
        self._saved.append(template)
        return True

    def restore(self, name: str) -> None:
        self._recreate(self._test_name, source=f"{self._test_name}_{name}")

    def discard(self) -> None:
        with connection._nodb_cursor() as cursor:
            for template in self._saved:
                cursor.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')

    def _recreate(self, name: str, *, source: str) -> None:
        # A template must have no other session while it is copied, and a database none
        # while it is dropped: Django's own connections close (they reopen on next use),
        # and any a test's thread left open is ended.
        connections.close_all()
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [source],
            )
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')


_COPIES = {"sqlite": _SQLiteCopies, "postgresql": _PostgreSQLCopies}
