"""One version per tag, kept in the `pages` cache: a token made of the time it was set and a few
random characters. A write sets new tokens; a stored response keeps the tokens it was made
under and is served only while they all still hold. A tag whose token is missing (never set, or
evicted) gets a new one, so an eviction can only make copies stale, never revive one.
"""

import logging
import secrets
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

from .tags import EVERYTHING

logger = logging.getLogger(__name__)


def store():
    return caches[settings.PAGE_CACHE_ALIAS]


def _key(tag):
    return f"v:{tag}"


def new_token():
    return f"{time.time_ns():x}.{secrets.token_hex(3)}"


def token_time(token):
    """The Unix time a token was set."""
    try:
        return int(token.split(".", 1)[0], 16) / 1e9
    except (AttributeError, ValueError):
        return 0.0


def current(tags):
    """{tag: token} for `tags`, setting a token for any tag that has none."""
    keys = {_key(tag): tag for tag in tags}
    found = store().get_many(list(keys))
    missing = {key: new_token() for key in keys if key not in found}
    if missing:
        store().set_many(missing, timeout=None)
        found.update(missing)
    return {tag: found[key] for key, tag in keys.items()}


def _set_new(tags):
    try:
        store().set_many({_key(tag): new_token() for tag in tags}, timeout=None)
    except Exception:  # a cache outage must not fail the write; copies expire on their own
        logger.exception("page cache: could not bump %s", sorted(tags))


def bump(*tags):
    """Give `tags` new versions: now, so readers stop using copies at once, and again when the
    transaction commits, so a copy made from the data as it was before the commit (read while
    the first bump was already visible) does not outlive it."""
    tags = {tag for tag in tags if tag}
    if not tags:  # bumped with the page cache off too: the memo (memo.py) reads them
        return
    _set_new(tags)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _set_new(tags))


def bump_everything():
    """After a bulk write (an import, a demo load, a migration): every stored response is stale."""
    bump(EVERYTHING)
