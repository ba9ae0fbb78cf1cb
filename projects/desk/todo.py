"""A person's to-do list (待办) on their landing page: what they should do next, most urgent first.

Both see the projects in their reach due for 入库 this month (``attachments``' due list).
Unit staff see, for their own units: months returned with the manager's comment, months due
and overdue, problems overdue or due soon, late nodes, and their unread notices. Managers see
the units waiting for review and the plan-change requests waiting for a decision; unit
staff also see their requests waiting and those decided in the last fortnight. Each item
links to the page where it is done. A fixed number of queries whatever the number of units.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.attachments.library_selectors import due_count
from projects.models import DispatchSettings, MonthSubmission, PeriodLock, PlanChangeRequest
from projects.notifications.models import unread_notices
from projects.periods import month_text
from projects.permissions import REVIEW_SUBMISSIONS, editable_unit_ids
from projects.selectors import compiled, placed
from projects.web.links import entry_url

from .reminders import reminders

URGENT, SOON, INFO = "urgent", "soon", "info"
SHOWN = 12


@dataclass(frozen=True)
class TodoItem:
    urgency: str  # urgent (red), soon (yellow), info
    text: str
    link: str


@dataclass(frozen=True)
class _Later:
    """An item whose words and link are made only if it is shown. A unit may have hundreds
    of late nodes and the list shows ``SHOWN`` items: making each node's sentence and link
    was most of a clerk's to-do (a demo unit with its nodes imported: 35 of 45 ms)."""

    urgency: str
    make: Callable[[], TodoItem]


def _returned(unit_ids) -> list[TodoItem]:
    ids = sorted(unit_ids)
    # Built once per number of units, each unit's id in place of a sentinel (``compiled``).
    found = placed.objects_of(
        "to-do: months returned",
        lambda *units: (
            MonthSubmission.objects.filter(unit__in=units, status=MonthSubmission.Status.RETURNED)
            .select_related("unit")
            .order_by("-year", "-month")
        ),
        *ids,
    )
    return [
        TodoItem(
            URGENT,
            _("%(unit)s: %(month)s was returned for correction: %(comment)s")
            % {"unit": s.unit.name, "month": month_text(s.year, s.month), "comment": s.comment},
            entry_url(s.year, s.month, s.unit_id),
        )
        for s in found
    ]


def _unit_items(unit_ids, today: dt.date) -> list[TodoItem]:
    items = []
    for reminder in reminders(today, unit_ids, emails=False):
        unit = reminder.unit
        for y, m in reminder.months_overdue:
            items.append(
                TodoItem(
                    URGENT,
                    _("%(unit)s: %(month)s is overdue; enter and submit it.")
                    % {"unit": unit.name, "month": month_text(y, m)},
                    entry_url(y, m, unit.pk),
                )
            )
        for y, m in reminder.months_due:
            items.append(
                TodoItem(
                    SOON,
                    _("%(unit)s: submit %(month)s.")
                    % {"unit": unit.name, "month": month_text(y, m)},
                    entry_url(y, m, unit.pk),
                )
            )
        for problem, urgency in [(p, URGENT) for p in reminder.problems_overdue] + [
            (p, SOON) for p in reminder.problems_due_soon
        ]:
            items.append(
                TodoItem(
                    urgency,
                    _("Problem of %(code)s due %(date)s: %(text)s")
                    % {
                        "code": problem.project.code,
                        "date": problem.deadline.isoformat(),
                        "text": problem.description[:60],
                    },
                    reverse("problem_detail", args=[problem.pk]),
                )
            )
        items += [_Later(SOON, partial(_late_node, node)) for node in reminder.nodes_late]
    return items


def _late_node(node) -> TodoItem:
    return TodoItem(
        SOON,
        _("Node of %(code)s late by %(days)s days: %(name)s")
        % {"code": node.project.code, "days": node.days_late, "name": node.name},
        reverse("project_plan", args=[node.project.code]),
    )


