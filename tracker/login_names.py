"""The user name django-axes records for a login attempt, cut to fit its column."""

from django.conf import settings

# AccessAttempt.username is a 255-character column; PostgreSQL refuses a longer value
# outright, which turned a login with an over-long name into a server error.
AXES_USERNAME_LENGTH = 255


def axes_username(request, credentials=None) -> str | None:
    """The name typed at login (as axes would read it), at most 255 characters long."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    return username[:AXES_USERNAME_LENGTH] if isinstance(username, str) else username
