"""The project rows of a live report's CSV and JSON, formatted by PostgreSQL where they are.

At province scale the files spent their time making 20,000 ``ProjectRow`` objects and
formatting 440,000 cells in Python while the database only fetched them. On PostgreSQL
the selector hands over its rows' one statement (``StreamedRows.statement``) and this
module wraps it in a SELECT that writes each cell as the Python path prints it:

* CSV: ``COPY (SELECT …) TO STDOUT WITH (FORMAT csv)``, the bytes passed on as they come;
  only its line ends are changed ("\\n" to the "\\r\\n" Python's ``csv`` writes);
* JSON: each row's object as one line of text, read from a server-side cursor in chunks.

Every rule keeps its one home and lends it an SQL twin built from the same data: amounts
and rates (``money.*_sql``), the edge cleaner and formula guard (``text.file_text_sql``),
the reasons' words (``selectors.reasons_sql``), the labels (``choices``), the dash and the
plan-adjustment words (``exports.base``). The title, header row, 合计 and notes stay with
the Python writers. SQLite, a published edition (rows from a snapshot) and the breakdown
tables keep the Python path; ``tests/exports/test_sql_rows.py`` holds both paths to the
same bytes on the demo.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator

from django.db import connections

from ..choices import KIND_FILE_LABELS, LIGHT_FILE_LABELS, STATUS_FILE_LABELS
from ..money import completion_rate_sql, money_sql
from ..selectors.compiled import log_run
from ..selectors.lights import SIGNALS, light_of_sql
from ..selectors.queries import STARTED
from ..selectors.reasons_sql import reason_parts_sql
from ..text import file_text, file_text_sql, file_texts_need_sql, sql_literal
from .base import ADJUSTED, DASH, UNADJUSTED

# Bytes of CSV gathered from COPY before they are handed on as one chunk.
COPY_BLOCK = 64 * 1024


def formats(rows) -> bool:
    """Whether these rows can be formatted by the database: a live report's streamed rows
    (not an edition's snapshot) on PostgreSQL."""
    using = getattr(rows, "using", None)
    return using is not None and connections[using].vendor == "postgresql"


# ---------------------------------------------------------------- building the SQL
#
# The formatting SELECT holds its constants as literals (``text.sql_literal``), so the only
# parameters are the rows' statement's own, in its own order.

_REASON_HEAD = '{{"code": "{}", "text": '
_REASON_SINCE = ', "since": '


def _labels(column: str, labels: dict) -> str:
    """A file cell of a code's label, the code itself when it has none (as ``.get``).

    The labels are the app's own words, so ``file_text`` (the cell's rule) is applied to
    each of them here, once, and in SQL to a stray code alone: run on every row, the SQL
    twin cost as much as a column of names (two regular expressions a row).
    """
    whens = " ".join(
        f"WHEN {sql_literal(code)} THEN {sql_literal(file_text(str(label)))}"
        for code, label in labels.items()
    )
    return f"CASE {column} {whens} ELSE {file_text_sql(column)} END"


def _date(column: str) -> str:
    return f"to_char({column}, 'YYYY-MM-DD')"


def _row_values(col) -> dict[str, str]:
    """The ``ProjectRow`` of ``selectors.project_rows.project_rows`` as SQL expressions."""
    started = ", ".join(map(sql_literal, STARTED))
    values = {
        "actual_start": (
            f"CASE WHEN {col('start_status')} IN ({started}) THEN {col('actual_start')} END"
        ),
        "image_progress": f"coalesce(nullif({col('latest_image')}, ''), {col('image_progress')})",
    }
    for measure in ("investment", "inclusion"):
        for part in ("planned", "actual", "baseline_planned", "adjusted_planned"):
            values[f"{measure}_{part}"] = money_sql(col(f"{measure}_{part}"))
    return values


def _reasons(col, *, as_json: bool) -> str:
    """The row's reasons: "；"-joined words (CSV), or the JSON list of ``light_reasons``."""
    items = []
    for reason in reason_parts_sql(col):
        item = reason.words
        if as_json:
            since = _quoted(_date(reason.since)) if reason.since else "NULL"
            head = sql_literal(_REASON_HEAD.format(reason.code))
            item = (
                f"{head} || to_json({item})::text || {sql_literal(_REASON_SINCE)}"
                f" || coalesce({since}, 'null') || '}}'"
            )
        items.append(f"CASE WHEN {reason.level} <> 0 THEN {item} END")
    joined = f"concat_ws({sql_literal(', ' if as_json else '；')}, {', '.join(items)})"
    return f"('[' || {joined} || ']')" if as_json else joined


def _light(col) -> str:
    """The row's light, from the level columns its reasons read (``lights.light_of_sql``).

    The rows' ``light`` column is its own expression over the five signals: read beside
    the levels, PostgreSQL computed every signal twice (20,000 rows: CSV about 80 ms).
    """
    return light_of_sql([col(f"{signal}_level") for signal in SIGNALS])


def _wrap(statement, build, layers=()) -> tuple[str, tuple]:
    """``SELECT <build(col)> FROM (<the rows' statement>) AS r``, in the rows' order.

    Each of ``layers`` (``col -> {name: expression}``) adds its columns in a SELECT of its
    own between the rows and the cells, fenced by ``OFFSET 0`` so PostgreSQL computes each
    once a row: a cell that names a column twice (the edge cleaner and formula guard read
    their text three or four times) would otherwise compute its expression each time.
    """
    quote = connections[statement.using].ops.quote_name
    columns = {field: f"r.{quote(name)}" for field, name in statement.columns.items()}
    # The rows' ORDER BY stays inside: a derived table with one is scanned in its order,
    # and so is a layer over it (no sort, join or grouping between).
    source = statement.sql
    for layer in layers:
        added = layer(columns.__getitem__)
        names = ", ".join(f"{expr} AS {quote(name)}" for name, expr in added.items())
        source = f"SELECT r.*, {names} FROM ({source}) AS r OFFSET 0"
        columns.update((name, f"r.{quote(name)}") for name in added)
    return f"SELECT {build(columns.__getitem__)} FROM ({source}) AS r", statement.params


# The CSV's cells of text: the rows' columns, and the two the first layer computes.
_CSV_TEXTS = ("code", "name", "national_code", "unit__name", "street__name", "category__name")


def _csv_texts(col) -> dict[str, str]:
    """The first layer: the image progress and the reasons' words, each computed once, and
    the amounts (``_figures``)."""
    return {
        "_image": _row_values(col)["image_progress"],
        "_reasons": _reasons(col, as_json=False),
        **_figures(col),
    }


def _csv_checked(col) -> dict[str, str]:
    """The second layer: whether the row's texts need the file rule at all."""
    texts = [col(field) for field in (*_CSV_TEXTS, "_image", "_reasons")]
    return {"_texts_need": file_texts_need_sql(texts)}


def _csv_select(col) -> str:
    row = _row_values(col)
    dash = sql_literal(DASH)

    def text(expr: str) -> str:
        return f"(CASE WHEN {col('_texts_need')} THEN {file_text_sql(expr)} ELSE {expr} END)"

    cells = [
        *(text(col(field)) for field in _CSV_TEXTS),
        _labels(col("kind"), KIND_FILE_LABELS),
        f"coalesce({_date(col('planned_start'))}, {dash})",
        f"coalesce({_date(row['actual_start'])}, {dash})",
        _labels(col("start_status"), STATUS_FILE_LABELS),
        f"{col('_investment_planned')}::text",
        f"{row['investment_baseline_planned']}::text",
        f"{row['investment_adjusted_planned']}::text",
        f"CASE WHEN coalesce({col('plan_adjusted')}, 0) <> 0 THEN {sql_literal(ADJUSTED)} "
        f"ELSE {sql_literal(UNADJUSTED)} END",
        f"{col('_investment_actual')}::text",
        f"coalesce({_rate(col, 'investment')}, {dash})",
        f"{col('_inclusion_planned')}::text",
        f"{col('_inclusion_actual')}::text",
        f"coalesce({_rate(col, 'inclusion')}, {dash})",
        text(col("_image")),
        _labels(_light(col), LIGHT_FILE_LABELS),
        text(col("_reasons")),
    ]
    # COPY writes NULL as an empty field and quotes an empty string (""); Python's csv
    # writes an empty string bare, so empties go out as NULL.
    return ", ".join(f"nullif({cell}, '')" for cell in cells)


def _value(expr: str) -> str:
    r"""A JSON value as ``json.dumps`` writes it, or null. PostgreSQL escapes a string as
    the encoder does: \" \\ \b \f \n \r \t, \u00xx (lower case) for the other controls,
    everything else (DEL, U+2028, CJK) as it is."""
    return f"coalesce(to_json({expr})::text, 'null')"


_QUOTE = sql_literal('"')


def _quoted(expr: str) -> str:
    """A JSON string of a text PostgreSQL wrote from numbers or dates (digits, "-" and
    "."), or of a code the rows' statement itself chooses (the start status, the light):
    nothing in it needs escaping, so it is quoted as it is (NULL stays NULL). ``to_json``
    over a row's ten such values and its reasons' dates cost about 20 ms of a province's
    20,000 rows. A text a person typed, or a code read from a row, goes through ``_value``."""
    return f"({_QUOTE} || {expr} || {_QUOTE})"


def _plain(expr: str) -> str:
    """``_value`` of a text ``_quoted`` may write."""
    return f"coalesce({_quoted(expr)}, 'null')"


def _object(pairs: list[tuple[str, str]]) -> str:
    """A JSON object with ", " and ": " between its parts, keys in the given order."""
    pieces = []
    for number, (key, expr) in enumerate(pairs):
        lead = ("{" if number == 0 else ", ") + f'"{key}": '
        pieces += [sql_literal(lead), expr]
    return "(" + " || ".join(pieces) + " || '}')"


def _figures(col) -> dict[str, str]:
    """A layer of the amounts a rate is computed from, each rounded once: a rate names its
    amounts again, and PostgreSQL would compute each expression where it is named."""
    row = _row_values(col)
    return {
        f"_{measure}_{part}": row[f"{measure}_{part}"]
        for measure in ("investment", "inclusion")
        for part in ("planned", "actual")
    }


def _rate(col, measure: str) -> str:
    """``measure``'s rate as text, from the amounts of the ``_figures`` layer."""
    return completion_rate_sql(col(f"_{measure}_actual"), col(f"_{measure}_planned"))


def _json_select(col) -> str:
    """One row of ``json_file._row_json`` as its one-line encoder writes it."""
    row = _row_values(col)

    def figures(measure: str) -> str:
        return _object(
            [
                ("planned", _plain(f"{col(f'_{measure}_planned')}::text")),
                ("actual", _plain(f"{col(f'_{measure}_actual')}::text")),
                ("rate", _plain(_rate(col, measure))),
            ]
        )

    return _object(
        [
            ("code", _value(col("code"))),
            ("name", _value(col("name"))),
            ("national_code", _value(col("national_code"))),
            ("unit", _value(col("unit__name"))),
            ("street", _value(col("street__name"))),
            ("category", _value(col("category__name"))),
            ("kind", _value(col("kind"))),
            ("planned_start", _plain(_date(col("planned_start")))),
            ("actual_start", _plain(_date(row["actual_start"]))),
            ("start_status", _plain(col("start_status"))),
            ("light", _plain(_light(col))),
            ("light_reasons", _reasons(col, as_json=True)),
            ("image_progress", _value(row["image_progress"])),
            ("investment", figures("investment")),
            ("inclusion", figures("inclusion")),
        ]
    )


# ---------------------------------------------------------------- running it


def csv_rows(rows) -> Iterator[bytes]:
    """The CSV lines of the project rows, UTF-8, each ending "\\r\\n", as COPY sends them."""
    statement = rows.statement()
    select, params = _wrap(statement, _csv_select, layers=(_csv_texts, _csv_checked))
    copy_sql = f"COPY ({select}) TO STDOUT WITH (FORMAT csv)"
    connection = connections[statement.using]
    started = time.monotonic()
    with connection.cursor() as cursor, cursor.cursor.copy(copy_sql, params) as copy:
        yield from crlf(_gathered(copy))
    log_run(connection, copy_sql, started)  # COPY goes round Django's cursor wrapper


def _gathered(copy) -> Iterator[bytes]:
    """COPY's rows (libpq hands over one at a time) gathered into blocks of about
    ``COPY_BLOCK`` bytes, so the response is not 20,000 tiny writes."""
    blocks, size = [], 0
    for block in copy:
        blocks.append(bytes(block))
        size += len(block)
        if size >= COPY_BLOCK:
            yield b"".join(blocks)
            blocks, size = [], 0
    if blocks:
        yield b"".join(blocks)


def crlf(blocks: Iterable[bytes]) -> Iterator[bytes]:
    """COPY's "\\n" row ends as "\\r\\n"; a "\\n" inside a quoted field stays as it is.

    A field is inside quotes while an odd number of '"' has been seen (a doubled quote
    inside a field counts twice), however the blocks happen to be cut.
    """
    inside = False
    for block in blocks:
        if not inside and b'"' not in block:
            yield block.replace(b"\n", b"\r\n")
            continue
        out = []
        for number, piece in enumerate(block.split(b"\n")):
            if number:
                out.append(b"\n" if inside else b"\r\n")
            out.append(piece)
            if piece.count(b'"') % 2:
                inside = not inside
        yield b"".join(out)


def json_rows(rows) -> Iterator[str]:
    """Each project row's JSON object, one string a row, as a binary COPY sends them.

    Read through a cursor (``WITH HOLD`` outside a transaction), the whole result was first
    kept in the server (13 MB of text for a province) and only then read, in turn: streamed
    by COPY, this reads each row while the database makes the next (20,000 rows: about
    20 ms sooner)."""
    statement = rows.statement()
    select, params = _wrap(statement, _json_select, layers=(_figures,))
    copy_sql = f"COPY ({select}) TO STDOUT (FORMAT BINARY)"
    connection = connections[statement.using]
    started = time.monotonic()
    with connection.cursor() as cursor, cursor.cursor.copy(copy_sql, params) as copy:
        copy.set_types(["text"])
        for (line,) in copy.rows():
            yield line
    log_run(connection, copy_sql, started)  # COPY goes round Django's cursor wrapper
