"""Send the group-robot messages that are due, and retry those that failed (for cron)."""

from django.core.management.base import BaseCommand

from projects.notifications.models import Delivery
from projects.notifications.services import send_due


class Command(BaseCommand):
    help = "Send due group-robot messages (企业微信/钉钉) and retry failed tries; run every minute."

    def handle(self, *args, **options):
        done = send_due()
        sent = sum(1 for d in done if d.status == Delivery.Status.SENT)
        self.stdout.write(f"已发送 {sent} 条，未成功 {len(done) - sent} 条。")
