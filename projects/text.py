"""Text at the edges: cleaned once where it comes in, made safe once where it goes out.

Coming in (forms, admin, imports, commands, the node import, problem notes):

* **Free text** (形象进度, 存在问题, notes, descriptions, comments, captions) is cleaned by
  :func:`clean_text`, never refused: a line break is a line break however it was typed
  ("\\r\\n" and a lone "\\r", the vertical tab and form feed that Excel stores for a line
  break pasted from Word, U+0085, U+2028 and U+2029 all become "\\n"); every other C0 and
  C1 control character (U+0000–U+001F except tab and newline, U+007F–U+009F) and the
  code points no file format can hold (lone surrogates, U+FFFE, U+FFFF) are dropped.
  Invisible and direction marks stay: they are harmless in prose, and emoji need U+200D.
* **Names and codes** (project, unit, category, street, department and tag names, codes,
  people, document numbers) are one line and are refused, never silently changed, by
  :func:`validate_line`: any control character (tab and line breaks included), U+2028,
  U+2029, lone surrogates, and every format character (Unicode category Cf: the
  zero-width spaces and joiners U+200B–U+200D, the direction marks U+200E–U+200F,
  U+202A–U+202E, U+2066–U+2069, the word joiner and invisible operators U+2060–U+2064,
  the byte-order mark U+FEFF, the soft hyphen). Two names that look the same must be
  the same name, and a name must fit in a title, a file name and an e-mail subject.
  Codes are stricter still (private-use and unassigned code points too, see
  :func:`validate_visible`).

Going out, every writer passes stored text through the same cleaning, so a row stored
before these rules (or written straight into the database) can never make a file fail:
:func:`file_text` for a cell of a CSV or XLSX file (cleaned, then the formula guard;
:func:`file_row` for a row, :func:`csv_writer` for a whole CSV),
:func:`xml_text` for Word (cleaned), :func:`header_text` for an e-mail subject or
a file name (one line). This module knows nothing of the app, so imports, exports,
models, commands and the nested apps can all import it.
"""

import csv
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# ---------------------------------------------------------------- coming in

# The line breaks people type or paste, each read as one "\n". Excel keeps a line break
# pasted from Word as a vertical tab (and sometimes a form feed).
_LINE_BREAK = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# What free text and every file drop: C0 controls but tab and newline, DEL, C1
# controls, lone surrogates, and the two non-characters XML 1.0 refuses.
_DROPPED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Anything clean_text would change, for a quick "nothing to do" on clean text.
_UNCLEAN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")

# Refused in a one-line text (names, codes, people): see the module's docstring.
_LINE_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}
# A code is also refused private-use and unassigned code points: it is typed, not drawn.
_CODE_REFUSED_CATEGORIES = _LINE_REFUSED_CATEGORIES | {"Co", "Cn"}


def clean_text(value) -> str:
    """Free text as it is stored: line breaks as "\\n", other control characters gone."""
    if value is None:
        return ""
    text = str(value)
    if not _UNCLEAN.search(text):
        return text
    return _DROPPED.sub("", _LINE_BREAK.sub("\n", text))


def refused_characters(value, categories=frozenset(_LINE_REFUSED_CATEGORIES)) -> list[str]:
    """The characters of a one-line text that are refused, each once, in order."""
    return list(
        dict.fromkeys(ch for ch in str(value or "") if unicodedata.category(ch) in categories)
    )


def describe(chars: list[str]) -> str:
    """How a refusal names the characters: "换行" for a line break, else U+XXXX."""
    names = []
    for ch in chars:
        if _LINE_BREAK.fullmatch(ch) or ch == "\n":
            names.append("换行")
        elif ch == "\t":
            names.append("制表符")
        else:
            names.append(f"U+{ord(ch):04X}")
    return "、".join(dict.fromkeys(names))


def validate_line(value) -> None:
    """Refuse a name, code or person with a line break, a control or an invisible mark."""
    hidden = refused_characters(value)
    if hidden:
        raise ValidationError(
            _(
                "This must be one line of visible text, but it contains line breaks, "
                "control characters or invisible marks (%(chars)s); type it again without them."
            ),
            code="invisible_characters",
            params={"chars": describe(hidden)},
        )


