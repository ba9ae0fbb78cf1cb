"""Project codes are stored in one normal form and refuse characters that hide or reorder text."""

import pytest
from django.core.exceptions import ValidationError

from projects import services
from projects.models import Project
from projects.models.fields import validate_project_code
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


@pytest.mark.parametrize("code", ["CY2024-001", "城阳-01", "A_b.1", "...", "2024"])
def test_codes_of_letters_digits_dash_underscore_and_dot_are_accepted(code):
    project = unsaved_project(code)
    project.full_clean()
    project.save()
    assert Project.objects.get(pk=project.pk).code == code


@pytest.mark.parametrize("code", ["a/b", "a?b", "a#b", "50%", "a b", ".", "..", "", "a\\b", "a&b"])
def test_new_codes_with_other_characters_are_refused_in_chinese(code):
    with pytest.raises(ValidationError) as caught:
        validate_project_code(code)
    assert "项目编号只能包含" in caught.value.messages[0]


def test_new_project_with_a_slash_in_its_code_is_refused_by_the_model():
    project = ProjectFactory.build(code="CY/001", programme=ProgrammeFactory())
    project.programme.save()
    with pytest.raises(ValidationError) as caught:
        project.full_clean(exclude=["category", "unit", "street"])
    assert "code" in caught.value.message_dict


def test_an_older_odd_code_does_not_block_editing_the_project(manager):
    project = ProjectFactory(code="CY/2019/07")
    stored = Project.objects.get(pk=project.pk)
    stored.name = "改名后的项目"
    services.save_project(actor=manager, project=stored, expected_version=project.version)
    saved = Project.objects.get(pk=project.pk)
    assert (saved.code, saved.name) == ("CY/2019/07", "改名后的项目")


def test_changing_a_code_to_an_odd_one_is_refused():
    stored = Project.objects.get(pk=ProjectFactory(code="CY-001").pk)
    stored.code = "CY/001"
    with pytest.raises(ValidationError):
        stored.full_clean()
