"""A problem's kind is chosen, re-classified by managers only, and one is open per project and kind.

Each rule is tried through each door: the raise page, the problem page, the
service and the database; the admin shows problems read-only, so it is no door.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from projects.coordination import services
from projects.coordination.models import Problem, ProblemStep
from tests.factories import MonthlyProgressFactory

pytestmark = pytest.mark.django_db


def _raise(actor, project, kind="land", **kwargs):
    return services.raise_problem(
        actor=actor, project=project, description="土地尚未摘牌", kind=kind, **kwargs
    )


# ------------------------------------------------------------------ the kind must be chosen


def test_the_raise_form_opens_with_no_kind_chosen(client, staff_a, project_a):
    client.force_login(staff_a)
    page = client.get(reverse("problem_new", kwargs={"code": project_a.code})).content.decode()
    assert '<option value="" selected>— 请选择问题类型 —</option>' in page


def test_a_problem_posted_without_a_kind_is_refused_in_chinese_not_filed_as_land(
    client, staff_a, project_a
):
    client.force_login(staff_a)
    response = client.post(
        reverse("problem_new", kwargs={"code": project_a.code}),
        {"description": "施工用电待接入", "kind": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["kind"] == ["请选择问题类型。"]
    assert not Problem.objects.exists()


def test_the_service_refuses_a_problem_without_a_known_kind(staff_a, project_a):
    for kind in ("", "power"):
        with pytest.raises(ValidationError) as caught:
            _raise(staff_a, project_a, kind=kind)
        assert caught.value.message_dict["kind"] == ["请选择问题类型。"]
    assert not Problem.objects.exists()


def test_a_problem_raised_as_utilities_is_saved_as_utilities(client, staff_a, project_a):
    client.force_login(staff_a)
    client.post(
        reverse("problem_new", kwargs={"code": project_a.code}),
        {"description": "施工用电待接入", "kind": "utilities"},
    )
    assert Problem.objects.get().kind == "utilities"


def test_the_admin_cannot_add_or_change_problems(client, manager, project_a):
    problem = _raise(manager, project_a)
    client.force_login(manager)
    assert client.get(reverse("admin:coordination_problem_add")).status_code == 403
    response = client.post(
        reverse("admin:coordination_problem_change", args=[problem.pk]),
        {"kind": "other", "description": "x"},
    )
    problem.refresh_from_db()
    assert response.status_code in (302, 403)
    assert problem.kind == "land"


# ------------------------------------------------------------------ re-classifying


def test_a_manager_reclassifies_a_problem_with_a_step_and_history(manager, project_a):
    problem = _raise(manager, project_a)
    services.reclassify_problem(
        actor=manager, problem=problem, kind="utilities", comment="其实是施工用电"
    )
    problem.refresh_from_db()
    assert problem.kind == "utilities"
    step = problem.steps.latest("id")
    assert (step.action, step.actor) == (ProblemStep.Action.RECLASSIFIED, manager)
    assert step.comment == "问题类型由“用地”改为“水电气暖”。 其实是施工用电"
    latest = problem.history.first()
    assert (latest.kind, latest.history_user, latest.history_change_reason) == (
        "utilities",
        manager,
        "reclassified",
    )


def test_unit_staff_cannot_reclassify(staff_a, project_a):
    problem = _raise(staff_a, project_a)
    with pytest.raises(PermissionDenied):
        services.reclassify_problem(actor=staff_a, problem=problem, kind="other")
    problem.refresh_from_db()
    assert problem.kind == "land"


def test_the_problem_page_reclassifies_for_a_manager(client, manager, project_a):
    problem = _raise(manager, project_a)
    client.force_login(manager)
    url = reverse("problem_detail", kwargs={"pk": problem.pk})
    assert "更改问题类型" in client.get(url).content.decode()
    response = client.post(
        url, {"action": "reclassify", "kind": "funding", "version": problem.version}
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.kind == "funding"


def test_the_problem_page_offers_no_reclassifying_to_unit_staff(client, staff_a, project_a):
    problem = _raise(staff_a, project_a)
    client.force_login(staff_a)
    url = reverse("problem_detail", kwargs={"pk": problem.pk})
    assert "更改问题类型" not in client.get(url).content.decode()
    response = client.post(url, {"action": "reclassify", "kind": "funding", "version": 1})
    assert response.status_code == 403
    problem.refresh_from_db()
    assert problem.kind == "land"


# ------------------------------------------------------------------ one open problem per kind


def test_the_service_refuses_a_second_open_problem_of_the_same_kind(manager, project_a):
    first = _raise(manager, project_a)
    with pytest.raises(ValidationError) as caught:
        _raise(manager, project_a)
    assert caught.value.message_dict["kind"] == [
        f"该项目已有未销号的同类问题（#{first.pk}），请在该问题下补充进展，不要重复提出。"
    ]
    assert Problem.objects.count() == 1


def test_another_kind_or_another_project_may_be_open_at_once(manager, project_a, project_b):
    _raise(manager, project_a)
    _raise(manager, project_a, kind="funding")
    _raise(manager, project_b)
    assert Problem.objects.count() == 3


def test_a_closed_problem_does_not_block_raising_the_kind_again(manager, project_a):
    first = _raise(manager, project_a)
    services.resolve_problem(actor=manager, problem=first, resolution="已摘牌")
    _raise(manager, project_a)
    assert Problem.objects.filter(status__in=Problem.OPEN_STATUSES).count() == 1


def test_reopening_is_refused_while_another_problem_of_the_kind_is_open(manager, project_a):
    first = _raise(manager, project_a)
    services.resolve_problem(actor=manager, problem=first, resolution="已摘牌")
    second = _raise(manager, project_a)
    with pytest.raises(ValidationError) as caught:
        services.reopen_problem(actor=manager, problem=first, comment="又卡住了")
    assert f"#{second.pk}" in caught.value.message_dict["kind"][0]


def test_reclassifying_onto_an_open_kind_is_refused(manager, project_a):
    _raise(manager, project_a)
    funding = _raise(manager, project_a, kind="funding")
    with pytest.raises(ValidationError):
        services.reclassify_problem(actor=manager, problem=funding, kind="land")
    funding.refresh_from_db()
    assert funding.kind == "funding"


def test_the_raise_page_shows_the_duplicate_refusal_and_the_open_problems(
    client, staff_a, project_a
):
    first = _raise(staff_a, project_a)
    client.force_login(staff_a)
    url = reverse("problem_new", kwargs={"code": project_a.code})
    assert f"#{first.pk} 用地" in client.get(url).content.decode()
    response = client.post(url, {"description": "还是土地问题", "kind": "land"})
    assert response.status_code == 200
    assert "该项目已有未销号的同类问题" in response.context["form"].errors["kind"][0]
    assert Problem.objects.count() == 1


def test_the_database_refuses_a_second_open_problem_of_a_kind(manager, project_a):
    first = _raise(manager, project_a)
    twin = Problem(project=project_a, description="重复", kind="land", raised_on=first.raised_on)
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_the_constraint_names_the_same_open_statuses_as_the_model():
    constraint = next(
        c for c in Problem._meta.constraints if c.name == "problem_one_open_per_project_and_kind"
    )
    assert sorted(constraint.condition.children[0][1]) == sorted(Problem.OPEN_STATUSES)


def test_the_project_page_links_a_raised_month_to_its_open_problem_not_to_raise_again(
    client, staff_a, project_a
):
    month = MonthlyProgressFactory(project=project_a, month=3, problems="土地未摘牌")
    client.force_login(staff_a)
    url = reverse("project_detail", kwargs={"code": project_a.code})
    raise_url = reverse("problem_new", kwargs={"code": project_a.code})
    assert f"{raise_url}?year={month.year}&month=3" in client.get(url).content.decode()
    problem = _raise(staff_a, project_a, source_year=month.year, source_month=3)
    page = client.get(url).content.decode()
    assert f"{raise_url}?year={month.year}&month=3" not in page
    assert f"已转为督办问题 #{problem.pk}" in page
    services.resolve_problem(actor=_manager(), problem=problem, resolution="已摘牌")
    assert f"{raise_url}?year={month.year}&month=3" in client.get(url).content.decode()


def _manager():
    from tests.factories import user_with_role

    return user_with_role("manager", username="boss2")


# ------------------------------------------------------------------ the list hides closed ones


@pytest.fixture
def open_and_closed(manager, project_a):
    open_one = services.raise_problem(
        actor=manager, project=project_a, description="仍在推进的问题", kind="land"
    )
    closed = services.raise_problem(
        actor=manager, project=project_a, description="已经办结的问题", kind="funding"
    )
    services.resolve_problem(actor=manager, problem=closed, resolution="已拨付")
    return open_one, closed


def test_the_problem_list_hides_closed_problems_by_default(client, manager, open_and_closed):
    client.force_login(manager)
    page = client.get(reverse("problem_list")).content.decode()
    assert "仍在推进的问题" in page
    assert "已经办结的问题" not in page


def test_the_list_shows_closed_problems_when_asked(client, manager, open_and_closed):
    client.force_login(manager)
    everything = client.get(reverse("problem_list"), {"status": "all"}).content.decode()
    assert "仍在推进的问题" in everything and "已经办结的问题" in everything
    assert "全部（含已销号）" in everything
    closed = client.get(reverse("problem_list"), {"status": "resolved"}).content.decode()
    assert "已经办结的问题" in closed and "仍在推进的问题" not in closed


def test_a_bad_status_in_the_address_still_hides_closed_problems(client, manager, open_and_closed):
    client.force_login(manager)
    response = client.get(reverse("problem_list"), {"status": "gone"})
    assert response.status_code == 200
    assert "已经办结的问题" not in response.content.decode()
