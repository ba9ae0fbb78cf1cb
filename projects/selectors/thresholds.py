"""The light thresholds a list is judged by: the district's, with the list's own laid over.

One home for "which thresholds light this list" (issue #23): the report, the light history,
the 入库 signal, the project's 入库 status and the report's rule sentence all read it.
"""

import copy

from django.db import router
from django.db.models import Subquery

from tracker.request_memo import remembered

from ..models import DispatchSettings, ListThresholds, Programme, ReportSettings
from ..models.settings import DISPATCH_LIGHT_FIELDS, REPORT_LIGHT_FIELDS
from . import compiled


def thresholds_for(programme: Programme | None) -> tuple[ReportSettings, DispatchSettings]:
    """Unsaved copies of the district's settings with the list's non-blank thresholds on them.

    One query: the list's programme row, with the two district rows and the list's own row
    read as subqueries of it (unrelated tables, so no join; each a primary or unique key),
    once per request (``request_memo``: a save of any of the rows empties it). A district
    row never saved reads as its defaults; a report is a read and creates nothing. The
    report copy carries the dispatch copy (``lights.dispatch_of`` returns it).
    Never save the copies: they are the district's rows with one list's values.
    """
    return _copies(programme.pk if programme is not None else None)


def dispatch_for(programme_id: int | None) -> DispatchSettings:
    """The 入库 thresholds a list's project is judged by, for the pages that show one
    project's 入库 light beside the report's: ``thresholds_for``'s, so a project page whose
    light strip read them reads them once."""
    return _copies(programme_id)[1]


def _copies(pk: int | None) -> tuple[ReportSettings, DispatchSettings]:
    parts = [(ReportSettings, "r_"), (DispatchSettings, "d_")]
    fields = REPORT_LIGHT_FIELDS + DISPATCH_LIGHT_FIELDS
    key = ("thresholds", pk, router.db_for_read(Programme))
    stored = remembered(key, lambda: _read(pk, parts, fields))
    # Each caller its own copies, as ``SettingsRow.current`` gives them.
    report, dispatch = (copy.copy(row) for row in stored)
    report._dispatch = dispatch
    return report, dispatch


def _read(pk: int | None, parts, own_fields) -> list:
    if pk is None:  # no list: the district's rows as they are
        return [model.objects.filter(pk=1).first() or model(pk=1) for model, _prefix in parts]

    def build(programme_id: int):
        own = ListThresholds.objects.filter(programme=programme_id)
        return Programme.objects.filter(pk=programme_id).values(
            **{
                f"{prefix}{name}": _one(model.objects.filter(pk=1), name)
                for model, prefix in parts
                for name in _fields(model)
            },
            **{f"l_{name}": _one(own, name) for name in own_fields},
        )

    # Compiling its fifty subqueries took 13 ms a call, against well under 1 ms to run:
    # a project page read the thresholds twice. The SQL depends on nothing but the parts
    # and the database it is read from, so it is compiled once per process (``compiled``).
    shape = (
        "thresholds",
        router.db_for_read(Programme),
        tuple(model._meta.label for model, _prefix in parts),
        tuple(own_fields),
    )
    found = compiled.statement(shape, build).rows(pk)
    if not found:
        raise Programme.DoesNotExist(f"no list {pk}")
    (row,) = found
    # A district field reads NULL only when its row was never saved: the default stands.
    rows = [
        model(pk=1, **{n: row[prefix + n] for n in _fields(model) if row[prefix + n] is not None})
        for model, prefix in parts
    ]
    ListThresholds(**{n: row[f"l_{n}"] for n in own_fields}).lay_over(*rows)
    return rows


def _one(queryset, name):
    return Subquery(queryset.values(name)[:1])


def _fields(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if not f.primary_key]
