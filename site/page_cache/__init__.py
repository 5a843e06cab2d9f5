"""The public page cache: whole public responses (pages, downloads, API answers) kept in the
`pages` cache, each under the versions of the records it shows, and conditional requests.

A view says what its response shows with `depends_on(request, *tags)` (tags.py names them); the
write paths give those tags new versions (invalidation.py, and `bump` in the bulk writers); the
middleware serves a stored response only while every version it was made under still holds.
Nothing is stored for a request that carries a session or credentials, nor any response that sets
a cookie or was not declared by its view.
"""

from . import tags  # noqa: F401
from .tags import depends_on  # noqa: F401
from .versions import bump, bump_everything  # noqa: F401
