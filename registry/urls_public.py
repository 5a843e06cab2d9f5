"""Public URLs of register records, for pages, downloads and the API alike."""

import time
from urllib.parse import quote

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .models import DirectoryPage

# The agreed address, used while no directory page is published (a fresh database, some tests).
DEFAULT_DIRECTORY_URL = "/organizations/"
# A list of a hundred organizations must not look the directory page up a hundred times.
_CACHE_SECONDS = 60
_cache = {"url": None, "expires": 0.0}


def directory_url(*, request=None):
    """The directory page's URL, looked up at most once a minute (and once per request)."""
    cached = getattr(request, "_registry_directory_url", None)
    if cached:
        return cached
    now = time.monotonic()
    if _cache["url"] is None or now >= _cache["expires"]:
        page = DirectoryPage.objects.live().first()
        url = (page.get_url(request=request) if page else None) or DEFAULT_DIRECTORY_URL
        _cache.update(url=url, expires=now + _CACHE_SECONDS)
    if request is not None:
        request._registry_directory_url = _cache["url"]
    return _cache["url"]


def organization_url(organization, *, request=None):
    """An organization's stable public URL: /organizations/<credit code, else filing number>/."""
    identifier = organization.public_identifier
    if not identifier:
        return None
    return f"{directory_url(request=request)}{quote(identifier, safe='')}/"


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
@receiver(post_page_move)
@receiver(post_delete, sender=DirectoryPage)
def _forget_directory_url(sender, **kwargs):
    _cache.update(url=None, expires=0.0)
