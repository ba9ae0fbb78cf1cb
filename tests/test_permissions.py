"""The roles, the account command, and what each role can reach."""

import io
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from projects.models import MonthlyProgress, Project, Unit
from projects.permissions import (
    EXPORT_REPORTS,
    MANAGE_ALL_UNITS,
    ROLE_PERMISSIONS,
    reaches_unit,
    role_of,
    setup_roles,
)
from tests.factories import MonthlyProgressFactory, ProjectFactory, UnitFactory, user_with_role

pytestmark = pytest.mark.django_db
User = get_user_model()


def run(*args, stdin=""):
    out = io.StringIO()
    call_command("create_account", *args, stdout=out, stdin=io.StringIO(stdin))
    return out.getvalue()


def test_setup_roles_is_idempotent():
    call_command("setup_roles", stdout=io.StringIO())
    before = {
        g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()
    }
    call_command("setup_roles", stdout=io.StringIO())
    after = {
        g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()
    }
    assert before == after
    assert {"unit_staff", "manager", "viewer"} <= set(after)
    assert "add_project" not in after["unit_staff"]
    assert "delete_project" not in after["unit_staff"]
    assert {"manage_all_units", "lock_periods", "review_submissions"} <= after["manager"]
    assert after["viewer"] == {"export_reports"}


def test_create_account_by_unit_code_or_name_with_password_from_stdin():
    unit_a = UnitFactory(code="FGJ", name="区发展和改革局")
    unit_b = UnitFactory(code="LTJD", name="流亭街道")
    run(
        "zhang",
        "--role",
        "unit_staff",
        "--unit",
        "FGJ",
        "--unit",
        "流亭街道",
        stdin="Qd-2024-strong!\n",
    )
    user = User.objects.get(username="zhang")
    assert user.check_password("Qd-2024-strong!")
    assert user.is_staff
    assert set(user.units.all()) == {unit_a, unit_b}
    assert list(user.groups.values_list("name", flat=True)) == ["unit_staff"]


def test_create_account_prints_a_generated_password_once():
    out = run("li", "--role", "viewer")
    user = User.objects.get(username="li")
    # The line reads "密码（仅显示一次）：…" or "Password (shown once): …".
    password = re.split(r"[:：]\s*", out.strip().splitlines()[-1])[-1]
    assert user.check_password(password)
    assert not user.is_staff


def test_create_account_updates_an_existing_user_role_and_units():
    UnitFactory(code="FGJ")
    other = UnitFactory(code="JSJ")
    run("wang", "--role", "unit_staff", "--unit", "FGJ", stdin="Qd-2024-strong!\n")
    run("wang", "--role", "manager", "--unit", "JSJ", "--no-password")
    user = User.objects.get(username="wang")
    assert list(user.groups.values_list("name", flat=True)) == ["manager"]
    assert list(user.units.all()) == [other]
    assert user.check_password("Qd-2024-strong!")
    assert User.objects.filter(username="wang").count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x", "--role", "boss"], "boss"),
        (["x", "--role", "unit_staff", "--unit", "不存在的单位"], "不存在的单位"),
        (["x", "--role", "unit_staff"], "--unit"),
    ],
)
def test_create_account_gives_clear_errors(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args, stdin="Qd-2024-strong!\n")
    assert not User.objects.filter(username="x").exists()


def test_create_account_refuses_a_weak_password():
    with pytest.raises(CommandError):
        run("weak", "--role", "viewer", stdin="123\n")
    assert not User.objects.filter(username="weak").exists()


