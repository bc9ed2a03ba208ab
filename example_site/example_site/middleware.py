from django.conf import settings
from django.utils import translation


class ChosenLanguageMiddleware:
    """Swedish unless the visitor picked another language with the footer's buttons.

    Django's LocaleMiddleware would also follow the browser's Accept-Language,
    so an English browser would see English labels around Swedish content; the
    demo of a Swedish municipality opens in Swedish everywhere.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
