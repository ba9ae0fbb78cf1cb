"""One project for each unit of the shared cast, for the dispatch tests."""

import pytest

from tests.factories import ProjectFactory


@pytest.fixture
def project_a(unit_a):
    return ProjectFactory(code="PA001", unit=unit_a, leader="王振华")


@pytest.fixture
def project_b(unit_b):
    return ProjectFactory(code="PB001", unit=unit_b)
