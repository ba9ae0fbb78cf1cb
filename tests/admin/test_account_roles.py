"""The user admin: managers keep accounts within the three roles; only superusers grant more."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from projects.permissions import MANAGER, STREET_VIEWER, UNIT_STAFF, VIEWER, role_of
from tests.factories import StreetFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
REFUSAL = "只有超级管理员可以授予或取消"


def change_url(user):
    return reverse("admin:auth_user_change", args=[user.pk])


def account_post(user, **extra):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "role": role_of(user) or "",
        "member_of": [str(pk) for pk in user.units.values_list("pk", flat=True)],
    }
    data.update(extra)
    return data


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", "root@example.com", "Qd-2024-strong!")


@pytest.fixture
def root_client(root):
    client = Client()
    client.force_login(root)
    return client


def test_manager_forged_post_setting_is_superuser_changes_nothing_and_says_why(
    manager_client, staff_a
):
    response = manager_client.post(change_url(staff_a), account_post(staff_a, is_superuser="on"))
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    staff_a.refresh_from_db()
    assert not staff_a.is_superuser
    assert role_of(staff_a) == UNIT_STAFF


def test_manager_cannot_promote_themselves_to_superuser(manager_client, manager):
    response = manager_client.post(change_url(manager), account_post(manager, is_superuser="on"))
    assert REFUSAL in response.content.decode()
    manager.refresh_from_db()
    assert not manager.is_superuser


def test_manager_forged_staff_status_or_permissions_are_refused(manager_client, viewer):
    from django.contrib.auth.models import Permission

    perm = Permission.objects.get(codename="delete_project")
    for forged in ({"is_staff": "on"}, {"user_permissions": [str(perm.pk)]}):
        response = manager_client.post(change_url(viewer), account_post(viewer, **forged))
        assert REFUSAL in response.content.decode()
    viewer.refresh_from_db()
    assert not viewer.is_staff
    assert not viewer.user_permissions.exists()


def test_manager_form_has_no_superuser_staff_or_permission_fields(manager_client, staff_a):
    form = manager_client.get(change_url(staff_a)).context["adminform"].form
    assert not {"is_superuser", "is_staff", "user_permissions", "groups"} & set(form.fields)
    assert {"role", "member_of"} <= set(form.fields)


def test_manager_gives_an_account_a_role_and_units_and_staff_status_follows(
    manager_client, viewer, unit_a
):
    response = manager_client.post(
        change_url(viewer), account_post(viewer, role=UNIT_STAFF, member_of=[str(unit_a.pk)])
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    viewer.refresh_from_db()
    assert role_of(viewer) == UNIT_STAFF
    assert list(viewer.units.all()) == [unit_a]
    assert viewer.is_staff and not viewer.is_superuser
    response = manager_client.post(change_url(viewer), account_post(viewer, role=VIEWER))
    viewer.refresh_from_db()
    assert role_of(viewer) == VIEWER and not viewer.is_staff


def test_manager_creates_an_account_in_one_of_the_roles_but_not_a_superuser(manager_client, unit_b):
    data = {
        "username": "new_clerk",
        "usable_password": "true",
        "password1": "Qd-2024-strong!",
        "password2": "Qd-2024-strong!",
        "role": UNIT_STAFF,
        "member_of": [str(unit_b.pk)],
    }
    url = reverse("admin:auth_user_add")
    response = manager_client.post(url, {**data, "is_superuser": "on"})
    assert REFUSAL in response.content.decode()
    assert not User.objects.filter(username="new_clerk").exists()
    response = manager_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="new_clerk")
    assert role_of(user) == UNIT_STAFF and user.is_staff and not user.is_superuser
    assert list(user.units.all()) == [unit_b]


def test_manager_cannot_edit_a_superuser_account_or_its_password(manager_client, root):
    response = manager_client.post(change_url(root), account_post(root, first_name="改名"))
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.first_name == "" and root.is_superuser
    password_url = reverse("admin:auth_user_password_change", args=[root.pk])
    assert manager_client.get(password_url).status_code == 403


def test_manager_can_still_see_a_superuser_account_read_only(manager_client, root):
    response = manager_client.get(change_url(root))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]


def test_superuser_grants_superuser_status(root_client, manager):
    response = root_client.post(
        change_url(manager), account_post(manager, is_superuser="on", is_staff="on")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    manager.refresh_from_db()
    assert manager.is_superuser and role_of(manager) == MANAGER


def test_account_list_and_forms_render_for_managers_and_superusers(
    manager_client, root_client, staff_a
):
    listing = manager_client.get(reverse("admin:auth_user_changelist"))
    assert listing.status_code == 200
    assert "单位填报员" in listing.content.decode()
    form = root_client.get(change_url(staff_a)).context["adminform"].form
    assert {"is_superuser", "is_staff", "user_permissions", "role", "member_of"} <= set(form.fields)
    assert manager_client.get(reverse("admin:auth_user_add")).status_code == 200


def _new_account(**extra):
    return {
        "username": "jiedao",
        "usable_password": "true",
        "password1": "Qd-2024-strong!",
        "password2": "Qd-2024-strong!",
        **extra,
    }


def test_manager_gives_a_street_viewer_their_streets_in_the_admin(manager_client, unit_a):
    street = StreetFactory(code="LTJD", name="流亭街道")
    response = manager_client.post(
        reverse("admin:auth_user_add"),
        _new_account(role=STREET_VIEWER, member_of_streets=[str(street.pk)]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    account = User.objects.get(username="jiedao")
    assert role_of(account) == STREET_VIEWER and list(account.streets.all()) == [street]

    other = StreetFactory(code="CYJD", name="城阳街道")
    response = manager_client.post(
        change_url(account), account_post(account, member_of_streets=[str(other.pk)])
    )
    assert response.status_code == 302
    assert list(account.streets.all()) == [other]


@pytest.mark.parametrize(
    ("role", "streets", "message"),
    [
        (STREET_VIEWER, False, "街道查看员至少需要一个街道。"),
        (VIEWER, True, "只有街道查看员按街道查看"),
    ],
)
def test_streets_go_with_the_street_viewer_role_only(manager_client, role, streets, message):
    street = StreetFactory()
    data = _new_account(role=role)
    if streets:
        data["member_of_streets"] = [str(street.pk)]
    response = manager_client.post(reverse("admin:auth_user_add"), data)
    assert message in response.content.decode()
    assert not User.objects.filter(username="jiedao").exists()
