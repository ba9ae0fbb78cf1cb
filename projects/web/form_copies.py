"""A form's fields copied for each form by their attributes, not through ``copy``'s protocol.

Django gives every form its own copy of the class's fields (``copy.deepcopy(base_fields)``),
so one row's changes (the grid sets each box's ``aria-label`` and ``data-stored``) never
reach another's. A field copies itself with ``copy.copy`` and its widget the same way;
``copy.copy`` of a plain object goes through ``__reduce_ex__`` and ``copyreg``, several
times the cost of making the object and taking over its attributes. The month grid makes
a form a row (56 rows for the busiest unit of the load test's data, seven fields each):
105 µs a form went to copying (36 µs now), 5.9 ms of a clerk's page of 56 rows (2.0 now), on
a host whose ``reference_loop_ms`` read 77–130.

``copied_quickly(FormClass)`` swaps the class's ``base_fields`` for a dict whose deep copy
makes each field as ``Field.__deepcopy__`` and ``Widget.__deepcopy__`` define it (a new
object with the same attributes; its own widget, ``attrs``, ``error_messages`` and
``validators``), by taking over the attributes. A field or widget whose class copies
itself in its own way (choices, several widgets, a ``__copy__``, slots) is copied by
Django's ``copy.deepcopy`` as before. ``tests/web/test_form_copies.py`` holds both ways
equal.
"""

from __future__ import annotations

import copy
from functools import cache

from django import forms


@cache
def _taken_over(cls: type, base: type) -> bool:
    """Whether ``cls`` copies itself as ``base`` does and a shallow copy of it is its
    ``__dict__`` taken over: no copy method of its own, no slots, no state hooks."""
    return (
        cls.__deepcopy__ is base.__deepcopy__
        and getattr(cls, "__copy__", None) is None
        and cls.__reduce_ex__ is object.__reduce_ex__
        and cls.__reduce__ is object.__reduce__
        and cls.__getstate__ is object.__getstate__
        and getattr(cls, "__setstate__", None) is None
        and not any("__slots__" in vars(k) for k in cls.__mro__[:-1])
    )


def _shallow(obj):
    made = object.__new__(type(obj))
    made.__dict__.update(obj.__dict__)
    return made


def _widget(widget: forms.Widget, memo: dict) -> forms.Widget:
    if not _taken_over(type(widget), forms.Widget):
        return copy.deepcopy(widget, memo)
    made = _shallow(widget)
    made.attrs = widget.attrs.copy()
    memo[id(widget)] = made
    return made


def _field(field: forms.Field, memo: dict) -> forms.Field:
    if not _taken_over(type(field), forms.Field):
        return copy.deepcopy(field, memo)
    made = _shallow(field)
    memo[id(field)] = made
    made.widget = _widget(field.widget, memo)
    made.error_messages = field.error_messages.copy()
    made.validators = field.validators[:]
    return made


class QuicklyCopiedFields(dict):
    """A form class's ``base_fields`` whose deep copy (one a form) takes attributes over."""

    def __deepcopy__(self, memo):
        return {name: _field(field, memo) for name, field in self.items()}


def copied_quickly(form_class: type[forms.BaseForm]) -> type[forms.BaseForm]:
    """Class decorator: the form's fields are copied for each form as above."""
    form_class.base_fields = QuicklyCopiedFields(form_class.base_fields)
    return form_class
