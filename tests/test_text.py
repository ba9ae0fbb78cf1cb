"""The edge rule of projects.text: which characters free text drops, and names refuse."""

import pytest
from django.core.exceptions import ValidationError

from projects.text import (
    clean_text,
    file_row,
    file_text,
    header_text,
    unguard,
    validate_line,
    validate_visible,
    xml_text,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("主体\x0b施工", "主体\n施工"),  # Excel's line break pasted from Word
        ("主体\x0c施工", "主体\n施工"),
        ("主体\r\n施工", "主体\n施工"),
        ("主体\r施工", "主体\n施工"),
        ("主体\u2028施工\x85完成", "主体\n施工\n完成"),
        ("主体\x00\x01\x08\x0e\x1f\x7f\x80\x9f施工", "主体施工"),
        ("列1\t列2\n下一行", "列1\t列2\n下一行"),  # tab and newline stay
        ("零宽\u200d连接", "零宽\u200d连接"),  # invisible marks stay in prose
        ("\ud800孤立\ufffe\uffff", "孤立"),
        (None, ""),
    ],
)
def test_free_text_keeps_line_breaks_and_drops_other_controls(typed, stored):
    assert clean_text(typed) == stored


@pytest.mark.parametrize(
    "name",
    [
        "物元\n项目",
        "物元\x0b项目",
        "物元\t项目",
        "物元\x85项目",
        "物元\u2028项目",
        "物元\x01项目",
        "物元\x9b项目",
        *(f"物元{chr(c)}项目" for c in range(0x200B, 0x2010)),
        *(f"物元{chr(c)}项目" for c in range(0x202A, 0x202F)),
        *(f"物元{chr(c)}项目" for c in range(0x2060, 0x2065)),
        *(f"物元{chr(c)}项目" for c in range(0x2066, 0x206A)),
        "\ufeff物元项目",
        "物元\u00ad项目",  # soft hyphen: a format character too
    ],
)
def test_a_name_with_a_line_break_control_or_invisible_mark_is_refused(name):
    with pytest.raises(ValidationError) as refused:
        validate_line(name)
    assert refused.value.code == "invisible_characters"


def test_a_refused_line_break_is_named_in_words_and_a_mark_by_its_code_point():
    with pytest.raises(ValidationError) as refused:
        validate_line("甲\x0b乙\u200b丙")
    assert "换行" in refused.value.messages[0] and "U+200B" in refused.value.messages[0]


@pytest.mark.parametrize(
    "name", ["区发展和改革局", "=HYPERLINK(1)", "Ａ１ 号地块", "\U00020000字", "私\ue000用"]
)
def test_visible_names_are_accepted(name):
    validate_line(name)


def test_a_code_is_also_refused_private_use_characters_a_name_may_hold():
    validate_line("私\ue000用")
    with pytest.raises(ValidationError):
        validate_visible("CY\ue000001")


# A leading "\r" is read as a line break first, and a cell starting with one runs nothing.
@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t"])
def test_file_text_guards_formulas_and_unguard_takes_the_guard_off(trigger):
    guarded = file_text(f"{trigger}1+1")
    assert guarded.startswith("'")
    assert unguard(guarded) == clean_text(f"{trigger}1+1")


def test_file_text_drops_what_a_spreadsheet_cannot_hold():
    assert file_text("=A1\x0bB\x01") == "'=A1\nB"
    assert xml_text("甲\x0b乙\x02") == "甲\n乙"


def test_unguard_leaves_an_apostrophe_that_guards_nothing():
    assert unguard("'物元") == "'物元"
    assert unguard("'") == "'"


def test_file_row_guards_text_cells_only():
    assert file_row(["=1", 5, None, "乙"]) == ["'=1", 5, None, "乙"]


def test_header_text_is_one_line():
    assert header_text("甲\x0b单位\r\n催报\u2028提醒\n") == "甲 单位 催报 提醒"
    assert header_text("城阳区\u3000重点项目") == "城阳区\u3000重点项目"
