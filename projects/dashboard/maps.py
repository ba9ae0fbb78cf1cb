"""The map (/map/): streets and project points coloured by light, drawn as SVG on the server.

No tile server and no script: the street outlines come from ``Street.boundary`` and the
points from the report's own rows, so the map covers what the report covers (its filters,
the reader's reach through ``permissions.restrict``) with the same lights.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import selectors
from ..filters import bound_filters
from ..geo import Frame
from ..models import Street
from ..permissions import STREETS, reach, restrict
from ..selectors import ProjectRow
from .views import chosen_period, chosen_programme

MAP_WIDTH = 800
# Street viewers see their streets' outlines; everyone else the whole district's, since a
# unit's projects lie in any street.


@dataclass(frozen=True)
class StreetShape:
    name: str
    path: str
    label_at: tuple[float, float] | None


@dataclass(frozen=True)
class Point:
    row: ProjectRow
    x: float
    y: float

    @property
    def title(self) -> str:
        return f"{self.row.code} {self.row.name} · {self.row.light_label}"


def visible_streets(user):
    streets = Street.objects.exclude(boundary=None)
    if reach(user, "report") == STREETS:
        streets = streets.filter(restrict(user, "report", unit=None, street="pk"))
    return streets


@login_required
@require_GET
def project_map(request):
    period = chosen_period(request)
    programme = chosen_programme(request, period)
    frame = Frame.district(MAP_WIDTH)
    filterset = bound_filters(request.GET)
    context = {"period": period, "programme": programme, "frame": frame, "filterset": filterset}
    streets = [
        StreetShape(s.name, frame.path(s.boundary), frame.centre(s.boundary))
        for s in visible_streets(request.user).only("name", "boundary")
    ]
    context["streets"] = streets
    if programme is not None:
        report = selectors.quarterly_report(
            user=request.user,
            programme=programme,
            year=period.year,
            quarter=None if period.is_month else period.quarter,
            month=period.month if period.is_month else None,
            filters=request.GET,
        )
        points, unplaced = [], 0
        for row in report.rows:
            if row.longitude is None or row.latitude is None:
                unplaced += 1
                continue
            points.append(Point(row, *frame.xy(row.longitude, row.latitude)))
        # Red last, so a red point is never hidden under a green one.
        order = {"green": 0, "yellow": 1, "red": 2}
        points.sort(key=lambda p: order.get(p.row.light, 0))
        context.update(report=report, points=points, unplaced=unplaced)
    return render(request, "dashboard/map.html", context)
