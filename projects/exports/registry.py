"""The export registry: each format is a small class with an identifier, a name and a render.

Every file the app makes is a registered exporter of one *kind*: the quarterly
``report`` (CSV, XLSX, JSON, the DOCX briefing), the problem ``agenda``, the
milestone ``nodes`` and the monthly reporting ``status``. URLs (through
``FormatConverter``), the links on pages, share links, background jobs and the
command find a format here by kind and identifier, never through an if/elif or a
literal list; adding a format is one class and one ``@register``.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..file_formats import AGENDA, NODES, REGISTRY, REPORT, SCORES, STATUS, formats
from ..scope_labels import WHOLE_LIST, Scope
from ..selectors import QuarterlyReport
from .base import export_filename


@dataclass(frozen=True)
class ExportFile:
    """A finished export: bytes, their content type and the download name."""

    content: bytes
    content_type: str
    filename: str


@dataclass(frozen=True)
class StreamedExport:
    """An export still to be written: its pieces come as they are read from the database."""

    chunks: Iterable[bytes]
    content_type: str
    filename: str


class Exporter:
    """One file format of one kind of file; the report's API is the default."""

    kind: str = REPORT
    identifier: str = ""
    name: str = ""
    content_type: str = ""
    # Whether ``table`` picks one table (CSV) or the file holds them all.
    one_table: bool = False

    # Whether the file reads the project rows once, in order: then the report is made
    # with ``stream=True`` and its rows come from a server-side cursor in chunks.
    reads_rows_once: bool = False

    # Bytes a terminal cannot show: the command asks for --output instead of printing them.
    binary: bool = True
    # Built whole before it can be sent: past ``EXPORT_BACKGROUND_ROWS`` rows, a background job.
    background: bool = False
    # Built whole and the same for the same figures and rows: kept once built, beside the
    # report's figures (``report_cache.kept_with``), so a second download of one data
    # version is a cache read. Streamed formats are not: reading their rows again costs
    # less than keeping a province's rows.
    kept: bool = False
    # Offered to a superior without an account through a share link.
    shareable: bool = False
    # Where the format comes in lists and links (``file_formats.formats``): the package
    # imports its modules alphabetically, which is not the order people read them in.
    order: int = 100
    # The period's briefing rather than the report's tables: linked on its own, not in the list.
    briefing: bool = False

    def report_parts(self, table: str) -> frozenset[str] | None:
        """The report's parts (``selectors.report.REPORT_PARTS``) this file prints beyond the
        headline, coverage and rows; None for all. The others are not computed for it."""
        return None

    @property
    def link_text(self) -> str:
        """The download link's words on a page."""
        return self.name

    def render(self, report: QuarterlyReport, table: str, scope: Scope = WHOLE_LIST) -> bytes:
        """The file's bytes; ``scope`` names the filter the report was made with."""
        return b"".join(self.chunks(report, table, scope))

    def chunks(
        self, report: QuarterlyReport, table: str, scope: Scope = WHOLE_LIST
    ) -> Iterator[bytes]:
        """The file's bytes in pieces; formats that stream write them as rows arrive."""
        yield self.render(report, table, scope)

    def filename(self, report: QuarterlyReport, table: str, scope: Scope = WHOLE_LIST) -> str:
        return export_filename(report, self.identifier, table, scope)


# The report's formats, under the name the report code has always used.
EXPORTERS: dict[str, Exporter] = REGISTRY[REPORT]


def register(cls: type[Exporter]) -> type[Exporter]:
    formats = REGISTRY.setdefault(cls.kind, {})
    if not cls.identifier or cls.identifier in formats:
        raise ValueError(
            f"exporter identifier {cls.identifier!r} is empty or taken for {cls.kind!r} files"
        )
    formats[cls.identifier] = cls()
    return cls


def unregister(cls: type[Exporter]) -> None:
    """Take a format away again (tests register throwaway ones)."""
    REGISTRY.get(cls.kind, {}).pop(cls.identifier, None)


def exporter(identifier: str, kind: str = REPORT) -> Exporter:
    try:
        return REGISTRY[kind][identifier]
    except KeyError:
        raise ValueError(f"unknown {kind} export format {identifier!r}") from None


__all__ = [
    "AGENDA",
    "NODES",
    "REGISTRY",
    "REPORT",
    "SCORES",
    "STATUS",
    "ExportFile",
    "Exporter",
    "FormatConverter",
    "StreamedExport",
    "converter",
    "exporter",
    "formats",
    "register",
    "unregister",
]


class FormatConverter:
    """A URL's file format, matched against the registry when the request comes.

    The pattern takes any short word and ``to_python`` refuses one the kind has not
    registered (a 404), so a format registered after the URLs were loaded is served.
    """

    regex = "[a-z0-9]{1,10}"
    kind = REPORT

    def to_python(self, value: str) -> str:
        if value not in REGISTRY.get(self.kind, {}):
            raise ValueError(value)
        return value

    def to_url(self, value: str) -> str:
        return self.to_python(value)


def converter(kind: str) -> type[FormatConverter]:
    """The URL converter class for one kind of file."""
    return type(f"{kind.title()}FormatConverter", (FormatConverter,), {"kind": kind})
