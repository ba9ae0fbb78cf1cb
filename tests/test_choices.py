"""Each code's labels, file label, short form and colour class are declared once, together."""

from projects import choices
from projects.choices import Light, StartStatus
from projects.scope_labels import LIGHT_SHORT_LABELS


def test_every_light_has_its_page_file_short_label_and_colour_together():
    assert Light.ALL == ("green", "yellow", "red")
    assert [(c.file_label, c.short, c.css) for c in Light.choices] == [
        ("绿灯（正常）", "绿灯", "light-green"),
        ("黄灯（滞后）", "黄灯", "light-yellow"),
        ("红灯（严重滞后）", "红灯", "light-red"),
    ]


def test_the_derived_label_maps_read_the_one_declaration():
    assert {c.code: c.file_label for c in Light.choices} == choices.LIGHT_FILE_LABELS
    assert LIGHT_SHORT_LABELS == {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}
    assert choices.STATUS_FILE_LABELS[StartStatus.OVERDUE] == "逾期未开工"
    assert dict(StartStatus.CHOICES) == choices.STATUS_LABELS
    assert set(StartStatus.ALL) == set(choices.STATUS_FILE_LABELS)
