"""Django's form renderer, with its commonest widget templates written as Python.

A form field's widget is a template (``django/forms/widgets/input.html`` including
``attrs.html``), rendered through the template engine for every field of every form. The
month-end entry grid draws eight widgets a project; profiled at 2,000 projects, a unit
clerk's entry page spent a third of its time (about 30 ms) rendering 112 of them, and the
report's filter form about 9 ms.

This renderer writes the input, checkbox, textarea, select and option widgets directly,
to the same bytes as Django's templates (``tests/test_form_renderer.py`` renders every
widget kind and whole pages through both and compares them); every other template (the
fields' and forms' own, admin widgets, radio lists…) goes through the templates as before.
A project or app that overrides one of these widget templates must take its name out of
``DIRECT``, or the override is not read.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.timezone import template_localtime


def _out(value) -> str:
    """``{{ value }}``: localized, made text and escaped, as the template engine does."""
    return conditional_escape(str(localize(template_localtime(value))))


def _string(value) -> str:
    """``{{ value|stringformat:'s' }}``: made text with ``%s`` (no localizing), escaped."""
    text = "%s" % (str(value) if isinstance(value, tuple) else value)  # noqa: UP031 (as the filter)
    if isinstance(value, SafeData):  # the filter is ``is_safe``: safe in, safe out
        text = mark_safe(text)
    return conditional_escape(text)


def _attrs(attrs) -> str:
    """``attrs.html``: ` name="value"` each; a True value is the bare name, False none."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_out(name)}")
        else:
            parts.append(f' {_out(name)}="{_string(value)}"')
    return "".join(parts)


def _input(widget) -> str:
    value = "" if widget["value"] is None else f' value="{_string(widget["value"])}"'
    return (
        f'<input type="{_out(widget["type"])}" name="{_out(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def _textarea(widget) -> str:
    value = _out(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_out(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _option(widget) -> str:
    return (
        f'<option value="{_string(widget["value"])}"{_attrs(widget["attrs"])}>'
        f"{_out(widget['label'])}</option>"
    )


def _select(widget) -> str | None:
    parts = [f'<select name="{_out(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_out(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None  # an option of its own template: the whole select as Django's
            # Included, so not stripped: the option template's last line break stays.
            parts.append(f"\n  {_option(option)}\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


WIDGETS = "django/forms/widgets/"
OPTION = f"{WIDGETS}select_option.html"
# The widget templates written here: each named template and the function that writes it.
DIRECT = {
    **{
        f"{WIDGETS}{kind}.html": _input
        for kind in (
            "input",
            "text",
            "number",
            "hidden",
            "checkbox",
            "email",
            "password",
            "url",
            "date",
            "datetime",
            "time",
            "search",
            "tel",
            "color",
        )
    },
    f"{WIDGETS}textarea.html": _textarea,
    f"{WIDGETS}select.html": _select,
    OPTION: _option,
}


class DirectWidgetRenderer(DjangoTemplates):
    """``DjangoTemplates``, but the widgets in ``DIRECT`` are written without the engine."""

    def render(self, template_name, context, request=None):
        write = DIRECT.get(template_name)
        widget = context.get("widget") if write and isinstance(context, dict) else None
        written = write(widget) if widget is not None else None
        if written is not None:  # None: a select whose options have their own template
            return mark_safe(written)
        return super().render(template_name, context, request=request)
