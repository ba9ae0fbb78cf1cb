"""Share links for superiors without an account: create, revoke, and log each opening."""

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Programme,
    ShareLink,
)
from .checks import can_manage_all_units


def create_share_link(
    *,
    actor,
    programme: Programme,
    year: int,
    quarter: int | None = None,
    month: int | None = None,
    fmt: str = "",
    expires_at,
    recipient: str = "",
    filters: Mapping | None = None,
) -> ShareLink:
    """A manager's expiring link to one period's report page for someone without an account.

    ``quarter`` or ``month`` (January to it) names the period; ``filters`` are the
    report filter's parameters (blank values left out); ``fmt`` limits the page to
    one file, blank offering every shareable file and the 通报.
    """
    if not can_manage_all_units(actor):
        raise PermissionDenied(_("Only managers can share exports."))
    link = ShareLink(
        programme=programme,
        year=year,
        quarter=quarter,
        month=month,
        filters={
            key: str(value) for key, value in (filters or {}).items() if value not in ("", None)
        },
        format=fmt,
        recipient=recipient,
        created_by=actor,
        expires_at=expires_at,
    )
    link.full_clean()
    link.save()
    return link


def revoke_share_link(*, actor, link: ShareLink) -> None:
    if not can_manage_all_units(actor):
        raise PermissionDenied(_("Only managers can revoke share links."))
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])


def record_share_download(
    *, link: ShareLink, ip_address: str | None, user_agent: str, fmt: str = ""
) -> None:
    """Log one opening of the link's page (``fmt`` blank) or one file it sent."""
    link.downloads.create(format=fmt, ip_address=ip_address or None, user_agent=user_agent[:300])
