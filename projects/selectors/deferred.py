"""What a kept report holds encoded until it is read: its long breakdowns and its rows.

A kept report (``report_cache``) is read far more often than all of it is used: a page read
again draws its kept sections and reads the headline alone; a file reads the breakdowns but
streams its own rows. These two stand in the report for what it would otherwise decode on
every read, equal to the tuple or dict they stand for and pickled as it, and decode it the
first time a reader asks. Apart from ``report_cache`` because they are what it stores, not
how it keys or finds an entry.
"""

from __future__ import annotations

import gc
import pickle
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import contextmanager


@contextmanager
def no_collection():
    """The garbage collector paused while an entry is decoded. At province scale an entry
    holds some 80,000 small objects (3,357 breakdown rows); allocating them set off full
    collections of a worker's whole heap, which took the decoding from 30 ms to 100 ms or
    more, at random. The objects hold no cycles, so nothing is left for the collector; it
    runs again as soon as the decoding ends (another thread that paused it meanwhile finds
    it paused and leaves it to the first to turn back on)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Encoded:
    """A kept page's rows and printable rows, pickled, decoded once when first read."""

    __slots__ = ("_encoded", "_decoded")

    def __init__(self, encoded: bytes):
        self._encoded = encoded
        self._decoded = None

    def get(self) -> tuple:
        if self._decoded is None:
            with no_collection():
                self._decoded = pickle.loads(self._encoded)
        return self._decoded


class DeferredRows(Sequence):
    """A kept report's rows (or its printable rows), decoded when first read: its length is
    known without. A page read again draws its kept sections, so the header it draws
    never reads them; decoding the demo's 147 printable rows was about 3 ms of its 26 ms
    page. Equal to the tuple it stands for, and pickled as that tuple."""

    __slots__ = ("_source", "_which", "_window", "_length", "_rows")

    def __init__(self, source: _Encoded, which: int, length: int, window=None):
        self._source, self._which, self._window = source, which, window
        self._length = length
        self._rows = None

    @classmethod
    def pair(cls, encoded: bytes, lengths, window) -> tuple[Sequence, Sequence | None]:
        """(the page's rows, the printable rows or None) over one encoded entry."""
        source = _Encoded(encoded)
        rows_length, every_length = lengths
        every_row = None if every_length is None else cls(source, 1, every_length)
        if window is not None:  # the page's rows are a slice of the printable rows
            start, stop = window
            return cls(source, 1, stop - start, window), every_row
        return cls(source, 0, rows_length), every_row

    def _all(self) -> tuple:
        if self._rows is None:
            rows = self._source.get()[self._which]
            if self._window is not None:
                rows = rows[self._window[0] : self._window[1]]
            self._rows = tuple(rows)
        return self._rows

    def __len__(self) -> int:
        return self._length

    def __bool__(self) -> bool:
        return self._length > 0

    def __getitem__(self, index):
        return self._all()[index]

    def __iter__(self):
        return iter(self._all())

    def __eq__(self, other) -> bool:
        if isinstance(other, DeferredRows):
            other = other._all()
        if isinstance(other, (tuple, list)):
            return self._all() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __reduce__(self):
        return (tuple, (self._all(),))

    def __repr__(self) -> str:
        return f"DeferredRows({self._length} rows)"


class _Later:
    """What ``compute()`` gives, computed at the first ask and kept on this object."""

    __slots__ = ("_compute", "_found")

    def __init__(self, compute: Callable[[], tuple]):
        self._compute = compute
        self._found = None

    def get(self) -> tuple:
        if self._found is None:
            self._found = self._compute()
        return self._found


class LaterRows(DeferredRows):
    """A report's rows (or its printable rows) computed when first read, their count too.

    For the report page, which draws its rows into sections it keeps under the figures'
    key (``web.report_body``): with those kept, its rows are never read, so they are neither
    kept nor read back (``report.quarterly_report``'s ``rows_kept``). Keeping them was
    pickling, compressing and writing the demo's 147 printable rows on every computed page,
    for a read again that fetched them and never decoded them."""

    __slots__ = ()

    @classmethod
    def pair(cls, compute: Callable[[], tuple], every_row: bool):
        """(the page's rows, the printable rows or None) from one ``compute()`` of both."""
        source = _Later(compute)
        return cls(source, 0, None), cls(source, 1, None) if every_row else None

    def __len__(self) -> int:
        return len(self._all())

    def __bool__(self) -> bool:
        return bool(self._all())

    def __repr__(self) -> str:
        state = "not yet computed" if self._rows is None else f"{len(self._rows)} rows"
        return f"LaterRows({state})"