def one_line(value) -> str:
    """Stored text made a name ``validate_line`` accepts: breaks and controls become a space,
    invisible and direction marks go, runs of spaces become one, the ends are trimmed.

    For converting text stored before a rule (a free-text 包联领导 becoming a reference):
    names typed with a stray line break or a trailing space become one name, not two.
    """
    text = clean_text(value)
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
        for ch in text
        if unicodedata.category(ch) not in ("Cf", "Cs")
    )
    return " ".join(text.split())


def validate_visible(value) -> None:
    """Refuse a code with characters that cannot be seen or that reorder what is seen."""
    hidden = refused_characters(value, _CODE_REFUSED_CATEGORIES)
    if hidden:
        raise ValidationError(
            _(
                "The code contains invisible or text-direction characters (%(chars)s); "
                "type it again without them."
            ),
            code="invisible_characters",
            params={"chars": ", ".join(f"U+{ord(ch):04X}" for ch in hidden)},
        )


# ---------------------------------------------------------------- going out

# Spreadsheet programs run a cell starting with one of these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would run as a formula."""
    if value and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def unguard(value: str) -> str:
    """A cell as it was before :func:`neutralise`, so a file the app wrote imports unchanged."""
    if len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def file_text(value) -> str:
    """A text cell of a CSV or XLSX file: what the format cannot hold gone, formulas guarded.

    openpyxl refuses the C0 controls (IllegalCharacterError) and Excel would run
    "=HYPERLINK(...)"; every writer of a spreadsheet passes each text cell through here.
    """
    return neutralise(clean_text(value))


def file_row(values) -> list:
    """One row of a CSV or XLSX file: each text cell through :func:`file_text`, others as they are.

    The row helper every spreadsheet writer of the app uses (``writer.writerow(file_row(...))``,
    ``sheet.append(file_row(...))``), so no caller guards its own cells.
    """
    return [file_text(value) if isinstance(value, str | Promise) else value for value in values]


class _FileCsvWriter:
    """csv.writer whose rows pass through :func:`file_row`."""

    def __init__(self, out, **kwargs):
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row):
        return self._writer.writerow(file_row(row))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(out, **kwargs) -> _FileCsvWriter:
    """The app's CSV writer: ``csv.writer`` with every text cell through :func:`file_text`."""
    return _FileCsvWriter(out, **kwargs)


def xml_text(value) -> str:
    """Text for a Word file: XML 1.0 holds no C0 controls but tab and line breaks."""
    return clean_text(value)


_BREAKS_AND_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]+")


def header_text(value) -> str:
    """One line for an e-mail subject or a file name: breaks and controls become a space.

    A line break in a header is how mail headers are forged; Django refuses it with
    BadHeaderError, which would stop a run of mails midway.
    """
    # Only the breaks and controls change: a title's other spacing (全角空格 too) is kept.
    return _BREAKS_AND_CONTROLS.sub(" ", str(value or "")).strip(" ")


# ---------------------------------------------------------------- the same, in SQL
#
# A live report's CSV on PostgreSQL is written by the database (``exports.sql_rows``);
# these are the SQL twins of :func:`clean_text` and :func:`file_text`, built from the same
# character sets so the two cannot drift apart. PostgreSQL's text holds no NUL and no lone
# surrogates, so those need no twin.

# What :data:`_LINE_BREAK` reads as a line break, one character each ("\r\n" is replaced
# first, as the pattern's first branch does).
_BREAK_CHARS = "\r\x0b\x0c\x85\u2028\u2029"
# What :data:`_DROPPED` removes (once the breaks above are "\n").
_DROPPED_CHARS = "".join(
    ch
    for ch in map(chr, [*range(0x01, 0x09), *range(0x0E, 0x20), *range(0x7F, 0xA0), 0xFFFE, 0xFFFF])
    if ch not in _BREAK_CHARS
)


