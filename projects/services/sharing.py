"""Share links for superiors without an account: create, revoke, and log each download."""

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
    quarter: int,
    fmt: str,
    expires_at,
    recipient: str = "",
) -> ShareLink:
    """A manager's expiring link to one period's export for someone without an account."""
    if not can_manage_all_units(actor):
        raise PermissionDenied(_("Only managers can share exports."))
    link = ShareLink(
        programme=programme,
        year=year,
        quarter=quarter,
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


def record_share_download(*, link: ShareLink, ip_address: str | None, user_agent: str) -> None:
    link.downloads.create(ip_address=ip_address or None, user_agent=user_agent[:300])
