"""The page language: the user's choice from the switch, else the site default (zh-hans).

Django's LocaleMiddleware also follows the browser's Accept-Language, so an
English browser got an English interface around Chinese report wording; the
office wants every page in Chinese unless the user picked English.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request) -> str:
    """The language cookie set by the switch when it names a language we offer."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware:
    """Activates the chosen language for the request; never reads Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        # Cached copies must differ by the cookie that picks the language.
        patch_vary_headers(response, ("Cookie",))
        return response
