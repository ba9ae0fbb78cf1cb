"""Create or update an account with one role and its units or streets, for onboarding a district."""

import getpass
import secrets
import sys

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _

from projects.models import Street, Unit
from projects.permissions import ROLES
from projects.services.account_roles import membership_problem, save_account
from projects.services.accounts import system_actor


class Command(BaseCommand):
    # Tests and scripts may hand in their own standard input.
    stealth_options = ("stdin",)
    help = (
        "Create USERNAME (or update it if it exists) with a role and its units or streets. The "
        "password is read from --password-file or standard input; if none is given a generated "
        "one is printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        # Validated in handle() so an unknown role gets the same clear message as a unit.
        parser.add_argument("--role", required=True, help=", ".join(ROLES))
        parser.add_argument(
            "--unit",
            action="append",
            default=[],
            dest="units",
            help="A responsible unit by code or name; repeat for several.",
        )
        parser.add_argument(
            "--street",
            action="append",
            default=[],
            dest="streets",
            help="A street by code or name (street_viewer); repeat for several.",
        )
        parser.add_argument(
            "--password-file",
            help="Read the password from the first line of this file.",
        )
        parser.add_argument(
            "--no-password",
            action="store_true",
            help="Keep an existing user's password; do not read or generate one.",
        )

    def handle(self, *args, username, role, units, streets, no_password, **options):
        self.stdin = options.get("stdin") or sys.stdin
        self.password_file = options.get("password_file")
        if role not in ROLES:
            raise CommandError(
                _("Unknown role '%(role)s'; choose one of: %(roles)s.")
                % {"role": role, "roles": ", ".join(ROLES)}
            )
        unit_objs = [self._unit(name) for name in units]
        street_objs = [self._street(name) for name in streets]
        # One rule with the admin (services.account_roles), worded with this command's flags.
        problem = membership_problem(role, units=unit_objs, streets=street_objs)
        if problem == "units":
            raise CommandError(_("A unit_staff account needs at least one --unit."))
        if problem == "streets":
            raise CommandError(_("A street_viewer account needs at least one --street."))
        if problem == "extra_streets":
            raise CommandError(
                _("Only a street_viewer account reads by street; leave out --street.")
            )

        User = get_user_model()
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User(username=username)
        password, generated = None, False
        if created or not no_password:
            password = self._read_password()
            if not password:
                password, generated = secrets.token_urlsafe(12), True
            try:
                password_validation.validate_password(password, user)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc

        user.is_active = True
        if password:
            user.set_password(password)
        try:
            # Through the same service as the admin's account form, acting as the system account.
            save_account(
                actor=system_actor(), account=user, role=role, units=unit_objs, streets=street_objs
            )
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", None) or [str(exc)])) from exc

        verb = _("Created") if created else _("Updated")
        self.stdout.write(
            self.style.SUCCESS(
                _("%(verb)s %(user)s as %(role)s; units: %(units)s")
                % {
                    "verb": verb,
                    "user": username,
                    "role": role,
                    "units": ", ".join(u.name for u in (*unit_objs, *street_objs)) or "-",
                }
            )
        )
        if generated:
            self.stdout.write(_("Password (shown once): %(password)s") % {"password": password})

    def _unit(self, name: str) -> Unit:
        unit = Unit.objects.filter(Q(code=name) | Q(name=name)).first()
        if unit is None:
            raise CommandError(
                _("Unknown unit '%(unit)s'; give a unit's code or its full name.") % {"unit": name}
            )
        return unit

    def _street(self, name: str) -> Street:
        street = Street.objects.filter(Q(code=name) | Q(name=name)).first()
        if street is None:
            raise CommandError(
                _("Unknown street '%(street)s'; give a street's code or its full name.")
                % {"street": name}
            )
        return street

    def _read_password(self) -> str:
        if self.password_file:
            try:
                with open(self.password_file, encoding="utf-8") as handle:
                    return handle.readline().strip()
            except OSError as exc:
                raise CommandError(
                    _("The password file %(path)s could not be read: %(error)s")
                    % {"path": self.password_file, "error": exc.strerror or exc}
                ) from exc
        if self.stdin.isatty():
            return getpass.getpass(_("Password (leave empty to generate one): "))
        return self.stdin.readline().strip()
