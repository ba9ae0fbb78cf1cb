"""The filter form of the problem list: status, kind, unit, department, leader, 临期 and 超期."""

import datetime as dt

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.filters import ReferenceFilter
from projects.models import Programme, Unit

from .models import Department, Problem
from .selectors import due_soon_q, overdue_q

OPEN, ALL = "open", "all"
STATUS_CHOICES = [
    (OPEN, _("Open (not closed)")),
    (ALL, _("All, closed included")),
    *Problem.Status.choices,
]
SORTS = {
    "age": ("raised_on", "id"),
    "-age": ("-raised_on", "-id"),
    "deadline": ("deadline", "raised_on", "id"),
}
SORT_CHOICES = [
    ("age", _("Oldest first")),
    ("-age", _("Newest first")),
    ("deadline", _("Deadline first")),
]


class ProblemFilter(django_filters.FilterSet):
    """Filters for /problems/ and for the agenda files made from the same request."""

    # No blank choice: the list opens on the open problems, and 全部（含已关闭）or a
    # status shows the closed ones.
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=STATUS_CHOICES, method="filter_status", empty_label=None
    )
    kind = django_filters.ChoiceFilter(label=_("kind of problem"), choices=Problem.Kind.choices)
    # By code, as the report's links name a list.
    programme = django_filters.ModelChoiceFilter(
        label=_("programme"),
        field_name="project__programme",
        to_field_name="code",
        queryset=Programme.objects.order_by("-year", "code"),
    )
    # A text box with suggestions above a size (a province's 2,466 units), as on the report.
    unit = ReferenceFilter(
        label=_("responsible unit"),
        field_name="project__unit",
        queryset=Unit.objects.all(),
        suggest="unit",
    )
    department = django_filters.ModelChoiceFilter(
        label=_("responsible department"), queryset=Department.objects.all()
    )
    leader = django_filters.CharFilter(label=_("leader in charge"), lookup_expr="icontains")
    project = django_filters.CharFilter(
        label=_("project code"), field_name="project__code", lookup_expr="iexact"
    )
    due_within = django_filters.NumberFilter(
        label=_("due within (days)"),
        method="filter_due_within",
        min_value=0,
        max_value=365,
    )
    overdue = django_filters.BooleanFilter(
        label=_("overdue only"), method="filter_overdue", widget=forms.CheckboxInput
    )
    sort = django_filters.ChoiceFilter(
        label=_("sort"), choices=SORT_CHOICES, method="filter_sort", empty_label=None
    )

    class Meta:
        model = Problem
        fields = []

    def __init__(self, *args, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def filter_queryset(self, queryset):
        # Closed problems are the log's archive: without a status chosen (or a bad one),
        # the list shows what is still to be chased.
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status__in=Problem.OPEN_STATUSES)
        return super().filter_queryset(queryset)

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(status__in=Problem.OPEN_STATUSES)
        if value == ALL:
            return queryset
        return queryset.filter(status=value)

    def filter_due_within(self, queryset, name, value):
        if value is None:
            return queryset
        if value < 0 or value > 365:
            return queryset.none()
        return queryset.filter(due_soon_q(self.today, int(value)))

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q(self.today)) if value else queryset

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["age"]))
