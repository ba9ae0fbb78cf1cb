"""Accounts: managers give people one of the three roles and their units; superusers grant more.

Superuser and staff status and individual permissions open every door the
roles keep closed, so only a superuser may grant or remove them, and only a
superuser may change a superuser's account or the system account. For everyone else staff status
follows the role: unit staff and managers work in the admin, viewers do not.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..permissions import ROLES, SCOPES, STAFF_ROLES, STREETS, UNITS, setup_roles
from .accounts import SYSTEM_USERNAME

CHANGE_USER = "auth.change_user"
ADD_USER = "auth.add_user"


def privileges_refusal() -> str:
    return _(
        "Only a superuser can grant or remove superuser or staff status or individual "
        "permissions; nothing was saved."
    )


def may_manage_account(actor, account) -> bool:
    """Whether the actor may change this account at all (its role, units, name, password)."""
    if actor is None or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    needed = CHANGE_USER if account is not None and account.pk else ADD_USER
    if not actor.has_perm(needed):
        return False
    # The system account acts for commands; whoever set its password could act unseen as it.
    if account is not None and account.pk and account.get_username() == SYSTEM_USERNAME:
        return False
    # The stored flag, not the submitted one: a forged form must not lift the rule.
    return not _stored(account)["is_superuser"]


def _stored(account) -> dict:
    if account is None or not account.pk:
        return {"is_superuser": False, "is_staff": False}
    return type(account).objects.filter(pk=account.pk).values("is_superuser", "is_staff").get()


def membership_problem(role: str | None, *, units, streets) -> str | None:
    """What an account of this role lacks or has too much of: ``units``, ``streets``,
    ``extra_streets``, or ``None``. The role's scope (``permissions.SCOPES``) decides: a role
    that reaches by units needs a unit, one that reaches by streets a street, and nobody
    else holds streets. The admin and ``create_account`` word the answer for their users."""
    scope = SCOPES.get(role) if role else None
    needs = {scope.view, scope.change} if scope else set()
    if UNITS in needs and not units:
        return "units"
    if STREETS in needs and not streets:
        return "streets"
    if streets and STREETS not in needs:
        return "extra_streets"
    return None


def membership_refusal(role: str | None, *, units, streets) -> str | None:
    """The admin's wording of ``membership_problem``, or ``None`` when the account is whole."""
    problem = membership_problem(role, units=units, streets=streets)
    return {
        None: None,
        "units": _("Unit staff need at least one responsible unit."),
        "streets": _("A street viewer needs at least one street."),
        "extra_streets": _("Only a street viewer reads by street; leave the streets empty."),
    }[problem]


@transaction.atomic
def save_account(*, actor, account, role: str | None, units, streets=()) -> object:
    """Save an account with one of the roles (or none) and its units or streets."""
    if not may_manage_account(actor, account):
        if account.pk and (
            _stored(account)["is_superuser"] or account.get_username() == SYSTEM_USERNAME
        ):
            raise PermissionDenied(
                _("Only a superuser can change a superuser's account or the system account.")
            )
        raise PermissionDenied(_("You cannot manage accounts."))
    role = role or None
    if role is not None and role not in ROLES:
        raise ValidationError(
            _("“%(role)s” is not a role; choose unit staff, manager or viewer.") % {"role": role},
            code="unknown_role",
        )
    if actor.is_superuser:
        # A superuser's own choice of staff status stands; a staff role needs it.
        account.is_staff = account.is_staff or role in STAFF_ROLES
    else:
        stored = _stored(account)
        if account.is_superuser != stored["is_superuser"]:
            raise PermissionDenied(privileges_refusal())
        account.is_staff = role in STAFF_ROLES
    # After the privileges: a forged superuser flag is refused as such, whatever else is wrong.
    refusal = membership_refusal(role, units=units, streets=streets)
    if refusal is not None:
        raise ValidationError(refusal, code="membership")
    account.save()
    groups = {g.name: g for g in Group.objects.filter(name__in=ROLES)}
    if role is not None and role not in groups:
        groups = setup_roles()
    # Only the three role groups are the managers' to set; any other group stays as it is.
    account.groups.remove(*groups.values())
    if role is not None:
        account.groups.add(groups[role])
    account.units.set(units)
    account.streets.set(streets)
    return account
