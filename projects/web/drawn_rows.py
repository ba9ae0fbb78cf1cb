"""A table row's drawn cells, remembered by the row's value.

A report's rows are frozen values (``ProjectRow``, ``BreakdownRow``) and a table draws a
row's cells from the row and from what the table itself holds (the page's language, its
project link, its thresholds), nothing else. So the cells a row was drawn as are the cells
an equal row is drawn as, at any data version: after a clerk's save the report is computed
again, and every row but that project's (and its groups') is equal to one drawn before.
On the demo's computed page the tables drew 147 project rows and about 90 groups, the
largest part of drawing its sections, each time for rows nearly all unchanged.

Equal must mean drawn the same. The rows' amounts are rounded to the cent by
``money.as_money``, which writes no zero with a sign, so two equal amounts print alike;
their other fields are text, dates, integers and their own frozen values. A table whose
cells read anything else says so in its context (``PageTable.row_context``), which is part
of the key, as is each cell's opening ``<td>`` (its heading in the page's language).

Bounded and kept per process (emptied when full, ``RowMemo``); no data is read
here, so nothing can be stale: a row whose value changed is another key.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

# Entries per process: the demo's whole list and its groups in both languages several
# times over, or forty pages of a province's list; a project row's entry is about 3 kB.
SIZE = 2048
# Tables' contexts kept as one object each (languages × tables × thresholds: a few dozen).
CONTEXTS = 256


class RowMemo:
    """A bounded map from a row's key to its drawn cells.

    Emptied whenever it is full, not kept in least-recently-used order: that order (an
    ordered map and a lock around each read) cost a hit more than the hit's own hash and
    comparison, a third of what drawing the row saved. Without the lock a worker's threads
    may both draw one row, or both empty the map: either leaves it right (a plain dict's
    reads and writes are atomic under the interpreter's lock).
    """

    def __init__(self, size: int = SIZE):
        self.size = size
        self._entries: dict[Hashable, object] = {}
        self._contexts: dict[Hashable, Hashable] = {}

    def drawn(self, key: Hashable, draw: Callable[[], T]) -> T:
        """What is kept under ``key``, or ``draw()``'s, kept (not kept when a part of the
        key cannot be hashed: a row read back from an old edition's lists, say)."""
        entries = self._entries
        try:
            found = entries.get(key)
        except TypeError:
            return draw()
        if found is not None:
            return found
        drawn = draw()
        if len(entries) >= self.size:
            entries.clear()
        entries[key] = drawn
        return drawn

    def context(self, context: Hashable) -> Hashable:
        """``context`` as the one object equal to it that earlier keys hold: a row's key
        then compares its table's part by identity, not heading by heading."""
        contexts = self._contexts
        try:
            kept = contexts.get(context)
        except TypeError:
            return context
        if kept is None:
            if len(contexts) >= CONTEXTS:
                contexts.clear()
            kept = contexts[context] = context
        return kept

    def clear(self) -> None:
        self._entries.clear()
        self._contexts.clear()

    def __len__(self) -> int:
        return len(self._entries)


ROWS = RowMemo()
# A table's layout and headings (``page_tables``): per class, language, variant and address.
HEADINGS = RowMemo(CONTEXTS)
