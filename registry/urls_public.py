"""Public URLs of register records, for pages, downloads and the API alike."""

import time
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.http import Http404
from django.utils import translation
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move
from wagtail.views import serve

from website.language import path_in

from .models import DirectoryPage

# The agreed address, used while no directory page is published (a fresh database, some tests).
DEFAULT_DIRECTORY_URL = "/organizations/"
# A list of a hundred organizations must not look the directory page up a hundred times.
_CACHE_SECONDS = 60
_cache = {"url": None, "expires": 0.0}


def directory_url(*, request=None):
    """The directory page's URL in the active language (English pages live under /en/), looked
    up at most once a minute (and once per request)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    cached = getattr(request, "_registry_directory_url", None)
    if cached and cached[0] == language:
        return cached[1]
    now = time.monotonic()
    if _cache["url"] is None or now >= _cache["expires"]:
        page = DirectoryPage.objects.live().first()
        with translation.override(settings.LANGUAGE_CODE):
            url = (page.get_url(request=request) if page else None) or DEFAULT_DIRECTORY_URL
        _cache.update(url=url, expires=now + _CACHE_SECONDS)
    url = path_in(_cache["url"], language) if _cache["url"].startswith("/") else _cache["url"]
    if request is not None:
        request._registry_directory_url = (language, url)
    return url


def organization_url(organization, *, request=None):
    """An organization's stable public URL: /organizations/<credit code, else filing number>/."""
    identifier = organization.public_identifier
    if not identifier:
        return None
    return f"{directory_url(request=request)}{quote(identifier, safe='')}/"


# Wagtail serves only paths made of [\w-] segments, so an identifier typed with spaces (U+3000
# included) or a bracket never reaches the directory page. This pattern takes such a last segment
# (website.urls puts it before Wagtail's) and `identifier_page` hands it to the directory page,
# which normalizes it and redirects to the canonical address.
ODD_IDENTIFIER_PATH = r"^(?P<directory>(?:[\w\-]+/)+)(?P<identifier>[^/]*[^\w/\-][^/]*)/$"


def identifier_page(request, directory, identifier):
    """The directory page's route for an identifier Wagtail's URL pattern does not take; any
    other path of that shape is a 404, as before."""
    # A NUL stays out of Wagtail's routing: a page there would look it up as a slug, which
    # PostgreSQL refuses.
    here = path_in(urlsplit(directory_url(request=request)).path, settings.LANGUAGE_CODE)
    if "\x00" in identifier or f"/{directory}" != here:
        raise Http404
    return serve(request, f"{directory}{identifier}/")


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
@receiver(post_page_move)
@receiver(post_delete, sender=DirectoryPage)
def _forget_directory_url(sender, **kwargs):
    _cache.update(url=None, expires=0.0)
