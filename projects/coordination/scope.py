"""Who may see and change a project's dispatch records: the ledger's one scoping rule, applied.

Every dispatch app (problems, nodes, approvals, photos) asks here, so that the
rule is read from ``projects.permissions`` in one place and follows it.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from projects.models import Project
from projects.permissions import can_manage_all_units, may
from projects.permissions import visible_unit_ids as ledger_visible_unit_ids
from projects.services.checks import require_actor

# Unit staff carry this; report readers (viewers) do not, so they read but never write.
ENTRY_PERMISSION = "projects.change_monthlyprogress"


def is_manager(user) -> bool:
    """Managers assign, escalate and close problems and apply node templates."""
    return can_manage_all_units(user)


def visible_unit_ids(user) -> set[int] | None:
    """Units whose projects the user may read; ``None`` means every unit, empty means none."""
    return ledger_visible_unit_ids(user)


def visible_projects(user):
    return Project.objects.visible_to(user)


def can_view(user, project: Project) -> bool:
    return may(user, "view", project.unit_id)


def can_edit(user, project: Project) -> bool:
    """Unit staff write for their own units' projects, managers for every project."""
    if not (is_manager(user) or (user is not None and user.has_perm(ENTRY_PERMISSION))):
        return False
    return may(user, "change", project.unit_id)


def ensure_can_edit(actor, project: Project) -> None:
    """Every write names its actor (a person or the named system account)."""
    require_actor(actor)
    if can_edit(actor, project):
        return
    raise PermissionDenied(
        _("%(project)s belongs to %(unit)s; you can only work on your own unit's projects.")
        % {"project": project.code, "unit": project.unit}
    )


def ensure_manager(actor, message: str) -> None:
    require_actor(actor)
    if is_manager(actor):
        return
    raise PermissionDenied(message)
