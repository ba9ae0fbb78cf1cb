"""Import node plans from a CSV or XLSX file with the columns of the /nodes/ export."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from projects.imports.reading import ImportFileError
from projects.milestones.imports import import_nodes
from projects.services.accounts import SYSTEM_USERNAME, actor_named


class Command(BaseCommand):
    help = "Import nodes (项目编号, 节点, 序号, 计划完成, 实际完成, 责任单位); all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV (UTF-8 or GBK) or .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="Check without saving.")
        parser.add_argument(
            "--user",
            default=SYSTEM_USERNAME,
            help="Import as this account (its unit scoping applies); the system account if blank.",
        )
        parser.add_argument(
            "--reason",
            default="",
            help="Why nodes dated in locked months are changed; without it such rows are "
            "refused. Kept in the change history.",
        )

    def handle(self, *args, path, dry_run, user, reason="", **options):
        actor = actor_named(user)
        if actor is None:
            raise CommandError(f"没有名为“{user}”的账号。")
        try:
            content = Path(path).read_bytes()
            result = import_nodes(
                actor=actor,
                content=content,
                filename=Path(path).name,
                dry_run=dry_run,
                reason=reason,
            )
        except OSError as exc:
            raise CommandError(f"无法读取 {path}：{exc.strerror}") from exc
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        for number, message in result.errors:
            self.stderr.write(f"第 {number} 行：{message}")
        if result.errors:
            raise CommandError(f"{len(result.errors)} 行有误，未导入任何节点。")
        verb = "可导入" if dry_run else "已导入"
        self.stdout.write(f"{verb} {result.saved} 个节点。")
