"""The project page's light strip (亮灯历史): the ledger's own panel (see ``web.panels``)."""

from ..selectors.light_history import light_strip
from .panels import register


@register("project", name="lights", order=5, slots={"panels": "projects/_light_strip.html"})
def project_lights(request, *, project):
    """Month by month; the view fetched the project through the access policy."""
    return {"strip": light_strip(project), "light_year": project.programme.year}
