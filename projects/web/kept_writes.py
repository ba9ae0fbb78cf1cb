"""The report cache's entries kept by one request, sent to the cache together when its
response is made, and its reads learned for the next request of the same reader
(``selectors.cache_writes``)."""

import hashlib

from django.conf import settings

from projects.selectors.cache_writes import writes_together


def reader_of(request) -> str | None:
    """What names a request's reads: a GET's address and host with its session cookie (not
    the user, which would cost the session's read on pages that need none). A write reads
    what its data versions name after it, never what the last one read."""
    if request.method not in ("GET", "HEAD"):
        return None
    parts = (
        request.META.get("HTTP_HOST", ""),
        request.get_full_path(),
        request.COOKIES.get(settings.SESSION_COOKIE_NAME, ""),
    )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class KeptWritesTogetherMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with writes_together(reader_of(request)):
            return self.get_response(request)
