"""The problem list's unit filter is the report's reference filter: a select while the list is
short, a text box taking a name or code above it, and the old ``?unit=<id>`` links still work."""

import pytest
from django.urls import reverse

from projects import filters
from projects.coordination import services
from projects.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def raised(manager, project_a, project_b):
    for project in (project_a, project_b):
        services.raise_problem(
            actor=manager, project=project, description="用地手续待批", kind="land"
        )
    return project_a


def _listed(response) -> list[str]:
    return [p.project.code for p in response.context["page"]]


@pytest.mark.parametrize("how", ["id", "code", "name"])
def test_the_unit_filter_takes_an_old_id_link_a_code_or_a_name(manager_client, raised, how):
    unit = raised.unit
    text = {"id": str(unit.pk), "code": unit.code, "name": unit.name}[how]
    response = manager_client.get(reverse("problem_list"), {"unit": text})
    assert not response.context["filterset"].form.errors
    assert _listed(response) == [raised.code]


def test_a_long_unit_list_is_a_text_box_on_the_problem_list(manager_client, raised, monkeypatch):
    monkeypatch.setattr(filters, "SELECT_UP_TO", 1)
    body = manager_client.get(reverse("problem_list")).content.decode()
    assert 'data-suggest="/filters/unit/suggestions/"' in body
    assert '<select name="unit"' not in body
    assert Unit.objects.count() > 1


def test_an_unknown_unit_is_a_chinese_message_on_the_problem_list(manager_client, raised):
    response = manager_client.get(reverse("problem_list"), {"unit": "没有这个单位"})
    assert response.status_code == 200
    assert response.context["filterset"].form.errors["unit"] == [
        "没有名称或代码为“没有这个单位”的责任单位。"
    ]
