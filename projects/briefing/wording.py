"""Every sentence of the briefing (通报) in one place, in the office's fixed wording.

The templates follow the district's own reports, e.g. "今年，城阳区147个市级攻坚项目
计划投资137亿元、纳统109亿元。一季度计划开工71个，已开工80个，9个提前开工；……".
They only format figures the report computed; the .docx and the HTML page both
render the outline built here, so they cannot say different things.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..choices import TASK_FORCE_OVERLAP_NOTE
from ..money import format_count, format_rate, format_wan, yi_in_words
from ..ranking import NOT_REPORTED_NOTE, ZERO_PLAN_NOTE, Placing
from ..scope_labels import WHOLE_LIST, Scope
from ..selectors import QuarterlyReport
from ..selectors.briefing import Briefing, Campaign, Highlight, Lagging, list_name
from ..selectors.indicators import IndicatorProgress
from .library import library_sentence
from .light_changes import light_change_sentences
from .sign_off import (  # noqa: F401  (the outline's words; read from here too)
    SignOff,
    coverage_sentences,
    date_zh,
    edition_line,
    file_notes,
    list_change_sentences,
    list_change_summary,
    sign_off,
    unfinished,
)

NUMERALS = "一二三四五六七八九十"
DASH = "—"


# ---------------------------------------------------------------- figures as words


def share(value: Decimal) -> str:
    """A threshold or the time elapsed: 25%, 83.3%, 100% (no trailing zeros)."""
    text = f"{value:f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


# ---------------------------------------------------------------- the outline


@dataclass(frozen=True)
class Table:
    """A table of the briefing: head, body rows and which columns hold numbers."""

    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()
    caption: str = ""
    # Relative column widths, so names get room and counts do not.
    widths: tuple[float, ...] = ()


@dataclass
class Section:
    """A numbered heading (一、总体情况) with its paragraphs and tables."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass(frozen=True)
class Outline:
    """The whole document: what the .docx and the print page lay out."""

    issuer: str
    number: str
    title: str
    sections: tuple[Section, ...]
    closing: str
    signature: str
    date: str
    # Said before anything else: how complete the figures are, when they are not.
    preface: tuple[str, ...] = ()


def title(b: Briefing | QuarterlyReport, scope: Scope | None = None) -> str:
    """2024年一季度市级攻坚项目推进情况通报, with the filter when there is one."""
    if isinstance(b, QuarterlyReport):
        labels, period, name = (scope or WHOLE_LIST).labels, b.period, list_name(b)
    else:
        labels, period, name = b.filter_labels, b.period, b.list_name
    within = f"（{'、'.join(labels)}）" if labels else ""
    return f"{period.label_zh}{name}推进情况通报{within}"


def doc_number(b: Briefing) -> str:
    """城重项办〔2024〕　号: the number is the office's to fill in."""
    return f"{b.number_prefix}〔{b.issued_on.year}〕\u3000\u3000号"


def subject(b: Briefing) -> str:
    """Whose projects: 城阳区, 区住房和城乡建设局负责的, 城阳区（城市更新、红灯）."""
    if b.unit_filter and len(b.filter_labels) == 1:
        return f"{b.unit_filter}负责的"
    if b.filter_labels:
        return f"{b.district}（{'、'.join(b.filter_labels)}）"
    return b.district


def which_year(b: Briefing) -> str:
    """今年 in a briefing issued in its own year; 2024年 when read back later, so a 通报
    about 2024 issued in 2026 does not say "this year"."""
    return "今年" if b.report.year == b.issued_on.year else f"{b.report.year}年"


def headline(b: Briefing) -> str:
    """The opening paragraph with the article's figures, in the article's order."""
    h = b.report.headline
    inv, inc, starts = h.investment, h.inclusion, h.starts
    window = b.period.ytd_name_zh
    text = (
        f"{which_year(b)}，{subject(b)}{h.projects}个{b.list_name}"
        f"计划投资{yi_in_words(inv.annual_plan)}亿元、纳统{yi_in_words(inc.annual_plan)}亿元。"
    )
    start_part = f"{window}计划开工{starts.planned}个，已开工{starts.actual}个"
    if starts.early:
        start_part += f"，{starts.early}个提前开工"
    if starts.overdue:
        start_part += f"，{starts.overdue}个逾期未开工"
    parts = [start_part]
    for label, done, figures in (("投资", "已投资", inv), ("纳统", "已纳统", inc)):
        planned, actual = yi_in_words(figures.planned), yi_in_words(figures.actual)
        part = f"计划{label}{planned}亿元，目前{done}{actual}亿元"
        if figures.rate is not None:
            part += f"，完成率{format_rate(figures.rate)}"
        parts.append(part)
    return text + "；".join(parts) + "。"


