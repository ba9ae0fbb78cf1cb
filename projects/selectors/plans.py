"""Plan-change requests as their pages read them, through the access policy."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from ..models import PLAN_AMOUNT_FIELDS, PlanChangeRequest, QuarterPlan
from ..models.plans import REQUEST_PROJECT_FIELDS
from ..permissions import can

STATUSES = tuple(PlanChangeRequest.Status.values)


def plan_requests(user, *, status: str | None = None, code: str | None = None) -> QuerySet:
    """The requests whose projects ``user``'s ``change`` reaches (a clerk: their units')."""
    qs = PlanChangeRequest.objects.restrict(user, "change").select_related(
        "project", "project__unit", "requested_by", "decided_by"
    )
    if status in STATUSES:
        qs = qs.filter(status=status)
    if code:
        qs = qs.filter(project__code=code)
    return qs


def plan_request_in_reach(user, pk: int) -> PlanChangeRequest | None:
    """One request, or None when it is missing or out of reach (both 404)."""
    if not 0 < pk < 2**63:
        return None  # no row has an id the database cannot hold
    return plan_requests(user).filter(pk=pk).first()


@dataclass(frozen=True)
class RequestLine:
    """One figure of a request: as it stood, as asked, and whether it changes."""

    name: str
    label: str
    before: object
    after: object

    @property
    def changes(self) -> bool:
        return str(self.before or "") != str(self.after or "")


def request_lines(request: PlanChangeRequest) -> tuple[RequestLine, ...]:
    """The request's figures beside the plan they were asked against."""
    fields = PlanChangeRequest._meta
    lines = []
    for name in (*PLAN_AMOUNT_FIELDS, *REQUEST_PROJECT_FIELDS):
        before = request.previous.get(name, "")
        after = getattr(request, name)
        if after is None:
            after = before  # blank in the request: kept as it is
        lines.append(RequestLine(name, str(fields.get_field(name).verbose_name), before, after))
    return tuple(lines)


def current_plan(project, year: int) -> dict[str, Decimal]:
    """The plan as it stands, for a request form's starting figures."""
    plan = QuarterPlan.objects.filter(project=project, year=year).first()
    return plan.figures() if plan else dict.fromkeys(PLAN_AMOUNT_FIELDS, Decimal("0.00"))


def may_decide(user, request: PlanChangeRequest) -> bool:
    """Whether ``user`` may approve or refuse it: whoever the ``plan`` action reaches."""
    return request.is_pending and can(user, "plan", request.project)
