"""Who may do what: the three roles, the permission names, and the one unit-scoping rule.

Group permissions say what kind of rows a role may touch; which units' rows a
person may touch comes from ``Unit.members``, because Django's permissions have
no notion of a unit. Every screen, import, export and service scopes its rows
through ``ScopedQuerySet.visible_to`` / ``editable_by`` (or the unit-id helpers
below), so the rule is written once. A missing or anonymous user sees nothing.
"""

from django.contrib.auth.models import Group, Permission
from django.db import models, transaction

# Permission names, as ``user.has_perm`` takes them.
MANAGE_ALL_UNITS = "projects.manage_all_units"
EXPORT_REPORTS = "projects.export_reports"
REVIEW_SUBMISSIONS = "projects.review_submissions"
LOCK_PERIODS = "projects.lock_periods"

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
        MANAGE_ALL_UNITS,
        EXPORT_REPORTS,
        REVIEW_SUBMISSIONS,
        LOCK_PERIODS,
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
    },
    VIEWER: {EXPORT_REPORTS},
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


# ---------------------------------------------------------------- unit scoping


def _known(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def can_manage_all_units(user) -> bool:
    """Managers read and write every unit's rows; nobody else does."""
    return _known(user) and user.has_perm(MANAGE_ALL_UNITS)


def editable_unit_ids(user) -> set[int] | None:
    """The units whose rows the user may write; ``None`` means every unit."""
    if not _known(user):
        return set()
    if can_manage_all_units(user):
        return None
    return set(user.units.values_list("pk", flat=True))


def visible_unit_ids(user) -> set[int] | None:
    """The units whose rows the user may read; report readers see every unit."""
    if _known(user) and user.has_perm(EXPORT_REPORTS):
        return None
    return editable_unit_ids(user)


def unit_ids_for(user, action: str) -> set[int] | None:
    """``action`` is "view" or "change"; anything else is a programming error."""
    if action == "view":
        return visible_unit_ids(user)
    if action == "change":
        return editable_unit_ids(user)
    raise ValueError(f"unknown action {action!r}")


def restrict(queryset, user, action: str, unit_path: str):
    """The rows of ``queryset`` whose unit (reached through ``unit_path``) the user may use."""
    unit_ids = unit_ids_for(user, action)
    if unit_ids is None:
        return queryset
    if not unit_ids:
        return queryset.none()
    return queryset.filter(**{f"{unit_path}__in": unit_ids})


def may(user, action: str, unit_id: int | None) -> bool:
    """Whether the user may view or change a row of this unit."""
    unit_ids = unit_ids_for(user, action)
    return unit_ids is None or unit_id in unit_ids


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows the path from its rows to their unit."""

    unit_path = "unit"

    def visible_to(self, user):
        return restrict(self, user, "view", self.unit_path)

    def editable_by(self, user):
        return restrict(self, user, "change", self.unit_path)


class UnitQuerySet(ScopedQuerySet):
    unit_path = "pk"


class ProjectQuerySet(ScopedQuerySet):
    unit_path = "unit"


class ProjectChildQuerySet(ScopedQuerySet):
    """Plans, monthly progress and anything else hanging off a project."""

    unit_path = "project__unit"