def _plan_requests(unit_ids, since: dt.datetime) -> list[TodoItem]:
    """A unit's plan-change requests: waiting, and decided since ``since`` (a day's start,
    so the statement is built once a day and number of units, the units its values)."""

    def build(*units):
        return (
            PlanChangeRequest.objects.filter(project__unit__in=units)
            .filter(Q(status=PlanChangeRequest.Status.PENDING) | Q(decided_at__gte=since))
            .select_related("project")
            .order_by("-requested_at")[:SHOWN]
        )

    items = []
    for request in placed.objects_of(("to-do: plan requests", since), build, *sorted(unit_ids)):
        items.append(
            TodoItem(
                SOON if request.status == PlanChangeRequest.Status.REFUSED else INFO,
                _("Plan-change request for %(code)s (%(year)s): %(status)s")
                % {
                    "code": request.project.code,
                    "year": request.year,
                    "status": request.get_status_display(),
                },
                reverse("plan_request", args=[request.pk]),
            )
        )
    return items


def _review_items(today: dt.date) -> list[TodoItem]:
    """For managers: months with units waiting for review, each month one line."""
    # Both statements are the same on every landing page: built once per process.
    submissions = MonthSubmission.objects.all()
    waiting = compiled.rows_of(
        ("to-do: months waiting", submissions.db),
        lambda: (
            submissions.filter(status=MonthSubmission.Status.SUBMITTED)
            .values("year", "month")
            .annotate(units=Count("id"))
            .order_by("-year", "-month")
        ),
    )
    locked = PeriodLock.objects.of_years({row["year"] for row in waiting}).keys()
    requests = PlanChangeRequest.objects.all()
    pending = (
        compiled.totals_of(
            ("to-do: plan requests pending", requests.db),
            lambda: requests.filter(status=PlanChangeRequest.Status.PENDING),
            n=Count("pk"),
        )["n"]
        or 0
    )
    requests = (
        [
            TodoItem(
                SOON,
                _("%(count)s plan-change requests wait for a decision.") % {"count": pending},
                reverse("plan_requests"),
            )
        ]
        if pending
        else []
    )
    return requests + [
        TodoItem(
            SOON,
            _("%(month)s: %(count)s units wait for review.")
            % {"month": month_text(row["year"], row["month"]), "count": row["units"]},
            reverse("status_page", args=[row["year"], row["month"]]),
        )
        for row in waiting
        if (row["year"], row["month"]) not in locked
    ]


def _library_items(user, today: dt.date) -> list[TodoItem]:
    """Projects in the user's reach due for 入库 by the month's end: one line to the list."""
    due = due_count(user, today, DispatchSettings.current())
    if not due:
        return []
    return [
        TodoItem(
            SOON,
            _("%(count)s projects are due for 入库 this month (started, not in the library).")
            % {"count": due},
            reverse("library_due"),
        )
    ]


def todo(user, today: dt.date) -> dict:
    """The user's to-do items, most urgent first, and how many there are in all."""
    items = []
    if user.has_perm(REVIEW_SUBMISSIONS):
        items += _review_items(today)
    else:
        unit_ids = editable_unit_ids(user) or set()
        if unit_ids:
            # Decided in the last fortnight: from the start of the day fourteen days back.
            since = timezone.make_aware(
                dt.datetime.combine(today - dt.timedelta(days=14), dt.time.min)
            )
            items += (
                _returned(unit_ids) + _unit_items(unit_ids, today) + _plan_requests(unit_ids, since)
            )
    items += _library_items(user, today)
    unread = unread_notices(user)
    if unread:
        items.append(
            TodoItem(
                INFO,
                _("%(count)s unread notices.") % {"count": unread},
                reverse("notice_list"),
            )
        )
    order = {URGENT: 0, SOON: 1, INFO: 2}
    items.sort(key=lambda item: order[item.urgency])
    shown = [item.make() if isinstance(item, _Later) else item for item in items[:SHOWN]]
    return {"todo": shown, "todo_total": len(items)}
