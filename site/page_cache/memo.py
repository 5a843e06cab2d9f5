"""Values every request would otherwise compute alike (the navigation, the options of the
directory's filters), kept in this process and reused while the versions of EVERYTHING and SITE
hold: an edit to a page, an area or a service field bumps them (invalidation.py), and the next
request in every app server computes the value again.

The versions are read at most once per request (the page cache middleware starts each request
afresh); outside a request, every call reads them. When the cache cannot be read the value is
computed, as if there were no memo.
"""

import contextvars
import logging

from django.utils import translation

from . import versions
from .tags import EVERYTHING, SITE

logger = logging.getLogger(__name__)

MAX_ENTRIES = 2000  # hostile query strings cannot make the memo grow without bound
_generation = contextvars.ContextVar("page_cache_generation", default=None)
_values = {}


def start_request():
    """Forget the versions read by the previous request of this thread; returns a reset token."""
    return _generation.set(None)


def end_request(token):
    _generation.reset(token)


def generation():
    """The versions of EVERYTHING and SITE, or None when they cannot be read."""
    found = _generation.get()
    if found is None:
        try:
            found = tuple(sorted(versions.current([EVERYTHING, SITE]).items()))
        except Exception:
            logger.exception("page cache: versions unreadable, computing without the memo")
            return None
        _generation.set(found)
    return found


def memo(name, compute, *, key=()):
    """compute(), or the value it gave for (name, key, the active language) under the current
    versions."""
    now = generation()
    if now is None:
        return compute()
    full_key = (name, translation.get_language(), *key)
    found = _values.get(full_key)
    if found is not None and found[0] == now:
        return found[1]
    value = compute()
    if len(_values) >= MAX_ENTRIES:
        _values.clear()
    _values[full_key] = (now, value)
    return value


def clear():
    _values.clear()
