"""django-tables2 tables over the rows a page already has: sorted, filtered and paged in SQL.

The card names django-tables2; it was removed once because its default path cost a
province's report about 170 ms a page (a template per cell, Python sorting and paging of
the whole list). Here a ``PageTable`` keeps only what is cheap:

* the columns are declared on a ``Table`` (heading, cell classes, sortable or not,
  shown before anyone opens "更多列"), each drawn by a plain ``render_<name>(record)``
  that returns text or ``format_html``/``SafeString`` — no template per cell;
* the table is given the page's rows, never a queryset, and is never given ``order_by``:
  tables2 neither sorts nor pages; the sort and page links are the page's own
  (``?p-sort=…&p-page=…``, ``?unit-sort=…``), built by ``tables.headers``;
* its rows are joined to ``<tr>`` strings in one loop (``html_rows``), calling each
  column's ``render_<name>`` directly: tables2's ``BoundRow`` would resolve an accessor and
  inspect the render method's signature for every cell;
* a table whose cells read only the row and the table (``row_context``) has each row drawn
  once per value (``drawn_rows``): after a save, the rows that did not change are not drawn
  again;
* its columns' headings and cells' openings (``layout``), and its headings' row at an
  address (``heading``), are worked out once per table class, language and variant, not
  once per table: tables2 resolves each heading through its bound column (a translation
  each), and with the sort links that was a third of drawing a report's tables;
* so tables2's own ``__init__`` (every column copied and bound) runs only when something
  reads what it sets (``__getattr__``): once per layout, not once per table a page draws.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from .drawn_rows import HEADINGS, ROWS
from .tables import Column, Header, cell_html, header_row, headers


class Cell(tables.Column):
    """A column whose every value (empty ones too) goes through the table's ``render_<name>``.

    ``td_class`` is the stylesheet's cell class (``num``, ``num rate-cell``, ``wrap``…);
    ``key`` says whether the report page shows it before anyone picks columns;
    ``labelled`` gives each cell its heading as ``data-label``, which a phone's card reads.
    """

    def __init__(
        self,
        verbose_name=None,
        td_class: str = "",
        *,
        key: bool = True,
        labelled: bool = False,
        **kwargs,
    ):
        kwargs.setdefault("empty_values", ())
        attrs = {"td": {"class": td_class}} if td_class else {}
        super().__init__(verbose_name=verbose_name, attrs=attrs, **kwargs)
        self.td_class = td_class
        self.key = key
        self.labelled = labelled

    def __deepcopy__(self, memo):
        # tables2 deep-copies every column for every table it makes (a fifth of the tables'
        # time on the demo's page); a table only ever renames its own copy, so a shallow one
        # will do. Made by hand: ``copy.copy``'s reduce protocol was half of making a table.
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        return clone

    def opening(self, header) -> str:
        """The cell's ``<td …>``, written once per table rather than once per cell."""
        attrs = format_html(' class="{}"', self.td_class) if self.td_class else ""
        if self.labelled:
            attrs += format_html(' data-label="{}"', header)
        return f"<td{attrs}>"


def _heading(bound) -> str:
    """A column's heading in the page's language, translated once. tables2's ``header``
    tests a lazy heading's truth (a translation) and hands it on lazy, so each heading was
    translated again where it was written: about 160 a report page."""
    heading = bound.column.verbose_name
    return bound.header if heading is None else str(heading)


@dataclass(frozen=True)
class Layout:
    """A table's visible columns as drawn: the same for every table of one class, language
    and variant (``PageTable.layout``)."""

    # The page's ``Column`` records (name, heading, classes…), in the table's order.
    columns: tuple[Column, ...]
    # Each cell's ``<td …>``, in the same order.
    openings: tuple[str, ...]


@dataclass(frozen=True)
class Heading:
    """A table's headings at one address: their records (sort links and state) and the
    ``<tr>`` they are drawn as."""

    headers: tuple[Header, ...]
    row: SafeString


