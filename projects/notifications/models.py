"""Notices shown in the app, the group robots messages go to, and each message sent to one.

A notice is per person: it waits on their to-do list until read. A robot (企业微信 or 钉钉
group robot) belongs to a unit, or to the whole district when no unit is set; every message
to it is a ``Delivery`` row, so a failed send is retried and nothing is lost or sent twice.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import LineField, NoteField, Unit
from tracker.request_memo import remembered

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class Event(models.TextChoices):
    RETURNED = "returned", _("month returned")
    APPROVED = "approved", _("month approved")
    LOCKED = "locked", _("month locked")
    CHASED = "chased", _("reminder to report (催报)")
    PLAN_DECIDED = "plan", _("plan-change request decided")
    PROBLEM_ASSIGNED = "p_assigned", _("problem assigned")
    PROBLEM_ESCALATED = "p_escalated", _("problem escalated")
    PROBLEM_DUE = "p_due", _("problem deadline near")
    NODE_DUE = "node_due", _("node date near")


class Notice(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    event = models.CharField(_("event"), max_length=16, choices=Event.choices)
    text = NoteField(_("text"), max_length=1000)
    link = models.CharField(_("link"), max_length=300, blank=True)
    # Who caused it (the manager who returned the month); empty for the system's own.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_user_unread")]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self):
        return self.text[:50]


class Robot(models.Model):
    class Kind(models.TextChoices):
        WECOM = "wecom", _("WeCom group robot (企业微信)")
        DINGTALK = "dingtalk", _("DingTalk group robot (钉钉)")

    name = LineField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="robots",
        help_text=_("Leave empty for the district's own group (locks and every unit's news)."),
    )
    url = models.URLField(
        _("webhook address"),
        max_length=500,
        help_text=_("The robot's address as the group's settings show it, with its key or token."),
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_("DingTalk: the 加签 secret (SEC…). WeCom robots are not signed."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["unit__code", "name"]
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")

    def __str__(self):
        return self.name

    def clean(self):
        parts = urlsplit(self.url or "")
        # The address carries the robot's key: only over TLS, except to this machine (a relay).
        if parts.scheme != "https" and parts.hostname not in LOOPBACK:
            raise ValidationError({"url": _("A robot's address must start with https://.")})
        if self.kind == self.Kind.DINGTALK and self.secret and not self.secret.startswith("SEC"):
            raise ValidationError(
                {"secret": _("A DingTalk signing secret starts with SEC; copy it whole.")}
            )


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    robot = models.ForeignKey(Robot, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("event"), max_length=16, choices=Event.choices)
    text = NoteField(_("text"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    next_try_at = models.DateTimeField(_("next try"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_try_at"], name="delivery_due")]
        verbose_name = _("robot message")
        verbose_name_plural = _("robot messages")

    def __str__(self):
        return f"{self.robot} {self.get_event_display()}"


class Reminder(models.Model):
    """A deadline reminder already sent: one per item and date, so the daily run repeats none.

    ``item`` is the problem's or node's id (this app reads no other app's tables); a deadline
    that moves is a new date and is reminded of again.
    """

    event = models.CharField(_("event"), max_length=16, choices=Event.choices)
    item = models.PositiveBigIntegerField(_("item"))
    due_on = models.DateField(_("due on"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "item", "due_on"], name="reminder_once_per_item_and_date"
            )
        ]

    def __str__(self):
        return f"{self.get_event_display()} #{self.item} {self.due_on}"


def unread_notices(user) -> int:
    """How many of ``user``'s notices are unread: counted once per request (the top bar and
    the to-do both show it); sending or reading notices empties the request's memo."""
    from projects.selectors import compiled  # the selectors import the models

    def count() -> int:
        notices = Notice.objects.all()
        # The same statement for every person (their id in its place): built once.
        statement = compiled.statement(
            ("unread notices", notices.db),
            lambda person: (
                notices.filter(user_id=person, read_at__isnull=True)
                .values("user_id")
                .annotate(n=Count("pk"))
                .order_by()
            ),
        )
        rows = statement.rows(user.pk)
        return rows[0]["n"] if rows else 0

    return remembered(("unread-notices", user.pk), count)
