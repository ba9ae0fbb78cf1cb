"""What a server's worker loads before its first request, so that request is not the slow one.

Django loads lazily: the URL patterns' reverse map on the first ``{% url %}``, each template
when first rendered (then kept by the cached loader), the translation catalogue on the first
``gettext`` of the language. Measured at 2,000 projects, a worker's first project page took
about 160 ms against 20 for the next (74–95 warmed, through the test client, whose own
middleware load is about 50 of those); under ``make load`` every worker met its first pages
in the second the twenty users started, and those requests were the run's slowest after
the logins. ``tracker.wsgi`` calls :func:`warm` once per process, before it serves.

It then calls :func:`warm_statements`, which reads the database: the project page's light
strip statements, compiled per process for the current lists (``light_history``), were
most of a warmed worker's first project page (about 630 ms against 85 for the next, on a
slow host at 2,000 projects). A database that cannot be read leaves them to the first page,
as before, and the worker serves all the same.
"""

import contextlib
import logging
from pathlib import Path

from django.conf import settings
from django.template import engines
from django.template.exceptions import TemplateDoesNotExist, TemplateSyntaxError
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import translation

logger = logging.getLogger(__name__)


def template_names() -> list[str]:
    """Every template the project's own directories and apps hold, by loader name."""
    names = set()
    engine = engines["django"].engine
    for loader in engine.template_loaders:
        for inner in getattr(loader, "loaders", [loader]):
            for directory in inner.get_dirs():
                root = Path(directory)
                names.update(
                    str(path.relative_to(root)) for path in root.rglob("*.html") if path.is_file()
                )
    return sorted(names)


def _reverse_maps(resolver, path: str = "") -> None:
    """The reverse map of ``resolver`` and of each namespace under it, in the language active.

    A namespaced ``{% url 'admin:index' %}`` reads a resolver Django makes for the namespace
    (``get_ns_resolver``) and fills at its first reverse: base.html links staff to the admin,
    so each worker's first page for staff built it (39 resolvers, about 80 ms on a slow host).
    Reversing a name no view has fills it as well, and is then refused."""
    if not path:
        resolver.reverse_dict  # noqa: B018 (builds the map every {% url %} reads)
    for namespace, (_prefix, namespaced) in resolver.namespace_dict.items():
        name = f"{path}{namespace}:"
        with contextlib.suppress(NoReverseMatch):
            reverse(f"{name}-warm-up-")
        _reverse_maps(namespaced, name)


def warm() -> dict[str, int]:
    """Loads the reverse map, the languages' catalogues and every template; says how many."""
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 (imports every view)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Monthly entry")
            # The map every {% url %} reads, per language, and each namespace's own (the
            # admin's: base.html's link for staff filled it at each worker's first page).
            _reverse_maps(resolver)
    engine = engines["django"].engine
    loaded = 0
    for name in template_names():
        try:
            engine.get_template(name)
        except (TemplateDoesNotExist, TemplateSyntaxError):
            continue  # a library's template for another engine, or an example: not ours to load
        loaded += 1
    return {"templates": loaded}


def warm_statements() -> dict[str, int]:
    """Compiles the statements a worker's first pages would (the current lists' light
    strips); says how many lists. Never raises for the database: a worker booting while
    PostgreSQL restarts, or before the tables exist, serves and compiles them later.

    First, the report cache's key prefix: a digest of the app's code, templates and
    catalogue (``report_cache.prefix``), whose 420 files every worker's first page read."""
    from django.db import DatabaseError

    from projects.selectors.light_history import compile_strips
    from projects.selectors.report_cache import prefix

    prefix()
    try:
        return {"light strip lists": compile_strips()}
    except DatabaseError as exc:
        logger.warning("statements not compiled ahead (the database could not be read): %s", exc)
        return {"light strip lists": 0}