def pace(b: Briefing) -> str:
    """Annual share against time elapsed (时序进度), and year on year where last year exists."""
    h = b.report.headline
    clauses = []
    for label, figures, outlook in (
        ("投资", h.investment, h.investment_outlook),
        ("纳统", h.inclusion, h.inclusion_outlook),
    ):
        if figures.annual_rate is None:
            continue
        clause = f"{label}完成年度计划的{format_rate(figures.annual_rate)}"
        points = outlook.points_vs_time
        if points > 0:
            clause += f"，超时序进度{points}个百分点"
        elif points < 0:
            clause += f"，落后时序进度{-points}个百分点"
        else:
            clause += "，与时序进度持平"
        if outlook.yoy_percent is not None:
            change = outlook.yoy_percent
            clause += f"，同比增长{change}%" if change >= 0 else f"，同比下降{-change}%"
        clauses.append(clause)
    if not clauses:
        return ""
    lead = f"截至{b.period.last_month}月底，时序进度为{share(h.time_elapsed)}，"
    return lead + "；".join(clauses) + "。"


def adjustments(b: Briefing) -> str | None:
    """Plans adjusted since the year's baseline (年初计划), and which plan the rates are on.

    Nothing to say on the current plan when no plan has moved; a briefing computed on
    the baseline always says so, so it never passes for one on the adjusted plan.
    """
    report = b.report
    h = report.headline
    basis = "本通报完成率按年初计划计算。" if report.on_baseline else ""
    if not h.adjusted_projects:
        return basis or None
    inv = h.investment
    change = inv.adjustment or Decimal(0)
    direction = "调增" if change > 0 else "调减" if change < 0 else "总额不变"
    amount = f"{format_wan(abs(change))}万元" if change else ""
    return (
        f"年内调整计划的项目{h.adjusted_projects}个，{b.period.ytd_name_zh}累计计划投资由年初计划"
        f"{yi_in_words(inv.baseline_planned)}亿元调整为{yi_in_words(inv.adjusted_planned)}亿元"
        f"（{direction}{amount}）。{basis}"
    )


def counted_campaign_sentence(c: Campaign) -> str:
    """启动口袋公园、…等4大类45个“微更新”项目，3个项目基本完工 (the article's wording).

    For a campaign with its own counts: what was launched, then each stage it has reached.
    """
    if c.categories:
        text = f"启动{'、'.join(c.categories)}等{len(c.categories)}大类{c.projects}个“{c.name}”项目"
    else:
        text = f"启动{c.projects}个“{c.name}”项目"
    if c.target and c.target != c.projects:
        text += f"（目标{c.target}个）"
    if c.design_done:
        text += (
            "，设计方案全部完成"
            if c.design_done == c.projects
            else f"，{c.design_done}个完成设计方案"
        )
    if c.started and c.early == c.started:
        text += f"，{c.early}个提前开工"
    elif c.started:
        text += f"，{c.started}个已开工"
        if c.early:
            text += f"（其中{c.early}个提前开工）"
    if c.completed:
        text += f"，{c.completed}个项目基本完工"
    return text + "。"


def campaign_sentence(c: Campaign) -> str:
    """7个老旧小区改造项目全面开工 / 5个公园建设项目全部提前开工 / 6个…项目已开工4个."""
    if c.counted:
        return counted_campaign_sentence(c)
    noun = f"{c.projects}个{c.name}项目"
    if c.all_started and c.early == c.projects:
        text = f"{noun}全部提前开工"
    elif c.all_started:
        text = f"{noun}全面开工"
        if c.early:
            text += f"，其中{c.early}个提前开工"
    elif c.started:
        text = f"{noun}已开工{c.started}个"
        if c.early:
            text += f"（其中{c.early}个提前开工）"
    else:
        text = f"{noun}尚未开工"
    if c.completed:
        text += f"，{c.completed}个基本完工"
    return text + "。"


def highlight_sentence(item: Highlight) -> str:
    progress = item.image_progress.strip().rstrip("。；;，,")
    if not progress:
        return f"{item.name}本期未报送形象进度。"
    return f"{item.name}{progress}。"


def _named(placings: tuple[Placing, ...], tied: set[int]) -> str:
    return "、".join(
        f"{p.row.name}（{format_rate(p.rate)}{'，并列' if p.rank in tied else ''}）"
        for p in placings
    )


