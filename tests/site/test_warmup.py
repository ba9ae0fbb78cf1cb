"""A server's worker loads its templates, URL map and catalogues before its first request."""

from django.template import engines
from django.urls import clear_url_caches, get_resolver

from tracker.warmup import template_names, warm


def _cached_loader():
    (loader,) = engines["django"].engine.template_loaders
    return loader


def test_every_page_template_is_found_by_name():
    names = template_names()
    assert "projects/project_detail.html" in names
    assert "projects/_entry_rows.html" in names
    assert "base.html" in names
    assert all(not name.startswith("/") for name in names)


def test_warm_leaves_the_templates_compiled_in_the_cached_loader():
    loader = _cached_loader()
    loader.reset()
    assert not loader.get_template_cache

    loaded = warm()

    kept = {key.split("-")[0] for key in loader.get_template_cache}
    assert {"projects/project_detail.html", "projects/_entry_rows.html", "base.html"} <= kept
    assert loaded["templates"] >= len([n for n in template_names() if n.startswith("projects/")])


def test_warm_builds_the_reverse_map():
    clear_url_caches()
    assert not get_resolver()._populated

    warm()

    resolver = get_resolver()
    assert resolver._populated
    assert "project_detail" in resolver.reverse_dict
