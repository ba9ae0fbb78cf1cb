"""The report's figures computed once per data version, kept in the shared cache.

A report (headline, breakdowns, one page of rows) is kept under a key made of everything
it depends on: the data versions of its year, of the year before (last year's figures
stand beside this year's) and of the every-year data (reference tables, settings), and of
the months of its window in both years (a month's figures bump their month alone),
each bumped in the transaction of every write of a row the report reads
(``services.versions``); the reader's reach (a street viewer's streets are in the key, so
no one gets another reach's figures); the request (programme, period, filters, sort,
page, plan basis, edition choice); the language (labels are translated); and today's
date (lights and time elapsed are as of today). A repeated read costs the versions' read
and one cache get; a write moves the key, so the next read computes afresh and no figure
outlives its rows.

The value is the ``QuarterlyReport`` pickled and compressed. Measured at 20,000 projects
(2,466 units in the breakdowns), the editions' typed JSON (``snapshot``) took a fifth of
the computed page to encode, where pickle's C encoder takes a few milliseconds. Pickle is
what Django's own cache backends store every value as, so the cache is trusted no more
than before: only this code writes these keys. The key's prefix carries a digest of the
result classes' fields and of the app's code, templates and translations (``_code``), so an
entry written by other code is never read by this one. A long breakdown (a province's 2,238
units) is kept in an entry of its own and decoded when first read (``DeferredBreakdowns``,
``selectors/deferred.py``); what the page draws of it, its
largest groups and the rankings' first and last places, is kept beside the figures under
their key (``kept_with``), so a page read again decodes a few dozen rows, not thousands.

Not kept:

* streamed rows (the files): they read a server-side cursor once, and keeping 20,000
  rows would cost more than reading them. A file reads the kept figures (its 合计,
  coverage, breakdowns) when they are there, and keeps those it computed with every
  part, so the page and the files of one data version compute the figures once. A
  workbook is built whole before it is sent, so it is kept once built (``kept_with``,
  ``Exporter.kept``): the next download of the same version is a cache read;
* the report page's rows (``rows_kept=False``): it draws them into the sections it keeps
  under the figures' key, so it reads the figures alone and computes its rows only when
  it draws them (``deferred.LaterRows``);
* a report of more than ``ROWS_UP_TO`` rows (every row of a long list, asked for by the
  驾驶舱 or a file without a window): too large an entry for a cache hit to pay;
* published editions: they are decoded from their snapshot, once per process
  (``selectors.editions``), and carry the reader's edition details.

Over 500 lines, kept whole: the keys, the two locks (``one_computes``, ``one_builds``, one
wait between them) and the entries kept read one digest and one entry format (``_digest``,
``_dump``/``_load``), and the prefix's code digest is process state its tests and the
warm-up reach here. Should it grow, the keys' making (``prefix`` to ``figure_filters``) is
the part to move first.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
import json
import pickle
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from django.core.cache import cache
from django.utils import timezone, translation

from ..models import DataVersion
from ..models.versions import bumped_here
from . import cache_writes
from .deferred import DeferredBreakdowns, DeferredRows, no_collection
from .results import QuarterlyReport

T = TypeVar("T")

# Rows (page and printable rows together) above which a report is not kept.
ROWS_UP_TO = 500
# Keys of superseded versions are never read again; they expire rather than linger.
TIMEOUT = 60 * 60


def _shape() -> str:
    """A digest of every result class's name and fields: changes with their shape."""
    from .snapshot import CLASSES  # the snapshot's classes import the report's module

    return _classes_digest(tuple(CLASSES.values()))


@functools.lru_cache(maxsize=64)
def _classes_digest(classes: tuple[type, ...]) -> str:
    """A digest of these classes' names and fields (a dataclass's fields, a model's
    columns), read once per process: a value pickled by code with other fields is never
    read back under the digest of this code's."""
    return hashlib.sha256(";".join(map(_class_text, classes)).encode()).hexdigest()[:12]


