"""The top bar drawn in Python writes what its template wrote, for every reader.

``reference_topbar.html`` beside this file is the bar as ``base.html`` drew it through the
template engine; the bar is now ``web.topbar.draw``. Both are rendered with the same
request context (the context processors' user, permissions, unread count and token) and
must be equal byte for byte.
"""

from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import RequestContext, engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from projects.notifications.models import Event
from projects.notifications.services import notify
from projects.web import topbar
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

REFERENCE = (Path(__file__).with_name("reference_topbar.html")).read_text(encoding="utf-8")


def _both(user, path="/reports/2024/q1/?programme=SJGJ2024&p-sort=-name", language="zh-hans"):
    request = RequestFactory().get(path)
    request.user = user
    with translation.override(language):
        context = RequestContext(request, {})
        reference = engines["django"].from_string(REFERENCE)
        # RequestContext runs the processors when a template binds it: once for each.
        with context.bind_template(reference.template):
            expected = reference.template.render(context)
            drawn = topbar.draw(context)
    return expected, str(drawn)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("role", ["manager", "unit_staff", "viewer", "street_viewer"])
def test_each_role_gets_the_bar_its_template_drew(role, language, unit_a):
    user = user_with_role(role, *([unit_a] if role == "unit_staff" else []))
    expected, drawn = _both(user, language=language)
    assert drawn == expected


def test_a_superuser_and_a_reader_with_unread_notices(unit_a):
    boss = user_with_role("manager", username="root", is_superuser=True)
    notify(actor=None, event=Event.RETURNED, text="退回", users=[boss])
    expected, drawn = _both(boss)
    assert 'class="badge"' in drawn
    # Every word of the bar is in Chinese: a word the catalogue lost would show in English
    # in both the template and the drawing, and so pass the comparison.
    for word in ("月度填报", "消息", "未读", "修改密码", "退出登录", "语言", "切换"):
        assert word in drawn, word
    assert drawn == expected


def test_a_hostile_name_and_address_are_escaped_the_same_way(unit_a):
    user = user_with_role("unit_staff", unit_a, username="<b>&\"x'")
    expected, drawn = _both(user, path='/entry/?ym=2024-3&next="><script>alert(1)</script>')
    assert "<script>" not in drawn and "<b>" not in drawn
    assert drawn == expected


def test_no_one_signed_in_sees_the_language_switch_alone():
    expected, drawn = _both(AnonymousUser(), path="/accounts/login/")
    assert "Log out" not in drawn and "退出" not in drawn
    assert 'name="language"' in drawn
    assert drawn == expected


def test_the_links_are_the_declared_rows_for_a_clerk(unit_a):
    user = user_with_role("unit_staff", unit_a)
    _expected, drawn = _both(user)
    shown = [link.url_name for line in topbar.LINKS for link in line if link.shown_to(user)]
    assert "submit_month" in shown and "status_latest" not in shown
    for name in shown:
        assert f'href="{reverse(name)}' in drawn


def test_an_address_follows_the_urlconf_a_test_sets(settings):
    # Reversed once per URLconf, not once per process: a changed URLconf is read afresh.
    before = topbar.address("entry")
    settings.ROOT_URLCONF = "tests.web.urls_moved"
    assert topbar.address("entry") == "/moved/entry/"
    settings.ROOT_URLCONF = "tracker.urls"
    assert topbar.address("entry") == before
