"""The ledger's models, one import away: ``from projects.models import Project``.

The modules group them by what they are for; the app label and migrations are
those of ``projects``.
"""

from .cycle import MonthSubmission, PeriodLock
from .editions import PublishedEdition, period_key
from .exports import ExportJob
from .fields import (
    AMOUNT_VALIDATORS,
    MONTH_VALIDATORS,
    PERCENT_VALIDATORS,
    YEAR_VALIDATORS,
    CodeField,
    LineField,
    NoteField,
    ShortNoteField,
    amount_field,
    amount_in_range,
)
from .flags import WarningFlag
from .funds import FundsInPlace, FundSource
from .indicators import Frequency, Indicator, IndicatorValue
from .ledger import BASELINE_FIELDS, PLAN_AMOUNT_FIELDS, MonthlyProgress, Project, QuarterPlan
from .lights import LightRecord
from .plans import PlanChangeRequest
from .reference import Category, Leader, NamedList, Programme, Street, Unit
from .scoring import ScoringRule
from .settings import DispatchSettings, ListThresholds, ReportSettings
from .sharing import ShareDownload, ShareLink, new_share_token
from .tags import CampaignCount, Tag, TagGroup
from .versions import EVERY_YEAR, DataVersion, EntryVersion

__all__ = [
    "AMOUNT_VALIDATORS",
    "MONTH_VALIDATORS",
    "PERCENT_VALIDATORS",
    "CodeField",
    "LineField",
    "NoteField",
    "ShortNoteField",
    "BASELINE_FIELDS",
    "PLAN_AMOUNT_FIELDS",
    "PlanChangeRequest",
    "YEAR_VALIDATORS",
    "CampaignCount",
    "DataVersion",
    "EntryVersion",
    "EVERY_YEAR",
    "Category",
    "DispatchSettings",
    "ListThresholds",
    "ExportJob",
    "Frequency",
    "FundSource",
    "FundsInPlace",
    "Indicator",
    "IndicatorValue",
    "Leader",
    "LightRecord",
    "MonthSubmission",
    "MonthlyProgress",
    "NamedList",
    "PeriodLock",
    "PublishedEdition",
    "period_key",
    "Programme",
    "Project",
    "QuarterPlan",
    "ReportSettings",
    "ScoringRule",
    "ShareDownload",
    "ShareLink",
    "Street",
    "Tag",
    "TagGroup",
    "Unit",
    "WarningFlag",
    "amount_field",
    "amount_in_range",
    "new_share_token",
]