class DeferredBreakdowns(Mapping):
    """A kept report's breakdowns: the short tables as they are, each long one as its own
    pickle until it is read (then kept decoded on this object). A mapping like the dict it
    stands for, equal to it, in the same order.

    Kept in the cache, the long tables are not in the figures' entry but in their own
    (``apart``); a mapping read back from there fetches them when one is first read
    (``read_from``)."""

    __slots__ = ("_order", "_tables", "_encoded", "_fetch")

    def __init__(self, order: Iterable[str], tables: Mapping, encoded: Mapping[str, bytes]):
        self._order = tuple(order)
        self._tables = dict(tables)
        self._encoded = dict(encoded)
        self._fetch = None

    @classmethod
    def of(cls, breakdowns: Mapping, defer_above: int) -> DeferredBreakdowns:
        """The tables longer than ``defer_above`` rows encoded, the others as they are."""
        if isinstance(breakdowns, cls):
            return breakdowns
        tables, encoded = {}, {}
        for key, rows in breakdowns.items():
            if len(rows) > defer_above:
                encoded[key] = pickle.dumps(tuple(rows), protocol=pickle.HIGHEST_PROTOCOL)
            else:
                tables[key] = rows
        return cls(breakdowns.keys(), tables, encoded)

    @classmethod
    def every_table_encoded(cls, breakdowns: Mapping) -> dict[str, bytes]:
        """Each table of ``breakdowns`` encoded, whatever its length."""
        return cls.of(breakdowns, defer_above=-1).encoded()

    def _long(self) -> list[str]:
        return [key for key in self._order if key not in self._tables or key in self._encoded]

    def encoded(self) -> dict[str, bytes]:
        """Every long table, encoded (fetched first if this mapping holds them apart)."""
        if any(key not in self._encoded for key in self._long()):
            self._encoded.update(self._fetched())
        return {key: self._encoded[key] for key in self._long()}

    def apart(self) -> DeferredBreakdowns:
        """This mapping without its long tables, to be kept beside them: read back, it needs
        ``read_from``."""
        short = {key: rows for key, rows in self._tables.items() if key not in self._encoded}
        return DeferredBreakdowns(self._order, short, {})

    def read_from(self, fetch: Callable[[], Mapping[str, bytes]]) -> None:
        """Where this mapping's long tables come from when first read: their entry."""
        self._fetch = fetch

    def _fetched(self) -> Mapping[str, bytes]:
        if self._fetch is None:
            raise KeyError("the long breakdowns are kept apart and nothing reads them")
        return self._fetch()

    def __getitem__(self, key: str):
        try:
            return self._tables[key]
        except KeyError:
            pass
        if key not in self._order:
            raise KeyError(key)  # a table the report has not
        encoded = self._encoded.get(key)
        if encoded is None:
            encoded = self.encoded()[key]  # fetched from the tables' own entry
        with no_collection():
            rows = pickle.loads(encoded)
        # Two threads reading one report may both decode: the same rows, either kept.
        self._tables[key] = rows
        return rows

    def __contains__(self, key) -> bool:
        return key in self._order  # without decoding it

    def __iter__(self):
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def __reduce__(self):
        # Pickled whole and as read: the long tables stay encoded, whether or not this object
        # decoded them (an export job's payload). A mapping made ``apart`` has nowhere to
        # fetch them from, and is pickled without them: the figures' entry.
        encoded = self.encoded() if self._fetch is not None else dict(self._encoded)
        short = {key: rows for key, rows in self._tables.items() if key not in encoded}
        return (DeferredBreakdowns, (self._order, short, encoded))

    def __repr__(self) -> str:
        return f"DeferredBreakdowns({list(self._order)}, deferred={self._long()})"
