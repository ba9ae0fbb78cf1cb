"""Which file formats exist, by kind: the table the export registry fills.

Kept free of imports so a model (the share link's choice of format) can read it;
the exporters themselves live in ``projects.exports`` and add themselves here
through ``exports.registry.register`` when the app is ready.
"""

REPORT = "report"
AGENDA = "agenda"
NODES = "nodes"
STATUS = "status"
SCORES = "scores"
LIBRARY = "library"  # the month's due-for-入库 list (``attachments.exports``)

# Kind -> identifier -> the exporter; one home for every file format of the app.
REGISTRY: dict[str, dict] = {
    REPORT: {},
    AGENDA: {},
    NODES: {},
    STATUS: {},
    SCORES: {},
    LIBRARY: {},
}


def formats(kind: str = REPORT, **wanted: bool) -> dict:
    """The kind's formats in their ``order``, those with every ``wanted`` attribute only."""
    chosen = [
        e
        for e in REGISTRY.get(kind, {}).values()
        if all(getattr(e, name) == value for name, value in wanted.items())
    ]
    return {e.identifier: e for e in sorted(chosen, key=lambda e: e.order)}


def share_formats() -> list[tuple[str, str]]:
    """The files a share link may send: the formats the registry marks shareable, and the 通报."""
    chosen = {**formats(shareable=True), **formats(briefing=True)}
    return [(identifier, e.name) for identifier, e in chosen.items()]