def sql_literal(value: str) -> str:
    """A PostgreSQL string expression: quotes doubled, "%" as chr(37).

    standard_conforming_strings (on by default since PostgreSQL 9.1) keeps backslashes
    as they are; control characters are allowed, NUL is not.
    """
    if "\x00" in value:
        raise ValueError("PostgreSQL text cannot hold NUL")
    # A "%" would read as a placeholder in a statement run with parameters, and as itself
    # in one without: chr(37) is the same in both.
    quoted = ("'" + part.replace("'", "''") + "'" for part in value.split("%"))
    return "(" + " || chr(37) || ".join(quoted) + ")"


def _sql_class(chars: str) -> str:
    """A regular-expression bracket of these characters ("-" last, so it is itself)."""
    return "[" + "".join(sorted(set(chars) - {"-"})) + ("-" if "-" in chars else "") + "]"


# Anything clean_text changes; the text is translated only when it holds one (translate
# walks its list of characters for each character of the text: 4 s for 20,000 rows).
_UNCLEAN_SQL = _sql_class(_BREAK_CHARS + _DROPPED_CHARS)
# Text whose cleaned form starts with a formula trigger: dropped characters, then a trigger
# that cleaning keeps (a "\r" becomes "\n", a line break, which is no formula).
_KEPT_TRIGGERS = "".join(t for t in FORMULA_TRIGGERS if t not in _BREAK_CHARS + _DROPPED_CHARS)
_FORMULA_SQL = "^" + _sql_class(_DROPPED_CHARS) + "*" + _sql_class(_KEPT_TRIGGERS)
# The characters a formula's raw text can start with, for a cheap first test: looked up in
# this string (``strpos``), which a regular expression on the first character cost more than
# (six text columns of 20,000 rows: 414 → 383 ms, the raw columns 292). An empty text is
# found at 1; the regular expression after it then decides.
_FORMULA_START_CHARS = "".join(sorted(set(_DROPPED_CHARS + _KEPT_TRIGGERS)))


def clean_text_sql(expr: str) -> str:
    """:func:`clean_text` in SQL: breaks to "\\n", then the dropped characters removed.

    ``translate`` maps each break to "\\n" and deletes the characters past the end of
    its replacement string, in one pass.
    """
    translated = (
        f"translate(replace({expr}, {sql_literal(chr(13) + chr(10))}, {sql_literal(chr(10))}), "
        f"{sql_literal(_BREAK_CHARS + _DROPPED_CHARS)}, {sql_literal(chr(10) * len(_BREAK_CHARS))})"
    )
    return f"(CASE WHEN {expr} ~ {sql_literal(_UNCLEAN_SQL)} THEN {translated} ELSE {expr} END)"


# Put before each of a row's texts by ``file_texts_need_sql``: a private-use character, so a
# formula's start is found after it as at the start of a text. A text that holds it only
# makes the test true, and each text is then tested alone.
_TEXT_SEPARATOR = "\ue000"


def file_texts_need_sql(exprs) -> str:
    """Whether :func:`file_text_sql` could change any of these texts (a row's): one regular
    expression over them together, which is true for any text it would change.

    Each text tested alone cost two tests a text (about 50 ms for a province's 20,000 rows
    of eight texts); a row's texts are clean and formula-free nearly always, so the file
    tests the row once and each text alone only where this is true.
    """
    joined = "concat(" + ", ".join(f"{sql_literal(_TEXT_SEPARATOR)}, {e}" for e in exprs) + ")"
    formula_start = _TEXT_SEPARATOR + _sql_class(_DROPPED_CHARS) + "*" + _sql_class(_KEPT_TRIGGERS)
    return f"({joined} ~ {sql_literal(_UNCLEAN_SQL + '|' + formula_start)})"


def file_text_sql(expr: str) -> str:
    """:func:`file_text` in SQL: cleaned, and an apostrophe before a formula's first character.

    The test reads the raw text (one regular expression) rather than the cleaned text's
    first character, so the cleaning is done once.
    """
    cleaned = clean_text_sql(expr)
    guard = (
        f"strpos({sql_literal(_FORMULA_START_CHARS)}, left({expr}, 1)) > 0 "
        f"AND {expr} ~ {sql_literal(_FORMULA_SQL)}"
    )
    return f"(CASE WHEN {guard} THEN '''' || {cleaned} ELSE {cleaned} END)"
