"""Project codes are stored in one normal form and refuse characters that hide or reorder text."""

import pytest
from django.core.exceptions import ValidationError

from projects.models import Project
from tests.factories import (
    CategoryFactory,
    ProgrammeFactory,
    ProjectFactory,
    StreetFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

HIDDEN = {
    "zero-width space": "\u200b",
    "word joiner": "\u2060",
    "byte-order mark": "\ufeff",
    "right-to-left override": "\u202e",
    "left-to-right override": "\u202d",
    "first-strong isolate": "\u2068",
    "pop directional isolate": "\u2069",
    "soft hyphen": "\u00ad",
}


def unsaved_project(code):
    return ProjectFactory.build(
        code=code,
        programme=ProgrammeFactory(),
        category=CategoryFactory(),
        unit=UnitFactory(),
        street=StreetFactory(),
    )


@pytest.mark.parametrize("char", HIDDEN.values(), ids=HIDDEN.keys())
def test_project_code_with_invisible_or_direction_characters_is_refused(char):
    project = unsaved_project(f"CY{char}-001")
    with pytest.raises(ValidationError) as caught:
        project.full_clean()
    message = " ".join(caught.value.message_dict["code"])
    assert "不可见字符或文字方向控制字符" in message
    assert f"U+{ord(char):04X}" in message


def test_project_code_is_stored_nfkc_normalised_and_trimmed():
    project = unsaved_project("  ＣＹ－００１ ")
    project.full_clean()
    project.save()
    assert Project.objects.get().code == "CY-001"


def test_full_width_spelling_of_an_existing_code_is_a_duplicate_not_a_new_project():
    existing = ProjectFactory(code="CY-001")
    twin = ProjectFactory.build(
        code="ＣＹ-００１",
        programme=existing.programme,
        category=existing.category,
        unit=existing.unit,
        street=existing.street,
    )
    with pytest.raises(ValidationError) as caught:
        twin.full_clean()
    assert "code" in caught.value.message_dict
