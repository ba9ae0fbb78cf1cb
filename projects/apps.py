from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Key projects")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        # Keep the three roles in step with the code after every migrate.
        post_migrate.connect(_setup_roles, sender=self)
        # And the fixed GB/T 4754 sections, which a flush (the tests') would otherwise lose.
        post_migrate.connect(_industry_sections, sender=self)
        # The report's formats register themselves, so share links and the command see them.
        from . import (
            exports,  # noqa: F401
            signals,  # noqa: F401  (connects the login message)
        )
        from .web import light_panel  # noqa: F401  (the project page's light strip)


def _setup_roles(sender, **kwargs):
    from .permissions import setup_roles

    setup_roles()


def _industry_sections(sender, using="default", **kwargs):
    from .models.reference import ensure_industry_sections

    ensure_industry_sections(using)
