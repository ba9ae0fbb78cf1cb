"""The site's name, from settings (TRACKER_SITE_NAME), for every template that shows it.

A tag rather than a context processor: the plain error pages render without a request.
"""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def site_name() -> str:
    return settings.TRACKER_SITE_NAME
