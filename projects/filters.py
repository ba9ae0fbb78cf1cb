"""The report's filter set: one set of parameters for the page, the exports and the API."""

from collections.abc import Mapping

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from tracker.request_memo import remembered

from .choices import Light, StartStatus
from .models import Project
from .schema import DIMENSION_KEYS, DIMENSIONS

# Up to this many choices a reference filter is a select; above it, a text box that takes
# a name or a code (with suggestions from ``/filters/<key>/suggestions/`` when scripts run).
# A province lists 2,466 units: drawing them as options cost the page most of its time.
SELECT_UP_TO = 50


class ReferenceWidget(forms.Widget):
    """A short list as a select, a long one as a text box: one query either way.

    The page never builds a long list's options: the query reads at most
    ``SELECT_UP_TO + 1`` rows, and only to learn which of the two to draw.
    """

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.queryset = None
        self.empty_label = ""
        self.suggest = ""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        value = "" if value is None else str(value)
        rows = list(self.queryset.values_list("pk", "code", "name")[: SELECT_UP_TO + 1])
        if len(rows) <= SELECT_UP_TO:
            return self._select(name, value, attrs, rows)
        return self._text(name, value, attrs)

    def _select(self, name, value, attrs, rows):
        # Written here rather than by a template per option. Options carry codes; an
        # older address may carry the row's id (the problem list's), which still selects.
        options = [f'<option value="">{escape(self.empty_label)}</option>'] + [
            '<option value="{}"{}>{}</option>'.format(
                escape(code), " selected" if value in (code, str(pk)) else "", escape(label)
            )
            for pk, code, label in rows
        ]
        return mark_safe(
            f'<select name="{escape(name)}"{flatatt(attrs)}>{"".join(options)}</select>'
        )

    def _text(self, name, value, attrs):
        list_id = f"{attrs.get('id') or name}-suggestions"
        attrs = {
            **attrs,
            "type": "text",
            "name": name,
            "value": value,
            "list": list_id,
            "autocomplete": "off",
            "placeholder": _("name or code"),
            "data-suggest": reverse("filter_suggestions", args=[self.suggest]),
        }
        return format_html('<input{}><datalist id="{}"></datalist>', flatatt(attrs), list_id)


class ReferenceField(forms.ModelChoiceField):
    """A reference chosen by code (links, files, share links) or typed by name or code.

    One query, as the code lookup it replaces; unknown or ambiguous text is a form error
    in words, never a 500, and a file asked with it is refused (``invalid_filters_response``).
    """

    widget = ReferenceWidget

    def __init__(self, *args, suggest: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.suggest = suggest
        self.widget.empty_label = self.empty_label or ""

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self._queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if not text:
            return None
        # Ambiguous only when one entry's code is another's name, or codes differ in case.
        wanted = Q(code__iexact=text) | Q(name__iexact=text)
        by_id = not self.to_field_name and text.isascii() and text.isdigit() and len(text) <= 18
        if by_id:
            # A filter keyed by id (the problem list's) keeps its old addresses working.
            wanted |= Q(pk=int(text))
        matches = list(self.queryset.filter(wanted)[:3])
        exact = [m for m in matches if m.code == text or (by_id and str(m.pk) == text)]
        if len(exact) == 1:
            return exact[0]
        if len(matches) == 1:
            return matches[0]
        words = {"text": text, "field": self.label}
        if not matches:
            raise ValidationError(
                _("There is no %(field)s named or coded “%(text)s”.") % words, code="unknown"
            )
        raise ValidationError(
            _("“%(text)s” names more than one %(field)s; type its code.") % words,
            code="ambiguous",
        )


class ReferenceFilter(django_filters.ModelChoiceFilter):
    """A filter on a reference list (unit, street, category…): see ``ReferenceField``.

    ``/filters/<key>/suggestions/`` serves every filter of this class, so a reference
    filter declared with it gets its suggestions without more code.
    """

    field_class = ReferenceField


def _dimension_filters() -> dict:
    """One reference filter per schema dimension (category, unit, street, industry…)."""
    return {
        f.key: ReferenceFilter(
            label=f.label(),
            queryset=f.related_model().objects.all(),
            to_field_name="code",
            empty_label=_("All"),
            suggest=f.key,
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


def bound_filters(params):
    """The report's filter set bound to a request's parameters (unbound when there are none)."""
    return ProjectReportFilter(params or None, queryset=Project.objects.none())


# The filters, in the form's order.
FILTER_NAMES = tuple(ProjectReportFilter.base_filters)


def filters_asked(params: Mapping | None) -> tuple:
    """The filters' parameters among ``params`` (a request's GET or a plain mapping), each
    with its values as text: what the filter set reads of them, as a key."""
    if not params:
        return ()
    getlist = getattr(params, "getlist", None)

    def values(name: str) -> tuple[str, ...]:
        found = getlist(name) if getlist else params[name]
        return tuple(map(str, found if isinstance(found, (list, tuple)) else (found,)))

    return tuple((name, values(name)) for name in FILTER_NAMES if name in params)


def validated_filters(params: Mapping | None):
    """The filter set bound to ``params`` and validated, or None when they name no filter.

    Once per request and filters asked (``request_memo``): a report page applies them to its
    rows, totals, coverage and campaigns and names them in its title, and each validation
    reads the references named (a unit by its name or code)."""
    asked = filters_asked(params)
    if not asked:
        return None
    return remembered(("report-filters", asked), lambda: _validated(params))


def _validated(params: Mapping) -> ProjectReportFilter:
    filterset = ProjectReportFilter(params, queryset=Project.objects.none())
    filterset.is_valid()
    return filterset


def applied_filters(params: Mapping | None) -> dict:
    """The filter values that apply (valid and not blank), as the filter form cleans them:
    an invalid value is left out of the figures, and so of their names."""
    filterset = validated_filters(params)
    return {} if filterset is None else applied_values(filterset)


def applied_values(filterset) -> dict:
    """A validated filter set's values that apply (``applied_filters``)."""
    return {
        name: value
        for name, value in getattr(filterset.form, "cleaned_data", {}).items()
        if value not in (None, "")
    }


def filters_key(applied: Mapping) -> tuple:
    """The filters that applied as a key's part: a reference by its id, as a statement reads it."""
    return tuple(sorted((name, getattr(value, "pk", value)) for name, value in applied.items()))


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
