"""Addresses other parts of the app link to (notices, the to-do list), built in one place."""

from urllib.parse import urlencode

from django.urls import reverse


def entry_url(year: int, month: int, unit_id: int) -> str:
    """The entry grid opened on one unit's month."""
    return f"{reverse('entry')}?{urlencode({'year': year, 'month': month, 'unit': unit_id})}"
