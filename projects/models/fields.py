"""Field helpers and validators shared by the ledger's models: amounts in 万元, months, years."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..money import MAX_AMOUNT_WAN

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
    MinValueValidator(2000, message=_("Year must be between 2000 and 2100.")),
    MaxValueValidator(2100, message=_("Year must be between 2000 and 2100.")),
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


# Format characters (Cf: zero-width spaces and joiners, the byte-order mark, bidirectional
# overrides and isolates), controls and line separators print as nothing or reorder the
# text around them, so two codes that look the same could name different projects.
_INVISIBLE_CATEGORIES = {"Cf", "Cc", "Co", "Cs", "Cn", "Zl", "Zp"}


def normalise_code(value: str) -> str:
    """A code as stored: compatibility forms folded (全角 Ａ１ -> A1) and ends trimmed."""
    return unicodedata.normalize("NFKC", value or "").strip()


def validate_visible_code(value: str) -> None:
    """Refuse a code with characters that cannot be seen or that reorder what is seen."""
    hidden = [ch for ch in value or "" if unicodedata.category(ch) in _INVISIBLE_CATEGORIES]
    if hidden:
        raise ValidationError(
            _(
                "The code contains invisible or text-direction characters (%(chars)s); "
                "type it again without them."
            ),
            code="invisible_characters",
            params={"chars": ", ".join(f"U+{ord(ch):04X}" for ch in dict.fromkeys(hidden))},
        )


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
