"""The report's projects as GeoJSON: one point per project with coordinates, for GIS tools.

A FeatureCollection (RFC 7946: WGS-84, longitude first) of the report's rows that have
coordinates, so it covers exactly what the report covers: its filters and the reader's reach.
Rates are JSON numbers, not the strings of the JSON export, because map tools style by them.
"""

import json
from collections.abc import Iterator
from decimal import Decimal

from ..scope_labels import WHOLE_LIST, Scope
from ..selectors import ProjectRow, QuarterlyReport
from .base import report_title
from .registry import Exporter, register


def _number(value: Decimal | None):
    return None if value is None else float(value)


def feature(row: ProjectRow) -> dict:
    return {
        "type": "Feature",
        "geometry": {
            "type": "Point",
            "coordinates": [float(row.longitude), float(row.latitude)],
        },
        "properties": {
            "code": row.code,
            "name": row.name,
            "unit": row.unit,
            "street": row.street,
            "light": row.light,
            "light_label": row.light_label,
            "investment_rate": _number(row.investment.rate),
            "inclusion_rate": _number(row.inclusion.rate),
        },
    }


def geojson_chunks(report: QuarterlyReport, scope: Scope = WHOLE_LIST) -> Iterator[bytes]:
    """The collection, one feature a line as the rows stream in; rows without a point left out."""
    head = {"type": "FeatureCollection", "name": report_title(report, scope)}
    yield (json.dumps(head, ensure_ascii=False)[:-1] + ', "features": [').encode("utf-8")
    written = 0
    for row in report.rows:
        if row.longitude is None or row.latitude is None:
            continue
        prefix = ",\n" if written else "\n"
        yield (prefix + json.dumps(feature(row), ensure_ascii=False)).encode("utf-8")
        written += 1
    yield b"\n]}\n"


@register
class GeoJsonExporter(Exporter):
    identifier = "geojson"
    order = 6
    name = "GeoJSON"
    content_type = "application/geo+json"
    reads_rows_once = True
    binary = False

    def chunks(self, report: QuarterlyReport, table: str, scope: Scope = WHOLE_LIST):
        return geojson_chunks(report, scope)
