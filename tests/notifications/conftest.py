import pytest

from projects.notifications.models import Robot
from tests.notifications.fake_robot import FakeRobot


@pytest.fixture
def fake_robot():
    with FakeRobot() as server:
        yield server


@pytest.fixture(autouse=True)
def send_in_the_test(settings):
    """The test sends (``send_due``) instead of a thread, so it sees each try."""
    settings.NOTIFY_IN_PROCESS = False


@pytest.fixture
def dingtalk(fake_robot, unit_a):
    return Robot.objects.create(
        name="甲单位钉钉群",
        kind=Robot.Kind.DINGTALK,
        unit=unit_a,
        url=f"{fake_robot.base}/robot/send?access_token=tok",
        secret="SECabc123",
    )


@pytest.fixture
def wecom(fake_robot):
    return Robot.objects.create(
        name="区攻坚办企业微信群",
        kind=Robot.Kind.WECOM,
        unit=None,
        url=f"{fake_robot.base}/cgi-bin/webhook/send?key=k-1",
    )
