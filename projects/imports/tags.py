"""The ledger's 标签 cell: campaign names split from one cell, and the stored ones to compare."""

from ..models import Tag
from .columns import TAG_SEPARATORS


def split_tags(cell) -> tuple[str, ...]:
    """老旧小区改造、微更新 -> ("微更新", "老旧小区改造"): sorted, blanks and repeats dropped."""
    text = str(cell or "")
    for separator in TAG_SEPARATORS[1:]:
        text = text.replace(separator, TAG_SEPARATORS[0])
    return tuple(sorted({name.strip() for name in text.split(TAG_SEPARATORS[0]) if name.strip()}))


def stored_tags_of(codes) -> dict[str, tuple[str, ...]]:
    """Each project's campaign names, in one query."""
    found: dict[str, set[str]] = {}
    for code, name in Tag.projects.through.objects.filter(project__code__in=codes).values_list(
        "project__code", "tag__name"
    ):
        found.setdefault(code, set()).add(name)
    return {code: tuple(sorted(names)) for code, names in found.items()}
