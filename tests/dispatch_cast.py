"""The people and projects the dispatch tests share: two units, their staff, a manager, a reader."""

import pytest

from tests.factories import ProjectFactory, UnitFactory, user_with_role


@pytest.fixture
def unit_a(db):
    return UnitFactory(code="UA", name="甲单位")


@pytest.fixture
def unit_b(db):
    return UnitFactory(code="UB", name="乙单位")


@pytest.fixture
def project_a(unit_a):
    return ProjectFactory(code="PA001", unit=unit_a, leader="王振华")


@pytest.fixture
def project_b(unit_b):
    return ProjectFactory(code="PB001", unit=unit_b)


@pytest.fixture
def staff_a(unit_a):
    return user_with_role("unit_staff", unit_a, username="staff_a")


@pytest.fixture
def staff_b(unit_b):
    return user_with_role("unit_staff", unit_b, username="staff_b")


@pytest.fixture
def manager(db):
    return user_with_role("manager", username="boss")


@pytest.fixture
def viewer(db):
    return user_with_role("viewer", username="reader")
