"""Share links: expiring, revocable links to one period's export, and their downloads."""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..file_formats import share_formats
from .fields import YEAR_VALIDATORS, LineField
from .reference import Programme


def new_share_token() -> str:
    return secrets.token_urlsafe(32)


class ShareLink(models.Model):
    """An expiring, revocable link to one period's export for someone without an account."""

    token = models.CharField(max_length=64, unique=True, default=new_share_token, editable=False)
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    format = models.CharField(_("format"), max_length=8, choices=share_formats)
    recipient = LineField(_("recipient"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("share link")
        verbose_name_plural = _("share links")

    def __str__(self):
        return f"{self.programme} {self.year}Q{self.quarter} {self.format}"

    def latest_expiry(self):
        """The furthest expiry allowed: a forgotten link must not stay open for years."""
        start = self.created_at or timezone.now()
        return start + dt.timedelta(days=settings.SHARE_LINK_MAX_DAYS)

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    def clean(self):
        errors = {}
        if self.programme_id and self.year and self.year != self.programme.year:
            errors["year"] = _("%(programme)s is the list for %(year)s; share that year.") % {
                "programme": self.programme,
                "year": self.programme.year,
            }
        if self._state.adding and self.expires_at and self.expires_at <= timezone.now():
            errors["expires_at"] = _("The expiry must be in the future.")
        elif self.expires_at and self.expires_at > self.latest_expiry():
            errors["expires_at"] = _(
                "A share link can last at most %(days)s days (until %(latest)s); "
                "send a new link when this one runs out."
            ) % {
                "days": settings.SHARE_LINK_MAX_DAYS,
                "latest": timezone.localtime(self.latest_expiry()).strftime("%Y-%m-%d %H:%M"),
            }
        if errors:
            raise ValidationError(errors)


class ShareDownload(models.Model):
    """One download through a share link, for the audit trail."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="downloads")
    at = models.DateTimeField(_("downloaded at"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("share-link download")
        verbose_name_plural = _("share-link downloads")

    def __str__(self):
        return f"{self.link} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"
