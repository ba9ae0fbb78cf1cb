"""Share links: expiring, revocable links to one period's report page and files, and their log.

A link names a period (a quarter, or January to a month), the report filter it
was made with (unit, street, category… as the report's own parameters) and
either one file or, with no format, every shareable file and the 通报.
"""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..file_formats import share_formats
from ..periods import Period
from .fields import MONTH_VALIDATORS, YEAR_VALIDATORS, LineField
from .reference import Programme


def new_share_token() -> str:
    return secrets.token_urlsafe(32)


class ShareLink(models.Model):
    """An expiring, revocable link to one period's report for someone without an account."""

    token = models.CharField(max_length=64, unique=True, default=new_share_token, editable=False)
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    # Either a quarter or January to ``month`` (1—N月), never both.
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    month = models.PositiveSmallIntegerField(
        _("January to month"), null=True, blank=True, validators=MONTH_VALIDATORS
    )
    # The report filter's parameters as the report's address carries them ({"unit": "ZJJ"}).
    filters = models.JSONField(_("report filters"), default=dict, blank=True)
    # One file, or blank for the page with every shareable file and the 通报.
    format = models.CharField(_("format"), max_length=8, choices=share_formats, blank=True)
    recipient = LineField(_("recipient"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__isnull=True, month__isnull=False)
                | Q(quarter__isnull=False, month__isnull=True),
                name="share_link_quarter_or_month",
            )
        ]
        verbose_name = _("share link")
        verbose_name_plural = _("share links")

    def __str__(self):
        return f"{self.programme} {self.period_label} {self.format or '*'}"

    @property
    def period(self) -> Period:
        """The quarter, or January to the month, the link shares."""
        if self.month:
            return Period.through_month(self.year, self.month)
        return Period(self.year, self.quarter)

    @property
    def period_label(self) -> str:
        return self.period.label_zh

    def latest_expiry(self):
        """The furthest expiry allowed: a forgotten link must not stay open for years."""
        start = self.created_at or timezone.now()
        return start + dt.timedelta(days=settings.SHARE_LINK_MAX_DAYS)

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    def clean(self):
        errors = {}
        if (self.quarter is None) == (self.month is None):
            errors["quarter"] = _("Share either a quarter or January to a month, not both.")
        bad_filters = self.filter_errors()
        if bad_filters:
            errors["filters"] = bad_filters
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

    def filter_errors(self) -> list[str]:
        """What is wrong with the stored filters, in words; [] when the report takes them.

        A link whose filter fell away would send the whole district's figures
        under a unit's name, so an unknown or invalid value is refused, not dropped.
        """
        # The filters module imports the models, so it is read here, not at the top.
        from ..filters import BASELINE_PLAN, CURRENT_PLAN, PLAN_PARAMETER, ProjectReportFilter

        if not isinstance(self.filters, dict):
            return [str(_("The report filters are not valid."))]
        known = {*ProjectReportFilter.base_filters, PLAN_PARAMETER}
        unknown = sorted(key for key in self.filters if key not in known)
        if unknown or not all(isinstance(v, str) for v in self.filters.values()):
            return [
                str(_("The report has no filter %(names)s.") % {"names": "、".join(unknown)})
                if unknown
                else str(_("The report filters are not valid."))
            ]
        plan = self.filters.get(PLAN_PARAMETER)
        if plan is not None and plan not in (CURRENT_PLAN, BASELINE_PLAN):
            return [str(_("The report filters are not valid."))]
        form = ProjectReportFilter(self.filters).form
        if form.is_valid():
            return []
        return [
            f"{form.fields[name].label}：{' '.join(messages)}"
            for name, messages in form.errors.items()
        ]


class ShareDownload(models.Model):
    """One opening of a share link's page or one of its files, for the audit trail."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="downloads")
    # The file's format; blank for the page itself.
    format = models.CharField(_("file"), max_length=8, blank=True)
    at = models.DateTimeField(_("downloaded at"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("share-link download")
        verbose_name_plural = _("share-link downloads")

    def __str__(self):
        return f"{self.link} {self.format or 'page'} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"
