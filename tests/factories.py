"""Factories for the ledger: small, valid objects with readable defaults."""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from projects.models import (
    Category,
    Leader,
    MonthlyProgress,
    Programme,
    Project,
    QuarterPlan,
    Street,
    Unit,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct-horse-battery-staple")
    is_staff = True


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U{n:03d}")
    name = factory.Sequence(lambda n: f"责任单位{n}")


class StreetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Street
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"S{n:02d}")
    name = factory.Sequence(lambda n: f"街道{n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"C{n:02d}")
    name = factory.Sequence(lambda n: f"类别{n}")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("code",)

    year = 2024
    code = factory.LazyAttribute(lambda o: f"SJGJ{o.year}")
    name = factory.LazyAttribute(lambda o: f"{o.year}年市级攻坚项目")


class LeaderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leader
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"领导{n}")
    code = factory.LazyAttribute(lambda o: o.name)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        # leader="王某某" names the Leader (made once); "" is none, as the ledger's blank cell.
        leader = kwargs.get("leader")
        if isinstance(leader, str):
            kwargs["leader"] = LeaderFactory(name=leader) if leader else None
        return kwargs

    code = factory.Sequence(lambda n: f"P{n:05d}")
    name = factory.Sequence(lambda n: f"测试项目{n}")
    programme = factory.SubFactory(ProgrammeFactory)
    category = factory.SubFactory(CategoryFactory)
    unit = factory.SubFactory(UnitFactory)
    street = factory.SubFactory(StreetFactory)
    kind = Project.Kind.NEW
    total_investment = Decimal("10000.00")
    planned_start = dt.date(2024, 3, 1)
    joined_on = factory.LazyAttribute(lambda o: dt.date(o.programme.year, 1, 1))


class QuarterPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuarterPlan

    project = factory.SubFactory(ProjectFactory)
    year = factory.LazyAttribute(lambda o: o.project.programme.year)
    investment_q1 = Decimal("100.00")
    investment_q2 = Decimal("100.00")
    investment_q3 = Decimal("100.00")
    investment_q4 = Decimal("100.00")
    inclusion_q1 = Decimal("80.00")
    inclusion_q2 = Decimal("80.00")
    inclusion_q3 = Decimal("80.00")
    inclusion_q4 = Decimal("80.00")


class MonthlyProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonthlyProgress

    project = factory.SubFactory(ProjectFactory)
    year = factory.LazyAttribute(lambda o: o.project.programme.year)
    month = 1
    investment = Decimal("50.00")
    inclusion = Decimal("40.00")


def user_with_role(role: str, *units, **kwargs):
    """A user in one of the three roles (groups), member of the given units."""
    from projects.permissions import STAFF_ROLES

    user = UserFactory(is_staff=role in STAFF_ROLES, **kwargs)
    user.groups.set([_role_group(role)])
    user.units.set(units)
    return user


def _role_group(role: str) -> Group:
    # The roles' groups are made by `setup_roles` after every migrate (and so after a
    # flush), and a test's rollback keeps them; refreshing them for each user cost 82
    # queries a user, thousands of users a run. They are made here only when missing.
    from projects.permissions import setup_roles

    return Group.objects.filter(name=role).first() or setup_roles()[role]


def version_of(model, **lookup):
    """The stored version of a row, as a form would carry it; None when there is no row."""
    return model.objects.filter(**lookup).values_list("version", flat=True).first()
