"""Every notification goes through here: in-app notices now, robot messages after commit.

``notify`` is called once the event's own transaction has committed (the ledger sends its
events with ``on_commit``), so a robot that is down never undoes a review or a lock, and a
review that rolls back tells nobody. Robot messages are rows first (``Delivery``) and sent by
``send_due``: in a thread of this process right after (``NOTIFY_IN_PROCESS``), and by
``manage.py send_notifications`` from cron, which also retries the ones that failed.
"""

import datetime as dt
import logging
import threading
from collections.abc import Iterable

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from tracker.request_memo import forget

from . import robots
from .models import Delivery, Event, Notice, Reminder, Robot

log = logging.getLogger(__name__)

# Waits before the second and third try; a message still failing after that is marked failed.
# Who caused what the system sends by itself (a deadline reminder): nobody, so the notice's
# ``by`` stays empty, as the model says of the system's own notices.
BY_THE_SYSTEM = None

RETRY_AFTER = (dt.timedelta(seconds=30), dt.timedelta(minutes=5))


def notify(
    *,
    actor,
    event: Event,
    text: str,
    link: str = "",
    users: Iterable = (),
    units: Iterable = (),
    district: bool = False,
) -> tuple[list[Notice], list[Delivery]]:
    """A notice for each person in ``users`` and a message to each active robot of ``units``
    (and of the district, if ``district``). ``actor`` is who caused it."""
    now = timezone.now()
    people = {user.pk: user for user in users if user.is_active}
    forget()  # someone's unread count, kept for this request, moves
    notices = Notice.objects.bulk_create(
        Notice(user=user, event=event, text=text, link=link, by=actor, created_at=now)
        for user in people.values()
    )
    where = Q(unit__in=list(units))
    if district:
        where |= Q(unit__isnull=True)
    deliveries = Delivery.objects.bulk_create(
        Delivery(robot=robot, event=event, text=text, created_at=now, next_try_at=now)
        for robot in Robot.objects.filter(where, active=True)
    )
    if deliveries and getattr(settings, "NOTIFY_IN_PROCESS", True):
        transaction.on_commit(start_sending)
    return notices, deliveries


@transaction.atomic
def remind_once(*, event: Event, item: int, due_on: dt.date, **message) -> bool:
    """Send a deadline reminder (``notify`` with ``message``) unless this item and date had one.

    The system sends it (no actor). Returns whether it was sent now.
    """
    _reminder, created = Reminder.objects.get_or_create(event=event, item=item, due_on=due_on)
    if created:
        notify(actor=BY_THE_SYSTEM, event=event, **message)
    return created


def mark_read(*, actor, notice_ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notices read (all of them when no ids are given)."""
    unread = Notice.objects.filter(user=actor, read_at__isnull=True)
    if notice_ids is not None:
        unread = unread.filter(pk__in=list(notice_ids))
    forget()  # the actor's unread count, kept for this request, moves
    return unread.update(read_at=timezone.now())


def _claim(delivery: Delivery, now) -> bool:
    # Two senders (the thread and cron) may see the same row: only the one whose update
    # matches the attempt count it read sends it.
    return bool(
        Delivery.objects.filter(
            pk=delivery.pk, status=Delivery.Status.PENDING, attempts=delivery.attempts
        ).update(attempts=F("attempts") + 1, next_try_at=now + dt.timedelta(minutes=1))
    )


def send_one(delivery: Delivery, now=None) -> Delivery:
    now = now or timezone.now()
    if not _claim(delivery, now):
        return delivery
    delivery.refresh_from_db()
    try:
        robots.post(robots.outgoing(delivery.robot, delivery.text))
    except robots.SendError as exc:
        delivery.error = str(exc)[:300]
        if delivery.attempts > len(RETRY_AFTER):
            delivery.status = Delivery.Status.FAILED
            log.warning("robot message %s failed for good: %s", delivery.pk, exc)
        else:
            delivery.next_try_at = now + RETRY_AFTER[delivery.attempts - 1]
        delivery.save(update_fields=["error", "status", "next_try_at"])
        return delivery
    delivery.status = Delivery.Status.SENT
    delivery.sent_at = timezone.now()
    delivery.error = ""
    delivery.save(update_fields=["status", "sent_at", "error"])
    return delivery


def send_due(*, now=None, limit: int = 100) -> list[Delivery]:
    """Send the messages whose turn has come; returns them with their new state."""
    now = now or timezone.now()
    due = Delivery.objects.filter(
        status=Delivery.Status.PENDING, next_try_at__lte=now
    ).select_related("robot")[:limit]
    return [send_one(delivery, now) for delivery in due]


def start_sending() -> threading.Thread:
    def work():
        close_old_connections()
        try:
            send_due()
        except Exception:  # a thread's failure must reach the log, not vanish
            log.exception("sending robot messages failed")
        finally:
            connection.close()

    thread = threading.Thread(target=work, name="robot-messages", daemon=True)
    thread.start()
    return thread
