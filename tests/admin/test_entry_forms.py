"""Every admin page renders for a superuser, and admin saves go through the services."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from projects.models import MonthlyProgress, Project, QuarterPlan
from tests.factories import MonthlyProgressFactory, QuarterPlanFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def superuser_client(client):
    user = UserFactory(username="root", is_superuser=True)
    client.force_login(user)
    return client


@pytest.fixture
def some_rows():
    entry = MonthlyProgressFactory()
    QuarterPlanFactory(project=entry.project)
    return entry


def admin_urls(model, user=None):
    info = model._meta.app_label, model._meta.model_name
    yield reverse("admin:{}_{}_changelist".format(*info))
    request = RequestFactory().get("/")
    request.user = user
    # Some rows are written only through their own screens (e.g. monthly submissions).
    if user is None or admin.site._registry[model].has_add_permission(request):
        yield reverse("admin:{}_{}_add".format(*info))
    obj = model._default_manager.first()
    if obj is not None:
        yield reverse("admin:{}_{}_change".format(*info), args=[obj.pk])


@pytest.mark.parametrize(
    "model", [m for m in admin.site._registry if m._meta.app_label == "projects"], ids=str
)
def test_every_projects_admin_page_renders_for_a_superuser(superuser_client, some_rows, model):
    user = User.objects.get(username="root")
    for url in admin_urls(model, user):
        # A single-row list (report settings) redirects to its one change page.
        response = superuser_client.get(url, follow=True)
        assert response.status_code == 200, url


def test_admin_index_renders(superuser_client):
    assert superuser_client.get(reverse("admin:index")).status_code == 200


def test_progress_form_labels_carry_units(superuser_client, some_rows):
    response = superuser_client.get(reverse("admin:projects_monthlyprogress_add"))
    assert "完成投资（万元）" in response.content.decode()


def test_admin_change_of_progress_is_recorded_with_its_author(superuser_client, some_rows):
    url = reverse("admin:projects_monthlyprogress_change", args=[some_rows.pk])
    response = superuser_client.post(
        url,
        {
            "project": some_rows.project.pk,
            "year": 2024,
            "month": 1,
            "investment": "77.70",
            "inclusion": "10",
            "image_progress": "基础施工",
            "problems": "",
            "expected_version": some_rows.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    some_rows.refresh_from_db()
    assert some_rows.investment == Decimal("77.70")
    assert some_rows.version == 2
    assert MonthlyProgress.history.filter(id=some_rows.pk).first().history_user.username == "root"


@pytest.mark.parametrize(
    ("model", "names"),
    [
        (MonthlyProgress, ["investment", "inclusion"]),
        (QuarterPlan, ["investment_q1", "inclusion_q4"]),
        (Project, ["total_investment"]),
    ],
)
def test_admin_forms_read_amounts_by_the_one_grammar(model, names):
    request = RequestFactory().get("/")
    request.user = UserFactory(username="root", is_superuser=True)
    model_admin = admin.site._registry[model]
    forms = [model_admin.get_form(request)]
    if model is MonthlyProgress:
        # The list's inline edit is a door of its own.
        forms.append(model_admin.get_changelist_form(request))
    for form in forms:
        for name in names:
            field = form.base_fields[name]
            assert field.clean("１，２３４．５") == Decimal("1234.5")
            for typed in ("1e3", "1,2"):
                with pytest.raises(ValidationError):
                    field.clean(typed)
