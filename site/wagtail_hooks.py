# The shared admin pieces each register their hooks in their own module.
from website.admin_hooks import bulk_delete, importing, roles, summaries  # noqa: F401
