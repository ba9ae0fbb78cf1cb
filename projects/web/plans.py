"""Plan-change requests (计划调整申请): a clerk asks, a manager decides, both see the outcome.

Thin views: requests are read through ``selectors.plans`` (the access policy's
``change`` reach, so another unit's request or project is 404) and written through
``services.plans`` with the person as actor.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import services
from ..models import PlanChangeRequest
from ..money import ZERO
from ..periods import FIRST_YEAR, LAST_YEAR
from ..selectors.plans import (
    STATUSES,
    current_plan,
    may_decide,
    plan_request_in_reach,
    plan_requests,
    request_lines,
)
from ..selectors.project import project_in_reach
from .entry_forms import AmountField

QUARTERS = (1, 2, 3, 4)


class PlanRequestForm(forms.Form):
    """The new figures of a year's plan and the reason; the project's fields blank = kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for measure, label in (
            ("investment", gettext_lazy("Q%(q)s planned investment (万元)")),
            ("inclusion", gettext_lazy("Q%(q)s planned inclusion (万元)")),
        ):
            for q in QUARTERS:
                self.fields[f"{measure}_q{q}"] = AmountField(label=label % {"q": q})
        self.fields["total_investment"] = AmountField(
            label=gettext_lazy("total investment (万元)"),
            help_text=gettext_lazy("Blank keeps it as it is."),
        )
        for name, label in (
            ("planned_start", gettext_lazy("planned start")),
            ("planned_completion", gettext_lazy("planned completion")),
        ):
            self.fields[name] = forms.DateField(
                label=label,
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
                help_text=gettext_lazy("Blank keeps it as it is."),
            )
        self.fields["reason"] = forms.CharField(
            label=gettext_lazy("reason for the change"),
            widget=forms.Textarea(attrs={"rows": 3}),
            max_length=2000,
            error_messages={
                "required": gettext_lazy(
                    "Say why the plan should change; the office decides on the reason."
                )
            },
        )

    def clean(self):
        cleaned = super().clean()
        for measure in ("investment", "inclusion"):
            for q in QUARTERS:
                name = f"{measure}_q{q}"
                if name in cleaned and cleaned[name] is None:
                    # A blank quarter is no plan for it: zero, as the ledger stores it.
                    cleaned[name] = ZERO
        return cleaned


def _year(request, project) -> int:
    text = request.GET.get("year") or request.POST.get("year") or ""
    if text.isascii() and text.isdigit() and FIRST_YEAR <= int(text) <= LAST_YEAR:
        return int(text)
    return project.programme.year


def _refusal_text(exc) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


@login_required
def plan_request_new(request, code: str):
    """A clerk's request to change one of their projects' plans for a year."""
    project = project_in_reach(request.user, code, "change")
    if project is None:
        raise Http404(_("There is no project with code %(code)s.") % {"code": code})
    year = _year(request, project)
    if request.method == "POST":
        form = PlanRequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = services.request_plan_change(
                    actor=request.user,
                    project=project,
                    year=year,
                    investment=[data[f"investment_q{q}"] for q in QUARTERS],
                    inclusion=[data[f"inclusion_q{q}"] for q in QUARTERS],
                    total_investment=data["total_investment"],
                    planned_start=data["planned_start"],
                    planned_completion=data["planned_completion"],
                    reason=data["reason"],
                )
            except (PermissionDenied, ValidationError) as exc:
                form.add_error(None, _refusal_text(exc))
            else:
                messages.success(request, _("Your request was sent; the office will decide on it."))
                return redirect("plan_request", pk=made.pk)
    else:
        form = PlanRequestForm(initial=current_plan(project, year))
    context = {"form": form, "project": project, "year": year}
    return render(request, "projects/plan_request_new.html", context)


@login_required
def plan_request_list(request):
    """The requests of the person's units (every unit for a manager), newest first."""
    status = request.GET.get("status") or None
    code = request.GET.get("project") or None
    requests = plan_requests(request.user, status=status, code=code)[:500]
    context = {
        "requests": requests,
        "status": status if status in STATUSES else "",
        "statuses": PlanChangeRequest.Status.choices,
        "code": code or "",
    }
    return render(request, "projects/plan_requests.html", context)


@login_required
def plan_request_detail(request, pk: int):
    found = plan_request_in_reach(request.user, pk)
    if found is None:
        raise Http404(_("There is no plan-change request %(pk)s.") % {"pk": pk})
    context = {
        "req": found,
        "lines": request_lines(found),
        "may_decide": may_decide(request.user, found),
    }
    return render(request, "projects/plan_request.html", context)


@login_required
@require_POST
def plan_request_decide(request, pk: int):
    """A manager's approval or refusal; anyone else is refused by the service."""
    found = plan_request_in_reach(request.user, pk)
    if found is None:
        raise Http404(_("There is no plan-change request %(pk)s.") % {"pk": pk})
    decision = request.POST.get("decision")
    note = request.POST.get("note", "")
    try:
        if decision == "approve":
            services.approve_plan_change(
                actor=request.user,
                request=found,
                note=note,
                locked_reason=request.POST.get("locked_reason", ""),
            )
            messages.success(request, _("Approved: the plan now holds the requested figures."))
        elif decision == "refuse":
            services.refuse_plan_change(actor=request.user, request=found, note=note)
            messages.success(request, _("Refused; the unit sees your reason."))
        else:
            messages.error(request, _("Choose to approve or to refuse the request."))
    except ValidationError as exc:
        messages.error(request, _refusal_text(exc))
    return redirect("plan_request", pk=found.pk)
