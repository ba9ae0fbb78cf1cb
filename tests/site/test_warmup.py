"""A server's worker loads its templates, URL map, catalogues and the light strip's statements
before its first request."""

import pytest
from django.conf import settings
from django.db import OperationalError
from django.template import engines
from django.urls import clear_url_caches, get_resolver, reverse
from django.urls.resolvers import URLResolver, get_ns_resolver
from django.utils import timezone, translation

from projects.selectors import compiled, light_history, report_cache
from tests.factories import MonthlyProgressFactory, ProgrammeFactory, ProjectFactory
from tests.reporting import count_calls
from tracker.warmup import template_names, warm, warm_statements


def _cached_loader():
    (loader,) = engines["django"].engine.template_loaders
    return loader


def test_every_page_template_is_found_by_name():
    names = template_names()
    assert "projects/project_detail.html" in names
    assert "projects/entry.html" in names
    assert "base.html" in names
    assert all(not name.startswith("/") for name in names)


def test_warm_leaves_the_templates_compiled_in_the_cached_loader():
    loader = _cached_loader()
    loader.reset()
    assert not loader.get_template_cache

    loaded = warm()

    kept = {key.split("-")[0] for key in loader.get_template_cache}
    assert {"projects/project_detail.html", "projects/entry.html", "base.html"} <= kept
    assert loaded["templates"] >= len([n for n in template_names() if n.startswith("projects/")])


def test_warm_builds_the_reverse_map():
    clear_url_caches()
    assert not get_resolver()._populated

    warm()

    resolver = get_resolver()
    assert resolver._populated
    assert "project_detail" in resolver.reverse_dict


def test_warm_builds_each_namespaces_map_in_each_language(monkeypatch):
    # base.html links staff to the admin: its namespace's map was built at each worker's
    # first page for staff (about 80 ms on a slow host).
    clear_url_caches()
    get_ns_resolver.cache_clear()
    warm()
    filled = []
    real = URLResolver._populate

    def populate(self):
        filled.append(repr(self))
        return real(self)

    monkeypatch.setattr(URLResolver, "_populate", populate)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            reverse("admin:index")
            reverse("project_detail", args=["CY2024-001"])
    assert filled == []


@pytest.mark.django_db
class TestStatementsCompiledAhead:
    """A worker compiles the current lists' light strip statements before it serves."""

    @pytest.fixture
    def listed(self):
        """A project of this year's list, entered for two months: its strip is live."""
        today = timezone.localdate()
        programme = ProgrammeFactory(year=today.year)
        project = ProjectFactory(programme=programme, code="WARM-1")
        for month in range(1, min(today.month, 2) + 1):
            MonthlyProgressFactory(project=project, year=today.year, month=month)
        return project

    @pytest.fixture(autouse=True)
    def no_compiled_statements(self):
        compiled.forget()
        yield
        compiled.forget()

    def test_after_warming_a_project_page_compiles_no_strip_statement(
        self, listed, manager_client, monkeypatch
    ):
        assert warm_statements() == {"light strip lists": 1}
        # Each month's statement of a strip is built from the report's queryset.
        built = count_calls(monkeypatch, light_history, "report_queryset")

        page = manager_client.get(reverse("project_detail", args=[listed.code]))

        assert page.status_code == 200 and 'id="lights"' in page.content.decode()
        assert built == []

    def test_without_warming_the_first_project_page_compiles_them(
        self, listed, manager_client, monkeypatch
    ):
        built = count_calls(monkeypatch, light_history, "report_queryset")
        manager_client.get(reverse("project_detail", args=[listed.code]))
        assert built  # the measure above can fail

    def test_a_database_that_cannot_be_read_leaves_them_to_the_pages(self, monkeypatch, caplog):
        def unreadable(*args, **kwargs):
            raise OperationalError("the database system is starting up")

        monkeypatch.setattr(light_history, "compile_strips", unreadable)
        assert warm_statements() == {"light strip lists": 0}
        assert "could not be read" in caplog.text

    def test_no_list_no_statement(self):
        assert warm_statements() == {"light strip lists": 0}

    def test_the_report_caches_digest_of_the_code_is_read_at_boot(self, monkeypatch):
        monkeypatch.setattr(report_cache, "_prefix", None)
        report_cache._code.cache_clear()

        warm_statements()

        assert report_cache._code.cache_info().currsize == 1
        assert report_cache._prefix == f"report:v4:{report_cache._shape()}:{report_cache._code()}:"
