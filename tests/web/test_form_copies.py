"""The grid's fields copied by their attributes are the copies Django's protocol makes."""

import copy

from django import forms

from projects.web.entry_forms import EntryRowForm
from projects.web.form_copies import QuicklyCopiedFields, copied_quickly


def _django_copy(fields):
    return {name: copy.deepcopy(field) for name, field in fields.items()}


def _same_copy(made, reference, original):
    assert type(made) is type(reference)
    assert made is not original
    assert made.__dict__.keys() == reference.__dict__.keys()
    for key, value in reference.__dict__.items():
        if key == "widget":
            _same_copy(made.widget, value, original.widget)
        elif key in ("attrs", "error_messages", "validators"):
            assert getattr(made, key) == value
            assert getattr(made, key) is not getattr(original, key), key
        else:
            assert getattr(made, key) is getattr(original, key) or getattr(made, key) == value


def test_each_field_of_a_row_is_copied_as_django_copies_it():
    assert isinstance(EntryRowForm.base_fields, QuicklyCopiedFields)
    quick = copy.deepcopy(EntryRowForm.base_fields)
    reference = _django_copy(EntryRowForm.base_fields)
    assert type(quick) is dict and quick.keys() == reference.keys()
    for name, field in quick.items():
        _same_copy(field, reference[name], EntryRowForm.base_fields[name])


def test_one_rows_labels_never_reach_another_row_or_the_class():
    first, second = (copy.deepcopy(EntryRowForm.base_fields) for _ in range(2))
    first["investment"].widget.attrs["aria-label"] = "甲项目"
    first["investment"].error_messages["invalid"] = "x"
    first["investment"].validators.append(len)
    assert "aria-label" not in second["investment"].widget.attrs
    assert "aria-label" not in EntryRowForm.base_fields["investment"].widget.attrs
    assert second["investment"].error_messages["invalid"] != "x"
    assert len not in EntryRowForm.base_fields["investment"].validators


class _SlottedWidget(forms.TextInput):
    __slots__ = ("extra",)


class _OwnCopyField(forms.CharField):
    def __deepcopy__(self, memo):
        made = super().__deepcopy__(memo)
        made.copied_its_own_way = True
        return made


@copied_quickly
class _Mixed(forms.Form):
    choice = forms.ChoiceField(choices=[("a", "甲"), ("b", "乙")])
    own = _OwnCopyField()
    slotted = forms.CharField(widget=_SlottedWidget)
    plain = forms.CharField()


_Mixed.base_fields["slotted"].widget.extra = "kept"


def test_a_field_or_widget_that_copies_itself_its_own_way_is_copied_by_django():
    copied = copy.deepcopy(_Mixed.base_fields)
    assert copied["own"].copied_its_own_way
    # ChoiceField copies its choices: a form's choices changed never reach the class.
    copied["choice"].choices = [("c", "丙")]
    assert list(_Mixed.base_fields["choice"].choices) == [("a", "甲"), ("b", "乙")]
    assert copied["slotted"].widget is not _Mixed.base_fields["slotted"].widget
    assert copied["slotted"].widget.extra == "kept"
    _same_copy(
        copied["plain"], copy.deepcopy(_Mixed.base_fields["plain"]), _Mixed.base_fields["plain"]
    )


def test_forms_made_from_the_class_draw_the_same_boxes():
    form = _Mixed(data={"plain": "<x>", "choice": "a"})
    assert 'value="&lt;x&gt;"' in str(form["plain"])
    assert form.fields is not _Mixed(data={}).fields
