"""Report files made in the background: a workbook too large to build within a request."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..late_storage import LateStorage

_exports_storage = LateStorage("EXPORTS_STORAGE")


def exports_storage():
    """The storage finished files are kept in (shared storage when several servers run)."""
    return _exports_storage


class ExportJob(models.Model):
    """One requested report file: what was asked, by whom, how far it got, and the file."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("being made")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    # programme (code), year, quarter or month, format, table and the filters, as asked.
    params = models.JSONField(_("parameters"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    file = models.FileField(_("file"), storage=exports_storage, upload_to="%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The lease: who runs the job and when it last said so. A running job whose worker has
    # not beaten for EXPORT_JOB_LEASE_SECONDS died with its worker; it is queued again (at
    # most EXPORT_JOB_ATTEMPTS runs in all) or failed.
    worker = models.CharField(_("worker"), max_length=100, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report file job")
        verbose_name_plural = _("report file jobs")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.params.get('fmt', '')} #{self.pk} {self.status}"

    @property
    def pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
