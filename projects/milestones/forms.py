"""Forms for editing a project's nodes and approvals and for applying templates."""

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.models import Programme, Project, Unit
from projects.web.lock_reason import lock_reason_field

from .models import Approval, TemplateSet

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NodeForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("node"), max_length=50, required=False)
    planned_date = forms.DateField(label=_("planned date"), widget=DATE, required=False)
    actual_date = forms.DateField(label=_("actual date"), widget=DATE, required=False)
    unit = forms.ModelChoiceField(
        label=_("responsible unit"), queryset=Unit.objects.all(), required=False
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)
    remove = forms.BooleanField(label=_("remove"), required=False)


NodeFormSet = forms.formset_factory(NodeForm, extra=1, max_num=60, validate_max=True)


class ApprovalForm(forms.Form):
    kind = forms.ChoiceField(choices=Approval.Kind.choices, widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("status"), choices=Approval.Status.choices)
    date = forms.DateField(label=_("date granted"), widget=DATE, required=False)
    document_number = forms.CharField(label=_("document number"), max_length=80, required=False)


ApprovalFormSet = forms.formset_factory(ApprovalForm, extra=0, max_num=6, validate_max=True)


class ApplyTemplatesForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("programme"), queryset=Programme.objects.all())
    kind = forms.ChoiceField(label=_("project kind"), choices=Project.Kind.choices)
    reason = lock_reason_field(
        _("Only needed when a node's dates touch a locked month; kept in the change history.")
    )


class ApplySetsForm(forms.Form):
    """A manager chooses the template sets whose nodes a project gets, dated from its dates."""

    template_sets = forms.ModelMultipleChoiceField(
        label=_("template sets"),
        queryset=TemplateSet.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    reason = lock_reason_field(
        _("Only needed when a node's dates touch a locked month; kept in the change history.")
    )


class ReplanForm(forms.Form):
    """重排后续节点: the reason, and the versions of the nodes the preview showed."""

    reason = forms.CharField(label=_("Reason for re-planning"), max_length=100)
    versions = forms.CharField(widget=forms.HiddenInput, required=False, max_length=4000)

    def clean_versions(self) -> dict[int, int]:
        pinned = {}
        for pair in filter(None, self.cleaned_data["versions"].split(",")):
            node, _sep, version = pair.partition(":")
            if not (node.isdigit() and version.isdigit()):
                raise forms.ValidationError(_("The preview was damaged; open it again."))
            pinned[int(node)] = int(version)
        return pinned


def pin_versions(moves) -> str:
    """What the preview carries to the confirm: each moved node's id and version."""
    return ",".join(f"{m.node.pk}:{m.node.version}" for m in moves)