def _class_text(cls) -> str:
    name = f"{cls.__module__}.{cls.__qualname__}"
    if dataclasses.is_dataclass(cls):
        return f"{name}:" + ",".join(f.name for f in dataclasses.fields(cls))
    meta = getattr(cls, "_meta", None)
    if meta is not None:  # a model
        return f"{name}:" + ",".join(f.attname for f in meta.concrete_fields)
    return name


# What the kept values are made by: the app's code, templates and translations. The page's
# drawn sections are HTML, and a figure depends on how it is computed, not only on the
# result classes' fields, so a deploy that changes any of them reads none of the entries
# the code before it wrote (they expire).
CODE = ("projects", "templates", "locale")
CODE_SUFFIXES = (".py", ".html", ".mo")


@functools.lru_cache(maxsize=1)
def _code() -> str:
    """A digest of the files ``CODE`` names, read once per process (some 420 files, 2 MB:
    about 15 ms)."""
    from django.conf import settings

    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for top in CODE:
        for path in sorted((base / top).rglob("*")):
            if path.suffix in CODE_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(f"{path.relative_to(base)}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


_prefix: str | None = None


def prefix() -> str:
    """``report:v4:<shape>:<code>:``, so a deploy never reads the entries of the one before."""
    global _prefix
    if _prefix is None:
        _prefix = f"report:v4:{_shape()}:{_code()}:"
    return _prefix


# Address parameters of the page alone (a table's page, sort, size, 显示全部): they choose
# which rows are shown, never what is summed, so the figures' key leaves them out.
VIEW_ONLY_SUFFIXES = ("-page", "-sort", "-per_page", "-all")


@dataclasses.dataclass(frozen=True)
class ReportKeys:
    """The two entries of a report: its figures, whatever page or sort is asked for
    (headline, breakdowns, coverage, rates, lights' changes…), and one request's rows."""

    figures: str
    rows: str

    @property
    def tables(self) -> str:
        """The figures' long breakdowns, kept in an entry of their own (``DeferredBreakdowns``)."""
        return f"{self.figures}:tables"

    @property
    def computing(self) -> str:
        """Held by the one reader computing the figures (``one_computes``)."""
        return f"{self.figures}:computing"


def report_keys(*, programme, period, reach, filters, window, sort, basis) -> ReportKeys | None:
    """The cache keys of this report as of now; None when the versions cannot be read, or
    the current transaction has bumped some (its own writes are not yet anyone's version)."""
    if bumped_here():
        return None
    # The year's own versions, and those of the months whose figures the report sums: its
    # window this year and last year's (the year-on-year outlook).
    months = [(period.year, m) for m in period.months]
    months += [(period.year - 1, m) for m in period.previous_year().months]
    versions = DataVersion.objects.current([period.year - 1, period.year], months)
    if versions is None:
        return None
    common = [
        programme.pk,
        dataclasses.astuple(period),
        versions,
        str(reach),
        basis,
        translation.get_language(),
        _today().isoformat(),
    ]
    items = _filter_items(filters)
    figures = [*common, figure_filters(filters)]
    rows = [
        *common,
        items,
        dataclasses.astuple(window) if window is not None else None,
        sort,
    ]
    return ReportKeys(figures=_digest("figures", figures), rows=_digest("rows", rows))


def _digest(kind: str, parts: list) -> str:
    text = json.dumps(parts, default=str, ensure_ascii=False)
    return f"{prefix()}{kind}:{hashlib.sha256(text.encode()).hexdigest()}"


def figure_filters(filters: Mapping | None) -> list:
    """The request's parameters that change what is summed (all but ``VIEW_ONLY_SUFFIXES``),
    sorted: the part of a key that names the filters."""
    return [item for item in _filter_items(filters) if not item[0].endswith(VIEW_ONLY_SUFFIXES)]


def _filter_items(filters: Mapping | None) -> list:
    if not filters:
        return []
    if hasattr(filters, "lists"):  # a QueryDict: every value of a repeated parameter
        return sorted((key, sorted(values)) for key, values in filters.lists())
    return sorted((key, str(value)) for key, value in filters.items())


def cached_report(
    keys: ReportKeys | None, live_tables: LiveTables | None = None
) -> tuple[QuarterlyReport | None, QuarterlyReport | None]:
    """(the report, when its figures and these rows are both kept; its figures without rows,
    when only they are), in one cache read. ``live_tables`` computes the long breakdowns
    should their own entry be gone when they are first read (``DeferredBreakdowns``)."""
    if keys is None:
        return None, None
    return _report_of(cache_writes.read_many([keys.figures, keys.rows]), keys, live_tables)


def _report_of(kept: dict, keys: ReportKeys, live_tables: LiveTables | None):
    figures = _figures(kept.get(keys.figures), keys, live_tables)
    if figures is None:
        return None, None
    entry = _load(kept.get(keys.rows))
    if not (isinstance(entry, tuple) and len(entry) == 5 and entry[0] == ROWS_ENTRY):
        return None, figures
    _kind, window, page, lengths, encoded = entry
    rows, every_row = DeferredRows.pair(encoded, lengths, window)
    return dataclasses.replace(figures, rows=rows, row_page=page, every_row=every_row), figures


def cached_figures(
    keys: ReportKeys | None, live_tables: LiveTables | None = None
) -> QuarterlyReport | None:
    """The report's figures without rows, when they are kept: what a file reads before its
    rows, which it streams itself."""
    if keys is None:
        return None
    return _figures(cache_writes.read(keys.figures), keys, live_tables)


# How long a lock outlives a holder that died holding it (a killed worker): past it, the
# next reader computes. A computed page takes a few seconds at most, even at a province's
# size on a saturated host.
LOCK_SECONDS = 30
# How long a reader waits for another's figures before computing its own; and the pauses
# between its reads of the cache (20 ms, growing to a tenth of a second: a reader learns of
# the figures at most that long after they are kept, for a read of one cache row).
WAIT_SECONDS = 10
PAUSES = (0.02, 0.04, 0.06, *itertools.repeat(0.1, 100))


@dataclasses.dataclass(frozen=True)
class Claim:
    """What ``one_computes`` found: the figures another reader kept while this one waited
    (and the report, when they kept these rows too), or nothing, so this one computes."""

    report: QuarterlyReport | None = None
    figures: QuarterlyReport | None = None


@contextmanager
def one_computes(
    keys: ReportKeys | None, live_tables: LiveTables | None = None, *, stream: bool = False
) -> Iterator[Claim]:
    """One reader computes a data version's figures; the others wait for them.

    A write moves every key of its year, and a deploy every key (``prefix``): the next
    readers of a report all miss at once. Each computed the same figures, a province's
    page 0.4–1 s of processor apiece, and the cores that twelve managers' pages filled
    after a deploy kept every other page waiting. So the first reader to miss takes the
    figures' lock (``cache.add``: one statement on the database cache, ``tracker/db_cache.py``,
    and ``SET NX`` on Redis, so one caller alone wins; the file cache's add may let two
    through, which costs only a second computing) and computes. A reader that finds it
    taken reads the cache again, at growing pauses, until the figures are there (then it
    computes its own page of rows, if they are not kept too), the lock is gone without
    them (its holder failed, or kept nothing, having written in its transaction), or
    ``WAIT_SECONDS`` pass. Then it computes them itself: waiting never stands in for a
    figure, it only saves computing one twice. The lock is let go when its holder leaves,
    error or not, and outlives a holder that dies by ``LOCK_SECONDS`` at most. A published
    period takes no lock: it is read from its edition (``selectors.report``).

    ``keys`` None (nothing is kept: a writing transaction, a partial file's report)
    computes at once, holding no lock."""
    if keys is None:
        yield Claim()
        return
    if cache.add(keys.computing, True, LOCK_SECONDS):
        try:
            yield Claim()
        finally:
            # What the holder kept goes out with the lock's release, never after it, or a
            # waiter would find the lock gone and no figures, and compute them again
            # (``cache_writes``). One statement on the database cache on PostgreSQL.
            cache_writes.send(release=keys.computing)
        return
    yield _awaited(keys, live_tables, stream=stream)


def _awaited(keys: ReportKeys, live_tables: LiveTables | None, *, stream: bool) -> Claim:
    def found(kept: dict) -> Claim | None:
        if keys.figures not in kept:
            return None
        report, figures = _report_of(kept, keys, live_tables)
        return None if figures is None else Claim(None if stream else report, figures)

    names = [keys.figures, keys.computing] + ([] if stream else [keys.rows])
    return _waited_for(names, keys.computing, found) or Claim()


def _waited_for(names: list[str], lock: str, found: Callable[[dict], T | None]) -> T | None:
    """What ``found`` makes of the entries under ``names``, read at growing pauses while
    ``lock`` is held (``one_computes``, ``one_builds``); None once the lock is let go
    without it, or ``WAIT_SECONDS`` have passed: the waiter then computes it itself."""
    deadline = time.monotonic() + WAIT_SECONDS
    for pause in PAUSES:
        if time.monotonic() + pause > deadline:
            break
        time.sleep(pause)
        kept = cache_writes.read_many(names, fresh=True)
        result = found(kept)
        if result is not None:
            return result
        if lock not in kept:
            break  # let go without it: this reader computes it
    return None


def _figures(entry, keys: ReportKeys, live_tables: LiveTables | None) -> QuarterlyReport | None:
    figures = _load(entry)
    if not isinstance(figures, QuarterlyReport):
        return None
    if isinstance(figures.breakdowns, DeferredBreakdowns):
        figures.breakdowns.read_from(lambda: _kept_tables(keys, live_tables))
    return dataclasses.replace(figures, kept_as=keys.figures)


def _kept_tables(keys: ReportKeys, live_tables: LiveTables | None) -> dict[str, bytes]:
    """The figures' long breakdowns, encoded, from their own entry. Should it be gone while
    the figures are not (a cache that dropped one entry and not the other), the figures go
    too, so the next read computes both, and this one computes its tables live: at the data
    version of now, which is the figures' own unless a write came in between."""
    tables = _load(cache_writes.read(keys.tables))
    if isinstance(tables, dict):
        return tables
    cache_writes.drop(keys.figures)
    if live_tables is None:
        raise KeyError(keys.tables)
    return DeferredBreakdowns.every_table_encoded(live_tables())


def _load(entry):
    if entry is None:
        return None
    try:
        with no_collection():
            return pickle.loads(zlib.decompress(entry))
    except (zlib.error, pickle.UnpicklingError, TypeError, ValueError, AttributeError, EOFError):
        return None  # not an entry this code wrote: computed afresh, and kept over it


def _dump(value) -> bytes:
    # Compressed: the database cache reads a smaller entry back faster.
    return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)


