"""Site-wide request and response guards that no single view should have to repeat."""

import re

from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.urls import Resolver404
from django.views.defaults import page_not_found

# NUL and the other C0 controls (and DEL) have no business in a URL; in a form or query
# value only tab and line breaks do. PostgreSQL refuses NUL outright, so letting one
# through would turn a stray byte into a server error deep inside some query.
PATH_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
VALUE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class ControlCharactersInRequest(SuspiciousOperation):
    """A URL, query or form field carried a control character: answered with 400."""


class RejectControlCharactersMiddleware:
    """Answer 400 Bad Request when the path, query or form fields hold control characters."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if PATH_CONTROL.search(request.path_info):
            raise ControlCharactersInRequest("Control character in the request path.")
        if _has_control(request.GET):
            raise ControlCharactersInRequest("Control character in the query string.")
        is_form = request.method == "POST" and request.content_type in FORM_CONTENT_TYPES
        if is_form and _has_control(request.POST):
            raise ControlCharactersInRequest("Control character in a form field.")
        return self.get_response(request)


def _has_control(query) -> bool:
    return any(
        PATH_CONTROL.search(key) or any(VALUE_CONTROL.search(value) for value in values)
        for key, values in query.lists()
    )


class NoStoreAttachmentsMiddleware:
    """Send every downloaded file (exports, share links, ledgers) with no-store.

    Report files hold figures a shared computer's or a proxy's cache must not keep;
    a download is recognised by its attachment disposition, so a new export view is
    covered without remembering to set the header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Disposition", "").startswith("attachment"):
            response["Cache-Control"] = "private, no-store"
        return response


class PlainNotFoundInDevelopmentMiddleware:
    """With DEBUG on, answer 404 with the site's own page (Chinese, the reason in words).

    Django's technical 404 lists the URL patterns in English, which is not what anyone trying
    the tracker with ``make run`` should meet; production already shows ``404.html``. Only
    installed when DEBUG is on (settings), and never hides a 500's traceback.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and getattr(request, "resolver_match", None) is None:
            # No view matched: the technical page came from the URL resolver.
            return page_not_found(request, Resolver404())
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
