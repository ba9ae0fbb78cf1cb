"""The report cache's entries kept by one request, sent to the cache together when its
response is made (``selectors.cache_writes``)."""

from projects.selectors.cache_writes import writes_together


class KeptWritesTogetherMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with writes_together():
            return self.get_response(request)
