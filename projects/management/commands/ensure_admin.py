"""Make sure a local superuser exists, printing a fresh password when one is made."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Create the local 'admin' superuser if missing and print how to log in."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument(
            "--reset", action="store_true", help="Give the account a new generated password."
        )
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="where to log in")

    def handle(self, *args, username, reset, url, **options):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is not None and not reset:
            self.stdout.write(
                _(
                    "Log in at %(url)s as '%(user)s' with the password printed "
                    "when it was created (make a new one: manage.py ensure_admin --reset)."
                )
                % {"url": url, "user": username}
            )
            return
        password = secrets.token_urlsafe(12)
        if user is None:
            User.objects.create_superuser(username=username, password=password, email="")
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
        self.stdout.write(
            self.style.SUCCESS(
                _("Log in at %(url)s as '%(user)s' with password: %(password)s")
                % {"url": url, "user": username, "password": password}
            )
        )
