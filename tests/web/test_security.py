"""Login lockout, password validators, session settings and login-only pages."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_account_is_locked_after_repeated_failed_logins(client, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    from axes.utils import reset

    reset()
    user_with_role("viewer", username="qian")
    for _ in range(3):
        client.post(reverse("login"), {"username": "qian", "password": "wrong"})
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("login"),
        {"username": "qian", "password": "correct-horse-battery-staple"},
    )
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    reset()


def test_correct_password_logs_in_before_the_limit(client, settings):
    settings.AXES_ENABLED = True
    from axes.utils import reset

    reset()
    user_with_role("viewer", username="sun")
    client.post(reverse("login"), {"username": "sun", "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": "sun", "password": "correct-horse-battery-staple"}
    )
    assert response.status_code == 302
    reset()


def test_weak_passwords_are_refused():
    with pytest.raises(ValidationError):
        validate_password("12345678")


def test_session_and_csrf_cookies_are_secure_outside_debug():
    assert django_settings.SESSION_COOKIE_SECURE
    assert django_settings.CSRF_COOKIE_SECURE
    assert django_settings.SESSION_COOKIE_HTTPONLY


def test_review_posts_need_csrf_token(district_csrf_client):
    client, url = district_csrf_client
    assert client.post(url, {"decision": "approve"}).status_code == 403


@pytest.fixture
def district_csrf_client(client):
    from django.test import Client

    from tests.factories import UnitFactory

    unit = UnitFactory()
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(user_with_role("manager"))
    return csrf_client, reverse("review_unit", args=[2024, 3, unit.pk])
