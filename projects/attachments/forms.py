"""The photo upload form; the phone's camera opens straight from its file field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.milestones.models import Milestone
from projects.periods import FIRST_YEAR, LAST_YEAR, MonthField
from projects.web.lock_reason import lock_reason_field

from .models import LibraryDocument, Photo


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("photo"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    month = MonthField(
        label=_("month"),
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}),
        help_text=_("The month whose progress the photo shows."),
    )
    milestone = forms.ModelChoiceField(
        label=_("node"), queryset=Milestone.objects.none(), required=False
    )
    caption = forms.CharField(label=_("caption"), max_length=200, required=False)
    # Off by default: a photo's location is personal data, read only with the uploader's leave.
    use_location = forms.BooleanField(
        label=_("Use the photo's location as the project's"),
        required=False,
        help_text=_(
            "Reads the GPS position the camera saved in the photo and sets the project's "
            "coordinates (for the map) from it."
        ),
    )
    reason = lock_reason_field()

    def __init__(self, *args, project=None, may_correct_locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        if project is not None:
            self.fields["milestone"].queryset = Milestone.objects.filter(project=project)
        if not may_correct_locked:
            # Unit staff cannot change a locked month whatever they write: no field to fill.
            del self.fields["reason"]


class EntryPhotoForm(forms.Form):
    """A photo taken from a row of the month entry grid: the project and month come with it."""

    project = forms.CharField(max_length=50)
    year = forms.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    month = forms.IntegerField(min_value=1, max_value=12)
    image = forms.FileField(
        label=_("photo"),
        error_messages={"required": _("Choose or take a photo first.")},
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    caption = forms.CharField(label=_("caption"), max_length=200, required=False)


class LibraryDocumentForm(forms.Form):
    """One 入库 material: a photo already in the project's store, or a PDF or picture upload."""

    kind = forms.ChoiceField(label=_("item"), choices=LibraryDocument.Kind.choices)
    photo = forms.ModelChoiceField(
        label=_("one of the project's site photos"), queryset=Photo.objects.none(), required=False
    )
    document = forms.FileField(
        label=_("or upload a file (PDF or picture)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}),
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)
    reason = lock_reason_field()

    def __init__(self, *args, project=None, may_correct_locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        if project is not None:
            self.fields["photo"].queryset = Photo.objects.filter(project=project)
        if not may_correct_locked:
            del self.fields["reason"]

    def clean(self):
        data = super().clean()
        if bool(data.get("photo")) == bool(data.get("document")):
            raise forms.ValidationError(
                _("Choose one of the project's photos or upload a file, not both.")
            )
        return data