def ranking_summary(b: Briefing) -> str:
    ranking = b.unit_ranking
    ranked, tied = ranking.ranked, ranking.tied_ranks()
    if not ranked:
        text = "本期没有参与排名的责任单位。"
    elif len(ranked) <= 6:
        text = f"从投资完成率看，各责任单位依次为：{_named(ranked, tied)}。"
    else:
        text = (
            f"从投资完成率看，排在前三位的是{_named(ranked[:3], tied)}；"
            f"排在后三位的是{_named(ranked[-3:], tied)}。"
        )
    if ranking.apart:
        unreported = sum(1 for p in ranking.apart if p.note == NOT_REPORTED_NOTE)
        zero = sum(1 for p in ranking.apart if p.note == ZERO_PLAN_NOTE)
        small = len(ranking.apart) - zero - unreported
        reasons = [f"{unreported}个单位本期未报送"] if unreported else []
        if zero:
            reasons.append(f"{zero}个单位计划为零")
        if small:
            reasons.append(f"{small}个单位计划低于{yi_in_words(ranking.floor)}亿元")
        text += f"另有{'、'.join(reasons)}，未参与排名。"
    return text


def ranking_table(b: Briefing) -> Table:
    tied = b.unit_ranking.tied_ranks()
    rows = []
    for p in b.unit_ranking:
        rank = DASH if p.rank is None else f"{p.rank}{'（并列）' if p.rank in tied else ''}"
        rows.append(
            (
                rank,
                p.row.name,
                str(p.row.projects),
                format_wan(p.planned),
                format_wan(p.actual),
                format_rate(p.rate),
                p.note,
            )
        )
    return Table(
        head=(
            "名次",
            "责任单位",
            "项目数",
            # The report's figures run from January to the period's end.
            "累计计划投资（万元）",
            "累计完成投资（万元）",
            "完成率",
            "备注",
        ),
        rows=tuple(rows),
        numeric=frozenset({2, 3, 4, 5}),
        widths=(1.2, 3.4, 1.6, 2.0, 2.0, 1.9, 3.5),
    )


def _in_order(ranked: tuple[Placing, ...], tied: set[int]) -> str:
    if len(ranked) <= 6:
        return f"依次为：{_named(ranked, tied)}"
    return f"排在前三位的是{_named(ranked[:3], tied)}；排在后三位的是{_named(ranked[-3:], tied)}"


def leader_summary(b: Briefing) -> str | None:
    """按包联领导看…: leaders ranked as units are (zero or small plans apart), and how many
    projects have no leader yet; None when fewer than two leaders hold the report's projects."""
    ranking = b.report.leader_ranking
    if len(ranking.ranked) + len(ranking.apart) < 2:
        return None
    ranked, tied = ranking.ranked, ranking.tied_ranks()
    if ranked:
        text = f"按包联领导看，各领导包联项目的投资完成率{_in_order(ranked, tied)}。"
    else:
        text = "按包联领导看，本期没有参与排名的包联领导。"
    if ranking.apart:
        text += f"另有{'、'.join(f'{p.row.name}（{p.note}）' for p in ranking.apart)}。"
    unassigned = sum(r.projects for r in b.report.breakdown("leader") if not r.key)
    if unassigned:
        text += f"{unassigned}个项目尚未指定包联领导。"
    return text


def task_force_sentences(b: Briefing) -> list[str]:
    """Each 专班 group in a sentence (its task forces' projects, investment and rate), then the
    overlap note: a project may be in several task forces, so they are never summed."""
    sentences = []
    for group, rows in b.report.task_force_groups:
        parts = []
        for r in rows:
            figures = r.investment
            rate = DASH if figures.rate is None else format_rate(figures.rate)
            parts.append(
                f"{r.name}{r.projects}个项目累计完成投资{yi_in_words(figures.actual)}亿元，"
                f"完成率{rate}"
            )
        sentences.append(f"{group}：{'；'.join(parts)}。")
    if sentences:
        sentences.append(TASK_FORCE_OVERLAP_NOTE)
    return sentences


def lagging_state(item: Lagging) -> str:
    if item.reasons:
        return "；".join(reason.text for reason in item.reasons)
    # An edition published before lights had reasons: its words as sent.
    rate = f"完成率{format_rate(item.rate)}" if item.rate is not None else "无本期计划"
    return f"逾期未开工，{rate}" if item.overdue else rate


