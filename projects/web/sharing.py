"""Share links: one period's export for a superior without an account.

The token in the URL is the only credential, so the view answers an unknown,
expired or revoked token with a plain page and never with the file.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tracker.client_ip import client_ip

from .. import services
from ..exports import export_report_file
from ..exports.responses import export_download
from ..models import ShareLink
from ..permissions import WHOLE_DISTRICT


@require_GET
def download(request, token: str):
    link = ShareLink.objects.select_related("programme").filter(token=token).first()
    if link is None:
        return _unavailable(
            request, _("This link does not exist. Check that it was copied whole."), 404
        )
    if link.revoked_at is not None:
        return _unavailable(request, _("This link has been withdrawn by the sender."), 410)
    if not link.is_active():
        return _unavailable(
            request,
            _("This link expired on %(date)s. Ask the sender for a new one.")
            % {"date": link.expires_at.strftime("%Y-%m-%d %H:%M")},
            410,
        )
    file = export_report_file(
        # Only managers make share links, and a link carries the whole district's file.
        user=WHOLE_DISTRICT,
        programme=link.programme,
        year=link.year,
        quarter=link.quarter,
        fmt=link.format,
    )
    services.record_share_download(
        link=link,
        ip_address=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
    )
    return export_download(file)


def _unavailable(request, message: str, status: int):
    return render(request, "projects/share_unavailable.html", {"message": message}, status=status)