def keep_report(
    keys: ReportKeys | None,
    report: QuarterlyReport,
    *,
    figures_kept: bool = False,
    with_rows: bool = True,
) -> QuarterlyReport:
    """Keep ``report``'s figures (unless ``figures_kept``) and its rows, the rows unless
    there are too many to be worth an entry or they are a file's (``with_rows=False``: a
    streamed file reads them from a cursor once). Returns the report, with the key its
    figures are kept under when they are (``QuarterlyReport.kept_as``)."""
    # Computing it may have written (a settings row made with its defaults): the keys read
    # before then no longer name what this transaction sees.
    if keys is None or report.edition is not None or bumped_here():
        return report
    if not figures_kept:
        breakdowns = DeferredBreakdowns.of(report.breakdowns, DEFER_ABOVE)
        # The long tables apart, and first: a page read again never fetches them (it draws
        # its kept sections), and the figures are never kept without their tables. They
        # outlast the figures a little, so the figures' entry expires first.
        tables = breakdowns.encoded()
        if tables:
            cache_writes.keep(keys.tables, _dump(tables), TIMEOUT + TABLES_OUTLAST)
        figures = dataclasses.replace(
            report, rows=(), row_page=None, every_row=None, breakdowns=breakdowns.apart()
        )
        cache_writes.keep(keys.figures, _dump(figures), TIMEOUT)
        report = dataclasses.replace(report, kept_as=keys.figures)
    if not with_rows:
        return report
    rows = tuple(report.rows)
    if len(rows) + len(report.every_row or ()) > ROWS_UP_TO:
        return report
    # The page's rows are a slice of the printable rows when those are there: kept once.
    window = None
    if report.every_row is not None and report.row_page is not None:
        start = (report.row_page.number - 1) * report.row_page.per_page
        stop = start + len(rows)
        if report.every_row[start:stop] == rows:
            window, rows = (start, stop), ()
    every_row = None if report.every_row is None else tuple(report.every_row)
    lengths = (len(rows), None if every_row is None else len(every_row))
    encoded = pickle.dumps((rows, every_row), protocol=pickle.HIGHEST_PROTOCOL)
    entry = (ROWS_ENTRY, window, report.row_page, lengths, encoded)
    cache_writes.keep(keys.rows, _dump(entry), TIMEOUT)
    return report


