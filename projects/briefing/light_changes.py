"""The 通报's sentences on lights that changed: turned red this period, and recovered.

Read from the report's ``light_changes`` (``selectors.light_history``), so the page, the
files and the 通报 name the same projects.
"""

from __future__ import annotations

from ..choices import Light
from ..selectors.results import QuarterlyReport

TO = {Light.YELLOW: "转为黄灯", Light.GREEN: "转为绿灯"}


def _names(items, describe) -> str:
    return "、".join(f"{c.name}（{describe(c)}）" for c in items)


def light_change_sentences(report: QuarterlyReport) -> list[str]:
    """One sentence for each list, or one saying why there is nothing to compare with;
    none for an edition published before the lists were kept."""
    changes = report.light_changes
    if changes is None:
        return []
    if changes.previous is None:
        return [
            f"{report.period.label_zh}为本年首个统计期，无上期可比，不列示新转红灯和红灯回升项目。"
        ]
    before = f"与{changes.previous.label_zh}末相比"
    if changes.turned_red:
        red = (
            f"{before}，新转为红灯项目{len(changes.turned_red)}个："
            f"{_names(changes.turned_red, lambda c: c.reasons_text or '红灯')}。"
        )
    else:
        red = f"{before}，无新转为红灯项目。"
    if changes.recovered:
        back = (
            f"红灯回升项目{len(changes.recovered)}个："
            f"{_names(changes.recovered, lambda c: TO[c.light])}。"
        )
    else:
        back = "无红灯回升项目。"
    return [red + back]
