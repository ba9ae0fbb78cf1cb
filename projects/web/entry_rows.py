"""The entry grid's rows, written by Python: on the entry page and on a unit's page.

A clerk's month is one row a project, some thirty of them at month end, and the row is the
page: through the template language each row asked about a hundred variable lookups, a
translation tag's worth of context, and two nested apps' templates (``row_photos`` and
``row_problems``). Measured at 2,000 × 5 on a host whose ``reference_loop_ms`` read 75–120,
the rows took 37 of the entry page's 107 ms; written here, see ``docs/performance.md``
(sixteenth pass).

What the rows are is unchanged: every attribute, class and word the template wrote, in the
same order, escaped as the template escaped (``drawn_widgets.escaped``: Django's own rule).
Figures, ids, years and months are written as stored (the template's ``localize off``): the
grid's script reads the data- attributes as plain numbers. The nested apps' parts of a row
are drawn by the functions they register for the entry page's row slots
(``web.panels.DRAWN_SLOTS``), from the data their panel read once for the page.
"""

from dataclasses import dataclass

from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..periods import month_text
from . import panels
from .drawn_widgets import escaped


@dataclass(frozen=True)
class _Labels:
    """A row's fixed words, translated once for the grid rather than once a row."""

    last: str
    inclusion: str
    month_inv: str
    month_inc: str
    box_inv: str
    box_inc: str
    not_entered: str
    ytd: str
    plan: str
    no_plan: str
    image: str
    problems: str
    checked: str

    @classmethod
    def for_grid(cls, cumulative: bool) -> "_Labels":
        month_inv = _("This month's completed investment 当月 (万元)")
        month_inc = _("This month's inclusion 当月 (万元)")
        return cls(
            last=escaped(_("Last month 当月 (万元)")),
            inclusion=escaped(_("inclusion")),
            month_inv=escaped(month_inv),
            month_inc=escaped(month_inc),
            box_inv=escaped(_("Year-to-date completed investment 累计 (万元)"))
            if cumulative
            else escaped(month_inv),
            box_inc=escaped(_("Year-to-date inclusion 累计 (万元)"))
            if cumulative
            else escaped(month_inc),
            not_entered=escaped(_("not entered")),
            ytd=escaped(_("Year to date 累计 (万元)")),
            plan=escaped(_("Quarter plan and rate")),
            no_plan=escaped(_("no plan")),
            image=escaped(_("image progress")),
            problems=escaped(_("problems")),
            checked=escaped(_("Checked: the figures are right")),
        )


def _value(value) -> str:
    """A figure as the template wrote it with localization off: ``None`` as "None", a
    Decimal through Django's ``number_format`` (as stored, so an exponent form stays one;
    amounts come from the database with their two places), escaped."""
    return escaped(localize(value, use_l10n=False))


def _rate(rate) -> str:
    return "—" if rate is None else f"{_value(rate)}%"


def _errors(errors) -> str:
    return "".join(f'<span class="field-error">{escaped(e)}</span>' for e in errors)


def draw_rows(lines, *, grid, cumulative: bool, multi_unit: bool, gathered) -> SafeString:
    """``lines``: each row of ``grid`` with its form, or None where the row is read-only.

    ``gathered`` is the page's panels (``panels.gather("entry", …)``), or None on a page
    without them (a unit's page for the manager): the rows then carry no nested app's part.
    """
    labels = _Labels.for_grid(cumulative)
    html = []
    for row, form in lines:
        html.append(_row(row, form, labels, grid, cumulative, multi_unit, gathered))
    return mark_safe("".join(html))