# The rows entry's first item: an entry of another layout is a miss, computed and kept over.
ROWS_ENTRY = "rows:v2"


# A breakdown longer than this is kept encoded in an entry of its own beside the figures',
# and decoded when it is first read. At province scale the unit and street tables hold 3,334
# rows, about 80,000 objects: decoding them was most of a kept report's read (50 of 62 ms),
# and fetching them in the figures' entry (325 of its 340 kB) still cost a page read again
# 8 ms. The page draws their folds (``kept_with``) and reads them only to sort them another
# way; the files read them for their breakdown tables.
DEFER_ABOVE = 60
# Seconds the tables' entry outlives the figures' (written just before them).
TABLES_OUTLAST = 60

LiveTables = Callable[[], Mapping]


def kept_with(
    report: QuarterlyReport,
    name: str,
    *,
    parts: list,
    classes: Iterable[type],
    compute: Callable[[], T],
    reads_rows: bool = False,
    one_builds: bool = False,
) -> T:
    """``compute()`` once per kept report: for what is derived from a report's figures
    alone, as the page's folded breakdowns and rankings are, or from its figures and rows
    (``reads_rows``, as a workbook is). Kept under the figures' own key (which holds their
    data versions, reach, filters, language and day) and ``parts`` (the sort and fold asked
    for); ``classes`` are the value's classes, as in ``kept_for``. A published edition's
    report is named by its token (``editions.edition_report``); a report whose figures are
    not kept (computed in a transaction that wrote) computes it every time.

    ``one_builds``: for a value that takes long to compute (a workbook), one reader at a
    time computes it and the others that miss meanwhile wait for it (``one_builds``)."""
    if report.kept_as is None:
        return compute()
    key = key_with(report, name, parts=parts, classes=classes)
    # Derived from the report it is given: kept even in a transaction that wrote, as the
    # report's name already says which figures it is; not so what reads the rows as well.
    # Figures this request computed and kept were missing at their data versions, so what
    # derives from them is too: no read (a statement of a computed page each). Should the
    # figures' entry alone have gone, computing gives what a read would have.
    # What takes long to build is read and built under its lock even on figures this
    # request computed: another reader may have read them since they were sent, and be
    # building (or have built) the same value. A statement beside a build is nothing.
    read = one_builds or not cache_writes.kept_here(report.kept_as)
    return _kept(key, compute, reads_rows=reads_rows, read=read, one_at_a_time=one_builds)


