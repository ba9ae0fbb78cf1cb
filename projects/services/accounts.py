"""The named system account that commands act as when no person does.

Every write names its actor. A scheduled import or the demo loader acts as this
account, which history shows as «system»; it holds the manager role and has no
usable password, so nobody can log in as it.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from ..permissions import MANAGER, setup_roles

SYSTEM_USERNAME = "system"


@transaction.atomic
def system_actor():
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"first_name": "系统", "is_active": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(setup_roles()[MANAGER])
    return user


def actor_named(username: str):
    """The account a command names with ``--user``; ``system`` is the system account."""
    if username == SYSTEM_USERNAME:
        return system_actor()
    return get_user_model().objects.filter(username=username, is_active=True).first()
