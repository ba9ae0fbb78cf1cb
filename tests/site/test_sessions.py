"""The session read by a statement built once (``tracker.sessions``), as Django reads it."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.statements import statements_built
from tracker.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _stored(data: dict, expires: dt.datetime) -> str:
    store = SessionStore()
    store.update(data)
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=expires)
    return store.session_key


def test_a_live_session_is_read_and_an_expired_one_is_not():
    now = timezone.now()
    live = _stored({"a": 1}, now + dt.timedelta(minutes=5))
    gone = _stored({"b": 2}, now - dt.timedelta(seconds=1))
    assert SessionStore(live).load() == {"a": 1}
    expired = SessionStore(gone)
    assert expired.load() == {} and expired.session_key is None
    assert SessionStore("no-such-session-key-000").load() == {}
    assert SessionStore(None).load() == {}


def test_the_site_signs_in_through_it(settings, client, manager):
    assert settings.SESSION_ENGINE == "tracker.sessions"
    client.force_login(manager)
    assert client.get(reverse("home")).status_code in (200, 302)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now())
    answer = client.get(reverse("entry"))
    assert answer.status_code == 302 and reverse("login") in answer["Location"]


def test_an_inactive_persons_session_signs_no_one_in(client, staff_a):
    client.force_login(staff_a)
    get_user_model().objects.filter(pk=staff_a.pk).update(is_active=False)
    answer = client.get(reverse("entry"))
    assert answer.status_code == 302 and reverse("login") in answer["Location"]


def test_a_second_persons_request_builds_no_statement(client, manager, staff_a, monkeypatch):
    client.force_login(manager)
    client.get(reverse("notice_list"))
    client.force_login(staff_a)
    built = statements_built(monkeypatch)
    assert client.get(reverse("notice_list")).status_code == 200
    assert "Session" not in built and "User" not in built, built