def key_with(report: QuarterlyReport, name: str, *, parts: list, classes: Iterable[type]) -> str:
    """The key ``kept_with`` keeps ``name`` under, for a report whose figures are kept."""
    return _digest(f"with:{name}", [report.kept_as, parts, _classes_digest(tuple(classes))])


@contextmanager
def one_builds(key: str) -> Iterator[tuple | None]:
    """One reader computes the value kept under ``key``; the others wait for it.

    As ``one_computes`` for the figures, for what is derived from them and takes long: a
    2,000-row workbook took 1.1 and 1.4 s on two workers at once under ``make load`` (two
    managers asked for it in the same second after a write), each worker and its users
    held up. The first reader to miss takes the lock (``cache.add``) and computes; what it
    keeps goes out with the lock's release. A reader finding the lock taken reads the cache
    at growing pauses and yields ``(value,)`` once it is kept, or None (it computes) when the
    lock is gone without it or ``WAIT_SECONDS`` pass: waiting only saves computing twice."""
    lock = f"{key}:building"
    if cache.add(lock, True, LOCK_SECONDS):
        try:
            yield None
        finally:
            cache_writes.send(release=lock)
        return

    def found(kept: dict) -> tuple | None:
        entry = _load(kept.get(key))
        return entry if isinstance(entry, tuple) and len(entry) == 1 else None

    yield _waited_for([key, lock], lock, found)


