"""The demo ledger loaded once per test worker, then copied into the test database.

``load_demo`` writes every row through the services (checks, plausibility, history), about
15 s of CPU; a dozen modules load it, and each removes it afterwards. So the first load of
a worker keeps a copy of the whole test database as it stands right after the command, and
later loads put that copy back:

* SQLite (an in-memory test database): SQLite's online backup into a second in-memory
  database, and back again;
* PostgreSQL: a template database (``CREATE DATABASE … TEMPLATE``) made from the loaded test
  database; a later load drops the test database and creates it again from the template,
  under the same name, so Django's connection simply reconnects.

Either way the module sees the very rows (and ids) the command wrote. Any other backend
runs the command each time. ``tests/commands/test_load_demo.py`` still runs the command
itself on a loaded ledger (it must change nothing), so the loader stays tested.
"""

import sqlite3

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, connections


class DemoCopy:
    """Loads the demo into the test database: the command the first time, the copy after."""

    def __init__(self):
        self._copy = None

    def load(self) -> None:
        if self._copy is None:
            call_command("load_demo", verbosity=0)
            self._copy = _COPIES.get(connection.vendor, _NoCopy)()
            self._copy.save()
        elif not self._copy.restore():
            call_command("load_demo", verbosity=0)
        # Content type ids are cached per process; the copy's are the ones it was saved with.
        ContentType.objects.clear_cache()

    def discard(self) -> None:
        if self._copy is not None:
            self._copy.discard()


class _NoCopy:
    def save(self) -> None:
        pass

    def restore(self) -> bool:
        return False

    def discard(self) -> None:
        pass


class _SQLiteCopy:
    def save(self) -> None:
        connection.ensure_connection()
        self._memory = sqlite3.connect(":memory:")
        connection.connection.backup(self._memory)

    def restore(self) -> bool:
        connection.ensure_connection()
        self._memory.backup(connection.connection)
        return True

    def discard(self) -> None:
        self._memory.close()


class _PostgreSQLCopy:
    """A template database beside the worker's test database (``test_…_gw0_demo``)."""

    def save(self) -> None:
        self._test_name = connection.settings_dict["NAME"]
        self._template = f"{self._test_name}_demo"
        self._recreate(self._template, template=self._test_name)

    def restore(self) -> bool:
        self._recreate(self._test_name, template=self._template)
        return True

    def discard(self) -> None:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{self._template}" WITH (FORCE)')

    def _recreate(self, name: str, *, template: str) -> None:
        # A template must have no other session while it is copied, and a database none
        # while it is dropped: Django's own connections close (they reopen on next use),
        # and any a test's thread left open is ended.
        connections.close_all()
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [template],
            )
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


_COPIES = {"sqlite": _SQLiteCopy, "postgresql": _PostgreSQLCopy}
