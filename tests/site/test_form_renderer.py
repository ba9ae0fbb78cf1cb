"""The form renderer writes its widgets to the same bytes as Django's templates
(``tracker.form_renderer``): widget by widget, with hostile values and attributes, and
whole pages of the app's forms rendered through both."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import override_settings
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from tracker.form_renderer import DIRECT, DirectWidgetRenderer

TEMPLATES = DjangoTemplates()
DIRECTLY = DirectWidgetRenderer()

VALUES = [
    None,
    "",
    0,
    "plain",
    "<script>\"&'</script>",
    "两行\n文字",
    mark_safe("<b>安全</b>"),
    Decimal("1234.50"),
    12345678,
    dt.date(2024, 3, 31),
    gettext_lazy("Year to date"),
]

ATTRS = [
    {},
    {"required": True, "disabled": False, "class": "num wide", "data-stored": ""},
    {"aria-label": '甲 "乙" <丙>', "maxlength": 20, "step": Decimal("0.01"), "rows": 2},
    {"data-x": mark_safe("<i>"), "placeholder": gettext_lazy("Year to date")},
]

CHOICES = [
    ("", "---------"),
    ("a", "甲 & 乙"),
    (1, 1000),
    ("组", [("x", "<x>"), ("y", gettext_lazy("Year to date"))]),
]

WIDGETS = [
    forms.TextInput,
    forms.NumberInput,
    forms.HiddenInput,
    forms.EmailInput,
    forms.PasswordInput,
    forms.URLInput,
    forms.DateInput,
    forms.SearchInput,
    forms.Textarea,
    forms.CheckboxInput,
    lambda attrs: forms.Select(attrs=attrs, choices=CHOICES),
    lambda attrs: forms.SelectMultiple(attrs=attrs, choices=CHOICES),
    forms.NullBooleanSelect,
]


@pytest.mark.parametrize("make", WIDGETS)
@pytest.mark.parametrize("attrs", ATTRS, ids=range(len(ATTRS)))
@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_each_widget_is_written_as_djangos_template_writes_it(make, attrs, value):
    widget = make(attrs=dict(attrs))
    if isinstance(widget, forms.SelectMultiple) and value is not None:
        value = [value, "x"]
    expected = widget.render("e-0-investment", value, renderer=TEMPLATES)
    written = widget.render("e-0-investment", value, renderer=DIRECTLY)
    assert written == expected
    assert widget.template_name in DIRECT  # written directly, not through the fallback


def test_an_option_of_its_own_template_leaves_its_select_to_the_templates():
    class Own(forms.Select):
        option_template_name = "django/forms/widgets/radio_option.html"

    widget = Own(choices=CHOICES)
    assert widget.render("x", "a", renderer=DIRECTLY) == widget.render("x", "a", renderer=TEMPLATES)


def test_other_templates_go_through_the_engine():
    widget = forms.RadioSelect(choices=CHOICES)
    assert widget.template_name not in DIRECT
    assert widget.render("x", "a", renderer=DIRECTLY) == widget.render("x", "a", renderer=TEMPLATES)


CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def _page(client, url) -> bytes:
    response = client.get(url, secure=True)
    assert response.status_code == 200, url
    return CSRF.sub(b"", response.content)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who,url",
    [
        ("clerk", "/entry/?ym=2024-3"),
        ("manager", "/reports/2024/q1/?programme=SJGJ2024&unit=&kind=new"),
        ("manager", "/admin/projects/project/add/"),
        ("nobody", "/accounts/login/"),
    ],
)
def test_the_apps_pages_are_the_same_through_either_renderer(demo_db, client, who, url):
    from projects.models import Unit
    from tests.factories import user_with_role

    unit = Unit.objects.filter(projects__programme__code="SJGJ2024").order_by("code").first()
    if who == "clerk":
        client.force_login(user_with_role("unit_staff", unit))
    elif who == "manager":
        client.force_login(user_with_role("manager"))
    directly = _page(client, url)
    with override_settings(FORM_RENDERER="django.forms.renderers.DjangoTemplates"):
        through_templates = _page(client, url)
    assert directly == through_templates
    assert b"<input" in directly