def _row(row, form, labels, grid, cumulative, multi_unit, gathered) -> str:
    project, entry, last = row.project, row.entry, row.last
    classes = "entry-row"
    if not form:
        classes += " closed"
    if form and form.errors:
        classes += " has-errors"
    if form and form.warnings:
        classes += " has-warnings"
    plan_inv, plan_inc = row.quarter_plan_investment, row.quarter_plan_inclusion
    parts = [
        f'<tr class="{classes}"\n'
        f'    data-ytd-inv="{_value(row.ytd_before_investment)}" '
        f'data-ytd-inc="{_value(row.ytd_before_inclusion)}"\n'
        f'    data-q-inv="{_value(row.quarter_before_investment)}" '
        f'data-q-inc="{_value(row.quarter_before_inclusion)}"\n'
        f'    data-plan-inv="{"" if plan_inv is None else _value(plan_inv)}" '
        f'data-plan-inc="{"" if plan_inc is None else _value(plan_inc)}">\n'
        f'  <th scope="row" class="project">\n'
        f'    <span class="code">{escaped(project.code)}</span> {escaped(project.name)}\n'
    ]
    if multi_unit:
        parts.append(f'    <small class="muted">{escaped(project.unit.name)}</small>\n')
    if form:
        parts.append(f"    {form['project']}{form['version']}\n")
    parts.append(f"    {panels.draw(gathered, 'row_photos', row=row, grid=grid)}\n  </th>\n")
    if last:
        shown_last = (
            f'{_value(last.investment)}<br><span class="muted">'
            f"{labels.inclusion} {_value(last.inclusion)}</span>"
        )
    else:
        shown_last = '<span class="muted">—</span>'
    parts.append(f'  <td class="num last" data-label="{labels.last}">\n    {shown_last}\n  </td>\n')
    if form:
        for name, label in (("investment", labels.box_inv), ("inclusion", labels.box_inc)):
            derived = f'<span class="derived" data-for="{name}"></span>' if cumulative else ""
            field = form[name]
            parts.append(
                f'  <td class="num" data-label="{label}">\n    {field}\n    {derived}\n'
                f"    {_errors(field.errors)}\n  </td>\n"
            )
    else:
        month_inv = (
            _value(entry.investment)
            if entry
            else f'<span class="muted">{labels.not_entered}</span>'
        )
        month_inc = _value(entry.inclusion) if entry else '<span class="muted">—</span>'
        parts.append(
            f'  <td class="num" data-label="{labels.month_inv}">{month_inv}</td>\n'
            f'  <td class="num" data-label="{labels.month_inc}">{month_inc}</td>\n'
        )
    parts.append(
        f'  <td class="num ytd" data-label="{labels.ytd}">\n'
        f'    <span class="ytd-inv">{_value(row.ytd_investment)}</span><br>'
        f'<span class="muted">{labels.inclusion} '
        f'<span class="ytd-inc">{_value(row.ytd_inclusion)}</span></span>\n  </td>\n'
    )
    if plan_inv is not None:
        plan = (
            f'{_value(plan_inv)} · <span class="rate-inv">{_rate(row.investment_rate)}</span>\n'
            f'    <br><span class="muted">{labels.inclusion} {_value(plan_inc)} · '
            f'<span class="rate-inc">{_rate(row.inclusion_rate)}</span></span>'
        )
    else:
        plan = f'<span class="muted">{labels.no_plan}</span>'
    parts.append(f'  <td class="num plan" data-label="{labels.plan}">\n    {plan}\n  </td>\n')
    if form:
        image, problems = form["image_progress"], form["problems"]
        parts.append(
            f'  <td class="text" data-label="{labels.image}">{image}{_errors(image.errors)}</td>\n'
            f'  <td class="text" data-label="{labels.problems}">{problems}'
            f"{_errors(problems.errors)}\n"
        )
    else:
        parts.append(
            f'  <td class="text" data-label="{labels.image}">'
            f"{escaped(entry.image_progress) if entry and entry.image_progress else ''}</td>\n"
            f'  <td class="text" data-label="{labels.problems}">'
            f"{escaped(entry.problems) if entry and entry.problems else ''}\n"
        )
    parts.append(
        f"    {panels.draw(gathered, 'row_problems', row=row, form=form, grid=grid)}</td>\n</tr>\n"
    )
    if form and (form.non_field_errors() or form.warnings):
        parts.append(_notes(form, labels))
    return "".join(parts)


def _notes(form, labels) -> str:
    """The row under a row: its errors, and the warnings with the box that accepts them."""
    html = ['<tr class="entry-notes"><td colspan="8">\n']
    html += [f'  <p class="field-error">{escaped(e)}</p>\n' for e in form.non_field_errors()]
    if form.warnings:
        items = "".join(
            f'<li class="warning-{escaped(w.code)}">{escaped(w.message)}</li>'
            for w in form.warnings
        )
        html.append(
            f'  <ul class="warnings">{items}</ul>\n'
            f'  <label class="confirm">{form["confirm"]} {labels.checked}</label>\n'
        )
    html.append("</td></tr>\n")
    return "".join(html)


# Marked where ``make messages`` reads it; translated when the options are drawn.
LOCKED_MARK = gettext_noop("(locked)")


def month_options(months: list[tuple[int, int, bool]], year: int, month: int) -> SafeString:
    """The month picker's options (``selectors.entry.month_choices``, three years of
    months), the grid's month selected, a locked month marked: what the picker's template
    loop wrote, 2.5 ms of a clerk's page through the engine."""
    locked = f" {_(LOCKED_MARK)}"
    return mark_safe(
        "".join(
            f'<option value="{y}-{m}"{" selected" if (y, m) == (year, month) else ""}>'
            f"{month_text(y, m)}{locked if is_locked else ''}</option>"
            for y, m, is_locked in months
        )
    )
