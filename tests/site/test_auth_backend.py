"""The permission backend: Django's answers, read in one statement."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from tracker.auth_backend import OneReadModelBackend


def _fresh(user):
    return get_user_model().objects.get(pk=user.pk)


@pytest.mark.parametrize("who", ["manager", "staff_a", "viewer", "street_viewer"])
def test_each_role_has_the_permissions_djangos_backend_gives(who, request):
    user = request.getfixturevalue(who)
    assert OneReadModelBackend().get_all_permissions(_fresh(user)) == (
        ModelBackend().get_all_permissions(_fresh(user))
    )


def test_a_permission_of_the_person_and_one_of_their_group_both_count(staff_a):
    extra = Permission.objects.get(codename="view_permission")
    staff_a.user_permissions.add(extra)
    found = OneReadModelBackend().get_all_permissions(_fresh(staff_a))
    assert "auth.view_permission" in found
    assert found - {"auth.view_permission"}, "the group's permissions are there too"
    assert found == ModelBackend().get_all_permissions(_fresh(staff_a))


def test_read_once_in_one_statement_per_request(manager, django_assert_num_queries):
    user = _fresh(manager)
    backend = OneReadModelBackend()
    with django_assert_num_queries(1):
        backend.get_all_permissions(user)
        backend.get_all_permissions(user)


def test_an_inactive_person_has_none(manager):
    manager.is_active = False
    assert OneReadModelBackend().get_all_permissions(manager) == set()


def test_a_superuser_has_every_permission(db):
    boss = get_user_model().objects.create_superuser("boss", password="x-x-x-x-x-x-1")
    assert (
        len(OneReadModelBackend().get_all_permissions(_fresh(boss))) == Permission.objects.count()
    )
