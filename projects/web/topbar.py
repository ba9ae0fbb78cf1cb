"""The top bar of every page: its links as data, drawn in Python.

Every page of the tracker draws this bar. Through the template engine it cost about 2.5 ms
a page on a host whose ``reference_loop_ms`` read 77–130 (fifteen ``{% url %}`` tags,
five permission tests, the language list's loop): some 5% of a project page and of a
clerk's entry page, the two pages the load test asks for most. Drawn here, with the
addresses reversed once per process, it is a small part of that. The HTML is byte for
byte what the template wrote; ``tests/web/test_topbar.py`` keeps that template as the
reference and compares both for each of the cast's people, in both languages.

A link is a row of ``LINKS``: the name of its address, its label and who sees it. Adding
a link to the bar is adding a row (``docs/development.md``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.template.defaulttags import CsrfTokenNode
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info, gettext, gettext_noop

from .drawn_widgets import escaped

ENTER = "projects.change_monthlyprogress"

# The bar's own words, marked where ``make messages`` finds them (a call inside an
# f-string is not read by xgettext) and translated when drawn.
UNREAD = gettext_noop("unread")
NOTICES = gettext_noop("Notices")
CHANGE_PASSWORD = gettext_noop("Change my password")
LOG_OUT = gettext_noop("Log out")
LANGUAGE = gettext_noop("Language")
SWITCH = gettext_noop("Switch")


def _anyone(user) -> bool:
    return True


def _enters(user) -> bool:
    return user.has_perm(ENTER)


@dataclass(frozen=True)
class Link:
    url_name: str
    label: str  # marked here, translated when drawn: each reader reads their language
    shown_to: Callable[[object], bool] = _anyone
    query: str = ""


# Each inner tuple is one line of the bar; the links of a line are written side by side.
LINKS: tuple[tuple[Link, ...], ...] = (
    (
        Link("entry", gettext_noop("Monthly entry"), _enters),
        Link("home", gettext_noop("Report"), _enters, query="?report=1"),
    ),
    (Link("dashboard", gettext_noop("Leaders' view")),),
    (Link("project_map", gettext_noop("Map")),),
    (Link("indicators", gettext_noop("District indicators")),),
    (Link("problem_list", gettext_noop("Problems")),),
    (Link("admin:index", gettext_noop("Ledger entry"), lambda user: user.is_staff),),
    (
        Link(
            "submit_month",
            gettext_noop("Submit a month"),
            # A unit's clerk submits; the office, which reaches every unit, reviews.
            lambda user: _enters(user) and not user.has_perm("projects.manage_all_units"),
        ),
    ),
    (
        Link(
            "plan_requests",
            gettext_noop("Plan-change requests"),
            lambda user: user.has_perm("projects.view_planchangerequest"),
        ),
    ),
    (
        Link(
            "status_latest",
            gettext_noop("Reporting status"),
            lambda user: user.has_perm("projects.review_submissions"),
        ),
    ),
)


def address(url_name: str) -> str:
    """The link's address, reversed once per process, address prefix and URLconf (a test
    that overrides the URLconf gets a resolver of its own, hence a key of its own)."""
    return _reversed(url_name, get_script_prefix(), get_resolver(get_urlconf()))


@lru_cache(maxsize=256)
def _reversed(url_name: str, _prefix: str, _resolver) -> str:
    return reverse(url_name)


@lru_cache(maxsize=16)
def _language_options(current: str) -> str:
    """The language list's options, the current language selected: the same for every
    reader of that language."""
    options = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        selected = " selected" if info["code"] == current else ""
        options.append(
            f'<option value="{escaped(info["code"])}"{selected}>'
            f"{escaped(info['name_local'])}</option>"
        )
    return "".join(options)


def _link(link: Link) -> str:
    # A label is written as its translation, unescaped, as ``{% translate "literal" %}``
    # writes it: the catalogue is the app's own. What a reader can type is escaped.
    return f'<a href="{escaped(address(link.url_name))}{link.query}">{gettext(link.label)}</a>'


def draw(context) -> SafeString:
    """The bar after the page's own ``nav`` block: the signed-in reader's links and
    account, then the language switch."""
    request = context.get("request")
    user = context.get("user")
    csrf = CsrfTokenNode().render(context)
    html = ["\n    "]
    if user is not None and user.is_authenticated:
        for line in LINKS:
            shown = "".join(_link(link) for link in line if link.shown_to(user))
            html.append(f"\n      {shown}")
        unread = context.get("unread_notices")
        badge = (
            f' <strong class="badge" aria-label="{gettext(UNREAD)}">{escaped(unread)}</strong>'
            if unread
            else ""
        )
        html.append(
            f'\n      <a class="notices-link" href="{escaped(address("notice_list"))}">'
            f"{gettext(NOTICES)}{badge}</a>"
            f'\n      <a class="who" href="{escaped(address("password_change"))}" '
            f'title="{gettext(CHANGE_PASSWORD)}">'
            f"{escaped(user.get_username())}</a>"
            f'\n      <form method="post" action="{escaped(address("logout"))}" class="inline">'
            f"{csrf}"
            f'\n        <button type="submit" class="link">{gettext(LOG_OUT)}</button>'
            "\n      </form>"
            "\n    "
        )
    next_path = request.get_full_path() if request is not None else ""
    html.append(
        f'\n    <form action="{escaped(address("set_language"))}" method="post" '
        f'class="inline lang">{csrf}'
        f'\n      <input name="next" type="hidden" value="{escaped(next_path)}">'
        "\n      "
        f'\n      <select name="language" aria-label="{gettext(LANGUAGE)}">'
        f"\n        {_language_options(get_language())}"
        "\n      </select>"
        f'\n      <button type="submit">{gettext(SWITCH)}</button>'
        "\n    </form>"
    )
    return mark_safe("".join(html))
