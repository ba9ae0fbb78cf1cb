"""The entry grid's forms: one row per project, amounts read the way clerks type them."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..money import AMOUNT_PLACES, MAX_AMOUNT_WAN, AmountFormField
from ..services.checks import check_version
from ..services.entry import month_from_cumulative
from .drawn_widgets import DrawnHiddenInput, DrawnTextarea, DrawnTextInput
from .form_copies import copied_quickly


class AmountField(AmountFormField):
    """An amount box of the grid: read by the one grammar (``money.parse_amount``)."""

    widget = DrawnTextInput

    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            min_value=0,
            max_value=MAX_AMOUNT_WAN,
            decimal_places=AMOUNT_PLACES,
            error_messages={
                "min_value": gettext_lazy("Amounts cannot be negative."),
                "max_value": gettext_lazy(
                    "Amounts over 10,000,000 万元 (1,000 亿元) look like a typing mistake."
                ),
                "max_decimal_places": gettext_lazy(
                    "Amounts are in 万元 with at most two decimal places."
                ),
            },
            **kwargs,
        )

    def widget_attrs(self, widget):
        # The numeric keyboard on phones, and no browser spinner that scrolls amounts away.
        return {
            "inputmode": "decimal",
            "autocomplete": "off",
            "class": "amount",
            "size": "9",
        }


STORED_FIELDS = ("investment", "inclusion", "image_progress", "problems")


def box_labels(cumulative: bool) -> dict[str, str]:
    """What each box of a row is, spoken after its project's name: translated once for the
    grid (``BaseEntryFormSet``), not once a row."""
    return {
        "investment": _("Year-to-date completed investment 累计 (万元)")
        if cumulative
        else _("This month's completed investment 当月 (万元)"),
        "inclusion": _("Year-to-date inclusion 累计 (万元)")
        if cumulative
        else _("This month's inclusion 当月 (万元)"),
        "image_progress": _("image progress"),
        "problems": _("problems"),
        "confirm": _("Checked: the figures are right"),
    }


@copied_quickly
class EntryRowForm(forms.Form):
    """One project's month; ``row`` is the selector's row it was drawn from."""

    project = forms.IntegerField(widget=DrawnHiddenInput)
    version = forms.IntegerField(widget=DrawnHiddenInput, required=False)
    investment = AmountField()
    inclusion = AmountField()
    image_progress = forms.CharField(
        required=False, max_length=2000, widget=DrawnTextarea(attrs={"rows": 2})
    )
    problems = forms.CharField(
        required=False, max_length=2000, widget=DrawnTextarea(attrs={"rows": 2})
    )
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args, row, cumulative: bool, month: int, labels: dict, **kwargs):
        self.row = row
        self.cumulative = cumulative
        self.month = month
        self.warnings = []
        kwargs.setdefault("initial", self._initial())
        super().__init__(*args, **kwargs)
        # A screen reader names each box by its project, as the eye does by the row.
        for name, label in labels.items():
            self.fields[name].widget.attrs["aria-label"] = f"{row.project.name} {label}"
        # What is stored, beside what the box shows: after a refused save the boxes hold
        # the posted figures, and the grid's script (changed rows, the draft kept in the
        # browser, the warning before leaving) must still count them as not saved.
        for name in STORED_FIELDS:
            value = self.initial.get(name)
            self.fields[name].widget.attrs["data-stored"] = "" if value is None else str(value)

    def _initial(self) -> dict:
        row, entry = self.row, self.row.entry
        initial = {
            "project": row.project.pk,
            "version": entry.version if entry else None,
            "image_progress": row.prefill_image_progress,
            "problems": row.prefill_problems,
        }
        if entry is not None:
            initial["investment"] = entry.investment
            initial["inclusion"] = entry.inclusion
            if self.cumulative:
                initial["investment"] = row.ytd_investment
                initial["inclusion"] = row.ytd_inclusion
        return initial

    @property
    def changed_figures(self) -> list[str]:
        """What the person changed; ticking a warning alone changes nothing."""
        return [name for name in self.changed_data if name != "confirm"]

    def clean(self):
        data = super().clean()
        if data.get("project") != self.row.project.pk:
            raise ValidationError(
                _("The list of projects changed while you were typing; reload the page."),
                code="stale_list",
            )
        if not self.changed_figures:
            return data
        # Someone saved, entered or removed this month since the page was opened: the
        # service's own rule says which (an entry added meanwhile is a clash, not stale).
        check_version(self.row.entry.version if self.row.entry else None, data.get("version"))
        labels = {
            "investment": _("completed investment"),
            "inclusion": _("inclusion in statistics"),
        }
        before = {
            "investment": self.row.ytd_before_investment,
            "inclusion": self.row.ytd_before_inclusion,
        }
        for name, label in labels.items():
            if name in self.errors:
                continue
            value = data.get(name)
            if value is None:
                self.add_error(
                    name,
                    _("Fill in this month's %(label)s; type 0 if there was none.")
                    % {"label": label},
                )
            elif self.cumulative:
                try:
                    data[name] = month_from_cumulative(
                        cumulative=value,
                        before=before[name],
                        label=label,
                        last_month=self.month - 1,
                    )
                except ValidationError as exc:
                    self.add_error(name, exc)
        return data


class BaseEntryFormSet(forms.BaseFormSet):
    """The grid: the forms follow the selector's writable rows, one each."""

    def __init__(self, *args, rows, cumulative: bool, month: int, **kwargs):
        self.rows = rows
        self.cumulative = cumulative
        self.month = month
        self.labels = box_labels(cumulative)
        super().__init__(*args, **kwargs)

    def total_form_count(self):
        # The rows come from the database, never from the posted count.
        return len(self.rows)

    def get_form_kwargs(self, index):
        return {
            "row": self.rows[index],
            "cumulative": self.cumulative,
            "month": self.month,
            "labels": self.labels,
        }


EntryFormSet = forms.formset_factory(EntryRowForm, formset=BaseEntryFormSet, extra=0)