def lagging_table(items: tuple[Lagging, ...], caption: str) -> Table:
    return Table(
        head=("序号", "项目编号", "项目名称", "责任单位", "滞后情况", "存在问题"),
        rows=tuple(
            (str(n), i.code, i.name, i.unit, lagging_state(i), i.problem or DASH)
            for n, i in enumerate(items, start=1)
        ),
        numeric=frozenset({0}),
        caption=caption,
        # 滞后情况 holds the light's reasons in words: wider than a rate was.
        widths=(0.8, 1.9, 3.2, 2.2, 3.5, 3.0),
    )


def lagging_intro(b: Briefing) -> str:
    report = b.report
    rule = report.light_rule or (
        # An edition published before lights had reasons: its rule as sent.
        f"按投资完成率低于{share(report.yellow_below)}亮黄灯、"
        f"低于{share(report.red_below)}或逾期未开工亮红灯"
    )
    if not b.red and not b.yellow:
        return f"{rule}，本期无红灯、黄灯项目。"
    counts = [
        f"{label}项目{len(items)}个" if items else f"无{label}项目"
        for label, items in (("红灯", b.red), ("黄灯", b.yellow))
    ]
    return f"{rule}，本期{'、'.join(counts)}，名单如下。"


CLOSING = (
    "请各责任单位对照本通报，查找差距、压实责任，红灯、黄灯项目逐一制定赶超措施，"
    "确保完成全年目标任务。"
)


def indicator_sentence(item: IndicatorProgress) -> str:
    """科技型中小企业入库2,427家，完成目标2,500家的97.1%: the figure, and the target's share."""
    text = f"{item.name}{format_count(item.value)}{item.count_unit}"
    if item.target:
        text += f"，完成目标{format_count(item.target)}{item.count_unit}的{format_rate(item.rate)}"
    return text


def indicators_paragraph(b: Briefing) -> str | None:
    """The district's indicators in one paragraph, each as stored for its latest period."""
    if not b.indicators:
        return None
    return "；".join(indicator_sentence(i) for i in b.indicators) + "。"


def scores_paragraph(b: Briefing) -> str | None:
    """The units' scores (考核) in one sentence: best first, with the rank each holds."""
    if len(b.scores) < 2:
        return None
    parts = "、".join(f"{s.name}{s.points}分（第{s.rank}名）" for s in b.scores)
    return f"按单位考核办法，本期各责任单位得分依次为：{parts}。"


def outline(b: Briefing) -> Outline:
    """The document's sections in order; a section with nothing to say is left out."""
    overall = [pace(b), library_sentence(b.report), adjustments(b)]
    sections = [Section("总体情况", [headline(b), *filter(None, overall)])]
    if b.campaigns:
        sections.append(Section("专项攻坚", ["".join(campaign_sentence(c) for c in b.campaigns)]))
    if b.highlights:
        sections.append(Section("重点项目进展", [highlight_sentence(h) for h in b.highlights]))
    # A ranking needs at least two units: a unit's own briefing has none.
    mark = unfinished(b.report)
    if len(b.report.by_unit) > 1:
        sections.append(Section(f"责任单位排名{mark}", [ranking_summary(b)], [ranking_table(b)]))
    leaders = leader_summary(b)
    if leaders:
        sections.append(Section(f"包联领导排名{mark}", [leaders]))
    task_forces = task_force_sentences(b)
    if task_forces:
        sections.append(Section(f"专班推进情况{mark}", task_forces))
    lagging = Section(f"滞后项目{mark}", [lagging_intro(b), *light_change_sentences(b.report)])
    if b.red:
        lagging.tables.append(lagging_table(b.red, "红灯项目"))
    if b.yellow:
        lagging.tables.append(lagging_table(b.yellow, "黄灯项目"))
    sections.append(lagging)
    indicators = indicators_paragraph(b)
    if indicators:
        sections.append(Section("区级重点指标", [indicators]))
    changes = list_change_summary(b.report)
    if changes:
        sections.append(Section("清单调整", [changes]))
    scores = scores_paragraph(b)
    if scores:
        sections.append(Section(f"单位考核得分{mark}", [scores]))
    for number, section in enumerate(sections):
        section.heading = f"{NUMERALS[number]}、{section.heading}"
    return Outline(
        issuer=b.issuer,
        number=doc_number(b),
        title=title(b),
        sections=tuple(sections),
        closing=CLOSING,
        signature=b.issuer,
        date=date_zh(b.issued_on),
        preface=tuple(coverage_sentences(b.report)),
    )
