"""Serve public responses from the page cache, store the ones their views declared, and answer
conditional requests (If-None-Match, If-Modified-Since) with 304.

It sits after the security and header middleware (they wrap stored and fresh responses alike)
and before sessions and authentication, which a stored response does not need. A request is
served from or stored to the cache only when it is an anonymous GET or HEAD: no session cookie,
no Authorization header, not under an excluded path, and a bounded query string. A response is
stored only when its view declared what it shows (`depends_on`), it is a 200, it sets no cookie
and does not ask to be private. Bodies larger than PAGE_CACHE_MAX_BYTES and streamed downloads
are not kept, but still get validators, so a repeated conditional request costs no rendering.
"""

import hashlib
import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_http_date_safe, quote_etag

from website.language import path_language

from . import memo, versions
from .tags import EVERYTHING

logger = logging.getLogger(__name__)

# Headers that are the request's own (added again outside) or must never be shared.
_NOT_STORED = {"set-cookie", "x-request-id", "x-cache"}
MAX_QUERY_STRING = 2048


class RequestState:
    """The tags a response depends on and their versions as they were when declared."""

    def __init__(self):
        self.versions = {}
        self.rate_limit_scope = None  # the open-data limit the view counted this request in

    def add(self, tags):
        wanted = [tag for tag in (EVERYTHING, *tags) if tag not in self.versions]
        if wanted:
            self.versions.update(versions.current(wanted))

    @property
    def declared(self):
        return bool(self.versions)


def _language(request):
    return path_language(request.path_info)


def eligible(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
        return False
    if getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in request.COOKIES:
        return False  # a message waiting to be shown to this reader
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
        return False
    return not request.path_info.startswith(settings.PAGE_CACHE_EXCLUDED_PATHS)


def cache_key(request):
    """The address as asked (scheme, host, path, query), the reader's language and today's
    date (pages show statuses as of today)."""
    parts = "\n".join((
        request.scheme, request.get_host(), request.path_info,
        request.META.get("QUERY_STRING", ""), _language(request),
        timezone.localdate().isoformat(), settings.PAGE_CACHE_RELEASE,
    ))
    return "e:" + hashlib.sha256(parts.encode("utf-8", "surrogateescape")).hexdigest()


def _etag(key, versions_):
    digest = hashlib.sha256(key.encode())
    for tag in sorted(versions_):
        digest.update(f"\n{tag}={versions_[tag]}".encode())
    return quote_etag(digest.hexdigest()[:32])


def _last_modified(versions_):
    return max(versions.token_time(token) for token in versions_.values())


def _not_modified(request, *, etag, last_modified):
    """True when the request's validators match (If-None-Match wins over If-Modified-Since)."""
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        given = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in given or etag in given
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and int(last_modified) <= since


def _validators(response, *, etag, last_modified):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_PUBLIC_MAX_AGE)
    return response


def _storable(request, response):
    if response.status_code != 200 or response.cookies:
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    user = getattr(request, "user", None)  # anonymous by construction; checked all the same
    return not (user is not None and getattr(user, "is_authenticated", False))


def _known_site(request):
    """The Wagtail site of this host and its root page, found once while the site is unchanged,
    for Wagtail to read from the request (Site.find_for_request keeps it in `_wagtail_site`)."""
    from wagtail.models import Site

    def find():
        site = Site._find_for_request(request)
        if site is not None:
            site.root_page.specific  # noqa: B018  loaded now, kept with the site
        return site

    host, port = request.get_host(), request.get_port()  # get_host refuses a host not allowed
    try:
        request._wagtail_site = memo.memo("wagtail_site", find, key=(host, port))
    except DatabaseError:  # a view that needs no database (robots.txt) must not fail here
        logger.warning("page cache: the Wagtail site could not be read", exc_info=True)


def _admitted(request, scope):
    """Open data served from the cache counts against the client's limit all the same."""
    from website.opendata.ratelimit import hit

    decision = hit(request, scope=scope)
    request.rate_limit_decisions = {scope: decision}
    return decision.allowed


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = memo.start_request()
        try:
            return self._respond(request)
        finally:
            memo.end_request(token)

    def _respond(self, request):
        if not eligible(request):
            return self.get_response(request)
        if not settings.PAGE_CACHE_ENABLED:
            _known_site(request)
            return self.get_response(request)
        key = cache_key(request)  # a host not allowed is refused here, as it would be later
        try:
            entry = versions.store().get(key)
            valid = entry is not None and versions.current(entry["versions"]) == entry["versions"]
        except Exception:  # the cache is an optimization: when it fails, render
            logger.exception("page cache: read failed")
            return self.get_response(request)
        if valid:
            return self._from_entry(request, entry)
        _known_site(request)  # only now: a stored page needs no site
        request.page_cache = RequestState()
        response = self.get_response(request)
        state = request.page_cache
        if not state.declared or not _storable(request, response):
            return response
        etag, last_modified = _etag(key, state.versions), _last_modified(state.versions)
        _validators(response, etag=etag, last_modified=last_modified)
        body = None if response.streaming else response.content
        entry = {"versions": state.versions, "etag": etag, "last_modified": last_modified,
                 "status": response.status_code, "body": None, "headers": None,
                 "rate_limit": state.rate_limit_scope}
        if body is not None and len(body) <= settings.PAGE_CACHE_MAX_BYTES:
            entry["body"] = body
            entry["headers"] = [(name, value) for name, value in response.items()
                                if name.lower() not in _NOT_STORED]
        try:
            versions.store().set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.exception("page cache: write failed")
        response["X-Cache"] = "miss"
        if _not_modified(request, etag=etag, last_modified=last_modified):
            return self._not_modified_response(response.items())
        return response

    def _from_entry(self, request, entry):
        if entry.get("rate_limit") and not _admitted(request, entry["rate_limit"]):
            return self.get_response(request)  # the view answers 429 as it always does
        if _not_modified(request, etag=entry["etag"], last_modified=entry["last_modified"]):
            headers = entry["headers"] or [
                ("ETag", entry["etag"]), ("Last-Modified", http_date(entry["last_modified"]))]
            return self._not_modified_response(headers)
        if entry["body"] is None:  # too large to keep: render it again, with its validators
            request.page_cache = RequestState()
            request.page_cache.versions = dict(entry["versions"])
            response = self.get_response(request)
            if response.status_code == 200:
                _validators(response, etag=entry["etag"], last_modified=entry["last_modified"])
            return response
        response = HttpResponse(entry["body"], status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        response["X-Cache"] = "hit"
        return response

    @staticmethod
    def _not_modified_response(headers):
        """A 304 with the validators and the caching headers of the full response."""
        response = HttpResponseNotModified()
        for name, value in headers:
            if name.lower() in ("etag", "last-modified", "cache-control", "vary",
                                "content-language", "expires"):
                response[name] = value
        return response
