"""Hostile and malformed requests get 400, 403, 404 or a form error — never a server error."""

import datetime as dt

import pytest
from django.test import Client

from projects.milestones.models import Milestone
from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
    UnitFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

LONG_NAME = "李" * 300

# (method, url, form data). Ids 1 are real rows made by the fixture below.
HOSTILE_GETS = [
    "/projects/%00/",
    "/projects/%01%7f/",
    "/share/%00/",
    "/share/%0a/",
    "/reports/2024/q1/?programme=%00",
    "/reports/2024/q1/?programme=SJGJ2024%00",
    "/reports/2024/q1/?category=%00",
    "/reports/2024/q1/?unit=abc",
    "/reports/2024/q1/?unit=%20%20",
    "/reports/2024/q1/?street=" + LONG_NAME,
    "/reports/2024/q1/?unit=%25&street=_",
    "/filters/unit/suggestions/?q=%25_",
    "/filters/unit/suggestions/?q=" + LONG_NAME,
    "/filters/light/suggestions/",
    "/filters/%E6%9D%8E/suggestions/?q=x",
    "/reports/2024/q1/?unit=-1",
    "/reports/2024/q1/?unit=99999999999999999999999",
    "/reports/2024/q1/?light=nonsense",
    "/reports/2024/q1/?p-page=-1",
    "/reports/2024/q1/?p-page=0",
    "/reports/2024/q1/?p-page=abc",
    "/reports/2024/q1/?p-page=99999999999999999999",
    "/reports/2024/q1/?p-per_page=-5",
    "/reports/2024/q1/?p-per_page=0",
    "/reports/2024/q1/?p-per_page=abc",
    "/reports/2024/q1/?p-per_page=99999999999",
    "/reports/2024/q1/?p-sort=nonexistent",
    "/reports/2024/q1/?p-sort=%00",
    "/reports/2024/q5/",
    "/reports/2024/q0/",
    "/reports/99999999999999999999/q1/",
    "/reports/2024/q1.csv?table=nonsense",
    "/reports/2024/q1.csv?unit=abc",
    "/reports/2024/q1.xlsx?programme=%00",
    "/reports/2024/q1.json?programme=nope",
    "/reports/status/2024/13/",
    "/reports/status/2024/0/",
    "/reports/status/99999999999/1/",
    "/reports/status/2024/3/csv/",
    "/review/submit/?year=abc&month=3",
    "/review/submit/?year=2024&month=99999999999999999999",
    "/projects/P00001/?year=abc",
    "/projects/P00001/?year=%C2%B2",
    "/review/submit/?year=%C2%B2&month=3",
    "/projects/P00001/?year=99999999999999999999",
    "/projects/a%2Fb/",
    "/projects/%25/",
    "/projects/" + "X" * 2000 + "/",
    "/admin/projects/project/?q=%00",
    "/admin/projects/project/?q=a%01b",
    "/admin/projects/project/?q=" + "李" * 500,
    "/admin/projects/project/?p=-1",
    "/admin/projects/project/?p=abc",
    "/admin/projects/project/?p=99999999999",
    "/admin/projects/project/?o=abc",
    "/admin/projects/project/?unit__id__exact=abc",
    "/admin/projects/project/?year=abc",
    "/admin/projects/monthlyprogress/?q=%1b",
    "/admin/projects/monthlyprogress/?p=-3",
    "/admin/projects/monthlyprogress/?project__id__exact=abc",
    "/admin/autocomplete/?term=%00&app_label=projects&model_name=monthlyprogress&field_name=project",
    "/admin/autocomplete/?term=a%08&app_label=projects&model_name=quarterplan&field_name=project",
    "/admin/autocomplete/?term=x&app_label=projects&model_name=nope&field_name=project",
    "/admin/autocomplete/?term=x&app_label=projects&model_name=quarterplan&field_name=nope",
    "/admin/autocomplete/?term=x&app_label=projects&model_name=quarterplan&field_name=project&page=-1",
    "/admin/autocomplete/?term=x&app_label=projects&model_name=quarterplan&field_name=project&page=abc",
    "/admin/projects/project/abc/change/",
    "/admin/projects/project/abc/history/",
    "/admin/projects/project/%00/history/",
    "/admin/projects/project/1/history/abc/",
    "/admin/projects/project/abc/history/1/",
    "/admin/projects/project/99999999999999999999/history/",
    "/admin/projects/monthlyprogress/abc/history/",
    "/admin/projects/quarterplan/abc/history/",
    "/admin/projects/project/abc/delete/",
    "/admin/imports/nonsense/",
    "/admin/imports/ledger/template/",
    "/admin/imports/export/ledger/?programme=%00",
    "/admin/imports/export/ledger/?programme=nope",
    "/review/deleted/",
    "/plans/requests/?status=%00",
    "/plans/requests/?status=nonsense&project=" + "X" * 2000,
    "/plans/requests/99999999999999999999/",
    "/plans/requests/0/",
    "/plans/requests/new/P00001/?year=abc",
    "/plans/requests/new/P00001/?year=99999999999999999999",
    "/plans/requests/new/P00001/?year=%C2%B2",
    "/plans/requests/new/%25/",
    "/reports/2024/q1/?plan=nonsense",
    "/reports/2024/q1.csv?plan=%00",
    "/projects/P00001/library/",
    "/projects/%25/library/",
    "/library/due/?month=2024-13",
    "/library/due/?month=%00",
    "/library/due/?month=99999999999-01",
    "/library/due.csv?month=abc",
    "/library/due.xlsx",
    "/library/documents/%00/",
    "/library/documents/" + "x" * 2000 + "/",
    "/projects/P00001/chart/",
    "/projects/%00/chart/",
    "/projects/P00001/plan/nodes/99999999999999999999/replan/",
    "/projects/P00001/plan/nodes/1/replan/",
    "/nodes/chart/units/99999999999999999999/",
    "/nodes/chart/units/1/",
    "/nodes/chart/",
]

