"""The public site's fixed pages as the layout and the home page link to them."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_noop
from wagtail.models import Page

from .page_cache.memo import memo
from .public_pages import PUBLIC_PAGES

# The default titles of the fixed pages (website.public_pages), written out so that makemessages
# finds them and English translations exist; a title an editor has changed shows as written.
DEFAULT_TITLES = [
    gettext_noop("社会组织名录"), gettext_noop("承接政府转移职能"), gettext_noop("培育孵化"),
    gettext_noop("社区基金"), gettext_noop("统计数据"), gettext_noop("开放数据"),
]


def public_pages(request):
    """The live fixed pages in navigation order, as [(page class, page, url)]; one query while
    the site is unchanged (website.page_cache.memo), then kept on the request."""
    cached = getattr(request, "_public_pages", None)
    if cached is None:
        # The same for every request to this host until a page is published or moved.
        cached = memo("public_pages", lambda: _find_public_pages(request), key=(request.get_host(),))
        request._public_pages = cached
    return cached


def _find_public_pages(request):
    classes = [cls for cls, _slug, _title in PUBLIC_PAGES]
    content_types = ContentType.objects.get_for_models(*classes, for_concrete_models=False)
    by_type = {content_types[cls].pk: cls for cls in classes}
    found = {}
    for page in Page.objects.live().filter(content_type__in=list(by_type)).order_by("path"):
        found.setdefault(by_type[page.content_type_id], page)
    return [(cls, found[cls], found[cls].get_url(request)) for cls in classes if cls in found]


def public_page_url(request, page_class):
    """The URL of the fixed page of `page_class`, or None when it is not live."""
    for cls, _page, url in public_pages(request):
        if cls is page_class:
            return url
    return None
