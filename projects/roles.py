"""The three roles (groups) and the permissions each one carries.

Group permissions say what kind of rows a role may touch; which units' rows a
unit staff member may touch is decided by ``projects.services`` from
``Unit.members``, because Django's permissions have no notion of a unit.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

UNIT_STAFF = "unit_staff"
MANAGER = "manager"
VIEWER = "viewer"
ROLES = (UNIT_STAFF, MANAGER, VIEWER)

_LEDGER_MODELS = (
    "project",
    "quarterplan",
    "monthlyprogress",
    "monthsubmission",
    "periodlock",
    "unit",
    "street",
    "category",
    "programme",
    "reportsettings",
    "sharelink",
    "sharedownload",
)

ROLE_PERMISSIONS: dict[str, set[str]] = {
    # Unit staff may not add or delete projects; their scope is enforced in services.
    UNIT_STAFF: {
        "projects.view_project",
        "projects.change_project",
        "projects.view_quarterplan",
        "projects.add_quarterplan",
        "projects.change_quarterplan",
        "projects.view_monthlyprogress",
        "projects.add_monthlyprogress",
        "projects.change_monthlyprogress",
        "projects.delete_monthlyprogress",
        "projects.view_monthsubmission",
    },
    MANAGER: {
        *(
            f"projects.{action}_{model}"
            for model in _LEDGER_MODELS
            for action in ("view", "add", "change", "delete")
        ),
        "projects.manage_all_units",
        "projects.export_reports",
        "projects.review_submissions",
        "projects.lock_periods",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
    },
    VIEWER: {"projects.export_reports"},
}

# Roles that use the admin for entry; viewers only read the report pages.
STAFF_ROLES = {UNIT_STAFF, MANAGER}


def _permission(codename: str) -> Permission:
    app_label, code = codename.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=code)


@transaction.atomic
def setup_roles() -> dict[str, Group]:
    """Create or refresh the three groups; running it again changes nothing."""
    groups = {}
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([_permission(c) for c in sorted(codenames)])
        groups[role] = group
    return groups


def role_of(user) -> str | None:
    names = set(user.groups.values_list("name", flat=True))
    for role in (MANAGER, UNIT_STAFF, VIEWER):
        if role in names:
            return role
    return None