def test_anonymous_user_is_sent_to_login(client):
    for url in (reverse("home"), reverse("admin:index"), "/reports/status/2024/3/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_viewer_cannot_reach_any_admin_page(client):
    viewer = user_with_role("viewer")
    project = ProjectFactory()
    entry = MonthlyProgressFactory(project=project)
    client.force_login(viewer)
    for url in (
        reverse("admin:index"),
        reverse("admin:projects_project_change", args=[project.pk]),
        reverse("admin:projects_monthlyprogress_change", args=[entry.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]
    assert viewer.has_perm("projects.export_reports")


def test_unit_staff_cannot_export_but_manager_and_viewer_can():
    unit = UnitFactory()
    assert not user_with_role("unit_staff", unit).has_perm("projects.export_reports")
    assert user_with_role("manager").has_perm("projects.export_reports")
    assert user_with_role("viewer").has_perm("projects.export_reports")


def test_roles_exist_after_migrate():
    # setup_roles runs after every migrate, so a fresh database has the groups.
    assert set(Group.objects.values_list("name", flat=True)) >= {"unit_staff", "manager", "viewer"}
    setup_roles()


# ---------------------------------------------------------------- the access policy


def test_every_role_has_a_scope_for_every_action():
    from projects.permissions import ACTIONS, ROLE_PERMISSIONS, ROLES, SCOPES

    assert set(ROLES) == set(ROLE_PERMISSIONS) == set(SCOPES) - {None}
    for scope in SCOPES.values():
        assert all(getattr(scope, action) for action in ACTIONS)


def test_a_unit_member_without_an_entry_role_reads_but_never_writes(viewer, unit_a):
    """The rule the dispatch apps once kept apart: unit membership alone writes nothing."""
    from django.core.exceptions import PermissionDenied

    from projects import services
    from projects.coordination import services as problems
    from projects.permissions import can

    unit_a.members.add(viewer)
    project = ProjectFactory(unit=unit_a)
    assert can(viewer, "view", project)
    assert not can(viewer, "change", project)
    with pytest.raises(PermissionDenied):
        problems.raise_problem(actor=viewer, project=project, description="用地", kind="land")
    with pytest.raises(PermissionDenied):
        services.record_progress(
            actor=viewer, project=project, year=2024, month=1, investment=1, inclusion=1
        )


def test_a_unit_member_with_no_role_opens_their_units_pages_and_writes_nothing(unit_a):
    from projects.permissions import can
    from tests.factories import UserFactory

    member = UserFactory()
    unit_a.members.add(member)
    project = ProjectFactory(unit=unit_a)
    assert can(member, "view", project)
    assert not can(member, "change", project)
    assert not Project.objects.restrict(member, "change").exists()


def test_unit_staff_write_for_their_own_units_only(staff_a, unit_a, unit_b):
    from projects.permissions import can

    own, other = ProjectFactory(unit=unit_a), ProjectFactory(unit=unit_b)
    assert can(staff_a, "change", own) and not can(staff_a, "change", other)
    assert list(Project.objects.restrict(staff_a, "change")) == [own]
    assert list(Project.objects.restrict(staff_a, "view")) == [own]
    assert set(Project.objects.restrict(staff_a, "report")) == {own, other}


def test_a_street_viewer_reaches_their_street_and_writes_nothing(street_viewer, street_a):
    from tests.factories import StreetFactory

    own = ProjectFactory(street=street_a)
    other = ProjectFactory(street=StreetFactory(code="ST-B"))
    for action in ("view", "report"):
        assert list(Project.objects.restrict(street_viewer, action)) == [own]
    assert not Project.objects.restrict(street_viewer, "change").exists()
    MonthlyProgressFactory(project=other)
    assert not MonthlyProgress.objects.restrict(street_viewer, "view").exists()


def test_plans_are_set_by_managers_alone(manager, staff_a, viewer, street_viewer, unit_a):
    """Plans belong to the office: the ``plan`` action reaches every project for a manager
    and none for anyone else, a unit's own clerk, the command line and a share link included."""
    from projects.permissions import ALL, NOTHING, WHOLE_DISTRICT, can, reach

    project = ProjectFactory(unit=unit_a)
    assert reach(manager, "plan") == ALL and can(manager, "plan", project)
    assert list(Project.objects.restrict(manager, "plan")) == [project]
    for user in (staff_a, viewer, street_viewer, WHOLE_DISTRICT, None):
        assert reach(user, "plan") == NOTHING
        assert not Project.objects.restrict(user, "plan").exists()
    assert not can(staff_a, "plan", project)
    # The reads and writes that are theirs stay theirs.
    assert reach(WHOLE_DISTRICT, "report") == ALL and can(staff_a, "change", project)


def test_unit_staff_read_plans_and_ask_for_changes_but_never_write_them():
    codes = {p.split(".", 1)[1] for p in ROLE_PERMISSIONS["unit_staff"]}
    assert "view_quarterplan" in codes and "add_planchangerequest" in codes
    assert not {"add_quarterplan", "change_quarterplan", "delete_quarterplan"} & codes
    assert "change_planchangerequest" not in codes
    assert "projects.change_quarterplan" in ROLE_PERMISSIONS["manager"]


def test_nobody_signed_in_reaches_nothing(unit_a):
    from django.contrib.auth.models import AnonymousUser

    ProjectFactory(unit=unit_a)
    for action in ("view", "change", "report"):
        assert not Project.objects.restrict(AnonymousUser(), action).exists()
        assert not Project.objects.restrict(None, action).exists()


def test_create_account_makes_a_street_viewer_of_a_known_street(tmp_path):
    from tests.factories import StreetFactory

    street = StreetFactory(code="LTJD", name="流亭街道")
    secret = tmp_path / "password"
    secret.write_text("Qd-2024-strong!\n", encoding="utf-8")
    run("ltjd", "--role", "street_viewer", "--street", "LTJD", "--password-file", str(secret))
    user = User.objects.get(username="ltjd")
    assert user.check_password("Qd-2024-strong!")
    assert list(user.streets.all()) == [street]
    assert list(user.groups.values_list("name", flat=True)) == ["street_viewer"]
    assert not user.is_staff


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["s", "--role", "street_viewer", "--street", "NOWHERE"], "未知街道“NOWHERE”"),
        (["s", "--role", "street_viewer"], "至少需要一个 --street"),
        (["s", "--role", "viewer", "--street", "LTJD"], "去掉 --street"),
    ],
)
def test_create_account_refuses_a_street_viewer_without_a_known_street(args, message):
    from tests.factories import StreetFactory

    StreetFactory(code="LTJD")
    with pytest.raises(CommandError, match=message):
        run(*args, stdin="Qd-2024-strong!\n")
    assert not User.objects.filter(username="s").exists()


