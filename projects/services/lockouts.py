"""Login lockouts (django-axes): how an account stands, and a manager lifting one.

After AXES_FAILURE_LIMIT wrong passwords an account is locked for an hour; before this,
only a superuser could clear it, from axes' own untranslated screens.
"""

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .account_roles import may_manage_account
from .checks import require_actor


def failed_logins(account) -> int:
    """Wrong passwords recorded for the account's name (all addresses), since the last reset."""
    attempts = AccessAttempt.objects.filter(username=account.get_username())
    return sum(attempts.values_list("failures_since_start", flat=True))


def is_locked_out(account) -> bool:
    attempts = AccessAttempt.objects.filter(username=account.get_username())
    return attempts.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).exists()


def release_lockout(*, actor, account) -> int:
    """Clear the account's failed logins so it can sign in again; kept in the admin's log.

    Only someone who may manage the account (a manager for a non-superuser, a superuser for
    anyone) may do it. Returns how many records of failed logins were cleared.
    """
    require_actor(actor)
    if not may_manage_account(actor, account):
        raise PermissionDenied(_("You may not change this account."))
    cleared = reset(username=account.get_username())
    LogEntry.objects.log_actions(
        user_id=actor.pk,
        queryset=[account],
        action_flag=CHANGE,
        change_message=_("Login lockout released (%(count)s records of failed logins cleared).")
        % {"count": cleared},
        single_object=True,
    )
    return cleared
