"""The demo's late 入库 entries (see ``projects.demo.build``).

Three new starts of 500 万元 and more enter the statistics library late or not at all, so the
first quarter shows the not_in_stats signal in both colours: red when two whole months have
passed by 31 March without 入库 (a start by 31 January), yellow after one (a start in
February). Chosen by code, after every random draw of the demo, so no other figure moves.
"""

import datetime as dt
from decimal import Decimal

from .periods import month_end

LIBRARY_FLOOR = Decimal(500)


def _cases(year: int) -> tuple:
    """(earliest start, latest start, 入库 date or None) of each late project."""
    january = (dt.date(year, 1, 1), month_end(year, 1))
    february = (dt.date(year, 2, 1), month_end(year, 2))
    return (
        (*january, None),  # red: started in January, still not in the library
        (*january, dt.date(year, 4, 12)),  # red at the quarter's end, in by April
        (*february, dt.date(year, 4, 8)),  # yellow: started in February
    )


def late_library_entries(projects: list, year: int) -> list:
    """Move the 入库 date of the three late projects; returns them in ``_cases``' order."""
    chosen: list = []
    for earliest, latest, entry in _cases(year):
        project = next(
            p
            for p in sorted(projects, key=lambda p: p.code)
            if p.kind == "new"
            and not p.highlighted
            and p not in chosen
            and p.total_investment >= LIBRARY_FLOOR
            and p.actual_start is not None
            and earliest <= p.actual_start <= latest
        )
        project.statistics_entry_date = entry
        chosen.append(project)
    return chosen
