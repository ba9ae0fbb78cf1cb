"""Keep the lights of the locked months that have none yet (months locked before records)."""

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from projects.periods import FIRST_YEAR, LAST_YEAR
from projects.services.accounts import SYSTEM_USERNAME, actor_named
from projects.services.light_history import record_locked_lights


class Command(BaseCommand):
    help = (
        "Keep each locked month's lights (1—M月) for every project on the year's lists, where "
        "none are kept yet; safe to run again (a kept month is never rewritten)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--through", type=int, default=12, help="The last month to fill (1–12; default 12)."
        )
        parser.add_argument(
            "--user",
            default=SYSTEM_USERNAME,
            help="The manager the records are written as (default: the system account).",
        )

    def handle(self, *args, year, through, user, **options):
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise CommandError(
                _("The year must be between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        if not 1 <= through <= 12:
            raise CommandError(_("--through takes a month from 1 to 12."))
        actor = actor_named(user)
        if actor is None:
            raise CommandError(_("There is no account named “%(user)s”.") % {"user": user})
        try:
            written = record_locked_lights(actor=actor, year=year, through=through)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("%(count)s light records written for the locked months of %(year)s.")
            % {"count": written, "year": year}
        )