# ---------------------------------------------------------------- the unit-scoping rule


@pytest.fixture
def two_units(unit_a, unit_b):
    """One project with a month's figures in each unit."""
    own = ProjectFactory(unit=unit_a)
    other = ProjectFactory(unit=unit_b)
    MonthlyProgressFactory(project=own, month=1)
    MonthlyProgressFactory(project=other, month=1)
    return own, other


def codes(queryset):
    return sorted(queryset.values_list("code", flat=True))


def test_unit_staff_read_and_write_only_their_own_units_rows(two_units, staff_a, unit_a, unit_b):
    own, _other = two_units
    assert codes(Project.objects.restrict(staff_a, "view")) == [own.code]
    assert codes(Project.objects.restrict(staff_a, "change")) == [own.code]
    monthly = MonthlyProgress.objects.restrict(staff_a, "change")
    assert list(monthly.values_list("project__code", flat=True)) == [own.code]
    assert list(Unit.objects.restrict(staff_a, "view")) == [unit_a]
    assert reaches_unit(staff_a, "change", unit_a.pk)
    assert not reaches_unit(staff_a, "change", unit_b.pk)
    assert not reaches_unit(staff_a, "view", unit_b.pk)


def test_managers_read_and_write_every_unit(two_units, manager, unit_b):
    assert codes(Project.objects.restrict(manager, "view")) == codes(Project.objects.all())
    assert codes(Project.objects.restrict(manager, "change")) == codes(Project.objects.all())
    assert MonthlyProgress.objects.restrict(manager, "change").count() == 2
    assert reaches_unit(manager, "change", unit_b.pk)


def test_report_readers_read_every_unit_and_write_none(two_units, viewer, unit_a):
    assert codes(Project.objects.restrict(viewer, "view")) == codes(Project.objects.all())
    assert not Project.objects.restrict(viewer, "change").exists()
    assert not MonthlyProgress.objects.restrict(viewer, "change").exists()
    assert reaches_unit(viewer, "view", unit_a.pk)
    assert not reaches_unit(viewer, "change", unit_a.pk)


def test_unit_staff_of_no_unit_see_nothing(two_units):
    clerk = user_with_role("unit_staff", username="nobody")
    assert not Project.objects.restrict(clerk, "view").exists()
    assert not Unit.objects.restrict(clerk, "change").exists()


@pytest.mark.parametrize("who", ["nobody", "anonymous", "inactive manager"])
def test_a_missing_anonymous_or_inactive_user_sees_nothing(two_units, unit_a, who):
    if who == "nobody":
        user = None
    elif who == "anonymous":
        user = AnonymousUser()
    else:
        user = user_with_role("manager", username="left", is_active=False)
    assert not Project.objects.restrict(user, "view").exists()
    assert not Project.objects.restrict(user, "change").exists()
    assert not reaches_unit(user, "view", unit_a.pk)


def test_something_that_is_not_a_user_sees_nothing(two_units, unit_a):
    # Not a user object at all (no is_authenticated): refused, however it answers has_perm.
    stranger = SimpleNamespace(is_active=True, has_perm=lambda name: True)
    assert not reaches_unit(stranger, "view", unit_a.pk)
    assert not Project.objects.restrict(stranger, "view").exists()


def test_an_unknown_action_is_a_programming_error(manager, unit_a):
    with pytest.raises(ValueError, match="unknown action 'delete'"):
        reaches_unit(manager, "delete", unit_a.pk)


def test_role_of_names_the_strongest_role_and_none_without_a_group(unit_a):
    groups = setup_roles()
    both = user_with_role("unit_staff", unit_a, username="both")
    both.groups.add(groups["manager"])
    assert role_of(both) == "manager"
    assert role_of(user_with_role("unit_staff", unit_a, username="clerk")) == "unit_staff"
    assert role_of(user_with_role("viewer", username="reader2")) == "viewer"
    assert role_of(User.objects.create_user("plain")) is None


def test_each_role_gets_exactly_its_permissions():
    groups = setup_roles()
    for role, codenames in ROLE_PERMISSIONS.items():
        granted = {
            f"{app}.{code}"
            for app, code in groups[role].permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        assert granted == codenames, role
    assert MANAGE_ALL_UNITS in ROLE_PERMISSIONS["manager"]
    assert ROLE_PERMISSIONS["viewer"] == {EXPORT_REPORTS}
