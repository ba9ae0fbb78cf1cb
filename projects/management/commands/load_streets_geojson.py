"""Load the streets' outlines for the map from a GeoJSON file (WGS-84), once or when they change."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from projects.geo import GeoJSONError
from projects.services.accounts import system_actor
from projects.services.reference import load_street_boundaries


class Command(BaseCommand):
    help = (
        "Store each street's outline from a GeoJSON FeatureCollection of Polygons, matched "
        "by the features' code or name property."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The GeoJSON file (WGS-84 longitude, latitude).")

    def handle(self, *args, path, **options):
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc}
            ) from None
        try:
            updated, unknown = load_street_boundaries(
                actor=system_actor(), text=text, reason=f"load_streets_geojson {Path(path).name}"
            )
        except GeoJSONError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(_("Outlines stored for %(count)s streets.") % {"count": len(updated)})
        if unknown:
            # Not an error: a file of the whole city may hold streets of other districts.
            self.stderr.write(_("No street matches: %(names)s") % {"names": "、".join(unknown)})
