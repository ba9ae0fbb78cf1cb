"""Street outlines and project points: reading a GeoJSON file and drawing on a flat map.

One place for the geometry the map page, the GeoJSON export, the boundary command and the
demo share. At a district's scale (30 km) an equirectangular projection, longitude scaled
by the cosine of the middle latitude, is within a fraction of a percent of any survey
projection, so no GIS library is needed.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

# The demo's outlines: eight rectangles, clearly a sketch (see the file's description).
DEMO_STREETS_FILE = Path(__file__).resolve().parent / "demo_streets_schematic.geojson"
POLYGON_TYPES = ("Polygon", "MultiPolygon")


class GeoJSONError(ValueError):
    """A GeoJSON file the boundary command cannot use; the message says why, in Chinese."""


@dataclass(frozen=True)
class Outline:
    """One street's outline as the file gave it: a name, perhaps a code, and its geometry."""

    name: str
    code: str
    geometry: dict


def read_outlines(text: str) -> list[Outline]:
    """The polygons of a GeoJSON FeatureCollection, each named by ``name`` (or ``code``).

    Refused whole, with the first problem named: a file half read would leave some streets
    with old outlines and some with new ones.
    """
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise GeoJSONError(_("The file is not valid JSON: %(error)s") % {"error": exc}) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise GeoJSONError(_("The file is not a GeoJSON FeatureCollection."))
    outlines = []
    for number, feature in enumerate(document.get("features") or [], start=1):
        properties = (feature or {}).get("properties") or {}
        geometry = (feature or {}).get("geometry") or {}
        name = str(properties.get("name") or "").strip()
        code = str(properties.get("code") or "").strip()
        if not (name or code):
            raise GeoJSONError(
                _("Feature %(number)s has no name or code property.") % {"number": number}
            )
        if geometry.get("type") not in POLYGON_TYPES or not _rings_ok(geometry):
            raise GeoJSONError(
                _("The outline of “%(name)s” is not a valid Polygon or MultiPolygon.")
                % {"name": name or code}
            )
        outlines.append(Outline(name, code, {"type": geometry["type"], **_coords(geometry)}))
    if not outlines:
        raise GeoJSONError(_("The file has no features."))
    return outlines


def _polygons(geometry: dict) -> list:
    coordinates = geometry.get("coordinates")
    return [coordinates] if geometry.get("type") == "Polygon" else coordinates


def _rings_ok(geometry: dict) -> bool:
    try:
        polygons = _polygons(geometry)
        return bool(polygons) and all(
            polygon
            and all(
                len(ring) >= 4
                and all(
                    len(p) >= 2
                    and all(isinstance(v, int | float) and math.isfinite(v) for v in p[:2])
                    and -180 <= p[0] <= 180
                    and -90 <= p[1] <= 90
                    for p in ring
                )
                for ring in polygon
            )
            for polygon in polygons
        )
    except TypeError:
        return False


def _coords(geometry: dict) -> dict:
    # Kept to 6 places and 2 dimensions: a height or a 15-digit float adds nothing at this scale.
    def ring(points):
        return [[round(p[0], 6), round(p[1], 6)] for p in points]

    polygons = [[ring(r) for r in polygon] for polygon in _polygons(geometry)]
    return {"coordinates": polygons[0] if geometry["type"] == "Polygon" else polygons}


def outer_rings(geometry: dict | None) -> list[list]:
    """Each polygon's outer ring (holes are not drawn at this scale)."""
    if not geometry:
        return []
    return [polygon[0] for polygon in _polygons(geometry) if polygon]


def contains(geometry: dict, lon: float, lat: float) -> bool:
    """Whether the point is inside any outer ring (even-odd ray casting)."""
    for ring in outer_rings(geometry):
        inside = False
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
        if inside:
            return True
    return False


def point_inside(geometry: dict, number: int) -> tuple[Decimal, Decimal] | None:
    """A deterministic point inside the outline for the demo's ``number``-th project.

    Walks a low-discrepancy (golden-ratio) sequence over the outline's bounding box and
    takes the first point inside, so projects spread out and the same number always lands
    on the same spot.
    """
    points = [p for ring in outer_rings(geometry) for p in ring]
    if not points:
        return None
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    for step in range(number * 7, number * 7 + 500):
        fx = 0.08 + 0.84 * ((step * 0.6180339887) % 1)
        fy = 0.08 + 0.84 * ((step * 0.7548776662) % 1)
        lon, lat = west + fx * (east - west), south + fy * (north - south)
        if contains(geometry, lon, lat):
            return Decimal(f"{lon:.6f}"), Decimal(f"{lat:.6f}")
    return None


@dataclass(frozen=True)
class Frame:
    """The map's drawing frame: the district's box projected onto ``width`` pixels."""

    west: float
    south: float
    east: float
    north: float
    width: int = 800

    @classmethod
    def district(cls, width: int = 800) -> Frame:
        west, south, east, north = (float(v) for v in settings.TRACKER_MAP_BOUNDS)
        return cls(west, south, east, north, width)

    @property
    def _x_scale(self) -> float:
        # Equirectangular: a degree of longitude is cos(latitude) of a degree of latitude.
        return math.cos(math.radians((self.south + self.north) / 2))

    @property
    def height(self) -> int:
        across = (self.east - self.west) * self._x_scale
        return round(self.width * (self.north - self.south) / across)

    def xy(self, lon, lat) -> tuple[float, float]:
        x = (float(lon) - self.west) / (self.east - self.west) * self.width
        y = (self.north - float(lat)) / (self.north - self.south) * self.height
        return round(x, 1), round(y, 1)

    def path(self, geometry: dict | None) -> str:
        """An SVG path's ``d`` for the outline, one closed subpath per outer ring."""
        parts = []
        for ring in outer_rings(geometry):
            points = [self.xy(lon, lat) for lon, lat, *_rest in ring]
            parts.append("M" + " L".join(f"{x},{y}" for x, y in points) + " Z")
        return " ".join(parts)

    def centre(self, geometry: dict | None) -> tuple[float, float] | None:
        """Where the street's name goes: the middle of its largest ring's bounding box."""
        rings = outer_rings(geometry)
        if not rings:
            return None
        ring = max(rings, key=len)
        lons, lats = [p[0] for p in ring], [p[1] for p in ring]
        return self.xy((min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2)
