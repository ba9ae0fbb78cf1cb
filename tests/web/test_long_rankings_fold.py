"""A ranking of many groups shows its first and last places on the page; the places between
(and the groups listed apart beyond the first few) are one link away, and in the 通报."""

import pytest

from projects.choices import SubmissionStatus
from projects.models import MonthSubmission
from projects.ranking import rank
from projects.web.tables import RANKING_FOLD, fold_ranking
from tests.reporting import one_project_per_unit

pytestmark = pytest.mark.django_db

UNITS = RANKING_FOLD + 5
HALF = RANKING_FOLD // 2


@pytest.fixture
def many_units():
    # The rate grows with n (100n ÷ (10,000 + n)): the last unit by code ranks first.
    # Plans above the ranking's floor (1,000万元), so every unit is ranked.
    programme, units = one_project_per_unit(
        UNITS, plan=lambda n: 10_000 + n, actual=lambda n: 100 * n, month=3
    )
    for unit in units:
        # Reported: a unit that has not submitted the period's last month is listed apart.
        MonthSubmission.objects.create(
            unit=unit, year=2024, month=3, status=SubmissionStatus.SUBMITTED
        )
    return programme


def places(page: str) -> list[str]:
    start = page.index('id="rankings"')
    section = page[start : page.index("</section>", start)]
    return [f"单位{n:03d}" for n in range(UNITS) if f"单位{n:03d}" in section]


def test_a_long_ranking_shows_its_first_and_last_places_and_how_many_between(
    many_units, manager_client, sections_drawn
):
    response = manager_client.get("/reports/2024/q1/")
    folded = sections_drawn(response)["unit_ranking"]
    assert [p.rank for p in folded.head] == list(range(1, HALF + 1))
    assert [p.rank for p in folded.tail] == list(range(UNITS - HALF + 1, UNITS + 1))
    assert folded.hidden == UNITS - RANKING_FOLD
    page = response.content.decode()
    # First 单位034 … 单位020, last 单位014 … 单位000; 单位019 … 单位015 folded away.
    shown = places(page)
    assert "单位034" in shown and "单位000" in shown
    assert not any(f"单位{n:03d}" in shown for n in range(15, 20))
    # The tail keeps its true ranks: the numbering does not restart after the fold.
    assert f'<li value="{UNITS}">单位000' in page
    assert f"中间另有{UNITS - RANKING_FOLD}个名次未在此显示" in page
    assert "ranking-all=1#rankings" in page


def test_asking_for_every_place_shows_them_all(many_units, manager_client, sections_drawn):
    response = manager_client.get("/reports/2024/q1/?ranking-all=1")
    folded = sections_drawn(response)["unit_ranking"]
    assert len(folded.head) == UNITS and folded.tail == () and folded.show_all is None
    assert len(places(response.content.decode())) == UNITS


def test_a_ranking_of_the_fold_or_fewer_is_drawn_whole(many_units):
    from projects import selectors
    from projects.permissions import WHOLE_DISTRICT

    report = selectors.quarterly_report(
        user=WHOLE_DISTRICT, programme=many_units, year=2024, quarter=1
    )
    short = rank(report.by_unit[:RANKING_FOLD])
    folded = fold_ranking(short, show_all=False, link="?x")
    assert len(folded.head) == RANKING_FOLD and folded.tail == () and folded.hidden == 0
    assert folded.show_all is None


def test_groups_listed_apart_fold_beyond_the_first_few(many_units):
    from projects import selectors
    from projects.permissions import WHOLE_DISTRICT

    report = selectors.quarterly_report(
        user=WHOLE_DISTRICT, programme=many_units, year=2024, quarter=1
    )
    # Every unit "not reported": all listed apart, none ranked.
    codes = [row.key for row in report.by_unit]
    apart = rank(report.by_unit, unreported=codes)
    folded = fold_ranking(apart, show_all=False, link="?all")
    assert folded.head == () and len(folded.apart) == RANKING_FOLD
    assert folded.apart_hidden == UNITS - RANKING_FOLD and folded.show_all == "?all"
    assert len(fold_ranking(apart, show_all=True, link="?all").apart) == UNITS
