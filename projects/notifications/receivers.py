"""The ledger's events, turned into notices and robot messages (``services.notify``).

A failure here is logged and swallowed: the review or lock it tells of has committed and
stands; the robot messages that failed stay in the log to be retried.
"""

import logging

from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from projects import events
from projects.models import MonthSubmission, Unit
from projects.periods import month_text
from projects.web.links import entry_url

from .models import Event
from .services import notify

log = logging.getLogger(__name__)


@receiver(events.month_reviewed, dispatch_uid="notifications.month_reviewed")
def month_reviewed(sender, submission, actor, **kwargs):
    unit, year, month = submission.unit, submission.year, submission.month
    names = {"unit": unit.name, "month": month_text(year, month)}
    if submission.status == MonthSubmission.Status.RETURNED:
        event = Event.RETURNED
        text = _("%(unit)s: %(month)s was returned for correction: %(comment)s") % {
            **names,
            "comment": submission.comment,
        }
    elif submission.status == MonthSubmission.Status.APPROVED:
        event = Event.APPROVED
        text = _("%(unit)s: %(month)s was approved.") % names
    else:
        return
    try:
        notify(
            actor=actor,
            event=event,
            text=text,
            link=entry_url(year, month, unit.pk),
            users=unit.members.all(),
            units=[unit],
        )
    except Exception:
        log.exception("telling %s of its review failed", unit)


@receiver(events.months_locked, dispatch_uid="notifications.months_locked")
def months_locked(sender, year, months, actor, **kwargs):
    text = _("%(months)s locked: the figures have been reported upward and can no longer change.")
    text %= {"months": "、".join(month_text(year, m) for m in months)}
    staff = get_user_model().objects.filter(units__isnull=False, is_active=True).distinct()
    try:
        notify(actor=actor, event=Event.LOCKED, text=text, users=staff, district=True)
    except Exception:
        log.exception("telling of the lock of %s failed", months)


@receiver(events.plan_request_decided, dispatch_uid="notifications.plan_request_decided")
def plan_request_decided(sender, request, actor, **kwargs):
    project = request.project
    approved = request.status == request.Status.APPROVED
    text = (
        _("The plan-change request for %(code)s %(name)s (%(year)s) was approved.")
        if approved
        else _("The plan-change request for %(code)s %(name)s (%(year)s) was refused.")
    ) % {"code": project.code, "name": project.name, "year": request.year}
    if request.decision_note:
        text += " " + request.decision_note
    unit = project.unit
    try:
        notify(
            actor=actor,
            event=Event.PLAN_DECIDED,
            text=text,
            link=reverse("plan_request", args=[request.pk]),
            users=[request.requested_by, *unit.members.all()],
            units=[unit],
        )
    except Exception:
        log.exception("telling of the decision on plan request %s failed", request.pk)


@receiver(events.units_chased, dispatch_uid="notifications.units_chased")
def units_chased(sender, units, year, month, actor, texts, **kwargs):
    for unit in Unit.objects.filter(pk__in=[u.pk for u in units]).prefetch_related("members"):
        try:
            notify(
                actor=actor,
                event=Event.CHASED,
                text=texts[unit.pk],
                link=entry_url(year, month, unit.pk),
                users=unit.members.all(),
                units=[unit],
            )
        except Exception:
            log.exception("chasing %s failed", unit)


def _problem_names(problem) -> dict:
    project = problem.project
    return {
        "code": project.code,
        "name": project.name,
        "id": problem.pk,
        "kind": problem.get_kind_display(),
    }


def _tell_of_problem(problem, actor, event, text, *, district=False):
    unit = problem.project.unit
    # The unit's staff follow it up; whoever raised it hears too, even from another account.
    users = [*unit.members.all(), *([problem.raised_by] if problem.raised_by else [])]
    try:
        notify(
            actor=actor,
            event=event,
            text=text,
            link=reverse("problem_detail", args=[problem.pk]),
            users=users,
            units=[unit],
            district=district,
        )
    except Exception:
        log.exception("telling of problem %s failed", problem.pk)


@receiver(events.problem_assigned, dispatch_uid="notifications.problem_assigned")
def problem_assigned(sender, problem, actor, **kwargs):
    text = _(
        "%(code)s %(name)s: problem #%(id)s (%(kind)s) was assigned to %(department)s, "
        "to be solved by %(deadline)s."
    ) % {
        **_problem_names(problem),
        "department": problem.department.name if problem.department else "",
        "deadline": problem.deadline.isoformat(),
    }
    _tell_of_problem(problem, actor, Event.PROBLEM_ASSIGNED, text)


@receiver(events.problem_escalated, dispatch_uid="notifications.problem_escalated")
def problem_escalated(sender, problem, actor, comment, **kwargs):
    names = {**_problem_names(problem), "leader": problem.leader, "comment": comment}
    if problem.leader:
        text = _(
            "%(code)s %(name)s: problem #%(id)s (%(kind)s) was escalated to %(leader)s "
            "for coordination: %(comment)s"
        )
    else:
        text = _("%(code)s %(name)s: problem #%(id)s (%(kind)s) was escalated: %(comment)s")
    # Escalation is the district's business too: its own group hears of it.
    _tell_of_problem(problem, actor, Event.PROBLEM_ESCALATED, text % names, district=True)
