"""A manager lets a locked-out clerk sign in again from the account's page; it is logged."""

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse

from tests.factories import user_with_role

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def locked_clerk(settings, staff_a):
    from axes.utils import reset

    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    reset()
    staff_a.set_password(PASSWORD)
    staff_a.save()
    for _ in range(5):
        Client().post(reverse("login"), {"username": staff_a.username, "password": "wrong"})
    yield staff_a
    reset()


def _sign_in(user) -> int:
    response = Client().post(reverse("login"), {"username": user.username, "password": PASSWORD})
    return response.status_code


def test_a_manager_releases_a_lockout_and_the_clerk_signs_in(manager_client, manager, locked_clerk):
    assert _sign_in(locked_clerk) in (403, 429)  # locked: the right password is refused
    page = manager_client.get(reverse("admin:auth_user_change", args=[locked_clerk.pk]))
    assert "解除登录锁定" in page.content.decode()
    done = manager_client.post(reverse("admin:auth_user_unlock", args=[locked_clerk.pk]))
    assert done.status_code == 302
    assert not AccessAttempt.objects.filter(username=locked_clerk.username).exists()
    assert _sign_in(locked_clerk) == 302
    entry = LogEntry.objects.get(object_id=str(locked_clerk.pk))
    assert entry.user == manager and "解除登录锁定" in entry.change_message


def test_unlocking_is_a_post(manager_client, locked_clerk):
    url = reverse("admin:auth_user_unlock", args=[locked_clerk.pk])
    assert manager_client.get(url).status_code == 405
    assert AccessAttempt.objects.filter(username=locked_clerk.username).exists()


def test_a_clerk_cannot_release_anyones_lockout(staff_b_client, locked_clerk):
    response = staff_b_client.post(reverse("admin:auth_user_unlock", args=[locked_clerk.pk]))
    assert response.status_code == 404  # not an account of theirs to manage
    assert AccessAttempt.objects.filter(username=locked_clerk.username).exists()


def test_a_manager_cannot_touch_a_superusers_lockout(manager_client, settings):
    from axes.utils import reset

    settings.AXES_ENABLED = True
    root = user_with_role("manager", username="root")
    root.is_superuser = True
    root.save()
    reset()
    for _ in range(5):
        Client().post(reverse("login"), {"username": "root", "password": "wrong"})
    response = manager_client.post(reverse("admin:auth_user_unlock", args=[root.pk]))
    assert response.status_code == 404
    assert AccessAttempt.objects.filter(username="root").exists()
    reset()