def kept_for(
    name: str,
    *,
    years: Iterable[int],
    parts: list,
    classes: Iterable[type],
    compute: Callable[[], T],
    months: Iterable[tuple[int, int]] = (),
) -> T:
    """``compute()`` once per data version of ``years`` (and ``months``, for a value that
    reads monthly figures) and of the every-year data.

    For what stands beside the report and reads only rows those versions cover (the
    services that write them bump them, ``services.versions``), such as the dispatch
    panel's node, approval and 入库 lists. ``parts`` is everything else the value depends on
    (the list, the day it is as of, the reader's reach); the language and today's date are
    added here. ``classes`` are the value's classes: their fields are in the key, so a
    deploy that changes one never reads a value pickled by the code before.
    """
    if bumped_here():
        return compute()
    versions = DataVersion.objects.current(years, months)
    if versions is None:
        return compute()
    shape = _classes_digest(tuple(classes))
    key = _digest(
        f"kept:{name}",
        [versions, parts, shape, translation.get_language(), _today().isoformat()],
    )
    return _kept(key, compute)


def _kept(
    key: str,
    compute: Callable[[], T],
    *,
    reads_rows: bool = True,
    read: bool = True,
    one_at_a_time: bool = False,
) -> T:
    """The value kept under ``key``, or ``compute()``'s, then kept (wrapped in a tuple, so a
    kept None is told from a miss); ``read=False``: not looked up in the cache, only among
    what this request keeps and has not sent (a second ask in one request). A value that
    ``reads_rows`` is not kept once this transaction has written: computing it may have
    written a settings row with its defaults, and the key read before then no longer names
    what it saw. ``one_at_a_time``: computed by one reader while the others wait for it
    (``one_builds``), kept before its lock is let go."""
    entry = _load(cache_writes.read(key) if read else cache_writes.waiting(key))
    if isinstance(entry, tuple) and len(entry) == 1:
        return entry[0]
    if not one_at_a_time:
        return _computed_and_kept(key, compute, reads_rows=reads_rows)
    with one_builds(key) as found:
        if found is not None:
            return found[0]
        return _computed_and_kept(key, compute, reads_rows=reads_rows)


def _computed_and_kept(key: str, compute: Callable[[], T], *, reads_rows: bool) -> T:
    value = compute()
    if not (reads_rows and bumped_here()):
        cache_writes.keep(key, _dump((value,)), TIMEOUT)
    return value


def _today():
    return timezone.localdate(timezone=timezone.get_default_timezone())
