"""Admin forms that carry the version a user started from and ask the service layer first.

Each form runs the same checks as the service it will save through (unit
scope, locked and submitted months, stale versions), so a refusal comes back
as an error on the form the user typed into instead of as a failed request.
The service repeats the checks under a row lock when the form is saved.
"""

from types import SimpleNamespace

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from .. import services
from ..models import MonthlyProgress, Project, QuarterPlan
from ..services import plausibility

QUARTERS = (1, 2, 3, 4)


def with_actor(form_class, actor):
    """A per-request subclass that knows who is saving; class attributes are never shared."""
    return type(form_class.__name__, (form_class,), {"actor": actor})


class VersionedForm(forms.ModelForm):
    """Hidden version the user started from, and a reason for changes to a locked month."""

    actor = None
    # On the history's revert page: the stored row's version, which the old one replaces.
    current_version = None

    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("reason for change"),
        required=False,
        max_length=100,
        help_text=_("Required when a manager changes a locked month; kept in the history."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "expected_version" in self.fields:
            self.fields["expected_version"].initial = (
                self.instance.version if self.current_version is None else self.current_version
            )

    def clean(self):
        cleaned = super().clean()
        if (
            self.instance.pk
            and "expected_version" in self.fields
            and cleaned.get("expected_version") is None
        ):
            # Without the version the form was opened at, a save could overwrite a
            # colleague's change unseen; a page that lost it must be reloaded.
            raise ValidationError(
                _("This page is missing the version it was opened at; reload it and try again."),
                code="stale",
            )
        return cleaned

    def unchanged(self) -> bool:
        """An existing row the user did not touch: saving it is no write, so nothing to check."""
        return bool(self.instance.pk) and not self.has_changed()

    def run_check(self, check, **kwargs):
        try:
            check(actor=self.actor, **kwargs)
        except (PermissionDenied, ValidationError) as exc:
            raise ValidationError(getattr(exc, "messages", None) or [str(exc)]) from exc

    def _value(self, name):
        if name in self.cleaned_data:
            return self.cleaned_data[name]
        return getattr(self.instance, name, None)


class ProgressForm(VersionedForm):
    class Media:
        css = {"all": ["css/admin_forms.css"]}

    acknowledge = forms.BooleanField(
        label=_("Checked: the figures are right"),
        required=False,
        # The admin's own checkbox is 13 px: too small a target on a phone.
        widget=forms.CheckboxInput(attrs={"class": "tap-checkbox"}),
        help_text=_(
            "Tick after checking figures this form flagged as unusual; your name and the "
            "time are kept with the entry and in its history."
        ),
    )

    class Meta:
        model = MonthlyProgress
        fields = ["project", "year", "month", "investment", "inclusion"]
        help_texts = {
            "investment": _("This month's amount alone (当月), not the year-to-date total (累计)."),
            "inclusion": _("This month's amount alone (当月), not the year-to-date total (累计)."),
        }

    def clean(self):
        cleaned = super().clean()
        if self.errors or self.unchanged():
            return cleaned
        project = (
            self._value("project") if self.instance.project_id or "project" in cleaned else None
        )
        year, month = self._value("year"), self._value("month")
        if project is None or year is None or month is None:
            return cleaned
        if self.instance.pk and (
            self.instance.project_id != project.pk
            or self.instance.year != year
            or self.instance.month != month
        ):
            raise ValidationError(
                _(
                    "An entry cannot be moved to another project or month; "
                    "delete it and add a new entry instead."
                )
            )
        self.run_check(
            services.check_progress,
            project=project,
            year=year,
            month=month,
            expected_version=cleaned.get("expected_version"),
            reason=cleaned.get("reason") or "",
        )
        self._check_plausible(project, year, month, cleaned)
        return cleaned

    def _check_plausible(self, project, year, month, cleaned) -> None:
        """The service's plausibility rule, shown on the form: limits refuse, warnings ask."""
        investment, inclusion = self._value("investment"), self._value("inclusion")
        if investment is None or inclusion is None:
            return
        found = plausibility.review_one(
            services.ProgressInput(
                project=project, year=year, month=month, investment=investment, inclusion=inclusion
            )
        )
        if found.refusals:
            raise ValidationError([f.message for f in found.refusals])
        if not found.warnings or cleaned.get("acknowledge"):
            return
        if "acknowledge" in self.fields:
            ask = _("If they are right, tick “Checked: the figures are right” and save again.")
        else:
            # The list has no tick of its own: the entry's form asks for it.
            ask = _("If they are right, open the entry and confirm them there (已核实).")
        raise ValidationError([*(w.message for w in found.warnings), ask])


class ProgressListForm(ProgressForm):
    """A changelist row: the figures the user was shown stand in for the version.

    The changelist renders only the editable columns, so the hidden version
    cannot travel with the row; Django's hidden initial values can.
    """

    compared = ("investment", "inclusion")
    # Not rendered in the list, so not fields: a missing value would mark every row changed.
    expected_version = None
    reason = None
    acknowledge = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.compared:
            if name in self.fields:
                self.fields[name].show_hidden_initial = True

    def clean(self):
        if self.instance.pk:
            for name in self.compared:
                if name not in self.fields:
                    continue
                field = self.fields[name]
                shown = field.hidden_widget().value_from_datadict(
                    self.data, self.files, self.add_initial_prefix(name)
                )
                try:
                    shown = field.to_python(shown)
                except ValidationError:
                    shown = None
                if shown != getattr(self.instance, name):
                    raise services.stale_error()
        cleaned = super().clean()
        if self.instance.pk:
            # The shown figures matched the stored ones, so the stored version is the one read.
            cleaned["expected_version"] = self.instance.version
        return cleaned


class PlanForm(VersionedForm):
    class Meta:
        model = QuarterPlan
        fields = ["project", "year"]

    def clean(self):
        cleaned = super().clean()
        if self.errors or self.unchanged():
            return cleaned
        project = (
            self._value("project") if self.instance.project_id or "project" in cleaned else None
        )
        year = self._value("year")
        if project is None or year is None:
            return cleaned
        if self.instance.pk and (
            self.instance.project_id != project.pk or self.instance.year != year
        ):
            raise ValidationError(
                _("A plan cannot be moved to another project or year; add a new plan instead.")
            )
        self.run_check(
            services.check_plan,
            project=project,
            year=year,
            investment=[self._value(f"investment_q{q}") for q in QUARTERS],
            inclusion=[self._value(f"inclusion_q{q}") for q in QUARTERS],
            expected_version=cleaned.get("expected_version"),
            reason=cleaned.get("reason") or "",
        )
        return cleaned


class ProjectForm(VersionedForm):
    class Meta:
        model = Project
        fields = ["code"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and cleaned.get("expected_version") is not None:
            current = (
                Project.objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            try:
                services.check_version(current, cleaned["expected_version"])
            except ValidationError as exc:
                raise ValidationError(exc.messages) from exc
        if self.instance.pk and "total_investment" in self.changed_data:
            # Beside the field: the same limit save_project applies.
            total = cleaned.get("total_investment")
            plausibility.check_total(
                SimpleNamespace(
                    pk=self.instance.pk, code=self.instance.code, total_investment=total
                )
            )
        return cleaned
