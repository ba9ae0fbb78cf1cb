"""A lock refused because saves keep its month busy is a message in the admin, not a 500."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from projects.models import PeriodLock
from projects.services import cycle

pytestmark = pytest.mark.django_db


def test_adding_a_lock_while_the_month_is_busy_is_refused_with_a_message(
    manager_client, monkeypatch
):
    def busy(months, *, whole_ledger=True):
        # What period_guard.close_months says when saves hold the month past its wait.
        raise ValidationError("这些月份的数据正在保存中，请稍候一分钟再试。", code="busy")

    monkeypatch.setattr(cycle, "close_months", busy)
    url = reverse("admin:projects_periodlock_add")

    response = manager_client.post(url, {"year": 2024, "month": 3, "reason": "上报"})

    assert response.status_code == 302 and response.url == url
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "这些月份的数据正在保存中，请稍候一分钟再试。"
    ]
    assert not PeriodLock.objects.exists()
