"""A person's notices: their own only, a count in the top bar, marked read by a POST."""

import pytest
from django.urls import reverse

from projects.notifications import services
from projects.notifications.models import Event, Notice

pytestmark = pytest.mark.django_db


def test_the_top_bar_counts_unread_notices_and_the_page_lists_them(
    staff_a_client, staff_a, manager
):
    services.notify(
        actor=manager, event=Event.RETURNED, text="甲单位：2024-05 被退回", users=[staff_a]
    )
    page = staff_a_client.get(reverse("notice_list")).content.decode()
    assert "甲单位：2024-05 被退回" in page
    assert '<strong class="badge"' in page


def test_marking_read_touches_only_ones_own_notices(staff_a_client, staff_a, staff_b, manager):
    services.notify(actor=manager, event=Event.APPROVED, text="甲", users=[staff_a])
    services.notify(actor=manager, event=Event.APPROVED, text="乙", users=[staff_b])
    theirs = Notice.objects.get(user=staff_b)

    staff_a_client.post(reverse("notice_read"), {"notice": [str(theirs.pk)]})
    theirs.refresh_from_db()
    assert theirs.read_at is None

    staff_a_client.post(reverse("notice_read"))
    assert not Notice.objects.filter(user=staff_a, read_at__isnull=True).exists()
    assert (
        '<strong class="badge"' not in staff_a_client.get(reverse("notice_list")).content.decode()
    )
