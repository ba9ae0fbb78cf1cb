"""The entry grid's photo upload forms, drawn by ``panels.draw_photo_forms``: formatting only."""

from django import template

from ..panels import draw_photo_forms

register = template.Library()


@register.simple_tag
def photo_forms(projects, year, month, unit, cumulative, csrf_token):
    return draw_photo_forms(
        projects, year=year, month=month, unit=unit, cumulative=cumulative, csrf_token=csrf_token
    )
