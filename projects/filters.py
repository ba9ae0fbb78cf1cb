"""The report's filter set: one set of parameters for the page, the exports and the API."""

import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .choices import Light, StartStatus
from .models import Project
from .schema import DIMENSION_KEYS, DIMENSIONS


class ManyOptionsSelect(forms.Select):
    """A select that writes its options itself instead of one template per option.

    A province lists thousands of units and streets; Django's per-option template
    would take most of the report page's time to draw them.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = [
            '<option value="{}"{}>{}</option>'.format(
                escape(option["value"]),
                " selected" if option["selected"] else "",
                escape(option["label"]),
            )
            for _group, group_options, _index in widget["optgroups"]
            for option in group_options
        ]
        return mark_safe(
            f'<select name="{escape(widget["name"])}"{flatatt(widget["attrs"])}>'
            + "".join(options)
            + "</select>"
        )


def _dimension_filters() -> dict:
    """One choice-by-code filter per schema dimension (category, unit, street, industry…)."""
    return {
        f.key: django_filters.ModelChoiceFilter(
            widget=ManyOptionsSelect,
            label=f.label(),
            queryset=f.related_model().objects.all(),
            to_field_name="code",
            empty_label=_("All"),
        )
        for f in DIMENSIONS
    }


class _StateFilters(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=Project.Kind.choices)
    status = django_filters.ChoiceFilter(
        label=_("start status"), choices=StartStatus.CHOICES, field_name="start_status"
    )
    light = django_filters.ChoiceFilter(
        label=_("warning light"), choices=Light.CHOICES, field_name="light"
    )

    class Meta:
        model = Project
        fields = [*DIMENSION_KEYS, "kind", "status", "light"]


# Filters the annotated report queryset (see selectors.report_queryset). Lookups are
# chosen by code so that links and exported URLs stay readable and stable across
# databases. The dimensions' filters are declared by the ledger schema.
ProjectReportFilter = type(
    "ProjectReportFilter",
    (_StateFilters,),
    {**_dimension_filters(), "__module__": __name__},
)


# The plan the report's rates are computed on: the current (adjusted) plan, or with
# ``?plan=baseline`` the plan first issued for the year (年初计划). Not a filter: every
# project still counts; it travels with the filters so page, files and 通报 agree.
PLAN_PARAMETER = "plan"
CURRENT_PLAN = "current"
BASELINE_PLAN = "baseline"


def plan_basis(params) -> str:
    """``BASELINE_PLAN`` when the parameters ask for it, else ``CURRENT_PLAN``."""
    value = params.get(PLAN_PARAMETER) if params else None
    return BASELINE_PLAN if value == BASELINE_PLAN else CURRENT_PLAN
