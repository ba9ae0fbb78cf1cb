"""The one-statement permissions backend gives every kind of person what Django's gives."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tracker.auth_backend import OneStatementModelBackend

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The person as a new request loads them: no permissions read yet."""
    return get_user_model().objects.get(pk=user.pk)


def _perm(codename: str) -> Permission:
    return Permission.objects.get(codename=codename)


@pytest.fixture
def people(manager, staff_a, viewer, street_viewer):
    User = get_user_model()
    own_only = User.objects.create_user("perm-own-only")
    own_only.user_permissions.add(_perm("view_unit"))
    both = User.objects.create_user("perm-both")
    both.user_permissions.add(_perm("view_unit"), _perm("add_unit"))
    group = Group.objects.create(name="两组之一")
    group.permissions.add(_perm("add_unit"), _perm("change_unit"))
    both.groups.add(group, *staff_a.groups.all())
    nobody = User.objects.create_user("perm-nobody")
    boss = User.objects.create_superuser("perm-boss")
    gone = User.objects.create_user("perm-gone", is_active=False)
    gone.user_permissions.add(_perm("view_unit"))
    return [manager, staff_a, viewer, street_viewer, own_only, both, nobody, boss, gone]


def test_every_kind_of_person_holds_the_same_permissions_as_with_djangos_backend(people):
    for person in people:
        ours = OneStatementModelBackend().get_all_permissions(_fresh(person))
        djangos = ModelBackend().get_all_permissions(_fresh(person))
        assert ours == djangos, person.username
    assert OneStatementModelBackend().get_all_permissions(_fresh(people[5])) >= {
        "projects.view_unit",
        "projects.add_unit",
        "projects.change_unit",
    }


def test_a_persons_permissions_are_one_statement_a_request(staff_a):
    person = _fresh(staff_a)
    with CaptureQueriesContext(connection) as queries:
        assert person.has_perm("projects.change_monthlyprogress") is not None
        person.has_perm("projects.view_project")
        person.has_module_perms("projects")
    assert len(queries.captured_queries) == 1


def test_the_site_asks_it_for_permissions():
    from django.conf import settings

    assert "tracker.auth_backend.OneStatementModelBackend" in settings.AUTHENTICATION_BACKENDS
    assert "django.contrib.auth.backends.ModelBackend" not in settings.AUTHENTICATION_BACKENDS


def test_the_signed_in_person_is_djangos_for_every_kind_of_person(people):
    """``get_user`` gives whom Django's gives: nobody for an inactive person or no id."""
    ours, djangos = OneStatementModelBackend(), ModelBackend()
    for person in people:
        assert ours.get_user(person.pk) == djangos.get_user(person.pk), person.username
    assert ours.get_user(people[-1].pk) is None  # perm-gone, inactive
    missing = max(p.pk for p in people) + 1
    assert ours.get_user(missing) is None and djangos.get_user(missing) is None
    assert ours.get_user("not an id") is None
