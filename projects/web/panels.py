"""What the nested apps show on the ledger's pages, gathered by the page's view.

The ledger knows no nested app (problems, nodes, photos). Each app registers, when Django
starts (its ``AppConfig.ready``), one function per page it adds to: the function reads what its
panel needs through the app's selectors, scoped there by the access policy, and returns the
panel's template context. The ledger's view calls ``gather(page, request, …)`` once, so every
query runs in the view; the template renders each slot's panels with ``{% panels %}``, per row
too, from the data gathered once. Template tags then only format.

Pages and what their views pass:

- ``report``: ``programme``, ``period_end``; slots ``todo`` and ``dispatch``
- ``project``: ``project``; slot ``panels``, and per month of the problems list ``month_problems``
  (with ``entry``)
- ``entry``: ``grid``, ``unit``; slots ``todo``, ``tallies``, ``after_form`` (with
  ``csrf_token`` and ``cumulative``), and per row of the grid ``row_photos`` and
  ``row_problems`` (with ``row`` and ``grid``); these three are drawn by functions, not
  templates (``DRAWN_SLOTS``)
- ``unit`` (the submit page): no arguments; slot ``tallies``
- ``dashboard`` (the leaders' view, ``projects.dashboard``): ``programme``, ``limit`` (how many
  items fit the layout); slot ``photos``
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

PAGES = ("report", "project", "entry", "unit", "dashboard")

# Slots whose page writes its HTML in Python (``web.entry_rows``): a panel fills them with
# a function ``draw(data, **row_args) -> str`` returning safe HTML, not a template name. The
# grid's rows are its pages' bulk, once a row, and each nested template cost more than the
# row's own HTML.
DRAWN_SLOTS = {"entry": frozenset({"row_photos", "row_problems", "after_form"})}


@dataclass(frozen=True)
class _Registration:
    order: int
    name: str
    slots: dict[str, str | Callable[..., str]]
    read: Callable[..., dict]


_REGISTRY: dict[str, list[_Registration]] = defaultdict(list)


def register(page: str, *, name: str, slots: dict[str, str | Callable[..., str]], order: int = 100):
    """Register ``read(request, **page_args) -> dict`` for a page, read once per request.

    ``slots`` maps each place of the page to the template that renders the data there, or,
    in a drawn slot (``DRAWN_SLOTS``), to the function that draws it: a slot such as the
    entry grid's ``row_photos`` is filled once per row, with the row.
    """
    if page not in PAGES:
        raise ValueError(f"unknown page {page!r}; pages are {', '.join(PAGES)}")
    for slot, filler in slots.items():
        drawn = slot in DRAWN_SLOTS.get(page, ())
        if drawn != callable(filler):
            wanted = "a function that draws its HTML" if drawn else "a template name"
            raise ValueError(f"the {page} page's slot {slot!r} takes {wanted}")

    def decorate(read):
        found = [r for r in _REGISTRY[page] if r.name == name]
        if found:
            # Django may run ready() twice in a test process: replace, never add a copy.
            _REGISTRY[page].remove(found[0])
        _REGISTRY[page].append(_Registration(order, name, dict(slots), read))
        _REGISTRY[page].sort(key=lambda r: (r.order, r.name))
        return read

    return decorate


@dataclass(frozen=True)
class Panel:
    name: str
    template: str | Callable[..., str]  # a drawing function in a drawn slot
    data: dict


@dataclass
class Gathered:
    """A page's panels by slot, and every registered function's data by name."""

    slots: dict[str, list[Panel]] = field(default_factory=dict)
    data: dict[str, dict] = field(default_factory=dict)


def gather(page: str, request, **page_args) -> Gathered:
    gathered = Gathered()
    for registration in _REGISTRY[page]:
        data = registration.read(request, **page_args)
        gathered.data[registration.name] = data
        for slot, template in registration.slots.items():
            gathered.slots.setdefault(slot, []).append(Panel(registration.name, template, data))
    return gathered


def draw(gathered: Gathered | None, slot: str, **row_args) -> str:
    """A drawn slot's HTML: each panel's function with its data and the row's arguments."""
    if not gathered:
        return ""
    return "".join(panel.template(panel.data, **row_args) for panel in gathered.slots.get(slot, ()))
