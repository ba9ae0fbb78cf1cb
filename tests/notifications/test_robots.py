"""Group robots: a signed DingTalk message and a WeCom message reach a server, with retries."""

import base64
import datetime as dt
import hashlib
import hmac
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from projects.models import MonthSubmission
from projects.notifications import robots, services
from projects.notifications.models import Delivery, Event, Notice, Robot
from projects.services import return_month

pytestmark = pytest.mark.django_db


def _submitted(unit):
    return MonthSubmission.objects.create(
        unit=unit, year=2024, month=5, status=MonthSubmission.Status.SUBMITTED
    )


def _expected_sign(secret: str, stamp: str) -> str:
    digest = hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def test_a_returned_month_reaches_the_units_dingtalk_group_signed(
    manager, staff_a, unit_a, dingtalk, fake_robot, django_capture_on_commit_callbacks
):
    _submitted(unit_a)
    with django_capture_on_commit_callbacks(execute=True):
        return_month(actor=manager, unit=unit_a, year=2024, month=5, comment="5月投资填错")

    done = services.send_due()

    assert [d.status for d in done] == [Delivery.Status.SENT]
    (request,) = fake_robot.received
    assert request["path"] == "/robot/send" and request["query"]["access_token"] == "tok"
    stamp = request["query"]["timestamp"]
    assert abs(int(stamp) / 1000 - timezone.now().timestamp()) < 60
    assert request["query"]["sign"] == _expected_sign("SECabc123", stamp)
    assert request["body"]["msgtype"] == "text"
    assert "2024-05" in request["body"]["text"]["content"]
    assert "5月投资填错" in request["body"]["text"]["content"]
    notice = Notice.objects.get(user=staff_a)
    assert notice.event == Event.RETURNED and notice.by == manager
    assert "unit=" in notice.link and "month=5" in notice.link


def test_a_lock_reaches_the_districts_wecom_group_unsigned(
    manager, wecom, fake_robot, django_capture_on_commit_callbacks
):
    from projects.services import lock_month

    with django_capture_on_commit_callbacks(execute=True):
        lock_month(actor=manager, year=2024, month=3, reason="报送市里")
    services.send_due()

    (request,) = fake_robot.received
    assert request["path"] == "/cgi-bin/webhook/send" and request["query"] == {"key": "k-1"}
    assert request["content_type"].startswith("application/json")
    assert "2024-03" in request["body"]["text"]["content"]


def test_a_review_that_rolls_back_tells_nobody(manager, unit_a, dingtalk, fake_robot):
    _submitted(unit_a)
    # Without the commit callbacks run (the test's transaction never commits), nothing is sent.
    return_month(actor=manager, unit=unit_a, year=2024, month=5, comment="退回")
    assert not Delivery.objects.exists() and not Notice.objects.exists()


def test_a_robot_that_fails_is_tried_three_times_then_marked_failed(dingtalk, fake_robot, manager):
    fake_robot.answers = [(500, {}), (200, {"errcode": 310000, "errmsg": "sign not match"})] * 2
    _notices, (delivery,) = services.notify(
        actor=manager,
        event=Event.APPROVED,
        text="甲单位：2024-05 已审核通过。",
        units=[dingtalk.unit],
    )
    now = timezone.now()
    states = []
    for minutes in (0, 1, 10):
        services.send_due(now=now + dt.timedelta(minutes=minutes))
        delivery.refresh_from_db()
        states.append((delivery.status, delivery.attempts, delivery.error))
    assert states == [
        (Delivery.Status.PENDING, 1, "HTTP 500"),
        (Delivery.Status.PENDING, 2, "errcode 310000"),
        (Delivery.Status.FAILED, 3, "HTTP 500"),
    ]
    assert len(fake_robot.received) == 3
    assert services.send_due(now=now + dt.timedelta(hours=1)) == []


def test_a_message_not_yet_due_waits(dingtalk, fake_robot, manager):
    fake_robot.answers = [(500, {})]
    services.notify(actor=manager, event=Event.APPROVED, text="x", units=[dingtalk.unit])
    now = timezone.now()
    services.send_due(now=now)
    assert services.send_due(now=now + dt.timedelta(seconds=10)) == []
    assert len(fake_robot.received) == 1


def test_the_command_sends_whats_due_and_says_how_many(dingtalk, fake_robot, manager):
    services.notify(actor=manager, event=Event.APPROVED, text="x", units=[dingtalk.unit])
    out = io.StringIO()
    call_command("send_notifications", stdout=out)
    assert out.getvalue().strip() == "已发送 1 条，未成功 0 条。"
    assert len(fake_robot.received) == 1


def test_a_robot_that_cannot_be_reached_is_logged_with_the_reason(unit_a, manager):
    robot = Robot.objects.create(
        name="x", kind=Robot.Kind.WECOM, unit=unit_a, url="http://127.0.0.1:9/cgi-bin/webhook/send"
    )
    services.notify(actor=manager, event=Event.APPROVED, text="x", units=[unit_a])
    (delivery,) = services.send_due()
    assert delivery.status == Delivery.Status.PENDING and delivery.error
    assert delivery.robot == robot


@pytest.mark.parametrize(
    ("url", "kind", "secret", "field"),
    [
        ("http://oapi.dingtalk.com/robot/send?access_token=t", Robot.Kind.DINGTALK, "", "url"),
        (
            "https://oapi.dingtalk.com/robot/send?access_token=t",
            Robot.Kind.DINGTALK,
            "abc",
            "secret",
        ),
    ],
)
def test_a_robot_needs_https_and_a_whole_dingtalk_secret(url, kind, secret, field):
    robot = Robot(name="x", kind=kind, url=url, secret=secret)
    with pytest.raises(ValidationError) as caught:
        robot.full_clean()
    assert field in caught.value.message_dict


def test_the_message_text_is_cleaned_as_stored_text_is():
    """Word's pasted line break (\\x0b) becomes a line break; other controls are dropped."""
    robot = Robot(name="x", kind=Robot.Kind.WECOM, url="https://qyapi.weixin.qq.com/x?key=1")
    body = json.loads(robots.outgoing(robot, "主体\x0b施工\x07").body)
    assert body == {"msgtype": "text", "text": {"content": "主体\n施工"}}
