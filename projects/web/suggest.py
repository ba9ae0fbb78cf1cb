"""The suggestions a long reference filter's text box offers (``static/js/suggest.js``)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _

from ..selectors.references import reference_filter, suggestions


@login_required
def filter_suggestions(request, key: str):
    """``/filters/unit/suggestions/?q=城阳`` → ``{"results": [{"code": …, "name": …}]}``."""
    found = reference_filter(key)
    if found is None:
        raise Http404(_("There is no list to suggest from for “%(key)s”.") % {"key": key})
    # A name or code is a line; anything longer is not one, and is not worth a query.
    text = request.GET.get("q", "")[:100]
    results = [{"code": s.code, "name": s.name} for s in suggestions(request.user, found, text)]
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})
