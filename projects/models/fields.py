"""Field helpers and validators shared by the ledger's models: amounts in 万元, months, years."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..money import MAX_AMOUNT_WAN
from ..periods import FIRST_YEAR, LAST_YEAR
from ..text import clean_text, validate_line, validate_visible

AMOUNT_VALIDATORS = [
    MinValueValidator(0, message=_("Amounts cannot be negative.")),
    MaxValueValidator(
        MAX_AMOUNT_WAN,
        message=_("Amounts over 10,000,000 万元 (1,000 亿元) look like a typing mistake."),
    ),
]
MONTH_VALIDATORS = [
    MinValueValidator(1, message=_("Month must be between 1 and 12.")),
    MaxValueValidator(12, message=_("Month must be between 1 and 12.")),
]
PERCENT_VALIDATORS = [
    MinValueValidator(0, message=_("A threshold is a percentage from 0 to 100.")),
    MaxValueValidator(100, message=_("A threshold is a percentage from 0 to 100.")),
]
YEAR_VALIDATORS = [
    MinValueValidator(FIRST_YEAR, message=_("Year must be between 2000 and 2100.")),
    MaxValueValidator(LAST_YEAR, message=_("Year must be between 2000 and 2100.")),
]


def amount_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name,
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=AMOUNT_VALIDATORS,
        **kwargs,
    )


def amount_in_range(field: str) -> Q:
    return Q(**{f"{field}__gte": 0}) & Q(**{f"{field}__lte": MAX_AMOUNT_WAN})


def normalise_code(value: str) -> str:
    """A code as stored: compatibility forms folded (全角 Ａ１ -> A1) and ends trimmed."""
    return unicodedata.normalize("NFKC", value or "").strip()


def validate_visible_code(value: str) -> None:
    """Refuse a code with characters that cannot be seen or that reorder what is seen.

    Format characters (zero-width spaces and joiners, the byte-order mark, bidirectional
    overrides and isolates), controls and line separators print as nothing or reorder the
    text around them, so two codes that look the same could name different projects.
    The rule lives in projects.text; this name stays because the migrations refer to it.
    """
    validate_visible(value)


class LineField(models.CharField):
    """A name, code or person: one line of visible text, refused otherwise.

    Validated by every ``full_clean`` (the admin's and web forms' ModelForms and every
    service), so each door refuses the same characters (see projects.text).
    """

    default_validators = [validate_line]

    def deconstruct(self):
        # The column is a plain CharField; the rule is Python's, so no migration.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class CodeField(LineField):
    """A code: typed, never drawn, so private-use and unassigned code points are refused too."""

    default_validators = [validate_visible]


class _CleanedText:
    """Free text: line breaks kept as "\\n", other control characters dropped (projects.text).

    Cleaned in ``full_clean`` (forms and services) and again as it is saved, so no door
    can store a character that a spreadsheet or Word file cannot hold.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return value if value is None else clean_text(value)

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value is not None:
            value = clean_text(value)
            setattr(model_instance, self.attname, value)
        return value


class NoteField(_CleanedText, models.TextField):
    """Free text of any length (形象进度, 存在问题, descriptions, comments)."""

    def deconstruct(self):
        # The column is a plain TextField; the rule is Python's, so no migration.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs


class ShortNoteField(_CleanedText, models.CharField):
    """Free text with a length limit (a node's note, a photo's caption)."""

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


# Project codes appear in addresses, file names and spreadsheets: letters of any script
# (Chinese included), digits, "-", "_" and "."; no spaces, slashes, "?", "#", "%" or
# other punctuation, and not "." or ".." alone. Older codes that break this rule keep
# working (their pages escape them); only a new or changed code must follow it.
PROJECT_CODE = re.compile(r"(?!\.{1,2}$)[\w.\-]+")


def validate_project_code(value: str) -> None:
    if not PROJECT_CODE.fullmatch(value or ""):
        raise ValidationError(
            _(
                "A project code may contain only letters, digits, “-”, “_” and “.”, "
                "with no spaces (for example CY2024-001)."
            ),
            code="project_code",
        )
