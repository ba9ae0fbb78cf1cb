"""The export registry: each format is a small class with an identifier, a name and a render.

Screens, the command and share links find a format here by its identifier,
never through an if/elif; adding a format is one class and one ``@register``.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

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
    """One file format of the quarterly report."""

    identifier: str = ""
    name: str = ""
    content_type: str = ""
    # Whether ``table`` picks one table (CSV) or the file holds them all.
    one_table: bool = False

    # Whether the file reads the project rows once, in order: then the report is made
    # with ``stream=True`` and its rows come from a server-side cursor in chunks.
    reads_rows_once: bool = False

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


EXPORTERS: dict[str, Exporter] = {}


def register(cls: type[Exporter]) -> type[Exporter]:
    if not cls.identifier or cls.identifier in EXPORTERS:
        raise ValueError(f"exporter identifier {cls.identifier!r} is empty or taken")
    EXPORTERS[cls.identifier] = cls()
    return cls


def exporter(identifier: str) -> Exporter:
    try:
        return EXPORTERS[identifier]
    except KeyError:
        raise ValueError(f"unknown export format {identifier!r}") from None
