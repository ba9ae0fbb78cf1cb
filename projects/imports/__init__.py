"""Reading the units' ledger and monthly-progress files, and applying them.

One core serves the admin upload and the management commands:

1. ``reading.read_table`` turns CSV (UTF-8 with or without BOM, GB18030/GBK) or
   XLSX bytes into numbered rows;
2. ``planning.plan_ledger`` / ``plan_progress`` find the header row, parse every
   cell (``cells``) against the one column list (``columns``) and compare it with
   what is stored, giving an ``ImportPlan`` (new, changed with old -> new values,
   unchanged, and row/column errors) in a fixed number of queries;
3. ``applying.apply_plan`` writes the new and changed rows through
   ``projects.services`` inside one transaction, turning the services' refusals
   into row errors, and rolls everything back when any row has an error.

``ledger_files`` writes the templates and the ledger export in the same columns.
"""

from .applying import ImportResult, apply_plan, run_import
from .cells import CellError, parse_amount, parse_date, parse_integer, parse_kind
from .columns import LEDGER_COLUMNS, PROGRESS_COLUMNS, Column
from .planning import plan_ledger, plan_progress
from .reading import ImportFileError, decode_text, read_table
from .results import CHANGED, NEW, UNCHANGED, ImportPlan, PlannedRow, RowError

__all__ = [
    "CHANGED",
    "LEDGER_COLUMNS",
    "NEW",
    "PROGRESS_COLUMNS",
    "UNCHANGED",
    "CellError",
    "Column",
    "ImportFileError",
    "ImportPlan",
    "ImportResult",
    "PlannedRow",
    "RowError",
    "apply_plan",
    "decode_text",
    "parse_amount",
    "parse_date",
    "parse_integer",
    "parse_kind",
    "plan_ledger",
    "plan_progress",
    "read_table",
    "run_import",
]
