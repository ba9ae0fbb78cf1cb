import pytest

from tests.factories import MonthlyProgressFactory


@pytest.mark.django_db
def test_factories_make_valid_progress():
    entry = MonthlyProgressFactory()
    entry.full_clean()
