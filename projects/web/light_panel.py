"""The project page's light strip (亮灯历史): the ledger's own panel (see ``web.panels``).

The strip is drawn here, not by a template loop: twelve months, each with two translations
and its reasons, cost 2.2 ms of a project page through the engine on a host whose
``reference_loop_ms`` read 77–130 (the project page is the load test's second most asked).
The HTML is what ``_light_strip.html`` wrote; ``tests/web/test_light_strip_drawn.py``
renders that template (kept beside it) and the drawing with the same strips.
"""

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..selectors.light_history import MonthLight, light_strip
from .drawn_widgets import escaped
from .panels import register

# Marked where ``make messages`` reads them; translated when the strip is drawn. Written
# as ``{% translate %}`` and ``{% blocktranslate %}`` write them: the words as the
# catalogue has them, the values put in escaped.
TITLE = gettext_noop("Lights by month, %(year)s")
EXPLAINED = gettext_noop(
    "Each month's light is that of the report from January to the month's end; a locked "
    "month shows the light it was locked with, an open one is computed now (实时)."
)
MONTH = gettext_noop("%(month)s month")
LIVE = gettext_noop("live")
ON_TRACK = gettext_noop("On track: no signal.")


@register("project", name="lights", order=5, slots={"panels": "projects/_light_strip.html"})
def project_lights(request, *, project):
    """Month by month; the view fetched the project through the access policy."""
    return {"drawn": draw_strip(light_strip(project), project.programme.year)}


def draw_strip(strip: tuple[MonthLight, ...], year: int) -> SafeString:
    """The strip's section, or nothing when no month is shown yet."""
    if not strip:
        return mark_safe("")
    live = f" <small>{_(LIVE)}</small>"
    on_track = f"<p>{_(ON_TRACK)}</p>"
    months = "".join(_month(m, live, on_track) for m in strip)
    return mark_safe(
        '<section class="dispatch-panel light-strip" id="lights">\n'
        f"<h2>{_(TITLE) % {'year': escaped(year)}}</h2>\n"
        f'<p class="muted">{_(EXPLAINED)}</p>\n'
        f'<ol class="light-months">{months}\n</ol>\n</section>'
    )


def _month(m: MonthLight, live: str, on_track: str) -> str:
    reasons_text = m.reasons_text
    hidden = f'<span class="visually-hidden">：{escaped(reasons_text)}</span>' if m.reasons else ""
    if m.reasons:
        detail = "<ul>" + "".join(f"<li>{escaped(r.text)}</li>" for r in m.reasons) + "</ul>"
    else:
        detail = on_track
    return (
        f'\n  <li class="light-{escaped(m.light)}"><details>\n'
        f'    <summary title="{escaped(reasons_text or m.label)}">'
        f"{_(MONTH) % {'month': escaped(m.month)}} "
        f'<span class="dot" aria-hidden="true">●</span> {escaped(m.word)}'
        f"{live if m.live else ''}{hidden}</summary>\n"
        f"    {detail}\n"
        "  </details></li>"
    )
