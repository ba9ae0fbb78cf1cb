"""The milestone nodes as registered files (CSV, XLSX), for the node list's downloads."""

import io

from openpyxl import Workbook

from projects.exports.registry import NODES, Exporter, ExportFile, register
from projects.text import csv_writer, file_row

from . import selectors

NODE_HEADS = [
    "项目编号",
    "项目名称",
    "节点",
    "序号",
    "计划完成",
    "实际完成",
    "责任单位",
    "滞后（天）",
]


def node_rows(nodes):
    for n in nodes:
        yield [
            n.project.code,
            n.project.name,
            n.name,
            n.sort_order,
            n.planned_date.isoformat() if n.planned_date else "",
            n.actual_date.isoformat() if n.actual_date else "",
            (n.unit or n.project.unit).name,
            n.days_late if n.flag == selectors.LATE else 0,
        ]


class NodeExporter(Exporter):
    """One format of the node file; ``file`` makes it from the listed nodes and a name stem."""

    kind = NODES

    def render_nodes(self, nodes) -> bytes:
        raise NotImplementedError

    def file(self, nodes, stem: str) -> ExportFile:
        return ExportFile(
            content=self.render_nodes(nodes),
            content_type=self.content_type,
            filename=f"{stem}.{self.identifier}",
        )


@register
class NodeXlsx(NodeExporter):
    identifier = "xlsx"
    name = "Excel (XLSX)"
    link_text = "Excel"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def render_nodes(self, nodes) -> bytes:
        book = Workbook()
        sheet = book.active
        sheet.append(NODE_HEADS)
        for row in node_rows(nodes):
            sheet.append(file_row(row))
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


@register
class NodeCsv(NodeExporter):
    identifier = "csv"
    name = "CSV"
    content_type = "text/csv; charset=utf-8"
    binary = False

    def render_nodes(self, nodes) -> bytes:
        out = io.StringIO()
        writer = csv_writer(out)
        writer.writerow(NODE_HEADS)
        writer.writerows(node_rows(nodes))
        # The byte-order mark lets Excel open the Chinese text as UTF-8.
        return ("\ufeff" + out.getvalue()).encode("utf-8")
