"""Field helpers and validators shared by the ledger's models: amounts in 万元, months, years."""

import re
import unicodedata
from decimal import ROUND_HALF_EVEN, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
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


# The national project code (项目代码, GB/T 40058-2021; 发改投资〔2020〕1439号) as printed by the
# online approval platform: 2020-370214-04-01-000123, i.e. 4 digits of the year it was issued,
# 6 of the region (GB/T 2260), 2 of the central department, 2 of the project type, 5 of the
# serial number and 1 check character, with "-" between the parts (24 characters).
# The check character's algorithm is not confirmed from the standard's text, so only the
# structure is checked: the last character may be a digit or a capital letter and is never
# recomputed. A code entered without its hyphens (20 characters) is stored with them.
NATIONAL_CODE_LENGTH = 24
NATIONAL_CODE = re.compile(
    r"(?P<year>\d{4})-(?P<region>\d{6})-(?P<department>\d{2})-(?P<type>\d{2})-"
    r"(?P<serial>\d{5})(?P<check>[0-9A-Z])"
)
_NATIONAL_CODE_BARE = re.compile(r"(\d{4})(\d{6})(\d{2})(\d{2})(\d{5}[0-9A-Z])")


def normalise_national_code(value: str) -> str:
    """The stored form: 全角 folded, spaces dropped, capitals, hyphens where the parts meet."""
    value = unicodedata.normalize("NFKC", value or "").strip().upper()
    value = re.sub(r"\s+", "", value).replace("—", "-").replace("–", "-")
    bare = _NATIONAL_CODE_BARE.fullmatch(value)
    return "-".join(bare.groups()) if bare else value


def validate_national_code(value: str) -> None:
    """The one rule of a project code's structure (the admin, the ledger import, the services).

    Blank passes (the field is optional); anything else must have the national structure,
    a year from 2000 to this year, and this district's region code (``TRACKER_REGION_CODE``).
    """
    if not value:
        return
    example = f"2024-{settings.TRACKER_REGION_CODE}-04-01-000123"
    match = NATIONAL_CODE.fullmatch(value)
    if match is None:
        raise ValidationError(
            _(
                "A project code has 24 characters: year (4 digits), region (6), department "
                "(2), project type (2), serial number (5) and a check character, joined by "
                "“-”, for example %(example)s."
            ),
            code="national_code_shape",
            params={"example": example},
        )
    year = int(match["year"])
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise ValidationError(
            _(
                "The project code's year %(year)s is not possible: it is the year the code "
                "was issued."
            ),
            code="national_code_year",
            params={"year": match["year"]},
        )
    if match["region"] != settings.TRACKER_REGION_CODE:
        raise ValidationError(
            _(
                "The project code's region is %(region)s, but this district's is %(expected)s: "
                "check that the code belongs to a project of this district."
            ),
            code="national_code_region",
            params={"region": match["region"], "expected": settings.TRACKER_REGION_CODE},
        )


class NationalCodeField(models.CharField):
    """A national project code: stored in one form, so 全角 or hyphen-less typing finds its twin.

    ``to_python`` runs in every ``full_clean`` before the validators, so each door (admin,
    ledger import, services) normalises and then checks the same way.
    """

    default_validators = [validate_national_code]

    def to_python(self, value):
        value = super().to_python(value)
        return value if value is None else normalise_national_code(value)

    def deconstruct(self):
        # The column is a plain CharField; the rule is Python's, so no migration follows it.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


# Coordinates (WGS-84 degrees) are kept to six places, about 0.1 m: finer than any GPS or
# map click, so a float from a spreadsheet or a photo is rounded rather than refused.
COORDINATE_PLACES = 6
LONGITUDE, LATITUDE = "longitude", "latitude"


def validate_coordinate(axis: str, value) -> None:
    """The one rule of a plausible coordinate: inside the district's box (TRACKER_MAP_BOUNDS).

    A point outside it is nearly always swapped longitude and latitude, GCJ-02 or Baidu
    coordinates pasted from a web map far off, or a typing slip, so it is refused, not kept.
    """
    if value is None:
        return
    west, south, east, north = settings.TRACKER_MAP_BOUNDS
    low, high = (west, east) if axis == LONGITUDE else (south, north)
    if not low <= value <= high:
        message = (
            _(
                "The longitude %(value)s is outside %(district)s (%(low)s to %(high)s east); "
                "enter WGS-84 degrees, longitude first."
            )
            if axis == LONGITUDE
            else _(
                "The latitude %(value)s is outside %(district)s (%(low)s to %(high)s north); "
                "enter WGS-84 degrees, latitude second."
            )
        )
        raise ValidationError(
            message,
            code=f"{axis}_range",
            params={
                "value": value,
                "district": settings.TRACKER_DISTRICT,
                "low": low,
                "high": high,
            },
        )


def validate_longitude(value) -> None:
    validate_coordinate(LONGITUDE, value)


def validate_latitude(value) -> None:
    validate_coordinate(LATITUDE, value)


class CoordinateField(models.DecimalField):
    """A WGS-84 degree, optional; 全角 digits read, extra places rounded, range from settings.

    ``to_python`` runs in every ``full_clean`` and in the ledger import's cell reading, so the
    admin, the import and the services read and check a coordinate the same way.
    """

    def __init__(self, *args, axis: str = LONGITUDE, **kwargs):
        self.axis = axis
        kwargs.setdefault("max_digits", 3 + COORDINATE_PLACES)
        kwargs.setdefault("decimal_places", COORDINATE_PLACES)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    @property
    def default_validators(self):
        return [validate_longitude if self.axis == LONGITUDE else validate_latitude]

    def to_python(self, value):
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value).strip().rstrip("°") or None
        if isinstance(value, float):
            value = repr(value)
        value = super().to_python(value)
        if value is None or not value.is_finite():
            return value
        try:
            return value.quantize(Decimal(1).scaleb(-COORDINATE_PLACES), rounding=ROUND_HALF_EVEN)
        except ArithmeticError:  # far too many digits to round: the range check refuses it
            return value

    def deconstruct(self):
        # The column is a plain DecimalField; the range is the settings', so no migration
        # follows a change of district.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs
