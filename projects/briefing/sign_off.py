"""How far a report's figures can be signed, in the words every output shares.

Coverage (units reported and approved, projects with no figure, months locked with units
waiting), the published edition and the year's list changes, said once here and read by
the page and print view (``_sign_off.html``), the files (``file_notes``), the share page,
the 驾驶舱 and the 通报's opening (``wording.outline``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from ..selectors import QuarterlyReport


def date_zh(day) -> str:
    """2024年4月8日: no leading zeros, as on official documents."""
    return f"{day.year}年{day.month}月{day.day}日"


def coverage_sentences(report: QuarterlyReport) -> list[str]:
    """What the figures do not yet hold, in the words every output uses; [] when complete.

    "截至5月，已报送2/17个单位，已审核2个；30个项目无数据。1—4月中3月、4月尚未审核完毕。
    4月在15个单位未审核时锁定：省里催报。本期数据未完结，排名和红黄灯名单仅供参考。"
    """
    coverage = report.coverage
    if coverage is None:
        return []
    out = []
    if not coverage.complete:
        last = coverage.last
        text = (
            f"截至{last.month}月，已报送{last.submitted}/{last.units}个单位，"
            f"已审核{last.approved}个"
        )
        text += f"；{last.missing_projects}个项目无数据。" if last.missing_projects else "。"
        earlier = coverage.incomplete_earlier
        if earlier:
            months = "、".join(f"{m.month}月" for m in earlier)
            text += f"此前{months}的数据也尚未审核完毕。"
        out.append(text)
    for month in coverage.locked_incomplete:
        reason = month.lock_reason or "未说明理由"
        out.append(f"{month.month}月在{month.locked_waiting}个单位未审核时锁定：{reason}。")
    if not coverage.complete:
        out.append("本期数据未完结，排名和红黄灯名单随数据报齐可能变化。")
    return out


def unfinished(report: QuarterlyReport) -> str:
    """The mark on rankings and red lists of a period still coming in."""
    return "" if report.complete else "（未完结）"


def list_change_sentences(report: QuarterlyReport) -> list[str]:
    """Projects that joined or withdrew in the year up to the period's end, one line each."""
    lines = []
    for change in report.list_changes:
        what = "纳入清单" if change.joined else "退出清单"
        reason = f"（{change.reason}）" if change.reason else ""
        lines.append(
            f"{date_zh(change.on)}，{change.name}（{change.code}，{change.unit}）{what}{reason}。"
        )
    return lines


def list_change_summary(report: QuarterlyReport) -> str | None:
    """年内新增2个项目、退出1个项目: the count before the lines."""
    joined = sum(1 for c in report.list_changes if c.joined)
    left = len(report.list_changes) - joined
    if not report.list_changes:
        return None
    parts = []
    if joined:
        parts.append(f"新增{joined}个项目")
    if left:
        parts.append(f"退出{left}个项目")
    return f"截至{date_zh(report.period.end)}，清单年内{'、'.join(parts)}：" + "".join(
        list_change_sentences(report)
    )


@dataclass(frozen=True)
class SignOff:
    """What every output of a report says about how far its figures can be signed."""

    coverage: tuple[str, ...]
    edition: str | None
    list_changes: tuple[str, ...]
    list_change_summary: str | None
    complete: bool
    unfinished: str


def sign_off(report: QuarterlyReport) -> SignOff:
    """The sentences the page, the print view, the files and the 通报 share."""
    return SignOff(
        coverage=tuple(coverage_sentences(report)),
        edition=edition_line(report),
        list_changes=tuple(list_change_sentences(report)),
        list_change_summary=list_change_summary(report),
        complete=report.complete,
        unfinished=unfinished(report),
    )


def file_notes(report: QuarterlyReport) -> list[str]:
    """The lines a file adds to its figures: coverage, then which edition it is.

    Without later corrections: a published edition's files are the same bytes on every
    download, and the page lists the corrections.
    """
    edition = edition_line(report, with_changes=False)
    return [*coverage_sentences(report), *([edition] if edition else [])]


def edition_line(report: QuarterlyReport, *, with_changes: bool = True) -> str | None:
    """本期已发布第1版（2024年4月8日）；其后更正3处: said on a published period's outputs."""
    edition = report.edition
    if edition is None:
        return None
    text = f"本期已发布第{edition.number}版（{date_zh(timezone.localdate(edition.published_at))}）"
    if edition.reason:
        text += f"，发布理由：{edition.reason}"
    if not with_changes:
        return text + "。"
    if edition.number < edition.latest:
        text += f"；已有第{edition.latest}版"
    if edition.later_changes:
        text += f"；其后更正{len(edition.later_changes)}处，本版数字未变"
    return text + "。"
