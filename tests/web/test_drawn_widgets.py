"""The entry grid's widgets drawn in Python write what Django's widget templates write."""

from decimal import Decimal

import pytest
from django import forms
from django.utils.safestring import mark_safe

from projects.web.drawn_widgets import DrawnHiddenInput, DrawnTextarea, DrawnTextInput

HOSTILE = [
    None,
    "",
    0,
    Decimal("12.50"),
    "plain",
    "多行\n文本",
    '"><script>alert(1)</script>',
    "a & b < c > d ' e",
    mark_safe("<b>safe</b> & sound"),
]
ATTRS = [
    None,
    {"class": "amount", "inputmode": "decimal", "size": 9},
    {"aria-label": '项目 "A" <当月>', "data-stored": "1 & 2", "required": True, "hidden": False},
]
PAIRS = [
    (DrawnTextInput, forms.TextInput),
    (DrawnHiddenInput, forms.HiddenInput),
    (DrawnTextarea, forms.Textarea),
]


@pytest.mark.parametrize(("drawn", "django_widget"), PAIRS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("value", HOSTILE, ids=repr)
@pytest.mark.parametrize("attrs", ATTRS, ids=repr)
def test_drawn_widget_writes_the_html_of_djangos_template(drawn, django_widget, value, attrs):
    built = {"rows": 2, "data-x": "<y>"}
    expected = django_widget(attrs=built).render("e-0-problems", value, attrs=attrs)
    assert drawn(attrs=built).render("e-0-problems", value, attrs=attrs) == expected


def test_a_bound_field_renders_through_the_drawn_widget():
    class Form(forms.Form):
        amount = forms.DecimalField(widget=DrawnTextInput(attrs={"class": "amount"}))

    html = str(Form(initial={"amount": Decimal("3.5")})["amount"])
    assert html == (
        '<input type="text" name="amount" value="3.5" class="amount" required id="id_amount">'
    )


VARIABLES = [0, 7, -12, 1234567, True, False, None, Decimal("1234.50"), 12.5, "1234", "<b>"]


@pytest.mark.parametrize("grouped", [False, True], ids=["no separators", "thousands separated"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("value", VARIABLES, ids=repr)
def test_a_value_is_written_as_the_template_engine_writes_it(value, language, grouped, settings):
    """``as_variable`` (integers by a shorter path) against ``{{ value }}`` itself."""
    from django.template import engines
    from django.utils import translation

    from projects.web.drawn_widgets import as_variable

    settings.USE_THOUSAND_SEPARATOR = grouped
    with translation.override(language):
        expected = engines["django"].from_string("{{ value }}").render({"value": value})
        assert as_variable(value) == expected
