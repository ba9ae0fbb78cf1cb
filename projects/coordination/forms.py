"""Forms of the problem pages; the rules themselves live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Department, Problem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RaiseForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind of problem"), choices=Problem.Kind.choices)
    description = forms.CharField(
        label=_("description"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("progress note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class AssignForm(VersionedForm):
    department = forms.ModelChoiceField(
        label=_("responsible department"), queryset=Department.objects.all()
    )
    leader = forms.CharField(label=_("leader in charge"), max_length=50, required=False)
    deadline = forms.DateField(label=_("deadline"), widget=DATE)
    comment = forms.CharField(
        label=_("instructions"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class EscalateForm(VersionedForm):
    leader = forms.CharField(label=_("leader coordinating"), max_length=50, required=False)
    comment = forms.CharField(
        label=_("why escalate"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ResolveForm(VersionedForm):
    resolution = forms.CharField(
        label=_("resolution"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    resolved_on = forms.DateField(label=_("resolved on"), widget=DATE, required=False)


class ReopenForm(VersionedForm):
    comment = forms.CharField(
        label=_("why reopen"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
