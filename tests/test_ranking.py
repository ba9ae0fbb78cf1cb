"""Rankings by completion rate: zero or token plans listed apart, equal rates share a rank."""

from dataclasses import dataclass
from decimal import Decimal

from projects.ranking import ZERO_PLAN_NOTE, rank
from projects.selectors import Figures


@dataclass
class Group:
    key: str
    name: str
    investment: Figures


def group(key, planned, actual):
    zero = Decimal(0)
    figures = Figures(Decimal(planned), Decimal(actual), zero, zero, zero)
    return Group(key, key, figures)


def test_a_group_planning_nothing_is_listed_apart_not_first():
    ranking = rank([group("A", "100", "90"), group("B", "0", "50")])
    assert [p.row.key for p in ranking.ranked] == ["A"]
    assert [(p.row.key, p.note) for p in ranking.apart] == [("B", ZERO_PLAN_NOTE)]


def test_a_group_below_the_floor_is_listed_apart_with_the_reason():
    ranking = rank([group("A", "100", "90"), group("B", "5", "100")], floor=Decimal("50"))
    assert [p.row.key for p in ranking.ranked] == ["A"]
    assert ranking.apart[0].note == "计划低于50万元，未参与排名"
    assert ranking.apart[0].rate == Decimal("2000.0")


def test_equal_shown_rates_share_a_rank_and_the_next_rank_skips():
    ranking = rank(
        [
            group("A", "100", "80"),
            group("B", "300", "240"),
            group("C", "100", "90"),
            group("D", "100", "10"),
        ]
    )
    assert [(p.row.key, p.rank) for p in ranking.ranked] == [
        ("C", 1),
        ("A", 2),
        ("B", 2),
        ("D", 4),
    ]
    assert ranking.tied_ranks() == {2}
