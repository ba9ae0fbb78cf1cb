"""Forms of the problem pages; the rules themselves live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.web.lock_reason import lock_reason_field

from .models import Department, Problem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class LockReasonForm(VersionedForm):
    """A manager's step that may move a problem's date in a locked month asks why."""

    reason = lock_reason_field(
        _("Only needed when a date falls in a locked month; kept in the change history.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"] = self.fields.pop("reason")  # after the step's own fields


# A blank first choice, so no kind is picked for the user (a 施工用电 problem filed as 用地
# because the list opened on it); the service refuses a problem without one.
KIND_CHOICES = [("", _("— choose the kind —")), *Problem.Kind.choices]


class RaiseForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind of problem"),
        choices=KIND_CHOICES,
        error_messages={"required": _("Choose the kind of problem.")},
    )
    description = forms.CharField(
        label=_("description"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("progress note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class AssignForm(LockReasonForm):
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


class ResolveForm(LockReasonForm):
    resolution = forms.CharField(
        label=_("resolution"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    resolved_on = forms.DateField(label=_("resolved on"), widget=DATE, required=False)


class ReopenForm(LockReasonForm):
    comment = forms.CharField(
        label=_("why reopen"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ReclassifyForm(VersionedForm):
    kind = forms.ChoiceField(
        label=_("kind of problem"),
        choices=KIND_CHOICES,
        error_messages={"required": _("Choose the kind of problem.")},
    )
    comment = forms.CharField(
        label=_("why (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