HOSTILE_POSTS = [
    ("/review/submit/", {"unit": "abc", "year": "2024", "month": "3"}),
    ("/review/submit/", {"unit": "", "year": "2024", "month": "3"}),
    ("/review/submit/", {"unit": "99999999999999999999", "year": "2024", "month": "3"}),
    ("/review/submit/", {"unit": "1", "year": "abc", "month": "3"}),
    ("/entry/submit/", {"unit": "abc", "year": "2024", "month": "3"}),
    ("/entry/submit/", {"unit": "99999999999999999999", "year": "2024", "month": "3"}),
    ("/entry/submit/", {"unit": "\uff11", "year": "2024", "month": "3"}),
    ("/review/deleted/", {"project_id": "abc", "reason": "x"}),
    ("/review/deleted/", {"project_id": "99999999999999999999", "reason": "x"}),
    ("/review/deleted/", {"project_id": "-1", "reason": "x"}),
    ("/review/deleted/", {"project_id": "\u00b2", "reason": "x"}),
    ("/review/2024/3/unit/1/", {"decision": "approve", "comment": "李" * 5000}),
    ("/review/2024/3/unit/1/", {"decision": "nonsense"}),
    ("/review/2024/13/unit/1/", {"decision": "approve"}),
    ("/review/2024/3/lock/", {"scope": "nonsense", "action": "nonsense"}),
    ("/review/2024/3/lock/", {"scope": "quarter", "action": "unlock"}),
    ("/accounts/login/", {"username": LONG_NAME, "password": "x"}),
    ("/accounts/login/", {"username": "a" * 10000, "password": "b" * 10000}),
    ("/accounts/login/", {"username": "li\x00", "password": "x"}),
    ("/admin/login/", {"username": LONG_NAME, "password": "x"}),
    ("/admin/imports/ledger/", {"token": "abc"}),
    ("/admin/imports/ledger/", {"token": "%00"}),
    ("/admin/imports/progress/", {"token": ""}),
    ("/admin/imports/ledger/", {"reason": "x"}),
    ("/admin/projects/project/", {"action": "delete_selected", "_selected_action": "abc"}),
    ("/admin/projects/project/", {"action": "nope", "_selected_action": "1"}),
    ("/admin/projects/monthlyprogress/add/", {"project": "abc", "year": "x", "month": "x"}),
    ("/admin/projects/monthlyprogress/add/", {"project": "1", "year": "2024", "month": "99"}),
    ("/admin/projects/quarterplan/add/", {"project": "abc", "year": "-1"}),
    ("/admin/projects/project/1/change/", {"code": "a/b", "unit": "abc", "version": "x"}),
    ("/plans/requests/new/P00001/", {"investment_q1": "1e5", "reason": "x"}),
    ("/plans/requests/new/P00001/", {"investment_q1": "-1", "planned_start": "2024-13-40"}),
    ("/plans/requests/new/P00001/", {"year": "99999999999999999999", "reason": "李" * 5000}),
    ("/plans/requests/1/decide/", {"decision": "approve"}),
    ("/plans/requests/99999999999999999999/decide/", {"decision": "nonsense"}),
    ("/projects/P00001/chart/sets/", {"template_sets": ["abc", "99999999999999999999"]}),
    ("/projects/P00001/chart/sets/", {"template_sets": "1", "reason": "李" * 5000}),
    ("/projects/P00001/plan/nodes/1/replan/", {"versions": "1:abc", "reason": "x"}),
    ("/projects/P00001/plan/nodes/1/replan/", {"versions": "9" * 40 + ":1", "reason": "x"}),
    ("/projects/P00001/plan/nodes/1/replan/", {"reason": "李" * 5000}),
    ("/i18n/setlang/", {"language": "xx" * 300, "next": "javascript:alert(1)"}),
    ("/projects/P00001/library/", {"kind": "nonsense", "photo": "abc"}),
    ("/projects/P00001/library/", {"kind": "contract", "photo": "99999999999999999999"}),
    ("/projects/P00001/library/", {"kind": "contract", "note": "李" * 5000, "reason": "\x00"}),
    ("/library/documents/abc/delete/", {"reason": "x"}),
]


