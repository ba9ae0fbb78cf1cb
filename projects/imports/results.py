"""What an import plans and reports: new, changed and unchanged rows, and row/column errors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..choices import KIND_FILE_LABELS

# --- plans -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One refused cell or row, as shown to the user."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("row %(row)s, column %(column)s: %(reason)s") % {
                "row": self.row,
                "column": self.column,
                "reason": self.message,
            }
        return _("row %(row)s: %(reason)s") % {"row": self.row, "reason": self.message}


@dataclass(frozen=True)
class Change:
    """One value a row would change: column header, stored value and the file's value."""

    column: str
    old: str
    new: str


@dataclass(frozen=True)
class FlaggedRow:
    """A row whose figures trip a plausibility warning, and whether it is acknowledged."""

    row: int
    label: str
    warnings: tuple
    acknowledged: bool

    @property
    def reasons(self) -> str:
        return " ".join(w.message for w in self.warnings)

    def __str__(self) -> str:
        return _("row %(row)s (%(label)s): %(reason)s") % {
            "row": self.row,
            "label": self.label,
            "reason": self.reasons,
        }


NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"


@dataclass
class PlannedRow:
    """A valid row of the file and what importing it would do."""

    row: int
    status: str
    code: str
    label: str
    changes: list[Change] = field(default_factory=list)
    payload: dict = field(default_factory=dict)


@dataclass(frozen=True)
class NewLookup:
    """A programme, unit, street or category the file names that does not exist yet."""

    kind: str
    name: str
    first_row: int


@dataclass
class ImportPlan:
    """Everything an import would do, for the preview, before anything is written."""

    kind: str
    filename: str
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    new_lookups: list[NewLookup] = field(default_factory=list)
    # The user's own reason for changing locked months; the file name alone never is one.
    user_reason: str = ""
    # Row numbers of the template's example rows, left out on purpose.
    example_rows: list[int] = field(default_factory=list)
    # Rows whose flagged figures the person confirmed on the preview (or all, --acknowledge).
    acknowledged_rows: set[int] = field(default_factory=set)
    acknowledge_all: bool = False

    def acknowledged(self, row: PlannedRow) -> bool:
        """A flagged row is confirmed by its 已核实 cell, a tick on the preview, or the command."""
        return (
            self.acknowledge_all
            or row.row in self.acknowledged_rows
            or bool(row.payload.get("acknowledged"))
        )

    def with_status(self, status: str) -> list[PlannedRow]:
        return [row for row in self.rows if row.status == status]

    @property
    def counts(self) -> dict[str, int]:
        return {
            NEW: len(self.with_status(NEW)),
            CHANGED: len(self.with_status(CHANGED)),
            UNCHANGED: len(self.with_status(UNCHANGED)),
            "errors": len(self.errors),
        }

    def versions(self) -> dict[str, str]:
        """Each row's stored versions as read for this plan, to pin between preview and confirm."""
        pinned = {}
        keys = ("entry",) if self.kind == "progress" else ("project", "plan")
        for row in self.rows:
            stored = [row.payload.get(k) for k in keys]
            pinned[str(row.row)] = "/".join(
                "-" if obj is None else str(obj.version) for obj in stored
            )
        return pinned

    def stale_rows(self, pinned: dict[str, str]) -> list[RowError]:
        """Rows whose stored figures changed since the preview that pinned ``pinned``."""
        current = self.versions()
        return [
            RowError(
                int(number),
                "",
                _(
                    "This row's stored figures were changed by someone else after your "
                    "preview; upload the file again to see the new preview."
                ),
            )
            for number in sorted(set(current) | set(pinned), key=int)
            if current.get(number) != pinned.get(number)
        ]

    @property
    def reason(self) -> str:
        text = f"导入 {self.filename}" if self.filename else "导入"
        return f"{text}：{self.user_reason}" if self.user_reason else text


def display_value(value, key: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, NewLookup):
        return value.name
    if key == "kind":
        return KIND_FILE_LABELS.get(value, value)
    return str(value)
