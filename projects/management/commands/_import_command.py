"""The shared body of import_ledger and import_progress."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from projects.imports import ImportFileError, run_import
from projects.services.accounts import actor_named

# Report progress on files long enough for the wait to be noticed.
PROGRESS_EVERY = 500


class ImportCommand(BaseCommand):
    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV (UTF-8 or GBK) or .xlsx file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and summarise without saving anything."
        )
        parser.add_argument(
            "--user",
            required=True,
            help="Import as this account: its unit scoping applies and history names it. "
            "`--user system` imports as the named system account.",
        )
        parser.add_argument(
            "--acknowledge",
            action="store_true",
            help="Save rows whose figures look unusual (a large month, a jump, 雷同…) as they "
            "are: each is printed and kept as acknowledged by --user. Without it such rows "
            "are refused unless the file's 已核实 column says 是.",
        )
        parser.add_argument(
            "--reason",
            default="",
            help="Why rows in locked months are changed; without it such rows are refused. "
            "Kept in the change history next to the file name.",
        )

    def handle(self, *args, path, dry_run, user, reason="", acknowledge=False, **options):
        actor = actor_named(user)
        if actor is None:
            raise CommandError(_("There is no account named “%(user)s”.") % {"user": user})
        file = Path(path)
        try:
            # One byte past the limit is enough for the reader to refuse a file as too large.
            with file.open("rb") as handle:
                content = handle.read(settings.IMPORT_MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
            ) from exc
        try:
            result = run_import(
                self.kind,
                content,
                filename=file.name,
                actor=actor,
                dry_run=dry_run,
                progress=self.report_progress,
                reason=reason,
                acknowledge_all=acknowledge,
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        counts = result.counts
        self.stdout.write(
            _("new: %(new)s, changed: %(changed)s, unchanged: %(unchanged)s, errors: %(errors)s")
            % counts
        )
        if result.plan.example_rows:
            self.stdout.write(
                ngettext(
                    "skipped %(count)s example row (项目编号 starting with 示例): %(rows)s",
                    "skipped %(count)s example rows (项目编号 starting with 示例): %(rows)s",
                    len(result.plan.example_rows),
                )
                % {
                    "count": len(result.plan.example_rows),
                    "rows": ", ".join(str(n) for n in result.plan.example_rows),
                }
            )
        for lookup in result.plan.new_lookups:
            self.stdout.write(
                _("new %(kind)s: %(name)s (row %(row)s)")
                % {"kind": lookup.kind, "name": lookup.name, "row": lookup.first_row}
            )
        self.report_flagged(result)
        for error in result.errors:
            self.stderr.write(str(error))
        if result.errors:
            raise CommandError(_("Nothing was saved: correct the rows above and import again."))
        if result.unacknowledged:
            raise CommandError(
                _(
                    "Nothing was saved: %(count)s rows look unusual. Check them, then write 是 "
                    "in their 已核实 column or import again with --acknowledge."
                )
                % {"count": len(result.unacknowledged)}
            )
        if dry_run:
            self.stdout.write(_("Dry run: nothing was saved."))
        else:
            self.stdout.write(self.style.SUCCESS(_("Import saved.")))

    def report_flagged(self, result) -> None:
        """Every unusual row is printed: the acknowledged ones as a record, the rest as refusals."""
        for flagged in result.flagged:
            if flagged.acknowledged:
                self.stdout.write(_("acknowledged (已核实): %(row)s") % {"row": flagged})
            else:
                self.stderr.write(_("needs checking (已核实): %(row)s") % {"row": flagged})

    def report_progress(self, done: int, total: int) -> None:
        if total >= PROGRESS_EVERY and (done % PROGRESS_EVERY == 0 or done == total):
            self.stderr.write(
                _("%(done)s of %(total)s rows checked") % {"done": done, "total": total},
                ending="\r" if sys.stderr.isatty() and done < total else "\n",
            )
