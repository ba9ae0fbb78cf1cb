"""The account service: the rule the user admin mirrors, whoever calls it."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from projects.permissions import MANAGER, UNIT_STAFF, role_of
from projects.services.account_roles import save_account

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_manager_cannot_set_is_superuser_through_the_service(manager, staff_a):
    staff_a.is_superuser = True
    with pytest.raises(PermissionDenied):
        save_account(actor=manager, account=staff_a, role=UNIT_STAFF, units=[])
    staff_a.refresh_from_db()
    assert not staff_a.is_superuser


def test_manager_cannot_change_a_superuser_account_through_the_service(manager):
    root = User.objects.create_superuser("root", "", "Qd-2024-strong!")
    root.first_name = "改名"
    with pytest.raises(PermissionDenied):
        save_account(actor=manager, account=root, role=MANAGER, units=[])
    root.refresh_from_db()
    assert root.first_name == ""


def test_unit_staff_and_missing_actors_cannot_manage_accounts(staff_a, staff_b):
    for actor in (staff_a, None):
        with pytest.raises(PermissionDenied):
            save_account(actor=actor, account=staff_b, role=MANAGER, units=[])
    assert role_of(staff_b) == UNIT_STAFF


def test_an_unknown_role_is_refused(manager, staff_a):
    with pytest.raises(ValidationError):
        save_account(actor=manager, account=staff_a, role="admin", units=[])


def test_staff_status_follows_the_role_a_manager_gives(manager, viewer, unit_a):
    save_account(actor=manager, account=viewer, role=UNIT_STAFF, units=[unit_a])
    viewer.refresh_from_db()
    assert viewer.is_staff and role_of(viewer) == UNIT_STAFF
    save_account(actor=manager, account=viewer, role=None, units=[])
    viewer.refresh_from_db()
    assert not viewer.is_staff and role_of(viewer) is None and not viewer.units.exists()