class PageTable(tables.Table):
    """A table of the page's rows; ``prefix`` is its parameters' (``p-``, ``unit-``…)."""

    class Meta:
        orderable = True

    def __init__(self, rows, *, request, prefix: str, sort: str | None = None, **kwargs):
        # tables2's own ``__init__`` (its columns copied and bound, its rows wrapped) runs
        # when something first reads what it sets (``__getattr__``): a page draws its
        # tables from their layout, worked out once per class (``layout``), and its rows,
        # so a table whose layout is known never needs it. On the demo's computed page
        # that was eight tables made for nothing, 1.1 ms (a fiftieth of the page).
        self._making = False
        self._records = list(rows)
        self._options = {"prefix": f"{prefix}-", **kwargs}
        self.request = request
        self.param_prefix = prefix
        self.sort = sort
        # What tables2 was told besides the rows (``orderable``, ``exclude``…) shapes the
        # columns, so it is part of the layout's key.
        self._shaped_by = tuple(sorted(kwargs.items()))

    def __getattr__(self, name):
        # Only for what this instance lacks: what tables2's ``__init__`` sets (``columns``,
        # ``rows``, ``data``, ``_orderable``…). Neither ``order_by`` nor ``request`` is
        # passed to it: given the request, tables2 would sort and page the rows again from
        # ``?p-sort=&p-page=`` (a page of 50 read as a whole list), undoing the database's
        # order and paging.
        # Read from ``__dict__``: before ``__init__`` has set it, ``self._making`` would
        # come back here.
        if name.startswith("__") or self.__dict__.get("_making", True):
            raise AttributeError(name)
        self._making = True
        super().__init__(self._records, **self._options)
        self.made()
        return getattr(self, name)

    def made(self) -> None:
        """What a table changes of its columns once tables2 has made them (a breakdown
        names its first column by its dimension); said in ``layout_variant`` too."""

    def layout(self) -> Layout:
        """The visible columns' records and cell openings, worked out once per class,
        language, tables2 options and ``layout_variant``."""
        return HEADINGS.drawn(self._layout_key(), self._laid_out)

    def _layout_key(self) -> Hashable:
        return (type(self), get_language(), self._shaped_by, self.layout_variant())

    def layout_variant(self) -> Hashable:
        """What this table changed of its class's columns after tables2 made them (a
        breakdown names its first column by its dimension); part of ``layout``'s key. A
        table that renames, hides or adds a column in ``__init__`` must say so here."""
        return ()

    def _laid_out(self) -> Layout:
        bound = list(self.columns)
        return Layout(
            columns=tuple(
                Column(
                    bc.name,
                    _heading(bc),
                    getattr(bc.column, "td_class", ""),
                    # A table made unorderable (the 专班's) draws no sort links at all.
                    orderable=bc.orderable and self.orderable,
                    key=getattr(bc.column, "key", True),
                )
                for bc in bound
            ),
            openings=tuple(bc.column.opening(bc.header) for bc in bound),
        )

    def column_specs(self) -> tuple[Column, ...]:
        """The visible columns as the page's ``Column`` records (name, heading, classes…)."""
        return self.layout().columns

    def headers(self):
        """The headings with the page's own sort links (again: the other way round)."""
        return headers(self.request, self.param_prefix, self.column_specs(), self.sort)

    def heading(self, *, chooser: bool = False) -> Heading:
        """The headings and their ``<tr>`` (``tables.header_row``), drawn once per layout
        and address: their links are the address's parameters with this table's sort.
        ``chooser``: the project table's, whose columns the column chooser shows and hides."""
        params = self.request.GET
        query = tuple((name, tuple(values)) for name, values in params.lists())
        key = (self._layout_key(), self.param_prefix, self.sort, params.encoding, query, chooser)

        def draw() -> Heading:
            drawn = tuple(self.headers())
            return Heading(drawn, header_row(drawn, chooser=chooser))

        return HEADINGS.drawn(key, draw)

    def html_rows(self, shown: range | None = None) -> list[SafeString]:
        """Each record as its ``<tr>``: cells escaped unless safe, with their classes.

        Rows whose index lies outside ``shown`` are marked ``print-extra`` (drawn in print
        only), so a list up to a page of the print view prints whole.
        """
        layout = self.layout()
        openings = layout.openings
        columns = [
            (getattr(self, f"render_{column.name}"), td)
            for column, td in zip(layout.columns, openings, strict=True)
        ]

        def cells(record) -> str:
            return "".join([f"{td}{cell_html(render(record))}</td>" for render, td in columns])

        context = self.row_context()
        if context is not None:
            # The openings carry the headings in the page's language (a phone's labels).
            context = ROWS.context((type(self), context, openings))
        tr_attributes, row_variant = self.tr_attributes, self.row_variant

        def row(opening: str, record) -> SafeString:
            # ``SafeString`` itself: ``mark_safe`` checks every argument for a lazy string,
            # a cost each of a page's several thousand cells and rows paid.
            return SafeString(f"{opening}{cells(record)}</tr>")

        out = []
        for index, record in enumerate(self._records):
            opening = (
                f"<tr{tr_attributes(record)}>"
                if shown is None or index in shown
                else '<tr class="print-extra">'
            )
            if context is None:
                out.append(row(opening, record))
            else:
                # The whole ``<tr>`` is kept, its opening in the key: a kept row is then
                # the page's string itself, not joined to its opening and copied again.
                key = (context, opening, row_variant(record), record)
                out.append(ROWS.drawn(key, lambda o=opening, r=record: row(o, r)))
        return out

    def row_context(self) -> Hashable | None:
        """What a row's cells read besides the row and the columns' openings (labels in
        the page's language, links, thresholds…), when they read nothing else: then
        equal rows are drawn once (``drawn_rows``). None, the default: drawn each time."""
        return None

    def row_variant(self, record) -> Hashable:
        """What a row's cells read of the table for this row alone (whether the reader may
        open it, say); part of its key in ``drawn_rows``."""
        return None

    def tr_attributes(self, record) -> str:
        """A row's own attributes, as HTML after ``<tr`` (none by default)."""
        return ""
