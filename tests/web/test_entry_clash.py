"""Two people entering the same new month at once: the second is told to reload, never a 500.

Both read the month before either writes, so neither sees a row to lock; the second
insert meets the unique constraint. Here the colleague's row is stored before the
post and hidden from the grid's read, which is what the second save sees in the race
(tests/services/test_save_and_lock_race.py runs the real race on PostgreSQL).
"""

from decimal import Decimal

import pytest

from projects.models import MonthlyProgress
from projects.services import batch
from projects.web import entry as entry_view
from tests.factories import MonthlyProgressFactory
from tests.web.grid import URL, form_data

pytestmark = pytest.mark.django_db

CLASH = "在您填写期间，其他人已录入了这一条。"


def _colleagues_march(projects):
    return MonthlyProgressFactory(project=projects[0][0], month=3, investment=Decimal("77"))


def _figures(**typed):
    return {"e-0-investment": "120", "e-0-inclusion": "90", **typed}


def _assert_refused_and_nothing_written(response):
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset[0].non_field_errors()[0].startswith(CLASH)
    assert not formset[1].non_field_errors()
    # Nothing of the save is written: the colleague's figure stands, A2 stays empty.
    march = MonthlyProgress.objects.filter(year=2024, month=3)
    assert list(march.values_list("project__code", "investment")) == [("A1", Decimal("77.00"))]


def test_a_row_a_colleague_entered_after_the_page_opened_asks_to_reload(logged_in, projects):
    data = form_data(logged_in, **_figures(**{"e-1-investment": "50", "e-1-inclusion": "40"}))
    _colleagues_march(projects)

    _assert_refused_and_nothing_written(logged_in.post(URL, data))


def test_a_row_a_colleague_commits_while_the_save_runs_asks_to_reload_not_a_500(
    logged_in, projects, monkeypatch
):
    """The colleague commits after this save read the month and before it inserts."""
    data = form_data(logged_in, **_figures(**{"e-1-investment": "50", "e-1-inclusion": "40"}))
    grid = entry_view.entry_grid

    def grid_then_colleague(**kwargs):
        rows = grid(**kwargs)
        _colleagues_march(projects)
        return rows

    load = batch._load_batch_state

    def read_before_the_colleague_committed(actor, entries, lock_reason):
        state = load(actor, entries, lock_reason)
        state.stored.pop((projects[0][0].pk, 2024, 3))
        return state

    monkeypatch.setattr(entry_view, "entry_grid", grid_then_colleague)
    monkeypatch.setattr(batch, "_load_batch_state", read_before_the_colleague_committed)

    _assert_refused_and_nothing_written(logged_in.post(URL, data))


def test_an_admin_add_of_a_row_a_colleague_just_entered_is_the_same_clash(projects, staff_a):
    from projects.services.checks import save_first_or_stale

    MonthlyProgressFactory(project=projects[0][0], month=3, investment=Decimal("77"))
    second = MonthlyProgress(
        project=projects[0][0], year=2024, month=3, investment=Decimal("5"), inclusion=0
    )

    with pytest.raises(batch.ValidationError) as refusal:
        save_first_or_stale(second)

    assert refusal.value.messages[0].startswith(CLASH)
    assert MonthlyProgress.objects.get(month=3).investment == Decimal("77.00")
