"""Statements planned once per connection for any values (``planned_once``).

PostgreSQL plans a prepared statement afresh for its values at each of its first five runs
on a connection; only then may it keep one plan for every run. For the statements whose best
plan does not depend on their values, the light strip's and the project and entry pages',
this has it plan each once. ``compiled`` runs its statements through ``prepares`` and
``planned_once``; the views take ``planned_once_per_connection``.
"""

from __future__ import annotations

import functools
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections


@contextmanager
def planned_once(connection):
    """Inside, PostgreSQL plans each prepared statement once, for whatever values it is
    given, where it would plan it afresh at each of its first five runs on a connection.

    For statements whose best plan does not depend on their values: one project's rows by
    its id, a few small tables' by their keys. The light strip's twelve months, run as one
    (``compiled.Together``), take about 30 ms to plan and 5 to run, and a project page's
    twenty statements a few more: each worker's connection, opened again every
    ``DATABASE_CONN_MAX_AGE`` seconds, paid that on its first five project pages (72 ms
    a page against 33 after them, on a slow host at 2,000 projects). Planned for any values
    (``plan_cache_mode``), each is planned at its first run alone.

    The setting is the connection's own: it is set back on leaving, so the report's
    statements, whose plans do depend on the list and period, keep PostgreSQL's choice.
    Nested, the outermost sets and sets back. Set inside a transaction that then fails, it
    cannot be set back there, and need not be: the rollback undoes it. Only where
    statements are prepared (``prepares``), and never behind a pooler that shares a server
    connection between clients, where a connection's setting would reach another's
    (``DATABASE_DISABLE_SERVER_SIDE_CURSORS`` tells of one)."""
    if (
        not prepares(connection)
        or connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
        or getattr(connection, "_planned_once", False)
    ):
        yield
        return
    # A cursor of its own: a statement's cursor may still hold its rows when it is set back.
    with connection.cursor() as setting:
        setting.execute("SET plan_cache_mode = force_generic_plan")
        connection._planned_once = True
        try:
            yield
        finally:
            connection._planned_once = False
            if _usable(connection):
                setting.execute("RESET plan_cache_mode")


def planned_once_per_connection(view):
    """A view whose every statement reads one project's rows or a few small tables' by their
    keys, run ``planned_once`` on the primary (where such a page reads)."""

    @functools.wraps(view)
    def planned(request, *args, **kwargs):
        with planned_once(connections[DEFAULT_DB_ALIAS]):
            return view(request, *args, **kwargs)

    return planned


def prepares(connection) -> bool:
    """Whether statements are prepared on this connection: on PostgreSQL with prepared
    statements on (``DATABASE_PREPARED_STATEMENTS``), where ``compiled`` prepares its own at
    their first run (``compiled._cursor``)."""
    if connection.vendor != "postgresql":
        return False
    connection.ensure_connection()
    return (
        connection.settings_dict["OPTIONS"].get("server_side_binding") is True
        and connection.connection.prepare_threshold is not None
    )


def _usable(connection) -> bool:
    """Whether the connection can run a statement now: open, and not in a failed
    transaction, where nothing but a rollback may run."""
    from psycopg.pq import TransactionStatus

    raw = connection.connection
    if raw is None or raw.closed:
        return False
    return raw.info.transaction_status not in (TransactionStatus.INERROR, TransactionStatus.UNKNOWN)
