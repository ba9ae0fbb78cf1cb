"""The report's filter set: one set of parameters for the page, the exports and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import Light, StartStatus
from .models import Category, Project, Street, Unit


class ProjectReportFilter(django_filters.FilterSet):
    """Filters the annotated report queryset (see selectors.report_queryset).

    Lookups are chosen by code so that links and exported URLs stay readable
    and stable across databases.
    """

    category = django_filters.ModelChoiceFilter(
        label=_("category"),
        queryset=Category.objects.all(),
        to_field_name="code",
        empty_label=_("All"),
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("responsible unit"),
        queryset=Unit.objects.all(),
        to_field_name="code",
        empty_label=_("All"),
    )
    street = django_filters.ModelChoiceFilter(
        label=_("street"), queryset=Street.objects.all(), to_field_name="code", empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=Project.Kind.choices)
    status = django_filters.ChoiceFilter(
        label=_("start status"), choices=StartStatus.CHOICES, field_name="start_status"
    )
    light = django_filters.ChoiceFilter(
        label=_("warning light"), choices=Light.CHOICES, field_name="light"
    )

    class Meta:
        model = Project
        fields = ["category", "unit", "street", "kind", "status", "light"]
