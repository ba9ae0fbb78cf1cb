"""The light thresholds a list is judged by: the district's, with the list's own laid over.

One home for "which thresholds light this list" (issue #23): the report, the light history,
the 入库 signal and the report's rule sentence all read ``thresholds_for``.
"""

from django.db.models import Subquery

from ..models import DispatchSettings, ListThresholds, Programme, ReportSettings
from ..models.cycle import DISPATCH_LIGHT_FIELDS, REPORT_LIGHT_FIELDS

_LIST = "list_"


def thresholds_for(programme: Programme | None) -> tuple[ReportSettings, DispatchSettings]:
    """Unsaved copies of the district's settings with the list's non-blank thresholds on them.

    Two queries, as many as the district's rows alone took: the list's row is read as
    subqueries of the report settings' row (the two are unrelated tables, so no join). The
    report copy carries the dispatch copy (``lights.dispatch_of`` reads it, no third query).
    Never save the copies: they are the district's rows with another list's values.
    """
    if programme is None:
        report = ReportSettings.current()
        return report, _dispatch(report, None)
    own = ListThresholds.objects.filter(programme=programme.pk)
    rows = ReportSettings.objects.filter(pk=1).annotate(
        **{
            f"{_LIST}{name}": Subquery(own.values(name)[:1])
            for name in REPORT_LIGHT_FIELDS + DISPATCH_LIGHT_FIELDS
        }
    )
    report = rows.first()
    if report is None:  # never saved yet: create it as ``current()`` does, then read again
        ReportSettings.current()
        report = rows.first()
    values = {
        name: getattr(report, f"{_LIST}{name}")
        for name in REPORT_LIGHT_FIELDS + DISPATCH_LIGHT_FIELDS
    }
    return report, _dispatch(report, ListThresholds(**values))


def _dispatch(report: ReportSettings, own: ListThresholds | None) -> DispatchSettings:
    # Read, never created here: a report is a read, and a missing row means the defaults.
    dispatch = DispatchSettings.objects.filter(pk=1).first() or DispatchSettings(pk=1)
    if own is not None:
        own.lay_over(report, dispatch)
    report._dispatch = dispatch
    return dispatch