@pytest.fixture
def cast():
    unit = UnitFactory(pk=1, code="JD-CY")
    programme = ProgrammeFactory(year=2024)
    project = ProjectFactory(pk=1, code="P00001", unit=unit, programme=programme)
    QuarterPlanFactory(project=project)
    MonthlyProgressFactory(project=project, month=3)
    # A late node with one after it, so the re-planning page has a preview to damage.
    Milestone.objects.create(pk=1, project=project, name="开工", planned_date=dt.date(2024, 1, 1))
    Milestone.objects.create(pk=2, project=project, name="竣工", planned_date=dt.date(2024, 9, 1))
    return {
        "anonymous": None,
        "unit staff": user_with_role("unit_staff", unit, username="staff"),
        "manager": user_with_role("manager", username="boss"),
    }


def client_for(user) -> Client:
    # The test client re-raises view exceptions by default; a real server answers 500.
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["anonymous", "unit staff", "manager"])
def test_hostile_requests_never_get_a_server_error(cast, who):
    client = client_for(cast[who])
    failures = []
    for url in HOSTILE_GETS:
        status = client.get(url).status_code
        if status >= 500:
            failures.append(f"GET {url[:120]} -> {status}")
    for url, data in HOSTILE_POSTS:
        status = client.post(url, data).status_code
        if status >= 500:
            failures.append(f"POST {url} {str(data)[:80]} -> {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("username", [LONG_NAME, "a" * 10_000, "li\u200b" * 100])
def test_over_long_login_names_get_a_form_error_even_with_lockouts_recorded(settings, username):
    from axes.utils import reset

    settings.AXES_ENABLED = True
    reset()
    client = client_for(None)
    statuses = [
        client.post("/accounts/login/", {"username": username, "password": "x"}).status_code
        for _ in range(7)
    ]
    reset()
    # A form error until the failure that reaches the limit, which locks the name out.
    limit = settings.AXES_FAILURE_LIMIT
    assert statuses == [200] * (limit - 1) + [429] * (7 - limit + 1), statuses


@pytest.mark.parametrize("unit", ["abc", "", "99999999999999999999", "\uff11", "-1"])
def test_a_malformed_unit_on_the_submit_button_is_a_400_that_says_so(cast, unit):
    client = client_for(cast["unit staff"])
    response = client.post("/entry/submit/", {"unit": unit, "year": "2024", "month": "3"})
    assert response.status_code == 400
    assert "不是有效的单位编号" in response.content.decode()
