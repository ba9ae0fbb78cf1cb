"""催报 from the status page: the units that have not submitted are told, by notice and robot."""

import pytest
from django.urls import reverse

from projects.models import MonthSubmission, PeriodLock
from projects.notifications import services as sending
from projects.notifications.models import Event, Notice, Robot
from tests.factories import ProjectFactory
from tests.notifications.fake_robot import FakeRobot

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(unit_a, unit_b):
    """2024-05: unit A has not submitted (two projects), unit B has."""
    for code in ("CA1", "CA2"):
        ProjectFactory(code=code, unit=unit_a, programme__year=2024)
    ProjectFactory(code="CB1", unit=unit_b, programme__year=2024)
    MonthSubmission.objects.create(
        unit=unit_b, year=2024, month=5, status=MonthSubmission.Status.SUBMITTED
    )
    return 2024, 5


def test_chasing_tells_only_the_units_not_yet_submitted(
    manager_client, month, staff_a, staff_b, unit_a, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFY_IN_PROCESS = False
    with FakeRobot() as server:
        Robot.objects.create(
            name="甲", kind=Robot.Kind.WECOM, unit=unit_a, url=f"{server.base}/send?key=a"
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = manager_client.post(reverse("chase_units", args=month), follow=True)
        sending.send_due()

    assert "已向 1 个单位催报 2024-05" in response.content.decode()
    (notice,) = Notice.objects.all()
    assert notice.user == staff_a and notice.event == Event.CHASED
    assert "2024-05" in notice.text and "CA1、CA2" in notice.text
    (request,) = server.received
    assert "CA1、CA2" in request["body"]["text"]["content"]
    assert not Notice.objects.filter(user=staff_b).exists()


def test_unit_staff_cannot_chase(staff_a_client, month):
    response = staff_a_client.post(reverse("chase_units", args=month))
    assert response.status_code == 403
    assert not Notice.objects.exists()


def test_a_locked_month_is_not_chased(manager_client, manager, month):
    PeriodLock.objects.create(year=2024, month=5, locked_by=manager)
    response = manager_client.post(reverse("chase_units", args=month), follow=True)
    assert "已锁定" in response.content.decode()


def test_chasing_is_a_post(manager_client, month):
    assert manager_client.get(reverse("chase_units", args=month)).status_code == 405


def test_the_status_page_offers_the_chase_button_while_units_are_missing(manager_client, month):
    page = manager_client.get(reverse("status_page", args=month)).content.decode()
    assert reverse("chase_units", args=month) in page


def test_a_chase_reaches_a_wecom_and_a_signed_dingtalk_group(
    manager_client, month, unit_a, settings, django_capture_on_commit_callbacks
):
    # The issue's acceptance: both platforms' robots of the unit get the 催报, DingTalk's with
    # the signature its platform checks (HMAC-SHA256 of "timestamp\nsecret", base64).
    import base64
    import hashlib
    import hmac

    settings.NOTIFY_IN_PROCESS = False
    with FakeRobot() as server:
        Robot.objects.create(
            name="甲", kind=Robot.Kind.WECOM, unit=unit_a, url=f"{server.base}/wecom?key=a"
        )
        Robot.objects.create(
            name="甲钉钉",
            kind=Robot.Kind.DINGTALK,
            unit=unit_a,
            url=f"{server.base}/dingtalk?access_token=t",
            secret="SECchase1",
        )
        with django_capture_on_commit_callbacks(execute=True):
            manager_client.post(reverse("chase_units", args=month))
        sending.send_due()

    by_path = {r["path"]: r for r in server.received}
    assert set(by_path) == {"/wecom", "/dingtalk"}
    for request in by_path.values():
        assert "CA1、CA2" in request["body"]["text"]["content"]
    query = by_path["/dingtalk"]["query"]
    stamp = query["timestamp"]
    digest = hmac.new(b"SECchase1", f"{stamp}\nSECchase1".encode(), hashlib.sha256).digest()
    assert query["sign"] == base64.b64encode(digest).decode()
