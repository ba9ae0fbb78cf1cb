"""The ledger schema: every Project field is declared once, or explicitly internal."""

import pytest

from projects import schema
from projects.imports.columns import LEDGER_COLUMNS, PROJECT_FIELD_COLUMNS
from projects.imports.planning import PROJECT_ATTRS
from projects.models import Project


def _project_fields():
    return {f.name for f in Project._meta.get_fields() if f.concrete and not f.many_to_many}


def test_every_project_field_is_in_the_schema_or_listed_as_internal():
    # A field added to the model without a schema entry would be silently left out of the
    # import, the export, the admin and the project page.
    declared = {f.attr for f in schema.FIELDS if f.attr}
    missing = _project_fields() - declared - schema.INTERNAL_PROJECT_FIELDS
    assert not missing, f"add these Project fields to projects/schema.py: {sorted(missing)}"


def test_every_schema_attribute_is_a_project_field():
    stale = {f.attr for f in schema.FIELDS if f.attr} - _project_fields()
    assert not stale


def test_keys_are_unique_and_file_columns_follow_the_schema():
    keys = [f.key for f in schema.FIELDS]
    assert len(keys) == len(set(keys))
    assert [c.key for c in LEDGER_COLUMNS] == [f.key for f in schema.FIELDS if f.header]


@pytest.mark.parametrize("field", [f for f in schema.FIELDS if f.header and f.attr])
def test_every_project_column_is_written_by_the_import_and_placed_by_its_errors(field):
    # The two maps that, kept by hand, dropped a new column on import.
    assert field.key == "code" or PROJECT_ATTRS[field.key] == field.attr
    assert PROJECT_FIELD_COLUMNS[field.attr] == field.key


def test_every_dimension_is_a_named_list_with_a_breakdown_title():
    for field in schema.DIMENSIONS:
        assert field.is_reference and field.model
        assert field.report_table and field.report_head and field.breakdown_title
    assert "industry" in schema.DIMENSION_KEYS
