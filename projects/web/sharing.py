"""Share links: one period's report for a superior without an account, as a page and its files.

The token in the URL is the only credential, so an unknown, expired or revoked
token, or a link whose filter no longer applies, gets a plain Chinese page and
never the figures. Opening the link shows a phone-sized summary (a link tapped
inside WeChat must show something, not start a download) with the files under it;
every file is made by ``exports.export_report_file``, the one way exports are made.
"""

from collections import Counter

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tracker.client_ip import client_ip

from .. import services
from ..briefing.sign_off import coverage_sentences
from ..choices import Light
from ..exports import export_report_file, exporter
from ..exports.responses import export_download
from ..file_formats import share_formats
from ..models import ShareLink
from ..permissions import WHOLE_DISTRICT
from ..scope_labels import describe
from ..selectors import quarterly_report

# Project rows the page lists before pointing to the files for the rest: a phone screen
# is read, not searched.
SHARE_PAGE_ROWS = 30


def _active_link(request, token: str):
    """The link, or the page saying why it gives nothing (404 unknown, 410 withdrawn/expired)."""
    link = ShareLink.objects.select_related("programme").filter(token=token).first()
    if link is None:
        return None, _unavailable(
            request, _("This link does not exist. Check that it was copied whole."), 404
        )
    if link.revoked_at is not None:
        return None, _unavailable(request, _("This link has been withdrawn by the sender."), 410)
    if not link.is_active():
        return None, _unavailable(
            request,
            _("This link expired on %(date)s. Ask the sender for a new one.")
            % {"date": link.expires_at.strftime("%Y-%m-%d %H:%M")},
            410,
        )
    if link.filter_errors():
        # A unit or street renamed since: the filter would fall away and the page
        # would show the whole district under the unit's name.
        return None, _unavailable(
            request,
            _("What this link was filtered on no longer exists. Ask the sender for a new one."),
            410,
        )
    return link, None


def _offered(link: ShareLink) -> list[str]:
    """The files the link gives: its one format, or every shareable one and the 通报."""
    if link.format:
        return [link.format]
    return [identifier for identifier, _name in share_formats()]


@require_GET
def page(request, token: str):
    link, refusal = _active_link(request, token)
    if refusal:
        return refusal
    report = quarterly_report(
        # Only managers make share links, and a link carries the whole district's figures
        # (or the part its filter names).
        user=WHOLE_DISTRICT,
        programme=link.programme,
        year=link.year,
        quarter=link.quarter,
        month=link.month,
        filters=link.filters,
    )
    rows = tuple(report.rows)
    lights = Counter(row.light for row in rows)
    services.record_share_download(
        link=link, ip_address=client_ip(request), user_agent=request.headers.get("User-Agent", "")
    )
    files = [
        {"identifier": fmt, "name": exporter(fmt).link_text, "briefing": exporter(fmt).briefing}
        for fmt in _offered(link)
    ]
    context = {
        "link": link,
        "report": report,
        "scope": describe(link.filters),
        "headline": report.headline,
        "coverage_lines": coverage_sentences(report),
        "lights": [
            {"code": code, "label": label, "count": lights.get(code, 0)}
            for code, label in Light.file_labels().items()
        ],
        "rows": rows[:SHARE_PAGE_ROWS],
        "more_rows": max(len(rows) - SHARE_PAGE_ROWS, 0),
        "files": files,
    }
    return render(request, "projects/share_page.html", context)


@require_GET
def download(request, token: str, fmt: str):
    link, refusal = _active_link(request, token)
    if refusal:
        return refusal
    if fmt not in _offered(link):
        return _unavailable(request, _("This link does not give that file."), 404)
    file = export_report_file(
        user=WHOLE_DISTRICT,
        programme=link.programme,
        year=link.year,
        quarter=link.quarter,
        month=link.month,
        fmt=fmt,
        filters=link.filters,
    )
    services.record_share_download(
        link=link,
        ip_address=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
        fmt=fmt,
    )
    return export_download(file)


def _unavailable(request, message: str, status: int):
    return render(request, "projects/share_unavailable.html", {"message": message}, status=status)
