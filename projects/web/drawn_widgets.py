"""Form widgets whose HTML Python writes, not the form renderer's templates.

The entry grid draws six boxes a row. At the demo's 29 rows of a writable month, on a host
whose ``reference_loop_ms`` read 115, its 174 widgets took 11.4 ms through Django's
``input.html`` and its ``attrs.html`` include, of a 145 ms page (a clerk's page, the one the
load test asks for most); written here, 3.1 to 4.3 ms, most of that the bound fields around
them.

The HTML is exactly what Django's own widget templates give for the same context (same
attributes, same order, same escaping); ``tests/web/test_drawn_widgets.py`` renders both
ways for hostile values and compares. Django's templates stay the reference: a widget
here takes only what ``get_context`` gives, so ``attrs``, ``format_value`` and
localisation still apply as Django defines them.
"""

from html import escape

from django import forms
from django.conf import settings
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime


def escaped(value) -> str:
    """Django's ``conditional_escape`` without its lazy-string wrapper (a third of a grid's
    widget time): a safe string as it is, anything else as text, escaped as Django's
    ``escape`` escapes (the standard library's, quotes included). Every value written into
    HTML that Python draws (these widgets, the grid's rows and their nested parts) goes
    through it."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


def as_variable(value) -> str:
    """``{{ value }}`` as the template engine writes it (``render_value_in_context``): an
    aware datetime in the current time zone, localised, then escaped unless safe.

    An integer without thousands separators is its digits: what ``localize`` gives it
    (``numberformat.format``'s own first case), without the three format lookups in the
    page's language it makes first (a computed report page writes some two hundred)."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return escaped(localize(template_localtime(value)))


def _attrs(attrs: dict) -> str:
    # attrs.html: a False attribute is left out, a True one written bare, the rest
    # through ``stringformat:'s'``, which keeps a safe string safe (so, unescaped).
    return "".join(
        f" {escaped(name)}" if value is True else f' {escaped(name)}="{escaped(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class _DrawnInput:
    """input.html: type, name, the value unless None, then the attributes."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else f' value="{escaped(widget["value"])}"'
        return mark_safe(
            f'<input type="{escaped(widget["type"])}" '
            f'name="{escaped(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
        )


class DrawnTextInput(_DrawnInput, forms.TextInput):
    pass


class DrawnHiddenInput(_DrawnInput, forms.HiddenInput):
    pass


class DrawnTextarea(forms.Textarea):
    """textarea.html: a line break after the opening tag, the value only when truthy."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        text = escaped(widget["value"]) if widget["value"] else ""
        name = escaped(widget["name"])
        return mark_safe(f'<textarea name="{name}"{_attrs(widget["attrs"])}>\n{text}</textarea>')
