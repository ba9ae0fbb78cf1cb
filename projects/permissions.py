"""Who may do what: the roles as data, the permission names, and the one access policy.

Group permissions say what kind of rows a role may touch; how far a person
reaches is the role's scope for each action (``SCOPES``): every row, the
person's units (``Unit.members``) or the person's streets (``Street.members``),
because Django's permissions have no notion of either. Every screen, import,
export, selector and service narrows its rows with ``restrict(user, action)``
(``Project.objects.restrict(user, "view")``) before it fetches one, and asks
``can(user, action, obj)`` about a row it holds, so the rule is written once and a
row out of reach is simply not found. A missing or anonymous user reaches nothing.

Actions: ``view`` (a project's page, its problems, nodes and photos), ``change``
(writing a project's figures and dispatch records), ``report`` (the rows the
quarterly report and its files cover) and ``plan`` (setting a project's plans: the
quarterly and annual plan, 总投资 and the planned dates, and deciding plan-change
requests). Plans belong to the office: unit staff only propose (``change`` reaches
their units, so they may ask for their own projects), a manager sets.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import models, transaction
from django.db.models import Q

# Permission names, as ``user.has_perm`` takes them.
MANAGE_ALL_UNITS = "projects.manage_all_units"
EXPORT_REPORTS = "projects.export_reports"
REVIEW_SUBMISSIONS = "projects.review_submissions"
LOCK_PERIODS = "projects.lock_periods"
# Unit staff carry this; report readers do not, so they read but never write.
ENTRY_PERMISSION = "projects.change_monthlyprogress"

UNIT_STAFF = "unit_staff"
MANAGER = "manager"
VIEWER = "viewer"
STREET_VIEWER = "street_viewer"
ROLES = (UNIT_STAFF, MANAGER, VIEWER, STREET_VIEWER)

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
    "scoringrule",
    "sharelink",
    "sharedownload",
    "planchangerequest",
    "indicator",
)

ROLE_PERMISSIONS: dict[str, set[str]] = {
    # Unit staff may not add or delete projects; their scope is enforced in services.
    # Plans are read-only to them: they ask for a change (a plan-change request).
    UNIT_STAFF: {
        "projects.view_project",
        "projects.change_project",
        "projects.view_quarterplan",
        "projects.view_planchangerequest",
        "projects.add_planchangerequest",
        "projects.view_monthlyprogress",
        "projects.add_monthlyprogress",
        "projects.change_monthlyprogress",
        "projects.delete_monthlyprogress",
        "projects.view_monthsubmission",
        # Funds in place are entered like monthly progress; corrected, never deleted.
        "projects.view_fundsinplace",
        "projects.add_fundsinplace",
        "projects.change_fundsinplace",
    },
    MANAGER: {
        *(
            f"projects.{action}_{model}"
            for model in _LEDGER_MODELS
            for action in ("view", "add", "change", "delete")
        ),
        # Indicator figures are entered through their page (the service); the admin only lists them.
        "projects.view_indicatorvalue",
        "projects.view_fundsinplace",
        "projects.add_fundsinplace",
        "projects.change_fundsinplace",
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
    # A street office reads the report, its files and its own projects' pages.
    STREET_VIEWER: {EXPORT_REPORTS},
}

# Roles that use the admin for entry; viewers only read the report pages.
STAFF_ROLES = {UNIT_STAFF, MANAGER}

# How far each action reaches.
ALL = "all"
UNITS = "units"
STREETS = "streets"
NOTHING = "nothing"
ACTIONS = ("view", "change", "report", "plan")


@dataclass(frozen=True)
class Scope:
    """One role's reach per action: ``ALL``, ``UNITS``, ``STREETS`` or ``NOTHING``."""

    view: str
    change: str
    report: str
    # Setting plans (quarterly, annual, 总投资, planned dates) and deciding requests.
    plan: str = NOTHING


# A new role is a row here and in ROLE_PERMISSIONS (and ``recognise`` if it is
# not told apart by a permission): no screen or service names a role.
SCOPES: dict[str | None, Scope] = {
    MANAGER: Scope(view=ALL, change=ALL, report=ALL, plan=ALL),
    VIEWER: Scope(view=ALL, change=NOTHING, report=ALL),
    # Unit staff read the whole report (it is their home page) but only their
    # units' project pages, and write only for their units.
    UNIT_STAFF: Scope(view=UNITS, change=UNITS, report=ALL),
    STREET_VIEWER: Scope(view=STREETS, change=NOTHING, report=STREETS),
    # Signed in without a role: their units' pages (if any), no writes.
    None: Scope(view=UNITS, change=NOTHING, report=ALL),
}


def _permission(codename: str) -> Permission:
    app_label, code = codename.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=code)


@transaction.atomic
def setup_roles() -> dict[str, Group]:
    """Create or refresh the roles' groups; running it again changes nothing."""
    groups = {}
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([_permission(c) for c in sorted(codenames)])
        groups[role] = group
    return groups


def role_of(user) -> str | None:
    names = set(user.groups.values_list("name", flat=True))
    for role in (MANAGER, UNIT_STAFF, STREET_VIEWER, VIEWER):
        if role in names:
            return role
    return None


# ---------------------------------------------------------------- the access policy


