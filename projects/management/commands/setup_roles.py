"""Create or refresh the unit_staff, manager and viewer groups."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from projects.permissions import setup_roles


class Command(BaseCommand):
    help = "Create or refresh the three roles (groups) and their permissions; safe to rerun."

    def handle(self, *args, **options):
        groups = setup_roles()
        for name, group in groups.items():
            self.stdout.write(
                _("Role %(role)s: %(count)s permissions")
                % {"role": name, "count": group.permissions.count()}
            )
