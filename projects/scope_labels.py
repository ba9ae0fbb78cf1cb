"""Chinese names of a report's active filters, for titles, first rows and file names.

A unit's or a category's file must never pass for the district's, so every
place that names a report (export titles, file names, the briefing's title)
takes the filter's words from here.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from .choices import KIND_FILE_LABELS, STATUS_FILE_LABELS, Light
from .filters import applied_filters
from .schema import DIMENSION_KEYS

LIGHT_SHORT_LABELS = Light.short_labels()
# The order a title names the filters in: who, what, where, then the state.
# The schema's other dimensions (行业…) follow the street.
ORDER = (
    "unit",
    "category",
    "street",
    *(key for key in DIMENSION_KEYS if key not in ("unit", "category", "street")),
    "kind",
    "status",
    "light",
)


@dataclass(frozen=True)
class Scope:
    """What part of the list a report covers, in words: empty labels mean the whole list."""

    labels: tuple[str, ...] = ()
    unit: str | None = None
    # The raw parameters, for whoever must run the same filter again (the briefing).
    filters: Mapping = field(default_factory=dict)


WHOLE_LIST = Scope()


def describe(filters: Mapping | None) -> Scope:
    """区住房和城乡建设局, 城市更新, 红灯…: one Chinese label per active filter."""
    applied = applied_filters(filters)
    if not applied:
        return WHOLE_LIST
    labels = []
    for name in ORDER:
        value = applied.get(name)
        if value is None:
            continue
        if name in DIMENSION_KEYS:
            labels.append(value.name)
        elif name == "kind":
            labels.append(KIND_FILE_LABELS.get(value, value))
        elif name == "status":
            labels.append(STATUS_FILE_LABELS.get(value, value))
        else:
            labels.append(LIGHT_SHORT_LABELS.get(value, value))
    unit = applied.get("unit")
    return Scope(
        labels=tuple(labels),
        unit=unit.name if unit is not None else None,
        filters={key: filters[key] for key in ORDER if key in filters},
    )


def filter_labels(filters: Mapping | None) -> list[str]:
    return list(describe(filters).labels)
