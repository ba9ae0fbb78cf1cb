"""A node is reminded N days before it is due (DispatchSettings.node_reminder_days, default 7),
through the notification service, once per node and due date, from ``remind_deadlines``."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from projects.desk.deadlines import remind_deadlines
from projects.milestones import services
from projects.models import DispatchSettings
from projects.notifications.models import Event, Notice
from projects.services import save_dispatch_settings

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 5, 10)


def _node(actor, project, name, days_ahead):
    return services.save_milestone(
        actor=actor,
        project=project,
        name=name,
        planned_date=TODAY + dt.timedelta(days=days_ahead),
        actual_date=None,
    )


def test_a_node_due_within_seven_days_is_reminded_and_one_eight_days_away_is_not(
    manager, staff_a, project_a
):
    assert DispatchSettings.current().node_reminder_days == 7
    _node(manager, project_a, "施工许可", 7)
    _node(manager, project_a, "开工", 8)
    assert remind_deadlines(TODAY).nodes == 1
    notice = Notice.objects.get()
    assert (notice.user, notice.event) == (staff_a, Event.NODE_DUE)
    assert "施工许可" in notice.text and "还有 7 天" in notice.text


def test_running_the_command_again_repeats_no_reminder(manager, staff_a, project_a):
    _node(manager, project_a, "施工许可", 3)
    out = StringIO()
    call_command("remind_deadlines", "--date", TODAY.isoformat(), stdout=out)
    call_command("remind_deadlines", "--date", TODAY.isoformat(), stdout=out)
    call_command(
        "remind_deadlines", "--date", (TODAY + dt.timedelta(days=1)).isoformat(), stdout=out
    )
    assert Notice.objects.count() == 1
    assert "节点 1 个" in out.getvalue() and out.getvalue().count("节点 0 个") == 2


def test_a_node_moved_to_a_new_date_is_reminded_of_that_date(manager, staff_a, project_a):
    node = _node(manager, project_a, "施工许可", 3)
    assert remind_deadlines(TODAY).nodes == 1
    _node(manager, project_a, node.name, 5)
    assert remind_deadlines(TODAY).nodes == 1
    assert Notice.objects.count() == 2


def test_the_lead_time_is_the_managers_setting(manager, manager_client, staff_a, project_a):
    _node(manager, project_a, "施工许可", 10)
    assert remind_deadlines(TODAY).nodes == 0
    settings = DispatchSettings.current()
    settings.node_reminder_days = 10
    save_dispatch_settings(actor=manager, values=settings)
    assert remind_deadlines(TODAY).nodes == 1
    form = manager_client.get(reverse("admin:projects_dispatchsettings_change", args=[settings.pk]))
    assert "node_reminder_days" in form.content.decode()
