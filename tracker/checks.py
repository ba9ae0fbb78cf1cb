"""Deployment checks for what Django's own checklist cannot see."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.staticfiles, deploy=True)
def static_files_collected(app_configs, **kwargs):
    """Production should serve hashed, compressed files from collectstatic."""
    if settings.DEBUG or getattr(settings, "STATIC_COLLECTED", True):
        return []
    return [
        Warning(
            "Static files have not been collected; pages are served with plain, "
            "uncompressed file names from the source folders.",
            hint="Run `python manage.py collectstatic --noinput` (make serve does).",
            id="tracker.W001",
        )
    ]
