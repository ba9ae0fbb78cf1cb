"""What the report page draws of its breakdowns and rankings, kept beside its figures.

At province scale the unit and street tables hold 3,334 groups and the unit ranking ranks
2,238 of them. Sorting, folding and ranking them took a page read again 60–100 ms, and
decoding them from the cache another 50, for the 30 rows and 30 places a table and a
ranking show. What is drawn depends on the figures and on the sort and folds asked for,
nothing else, so it is computed once per kept report (``report_cache.kept_with``): a page
read again decodes those few rows, never the tables (the kept report decodes a long table
only when it is read, ``report_cache.DeferredBreakdowns``).

The links (显示全部) depend on the whole address, so they are added per request, after.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..ranking import Placing, Ranking
from ..selectors.report_cache import kept_with
from ..selectors.results import BreakdownRow, Figures, QuarterlyReport, Starts
from .tables import (
    Fold,
    FoldedRanking,
    breakdown_sort,
    fold_breakdown,
    fold_ranking,
    sort_breakdown,
)


@dataclass(frozen=True)
class ReportFolds:
    """Each breakdown's drawn rows and fold, by key; each ranking folded (its 显示全部 link
    still to be added, ``with_link``); the 专班 by group with their folded rankings."""

    breakdowns: dict[str, tuple[tuple[BreakdownRow, ...], Fold | None]]
    rankings: dict[str, FoldedRanking]
    task_forces: tuple[tuple[str, tuple[BreakdownRow, ...], FoldedRanking], ...]


def report_folds(
    report: QuarterlyReport,
    *,
    keys: tuple[str, ...],
    sorts: dict[str, str | None],
    show_all: frozenset[str],
    every_place: bool,
) -> ReportFolds:
    """The breakdowns ``keys`` sorted by ``sorts`` (key → the asked ``<key>-sort``) and
    folded unless in ``show_all``; the rankings folded unless ``every_place``. A sort that
    names no column is no sort, so an address made up by hand keeps no entry of its own."""
    sorts = {key: breakdown_sort(sorts.get(key)) for key in keys}

    def compute() -> ReportFolds:
        breakdowns = {}
        for key in keys:
            sort = sorts.get(key)
            rows, fold = fold_breakdown(
                sort_breakdown(report.breakdown(key), sort), sort, key in show_all
            )
            breakdowns[key] = (tuple(rows), fold)
        rankings = {
            "unit": report.unit_ranking,
            "category": report.category_ranking,
            "leader": report.leader_ranking,
        }
        return ReportFolds(
            breakdowns=breakdowns,
            rankings={name: _fold(ranking, every_place) for name, ranking in rankings.items()},
            task_forces=tuple(
                (group, rows, _fold(report.task_force_ranking(group), every_place))
                for group, rows in report.task_force_groups
            ),
        )

    return kept_with(
        report,
        "report-folds",
        parts=[
            list(keys),
            sorted((k, v or "") for k, v in sorts.items()),
            sorted(show_all),
            every_place,
        ],
        classes=(ReportFolds, Fold, FoldedRanking, Ranking, Placing, BreakdownRow, Starts, Figures),
        compute=compute,
    )


def _fold(ranking: Ranking, every_place: bool) -> FoldedRanking:
    return fold_ranking(ranking, show_all=every_place, link="")


def with_link(folded: FoldedRanking, link: str) -> FoldedRanking:
    """``folded`` with this page's address showing every place, when it folds any."""
    return folded if folded.show_all is None else dataclasses.replace(folded, show_all=link)
