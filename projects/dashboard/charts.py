"""Geometry of the leaders' view's light bars: numbers the template draws SVG with."""

from .selectors import LightCount

# Each bar is drawn in a 0–100 wide box; its length is its count against the longest group's.
BOX = 100


def light_bars(groups: tuple[LightCount, ...]) -> list[dict]:
    """Per group, the green, yellow and red segments' x and width, end to end."""
    top = max((g.total for g in groups), default=0)
    bars = []
    for group in groups:
        x, segments = 0.0, []
        for light, count in (("green", group.green), ("yellow", group.yellow), ("red", group.red)):
            width = BOX * count / top if top else 0
            if count:
                segments.append({"light": light, "x": round(x, 2), "w": round(width, 2)})
            x += width
        bars.append({"group": group, "segments": segments})
    return bars
