"""The nested apps depend on the ledger, not on each other in a chain; the ledger on none of them.

Read from the source's import statements, so a new import that breaks the layering fails here
with the file and the line, before anyone has to untangle a cycle.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECTS = ROOT / "projects"
NESTED = ("coordination", "milestones", "attachments", "notifications", "dashboard")
ABOVE_ALL = ("desk",)  # daily work across the apps: reminders, the to-do list

# The one edge between nested apps, and why: a photo may show a node (Photo.milestone).
ALLOWED_BETWEEN = {("attachments", "milestones")}
# Where the ledger reads a nested app, and why: the OC4IDS file publishes each project's
# nodes and approvals, and the site's URL list and commands sit above every app.
LEDGER_MAY_READ = {
    "projects/selectors/oc4ids.py": {"milestones"},
    # A late node is one of the warning light's signals, and 入库 has one rule, the nodes'.
    "projects/selectors/lights.py": {"milestones"},
    # The light reasons' words built in SQL for the files: the twin of ``lights.reasons_of``.
    "projects/selectors/reasons_sql.py": {"milestones"},
    "projects/management/commands/remind_units.py": {"desk"},
    # The demo's flags and a node that recovers span the ledger and the nodes, so they sit
    # with daily work above the apps; the loader calls them after the apps' own demo rows.
    "projects/management/commands/load_demo.py": {"desk"},
}


def _package_of(path: Path) -> str:
    """``coordination`` for a file in ``projects/coordination/``; ``ledger`` for the rest."""
    part = path.relative_to(PROJECTS).parts[0]
    return part if part in NESTED + ABOVE_ALL else "ledger"


def _imported(path: Path, text: str | None = None):
    """(line, app) for each import of a nested app or of ``desk`` in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8") if text is None else text)
    module_parts = ["projects", *path.relative_to(PROJECTS).with_suffix("").parts]
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module_parts[: len(module_parts) - node.level]
                names = [".".join([*base, *(node.module.split(".") if node.module else [])])]
                if not node.module:
                    names = [f"{names[0]}.{alias.name}" for alias in node.names]
            else:
                names = [node.module or ""]
        for name in names:
            parts = name.split(".")
            if len(parts) > 1 and parts[0] == "projects" and parts[1] in NESTED + ABOVE_ALL:
                yield node.lineno, parts[1]


def _sources():
    for path in sorted(PROJECTS.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _breaches():
    for path in _sources():
        own = _package_of(path)
        relative = str(path.relative_to(ROOT))
        for line, app in _imported(path):
            if app == own or own in ABOVE_ALL:
                continue
            if own == "ledger" and app in LEDGER_MAY_READ.get(relative, set()):
                continue
            if own in NESTED and (own, app) in ALLOWED_BETWEEN:
                continue
            yield f"{relative}:{line} ({own}) imports {app}"


def test_nested_apps_and_the_ledger_keep_their_layers():
    assert list(_breaches()) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("milestones/x.py", "from projects.coordination.models import Problem"),
        ("milestones/x.py", "from ..coordination import selectors"),
        ("web/x.py", "import projects.attachments.models"),
        ("selectors/x.py", "from ..desk import reminders"),
    ],
)
def test_an_import_across_the_layers_is_found(source, expected):
    """The checker itself: each of these would be a breach if it were in the code."""
    path = PROJECTS / source
    found = list(_imported(path, expected + "\n"))
    assert len(found) == 1 and found[0][1] != _package_of(path)


def test_each_nested_app_adds_to_the_ledgers_pages_through_the_panel_registry():
    """No template of the ledger loads a nested app's tags: the pages' views gather the panels."""
    templates = list((ROOT / "templates").rglob("*.html"))
    assert templates
    for path in templates:
        text = path.read_text(encoding="utf-8")
        for app in NESTED:
            assert f"{app}_tags" not in text, path
    for app in NESTED:
        assert not (PROJECTS / app / "templatetags").exists()
