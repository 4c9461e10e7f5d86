from django.conf import settings
from django.shortcuts import render
from django.utils import translation


class LanguageMiddleware:
    """Activate the language the user chose with the switch, else Vietnamese.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language:
    the product is Vietnamese first, and English is an explicit choice.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.codes = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.codes else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class RequestSizeMiddleware:
    """Refuse a request whose body is larger than ``MAX_REQUEST_BYTES`` from its declared
    length, before anything reads it, with a page that says how large a file may be.

    Django limits form fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but streams uploaded
    files of any size to disk before a form can refuse them; the reverse proxy in front
    should refuse the same size (see the README).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            return render(
                request,
                "413.html",
                {"limit": settings.MAX_REQUEST_BYTES, "size": length},
                status=413,
            )
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Send ``Permissions-Policy`` from ``settings.PERMISSIONS_POLICY``, a mapping of each
    browser feature to the origins allowed to use it (an empty list turns it off)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
