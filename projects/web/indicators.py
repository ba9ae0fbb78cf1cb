"""District indicators' page: the figures so far, and a form per indicator for whoever enters it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import services
from ..models import Frequency, Indicator, IndicatorValue
from ..models.fields import YEAR_VALIDATORS
from ..money import AmountFormField
from ..periods import FIRST_YEAR, LAST_YEAR, current_month, quarter_of_month
from ..permissions import restrict
from .tables import int_or_none


class IndicatorValueForm(forms.Form):
    # The period is chosen in the address (?year=&period=) and carried hidden, so the
    # version the form carries is always that period's.
    year = forms.IntegerField(widget=forms.HiddenInput, validators=YEAR_VALIDATORS)
    period = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=12)
    value = AmountFormField(label=gettext_lazy("figure"))
    target = AmountFormField(label=gettext_lazy("target"), required=False)
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=gettext_lazy("reason (needed for a locked month)"), required=False, max_length=100
    )


def _enterable(user):
    """The indicators the user may enter: their units' (managers: all); others are 404."""
    return Indicator.objects.filter(restrict(user, "change", unit="unit", street=None))


def _default_period(indicator: Indicator) -> tuple[int, int]:
    """The period a clerk most likely enters now: last month, its quarter, or this year."""
    year, month = current_month()
    if indicator.frequency == Frequency.YEAR:
        return year, 0
    if indicator.frequency == Frequency.QUARTER:
        return year, quarter_of_month(month)
    return year, month


def _periods(indicator: Indicator) -> list[tuple[int, str]]:
    """The periods a form offers: 1–12月, 第1–4季度, or the year."""
    if indicator.frequency == Frequency.MONTH:
        return [(m, f"{m}月") for m in range(1, 13)]
    if indicator.frequency == Frequency.QUARTER:
        return [(q, f"第{q}季度") for q in range(1, 5)]
    return [(0, "全年")]


@login_required
def indicator_list(request):
    year = int_or_none(request.GET.get("year")) or timezone.localdate().year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        year = timezone.localdate().year
    values = IndicatorValue.objects.filter(year=year).select_related("indicator__unit")
    enterable = set(_enterable(request.user).values_list("pk", flat=True))
    context = {
        "year": year,
        "indicators": Indicator.objects.select_related("unit"),
        "values": values.order_by("indicator__sort_order", "indicator__code", "period"),
        "enterable": enterable,
    }
    return render(request, "projects/indicators.html", context)


@login_required
def indicator_entry(request, code: str):
    indicator = get_object_or_404(_enterable(request.user).select_related("unit"), code=code)
    source = request.POST if request.method == "POST" else request.GET
    year = int_or_none(source.get("year"))
    period = int_or_none(source.get("period"))
    if (
        year is None
        or period is None
        or not (FIRST_YEAR <= year <= LAST_YEAR and 0 <= period <= 12)
    ):
        year, period = _default_period(indicator)
    stored = IndicatorValue.objects.filter(indicator=indicator, year=year, period=period).first()
    if request.method == "POST":
        form = IndicatorValueForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_indicator_value(
                    actor=request.user,
                    indicator=indicator,
                    year=data["year"],
                    period=data["period"],
                    value=data["value"],
                    target=data["target"],
                    expected_version=data["expected_version"],
                    reason=data["reason"],
                )
            except (ValidationError, PermissionDenied) as exc:
                for message in getattr(exc, "messages", [str(exc)]):
                    form.add_error(None, message)
            else:
                messages.success(request, _("Saved %(indicator)s.") % {"indicator": indicator.name})
                return redirect(f"{reverse('indicators')}?year={data['year']}")
    else:
        form = IndicatorValueForm(
            initial={
                "year": year,
                "period": period,
                "value": stored.value if stored else None,
                "target": stored.target if stored else None,
                "expected_version": stored.version if stored else None,
            }
        )
    return render(
        request,
        "projects/indicator_entry.html",
        {
            "indicator": indicator,
            "form": form,
            "stored": stored,
            "year": year,
            "period": period,
            "periods": _periods(indicator),
        },
    )
