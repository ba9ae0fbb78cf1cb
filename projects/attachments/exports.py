"""The month's due-for-入库 list as a registered file (CSV), for the due page's download."""

import io

from projects.choices import Light
from projects.exports.registry import Exporter, ExportFile, register
from projects.file_formats import LIBRARY
from projects.text import csv_writer

from .library_selectors import DueList

LIGHTS = Light.short_labels()  # 黄灯, 红灯: the files' word for a light
HEADS = [
    "项目编号",
    "项目名称",
    "责任单位",
    "计划总投资（万元）",
    "实际开工",
    "开工天数",
    "开工满月数",
    "亮灯",
    "满黄灯月数日期",
    "满红灯月数日期",
    "本月新到期",
    "已有入库材料",
    "缺少入库材料",
]


def due_rows(due: DueList):
    yield HEADS
    for r in due.rows:
        p = r.project
        yield [
            p.code,
            p.name,
            p.unit.name,
            f"{p.total_investment:f}",
            p.actual_start.isoformat(),
            r.days_out,
            r.months_out,
            LIGHTS[r.light],
            r.yellow_on.isoformat(),
            r.red_on.isoformat(),
            "是" if r.new_this_month else "否",
            "；".join(str(label) for kind, label in r.present_items),
            "；".join(r.missing_labels),
        ]


class LibraryExporter(Exporter):
    """One format of the due list; ``file`` makes it from the month's list."""

    kind = LIBRARY

    def render_due(self, due: DueList) -> bytes:
        raise NotImplementedError

    def file(self, due: DueList) -> ExportFile:
        return ExportFile(
            content=self.render_due(due),
            content_type=self.content_type,
            filename=f"待入库项目-{due.year}-{due.month:02d}.{self.identifier}",
        )


@register
class LibraryCsv(LibraryExporter):
    identifier = "csv"
    name = "CSV"
    link_text = "CSV"
    content_type = "text/csv; charset=utf-8"
    binary = False

    def render_due(self, due: DueList) -> bytes:
        # The byte-order mark lets Excel open the Chinese text as UTF-8.
        out = io.StringIO("\ufeff")
        out.seek(0, io.SEEK_END)
        csv_writer(out).writerows(due_rows(due))
        return out.getvalue().encode("utf-8")
