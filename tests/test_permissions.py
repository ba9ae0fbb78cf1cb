"""The three roles, the account command, and what each role can reach."""

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
    may,
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
    assert codes(Project.objects.visible_to(staff_a)) == [own.code]
    assert codes(Project.objects.editable_by(staff_a)) == [own.code]
    monthly = MonthlyProgress.objects.editable_by(staff_a)
    assert list(monthly.values_list("project__code", flat=True)) == [own.code]
    assert list(Unit.objects.visible_to(staff_a)) == [unit_a]
    assert may(staff_a, "change", unit_a.pk)
    assert not may(staff_a, "change", unit_b.pk)
    assert not may(staff_a, "view", unit_b.pk)


def test_managers_read_and_write_every_unit(two_units, manager, unit_b):
    assert codes(Project.objects.visible_to(manager)) == codes(Project.objects.all())
    assert codes(Project.objects.editable_by(manager)) == codes(Project.objects.all())
    assert MonthlyProgress.objects.editable_by(manager).count() == 2
    assert may(manager, "change", unit_b.pk)


def test_report_readers_read_every_unit_and_write_none(two_units, viewer, unit_a):
    assert codes(Project.objects.visible_to(viewer)) == codes(Project.objects.all())
    assert not Project.objects.editable_by(viewer).exists()
    assert not MonthlyProgress.objects.editable_by(viewer).exists()
    assert may(viewer, "view", unit_a.pk)
    assert not may(viewer, "change", unit_a.pk)


def test_unit_staff_of_no_unit_see_nothing(two_units):
    clerk = user_with_role("unit_staff", username="nobody")
    assert not Project.objects.visible_to(clerk).exists()
    assert not Unit.objects.editable_by(clerk).exists()


@pytest.mark.parametrize("who", ["nobody", "anonymous", "inactive manager"])
def test_a_missing_anonymous_or_inactive_user_sees_nothing(two_units, unit_a, who):
    if who == "nobody":
        user = None
    elif who == "anonymous":
        user = AnonymousUser()
    else:
        user = user_with_role("manager", username="left", is_active=False)
    assert not Project.objects.visible_to(user).exists()
    assert not Project.objects.editable_by(user).exists()
    assert not may(user, "view", unit_a.pk)


def test_something_that_is_not_a_user_sees_nothing(two_units, unit_a):
    # Not a user object at all (no is_authenticated): refused, however it answers has_perm.
    stranger = SimpleNamespace(is_active=True, has_perm=lambda name: True)
    assert not may(stranger, "view", unit_a.pk)
    assert not Project.objects.visible_to(stranger).exists()


def test_an_unknown_action_is_a_programming_error(manager, unit_a):
    with pytest.raises(ValueError, match="unknown action 'delete'"):
        may(manager, "delete", unit_a.pk)


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
