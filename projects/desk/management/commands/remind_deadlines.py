"""Daily (cron): tell units of problems and nodes whose dates are near, once per item and date."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from projects.desk.deadlines import remind_deadlines


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date 应为 YYYY-MM-DD 格式，收到：{value}") from None


class Command(BaseCommand):
    help = "Deadline reminders (临期提醒) for problems and nodes, as notices and robot messages."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=_date, default=None, help="YYYY-MM-DD; today if blank")

    def handle(self, *args, **options):
        day = options["date"] or timezone.localdate()
        sent = remind_deadlines(day)
        self.stdout.write(
            f"{day:%Y-%m-%d} 临期提醒：问题 {sent.problems} 个，节点 {sent.nodes} 个"
            "（已提醒过的不再重复）。"
        )