def _known(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


class _WholeDistrict:
    """A read with no person behind it: the command line, a manager's share link, a test.

    It reads every row and writes nothing (services refuse it: it is no user).
    """

    is_authenticated = False

    def __repr__(self):
        return "WHOLE_DISTRICT"


WHOLE_DISTRICT = _WholeDistrict()


def recognise(user) -> str | None:
    """The role whose scope applies, told apart by permissions (cached by Django).

    A street viewer holds a report reader's permission, so their group decides;
    superusers and anyone given a role's permissions directly count as that role.
    Told once per user object (a request's): a report page asks about ten times, each up
    to three permission checks through every authentication backend.
    """
    cache = user.__dict__
    if "_access_role" not in cache:
        cache["_access_role"] = _role_of(user)
    return cache["_access_role"]


def _role_of(user) -> str | None:
    if user.has_perm(MANAGE_ALL_UNITS):
        return MANAGER
    if user.has_perm(EXPORT_REPORTS):
        return STREET_VIEWER if _in_group(user, STREET_VIEWER) else VIEWER
    if user.has_perm(ENTRY_PERMISSION):
        return UNIT_STAFF
    return None


def _in_group(user, name: str) -> bool:
    cache = user.__dict__.setdefault("_access_groups", {})
    if name not in cache:
        cache[name] = user.groups.filter(name=name).exists()
    return cache[name]


def reach(user, action: str) -> str:
    """How far ``action`` reaches for this user: ``ALL``, ``UNITS``, ``STREETS`` or ``NOTHING``."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if user is WHOLE_DISTRICT:
        return NOTHING if action in ("change", "plan") else ALL
    if not _known(user):
        return NOTHING
    return getattr(SCOPES[recognise(user)], action)


def _member_ids(user, related: str) -> frozenset[int]:
    # Read once per request's user object: a page asks many times; through a statement
    # built once for every person (their id in place of a sentinel, ``compiled``).
    from .selectors import placed  # the selectors import this module

    cache = user.__dict__.setdefault("_access_members", {})
    if related not in cache:
        listed = user._meta.get_field(related).related_model  # Unit or Street
        rows = placed.values_for(
            ("member of", related),
            lambda person: listed.objects.filter(members=person).values("pk").order_by(),
            user.pk,
        )
        cache[related] = frozenset(row["pk"] for row in rows)
    return cache[related]


def reached(
    user, action: str, *, unit: str | None = "unit", street: str | None = "street"
) -> tuple[str | None, tuple[int, ...]]:
    """What ``restrict`` filters by, as data: the path and the ids of the units or streets
    ``action`` reaches (no ids: nothing), or no path when it reaches every row. For a read
    compiled once for every person (``selectors.compiled``), the ids in place of sentinels."""
    how = reach(user, action)
    if how == ALL:
        return None, ()
    path, related = (unit, "units") if how == UNITS else (street, "streets")
    if how == NOTHING or path is None:
        return "pk", ()
    return path, tuple(sorted(_member_ids(user, related)))


def restricted(rows, path: str | None, ids) -> models.QuerySet:
    """``rows`` filtered as ``reached`` says."""
    if path is None:
        return rows
    return rows.filter(**{f"{path}__in": ids}) if ids else rows.none()


def restrict(user, action: str, *, unit: str | None = "unit", street: str | None = "street") -> Q:
    """The filter of the rows ``action`` reaches, for rows whose unit and street lie at
    the paths given (``None``: the rows have no such path, so that reach finds nothing)."""
    path, ids = reached(user, action, unit=unit, street=street)
    if path is None:
        return Q()
    return Q(**{f"{path}__in": list(ids)}) if ids else Q(pk__in=[])


def can(user, action: str, obj) -> bool:
    """Whether ``action`` reaches this row (a project, or anything with ``.project``)."""
    project = obj if hasattr(obj, "street_id") else obj.project
    how = reach(user, action)
    if how == ALL:
        return True
    if how == UNITS:
        return project.unit_id in _member_ids(user, "units")
    if how == STREETS:
        return project.street_id in _member_ids(user, "streets")
    return False


def reaches_unit(user, action: str, unit_id: int) -> bool:
    """Whether ``action`` reaches every project of this unit (a unit's month, its grid)."""
    how = reach(user, action)
    return how == ALL or (how == UNITS and unit_id in _member_ids(user, "units"))


def can_manage_all_units(user) -> bool:
    """Managers read and write every unit's rows and decide for the district."""
    return _known(user) and user.has_perm(MANAGE_ALL_UNITS)


def editable_unit_ids(user) -> set[int] | None:
    """The units whose rows the user may write; ``None`` means every unit."""
    how = reach(user, "change")
    if how == ALL:
        return None
    return set(_member_ids(user, "units")) if how == UNITS else set()


def visible_unit_ids(user) -> set[int] | None:
    """Which rows of the user's report link to a project page: ``None`` means all of them.

    A street viewer's report holds only their streets' projects, all of which they may open.
    """
    how = reach(user, "view")
    if how in (ALL, STREETS):
        return None
    return set(_member_ids(user, "units")) if how == UNITS else set()


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows the paths from its rows to their unit and street."""

    unit_path: str | None = "unit"
    street_path: str | None = None

    def restrict(self, user, action: str):
        """The rows ``action`` reaches for ``user``: fetch through this, so the rest is 404."""
        return self.filter(restrict(user, action, unit=self.unit_path, street=self.street_path))

    def reached(self, user, action: str) -> tuple[str | None, tuple[int, ...]]:
        """``reached`` for these rows' paths."""
        return reached(user, action, unit=self.unit_path, street=self.street_path)


class UnitQuerySet(ScopedQuerySet):
    unit_path = "pk"

    def own(self, user):
        """The units a person hands in months for: those they are staff of and may write for."""
        if not _known(user):
            return self.none()
        return self.restrict(user, "change").filter(members=user)


class ProjectQuerySet(ScopedQuerySet):
    unit_path = "unit"
    street_path = "street"


class ProjectChildQuerySet(ScopedQuerySet):
    """Plans, monthly progress and anything else hanging off a project."""

    unit_path = "project__unit"
    street_path = "project__street"
