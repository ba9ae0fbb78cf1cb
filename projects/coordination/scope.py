"""Who may see and change a project's dispatch records, from the ledger's one scoping rule.

Every dispatch app (problems, nodes, approvals, photos) asks here, so that the
rule is read in one place and follows the ledger's when it changes.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from projects.models import Project
from projects.services import can_manage_all_units, editable_unit_ids
from projects.views import viewable_unit_ids


def is_manager(user) -> bool:
    """Managers assign, escalate and close problems and apply node templates."""
    return bool(user and user.is_authenticated and can_manage_all_units(user))


def visible_unit_ids(user) -> set[int] | None:
    """Units whose projects the user may read; ``None`` means every unit, empty means none."""
    if user is None or not user.is_authenticated:
        return set()
    return viewable_unit_ids(user)


def visible_projects(user):
    unit_ids = visible_unit_ids(user)
    projects = Project.objects.all()
    return projects if unit_ids is None else projects.filter(unit_id__in=unit_ids)


def can_view(user, project: Project) -> bool:
    unit_ids = visible_unit_ids(user)
    return unit_ids is None or project.unit_id in unit_ids


def can_edit(user, project: Project) -> bool:
    """Unit staff write for their own units' projects, managers for every project."""
    if user is None or not user.is_authenticated:
        return False
    if not (is_manager(user) or user.has_perm("projects.change_monthlyprogress")):
        return False
    unit_ids = editable_unit_ids(user)
    return unit_ids is None or project.unit_id in unit_ids


def ensure_can_edit(actor, project: Project) -> None:
    """``actor`` None is the system itself (demo loader, operator commands), which is trusted."""
    if actor is None or can_edit(actor, project):
        return
    raise PermissionDenied(
        _("%(project)s belongs to %(unit)s; you can only work on your own unit's projects.")
        % {"project": project.code, "unit": project.unit}
    )


def ensure_manager(actor, message: str) -> None:
    if actor is None or is_manager(actor):
        return
    raise PermissionDenied(message)
