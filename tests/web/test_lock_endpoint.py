"""The lock form: only known requests lock anything, and each is kept with its reason."""

import pytest
from django.urls import reverse

from projects import services
from projects.models import PeriodLock

pytestmark = pytest.mark.django_db
URL = reverse("lock_period", args=[2024, 3])


@pytest.mark.parametrize(
    "data",
    [
        {"scope": "year", "action": "lock"},
        {"scope": "month", "action": "freeze"},
        {"action": "lock"},
        {"scope": "quarter"},
        {},
    ],
)
def test_lock_endpoint_refuses_unknown_scope_or_action_with_400_and_locks_nothing(
    manager_client, data
):
    response = manager_client.post(URL, data)
    assert response.status_code == 400
    assert "未锁定或解锁任何月份" in response.content.decode()
    assert not PeriodLock.objects.exists()


def test_unknown_unlock_request_leaves_locks_in_place(manager_client, manager):
    services.lock_month(actor=manager, year=2024, month=3, reason="上报")
    response = manager_client.post(URL, {"scope": "all", "action": "unlock", "reason": "更正"})
    assert response.status_code == 400
    assert PeriodLock.objects.locked(2024, 3)


def test_unit_staff_get_403_from_the_lock_endpoint(staff_a_client):
    assert staff_a_client.post(URL, {"scope": "month", "action": "lock"}).status_code == 403
    assert not PeriodLock.objects.exists()


def test_unlock_without_a_reason_is_refused_with_a_message(manager_client, manager):
    services.lock_month(actor=manager, year=2024, month=3, reason="上报")
    response = manager_client.post(URL, {"scope": "month", "action": "unlock"}, follow=True)
    assert "请说明解锁的原因" in response.content.decode()
    assert PeriodLock.objects.locked(2024, 3)


def test_status_page_shows_who_locked_and_unlocked_which_months_and_why(manager_client):
    manager_client.post(URL, {"scope": "quarter", "action": "lock", "reason": "一季度已上报"})
    manager_client.post(URL, {"scope": "month", "action": "unlock", "reason": "三月数据更正"})
    assert set(PeriodLock.objects.values_list("month", flat=True)) == {1, 2}
    page = manager_client.get(reverse("status_page", args=[2024, 3])).content.decode()
    assert "2024年锁定与解锁记录" in page
    for text in ("2024-01", "2024-02", "2024-03", "一季度已上报", "三月数据更正", "boss"):
        assert text in page
