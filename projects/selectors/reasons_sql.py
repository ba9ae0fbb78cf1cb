"""The light's reasons in SQL: ``lights.reasons_of`` as the database writes it.

A live report's CSV and JSON on PostgreSQL are formatted where the rows are
(``exports.sql_rows``); their 预警原因 and ``light_reasons`` come from here, built from the
same word templates (``lights.*_WORDS``) and the same figures (``money``'s SQL twins,
``months_between_sql``), in the order of ``lights.SIGNALS``. ``tests/exports/test_sql_rows.py``
holds the two to the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..choices import ProgressStyle, Reason
from ..milestones.selectors import months_between_sql
from ..money import completion_rate_sql, money_sql, points_behind_sql, projected_rate_sql
from ..text import sql_literal
from .lights import (
    MANUAL_WORDS,
    NODE_OVERDUE_WORDS,
    NOT_IN_STATS_WORDS,
    PROGRESS_WORDS,
    START_LATE_WORDS,
)


@dataclass(frozen=True)
class ReasonSql:
    """One signal: its code, the SQL of its level, of its words and of the date it counts
    from (None when it has none)."""

    code: str
    level: str
    words: str
    since: str | None


def words_sql(template: str, *figures: str) -> str:
    """A ``*_WORDS`` template with SQL figures in its "{}": text || figure || text.

    A NULL figure reads "None", as Python's ``format`` writes it, so the two never differ.
    """
    pieces = template.split("{}")
    assert len(pieces) == len(figures) + 1, template
    sql = [sql_literal(pieces[0])]
    for figure, piece in zip(figures, pieces[1:], strict=True):
        sql += [f"coalesce(({figure})::text, 'None')", sql_literal(piece)]
    return "(" + " || ".join(sql) + ")"


def reason_parts_sql(col: Callable[[str], str]) -> list[ReasonSql]:
    """Each signal's reason as SQL over the report's row columns (``col(field)`` names one)."""
    as_of = f"{col('light_as_of')}::date"
    months = col("light_months")
    actual = money_sql(col("investment_actual"))
    annual = money_sql(col("investment_annual_plan"))
    planned = money_sql(col("investment_planned"))
    style = col("light_style")
    ratio = projected_rate_sql(actual, annual, months)
    behind = points_behind_sql(actual, annual, months)
    progress = (
        f"CASE WHEN {style} = {sql_literal(ProgressStyle.RATIO)} "
        f"THEN {words_sql(PROGRESS_WORDS[ProgressStyle.RATIO], ratio)} "
        f"WHEN {style} = {sql_literal(ProgressStyle.PLAN)} THEN "
        f"{words_sql(PROGRESS_WORDS[ProgressStyle.PLAN], completion_rate_sql(actual, planned))} "
        f"ELSE {words_sql(PROGRESS_WORDS[ProgressStyle.POINTS], behind)} END"
    )
    planned_start, actual_start = col("raw_planned_start"), col("raw_actual_start")
    node_since = col("node_late_since")
    late_days = f"({as_of} - {node_since})"
    parts = [
        (
            Reason.START_LATE,
            "start",
            words_sql(START_LATE_WORDS, months_between_sql(planned_start, as_of)),
            planned_start,
        ),
        (Reason.BEHIND_TIME, "progress", progress, None),
        (
            Reason.NOT_IN_STATS,
            "library",
            words_sql(NOT_IN_STATS_WORDS, months_between_sql(actual_start, as_of)),
            actual_start,
        ),
        (
            Reason.NODE_OVERDUE,
            "node",
            words_sql(NODE_OVERDUE_WORDS, col("node_late_name"), late_days),
            node_since,
        ),
        (
            Reason.MANUAL,
            "manual",
            words_sql(MANUAL_WORDS, col("warning_flag__reason")),
            col("warning_flag__since"),
        ),
    ]
    return [
        ReasonSql(code, col(f"{signal}_level"), words, since)
        for code, signal, words, since in parts
    ]
