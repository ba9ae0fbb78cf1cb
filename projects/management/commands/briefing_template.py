"""Write the briefing's Word template, for the office to restyle and point BRIEFING_TEMPLATE at."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from projects.exports.docx_file import template_docx


class Command(BaseCommand):
    help = "Write a .docx holding the briefing's named styles, to restyle in Word or WPS."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="The .docx file to write.")

    def handle(self, *args, output, **options):
        path = Path(output)
        path.write_bytes(template_docx())
        self.stderr.write(
            _("Wrote %(path)s; restyle it and set BRIEFING_TEMPLATE to its path.") % {"path": path}
        )
