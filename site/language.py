"""Which language a public page is in: its address says so.

Chinese pages stay at the root (`/organizations/`), English pages live under `/en/`
(`/en/organizations/`), so every page has one address per language, search engines and caches
see two distinct pages, and `hreflang` links can name both. The 中文 / English switch sets a
language cookie for a year; a reader who chose English and opens a Chinese address (a link from
elsewhere) is sent on to its English address, which is how the choice is remembered.

The switch is a GET: Django's set_language takes a POST with a CSRF token, so every page carrying
the switch would set a csrftoken cookie. Setting a reader's language is harmless to forge (the
worst a cross-site link can do is show the site in the other language).
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# Addresses that have one language-neutral form (the admin keeps each user's own language).
UNPREFIXED_PATHS = ("/admin/", "/documents/", "/i18n/", "/healthz", "/sitemap", "/robots.txt",
                    "/static/", "/media/", "/favicon.ico")


# BCP 47 as hreflang writes it.
_HREFLANG = {"zh-hans": "zh-Hans"}


def hreflang(language):
    return _HREFLANG.get(language, language)


def has_language_versions(path):
    """Whether `path` is a public address that exists in every language."""
    return not path.startswith(UNPREFIXED_PATHS)


def path_language(path):
    """The language a path is in: the one its prefix names, else the default (Chinese)."""
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


def path_in(path, language):
    """A public path in `language`: the default language at the root, another under its prefix
    (`/organizations/`, "en" → `/en/organizations/`, and back)."""
    current = translation.get_language_from_path(path)
    if current:
        path = path[len(current) + 1:] or "/"
    if language == settings.LANGUAGE_CODE:
        return path
    return f"/{language}{path}"


def address_in(path, language):
    """The same public address in `language`, its query string kept; an address that has one
    form for every language (the admin, healthz) is returned as it is."""
    parts = urlsplit(path)
    if not has_language_versions(parts.path):
        return path
    return urlunsplit(("", "", path_in(parts.path, language), parts.query, ""))


def alternates(request):
    """(language, absolute URL) of this page in each language, for `hreflang` links."""
    if not has_language_versions(request.path_info):
        return []
    path = request.get_full_path()
    return [(hreflang(code), request.build_absolute_uri(address_in(path, code)))
            for code, _name in settings.LANGUAGES]


def context(request):
    """Template context: LANGUAGE_PREFIX ("" or "/en") for addresses written in templates, and
    the page's address in each language for the hreflang links."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "LANGUAGE_PREFIX": "" if language == settings.LANGUAGE_CODE else f"/{language}",
        "language_alternates": alternates(request) if request is not None else [],
    }


def _chosen(request):
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or ""
    try:
        return translation.get_supported_language_variant(chosen) if chosen else None
    except LookupError:
        return None


class PathLanguageMiddleware:
    """Activates the language of the address; sends a reader who chose another language to that
    language's address of the same page. Runs before the page cache, whose key holds the path."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        language = path_language(path)
        chosen = _chosen(request)
        if (chosen and chosen != language and language == settings.LANGUAGE_CODE
                and request.method in ("GET", "HEAD") and has_language_versions(path)):
            target = address_in(request.get_full_path(), chosen)
            if target != request.get_full_path():
                response = HttpResponseRedirect(target)
                patch_vary_headers(response, ("Cookie",))
                return response
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language == settings.LANGUAGE_CODE and has_language_versions(path):
            # The root address answers a reader who chose English with a redirect.
            patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


@never_cache
@require_GET
def switch_language(request):
    """Remember the reader's language for a year and show the page they were on in it."""
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = "/"
    language = request.GET.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseRedirect(back)
    response = HttpResponseRedirect(address_in(back, language))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language,
        max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
