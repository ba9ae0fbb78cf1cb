"""What the tests of built statements share (``selectors.compiled``, ``selectors.placed``):
an empty cache of statements around each test, a project with its first quarter, a
count of the statements the ORM builds, and the statements read less the plans' settings."""

from decimal import Decimal

import pytest
from django.db.models.sql.compiler import SQLCompiler, SQLUpdateCompiler

from projects.selectors import compiled
from tests.factories import MonthlyProgressFactory, ProjectFactory

# The statements that set how PostgreSQL plans (``query_plans.planned_once``): settings of the
# connection, not reads.
PLANNING = ("SET plan_cache_mode", "RESET plan_cache_mode")


def reads(captured: list[dict]) -> list[dict]:
    """The captured statements less those that set how PostgreSQL plans."""
    return [query for query in captured if not query["sql"].startswith(PLANNING)]


@pytest.fixture
def no_statements_kept():
    """Every statement built by the test itself, none left for the next."""
    compiled.forget()
    yield
    compiled.forget()


def quarter_project(programme, code, planned_start, investment):
    """A project with the same investment in each month of the first quarter."""
    project = ProjectFactory(programme=programme, code=code, planned_start=planned_start)
    for month in (1, 2, 3):
        MonthlyProgressFactory(project=project, month=month, investment=Decimal(investment))
    return project


def statements_built(monkeypatch) -> list[str]:
    """The model of each read the ORM compiles from now on (``SQLCompiler.as_sql``), in a
    list that grows as the test goes on; a subquery of an update is the update's own."""
    built: list[str] = []
    writing: list = []
    read, update = SQLCompiler.as_sql, SQLUpdateCompiler.as_sql

    def counting(self, *args, **kwargs):
        if not writing:
            built.append(self.query.model.__name__)
        return read(self, *args, **kwargs)

    def updating(self, *args, **kwargs):
        writing.append(self)
        try:
            return update(self, *args, **kwargs)
        finally:
            writing.pop()

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    monkeypatch.setattr(SQLUpdateCompiler, "as_sql", updating)
    return built
