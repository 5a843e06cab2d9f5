from wagtail.documents.views.chooser import viewset as document_chooser
from wagtail.images.views.chooser import viewset as image_chooser

# The shared admin pieces each register their hooks in their own module.
from website.admin_hooks import bulk_delete, importing, roles, summaries  # noqa: F401
from website.admin_ids import chosen_ids_only

# Before the admin URLs are built from them (hook modules are all imported first).
chosen_ids_only(image_chooser)
chosen_ids_only(document_chooser)
