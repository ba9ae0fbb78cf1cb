"""Every write to the ledger goes through here.

The admin, the ledger importers, the screens and any later API call these
functions, so permissions, period state, validation, optimistic version checks
and change history are applied the same way whatever the door. Functions take
keyword-only arguments and name their ``actor``.
"""

from ..permissions import LOCK_PERIODS, MANAGE_ALL_UNITS, REVIEW_SUBMISSIONS
from .batch import ProgressInput, record_progress_batch
from .checks import (
    PlanRefused,
    can_manage_all_units,
    check_plan,
    check_progress,
    check_version,
    editable_unit_ids,
    ensure_can_edit,
    ensure_can_plan,
    ensure_month_writable,
    month_closed_reason,
    month_refusal,
    stale_error,
)
from .cycle import (
    approve_month,
    check_lockable,
    lock_month,
    lock_months,
    lock_quarter,
    return_month,
    save_dispatch_settings,
    save_list_thresholds,
    submit_month,
    unlock_month,
    unlock_months,
    unlock_quarter,
)
from .exports import (
    export_job_beat,
    export_job_claim,
    export_job_fail,
    export_job_finish,
    export_job_request,
    export_job_retry,
    export_jobs_expire,
    export_jobs_take_back,
)
from .flags import clear_flag, flag_project
from .funds import record_funds
from .indicators import record_indicator_value
from .ledger import (
    delete_plan,
    delete_progress,
    delete_project,
    record_progress,
    restore_project,
    save_plan,
    save_project,
)
from .plans import approve_plan_change, refuse_plan_change, request_plan_change
from .reference import create_named_entry
from .sharing import create_share_link, record_share_download, revoke_share_link

__all__ = [
    "LOCK_PERIODS",
    "export_job_beat",
    "record_funds",
    "export_job_claim",
    "export_job_fail",
    "export_job_finish",
    "export_job_request",
    "export_job_retry",
    "export_jobs_expire",
    "export_jobs_take_back",
    "MANAGE_ALL_UNITS",
    "REVIEW_SUBMISSIONS",
    "PlanRefused",
    "ProgressInput",
    "approve_month",
    "approve_plan_change",
    "refuse_plan_change",
    "request_plan_change",
    "check_lockable",
    "can_manage_all_units",
    "check_plan",
    "check_progress",
    "check_version",
    "create_named_entry",
    "create_share_link",
    "delete_plan",
    "delete_progress",
    "delete_project",
    "editable_unit_ids",
    "ensure_can_edit",
    "ensure_can_plan",
    "ensure_month_writable",
    "lock_month",
    "lock_months",
    "lock_quarter",
    "month_closed_reason",
    "month_refusal",
    "record_indicator_value",
    "record_progress",
    "record_progress_batch",
    "record_share_download",
    "restore_project",
    "return_month",
    "save_dispatch_settings",
    "save_list_thresholds",
    "flag_project",
    "clear_flag",
    "revoke_share_link",
    "save_plan",
    "save_project",
    "stale_error",
    "submit_month",
    "unlock_month",
    "unlock_months",
    "unlock_quarter",
]
