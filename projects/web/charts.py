"""Geometry of the report's server-drawn SVG/CSS charts: the numbers a template draws with."""

CHART_WIDTH = 720
CHART_HEIGHT = 240
CHART_LEFT = 70
CHART_BOTTOM = 30


def _scale(values, height):
    top = max([v for v in values if v is not None] or [0])
    if top <= 0:
        return lambda v: 0
    return lambda v: float(v) / float(top) * height


def monthly_chart(report) -> dict:
    """Geometry of the monthly chart: completed investment bars against the cumulative plan.

    Plans are quarterly, so the plan is drawn as cumulative steps at quarter ends
    and compared with cumulative completed investment month by month.
    """
    inner_h = CHART_HEIGHT - CHART_BOTTOM - 10
    values = [p.cumulative_investment for p in report.months if p.reported] + [
        p.cumulative_planned_investment for p in report.months
    ]
    scale = _scale(values, inner_h)
    step = (CHART_WIDTH - CHART_LEFT - 10) / 12
    bars, plans = [], []
    for p in report.months:
        x = CHART_LEFT + (p.month - 1) * step
        if p.reported:
            h = scale(p.cumulative_investment)
            bars.append(
                {
                    "x": round(x + step * 0.15, 1),
                    "y": round(CHART_HEIGHT - CHART_BOTTOM - h, 1),
                    "w": round(step * 0.7, 1),
                    "h": round(h, 1),
                    "point": p,
                }
            )
        if p.cumulative_planned_investment is not None:
            h = scale(p.cumulative_planned_investment)
            plans.append(
                {
                    "x1": round(x - step * 2, 1),
                    "x2": round(x + step, 1),
                    "y": round(CHART_HEIGHT - CHART_BOTTOM - h, 1),
                    "point": p,
                }
            )
    labels = [{"x": round(CHART_LEFT + (m - 0.5) * step, 1), "month": m} for m in range(1, 13)]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "baseline": CHART_HEIGHT - CHART_BOTTOM,
        "left": CHART_LEFT,
        "bars": bars,
        "plans": plans,
        "labels": labels,
        "label_y": CHART_HEIGHT - 10,
    }


def category_chart(report) -> list[dict]:
    """Bars per category, planned and completed on one scale: percent of the widest bar."""
    rows = report.by_category
    top = max([max(r.investment.planned, r.investment.actual) for r in rows] or [0])
    out = []
    for r in rows:
        out.append(
            {
                "row": r,
                "planned": 0 if not top else round(float(r.investment.planned / top * 100), 1),
                "actual": 0 if not top else round(float(r.investment.actual / top * 100), 1),
            }
        )
    return out
