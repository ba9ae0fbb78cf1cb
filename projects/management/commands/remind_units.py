"""Print (and optionally email) each unit's reminders for a day: months, problems, late nodes."""

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from projects.desk import reminders
from projects.text import csv_writer, header_text


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date 应为 YYYY-MM-DD 格式，收到：{value}") from None


class Command(BaseCommand):
    help = "Reminders per unit for a day (催报): months to submit, problems 临期/超期, late nodes."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=_date, default=None, help="YYYY-MM-DD; today if blank")
        parser.add_argument("--format", choices=["text", "csv"], default="text")
        parser.add_argument(
            "--email", action="store_true", help="Also email each unit's staff (EMAIL_* settings)."
        )

    def handle(self, *args, **options):
        day = options["date"] or timezone.localdate()
        found = reminders.reminders(day)
        if options["format"] == "csv":
            writer = csv_writer(self.stdout)
            writer.writerow(["单位", "事项", "项目编号", "日期", "说明"])
            for reminder in found:
                for kind, code, date, text in reminders.lines(reminder):
                    writer.writerow([reminder.unit.name, kind, code, date, text])
        else:
            self.stdout.write(f"{day:%Y-%m-%d} 催报提醒：{len(found)} 个单位")
            for reminder in found:
                self.stdout.write("")
                self.stdout.write(reminders.as_text(reminder))
        if options["email"]:
            self._send(day, found)

    def _send(self, day, found):
        smtp = settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
        if smtp and not settings.EMAIL_HOST:
            raise CommandError("未设置 EMAIL_HOST，无法发送邮件；只打印提醒时请去掉 --email。")
        sent = 0
        for reminder in found:
            if not reminder.emails:
                continue
            # One line whatever the unit's stored name holds: a line break in a subject is
            # refused with BadHeaderError, which would stop the run midway.
            subject = header_text(
                f"【{settings.TRACKER_SITE_NAME}】{reminder.unit.name} {day:%Y-%m-%d} 催报提醒"
            )
            send_mail(
                subject, reminders.as_text(reminder), settings.DEFAULT_FROM_EMAIL, reminder.emails
            )
            sent += 1
        self.stderr.write(f"已发送 {sent} 封提醒邮件。")
