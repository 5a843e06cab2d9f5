from wagtail import hooks
from wagtail.documents.views.chooser import viewset as document_chooser
from wagtail.images.views.chooser import viewset as image_chooser

from website import page_cache
from website.page_cache import tags
from website.page_cache.memo import memo

# The shared admin pieces each register their hooks in their own module.
from website.admin_hooks import bulk_delete, importing, roles, summaries  # noqa: F401
from website.admin_ids import chosen_ids_only

# Before the admin URLs are built from them (hook modules are all imported first).
chosen_ids_only(image_chooser)
chosen_ids_only(document_chooser)


@hooks.register("before_serve_page")
def declare_page_cache_tags(page, request, serve_args, serve_kwargs):
    """Every public page shows the site (titles, navigation) and what its type declares in
    `page_cache_tags` (all the published content when it does not say). A page behind a view
    restriction is never stored: it is not public."""
    if getattr(request, "page_cache", None) is None:
        return
    if memo("view_restricted", page.get_view_restrictions().exists, key=(page.pk,)):
        return
    page_cache.depends_on(request, tags.SITE, *getattr(page, "page_cache_tags", tags.ALL_CONTENT))
