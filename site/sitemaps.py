"""sitemap.xml: a sitemap index over paged sitemaps, fit for a million organizations.

`sitemap-pages-1.xml` lists the site's public pages with the records they add (the funds
network's foundations and funds, the incubation centers); `sitemap-organizations-N.xml` lists the organizations whose ids fall in
the N-th block of ORGANIZATIONS_PER_SITEMAP, so each file is one index range scan however deep.
Every address is listed once per language, each entry naming its other-language versions
(`xhtml:link rel="alternate" hreflang`), with the host the site is served at.
"""

from urllib.parse import quote, urlsplit
from xml.sax.saxutils import quoteattr

from django.conf import settings
from django.db.models import Max
from django.http import Http404, HttpResponse
from wagtail.models import Page

from website.language import hreflang, path_in
from website.page_cache.tags import ALL_CONTENT, REGISTER, SITE, depends_on

ORGANIZATIONS_PER_SITEMAP = 5000  # ≤ 10,000 <url> entries a file with two languages (limit 50,000)

_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
         '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
         'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n')


def _xml(response_text):
    return HttpResponse(response_text, content_type="application/xml; charset=utf-8")


def _organization_blocks():
    highest = _organizations().aggregate(highest=Max("pk"))["highest"] or 0
    return -(-highest // ORGANIZATIONS_PER_SITEMAP)


def _organizations():
    from registry.models import Organization

    return Organization.objects.all()


def index(request):
    depends_on(request, SITE, REGISTER)
    base = request.build_absolute_uri("/").rstrip("/")
    names = ["pages-1", *(f"organizations-{n}" for n in range(1, _organization_blocks() + 1))]
    body = "".join(f"  <sitemap><loc>{base}/sitemap-{name}.xml</loc></sitemap>\n" for name in names)
    return _xml('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                f"{body}</sitemapindex>\n")


def _entries(request, paths):
    """<url> entries for each (path in the default language, last modified date or None)."""
    base = request.build_absolute_uri("/").rstrip("/")
    parts = []
    for path, lastmod in paths:
        addresses = [(code, base + path_in(path, code)) for code, _name in settings.LANGUAGES]
        links = "".join(
            f'    <xhtml:link rel="alternate" hreflang="{hreflang(code)}" '
            f"href={quoteattr(url)}/>\n" for code, url in addresses)
        links += (f'    <xhtml:link rel="alternate" hreflang="x-default" '
                  f"href={quoteattr(addresses[0][1])}/>\n")
        modified = f"    <lastmod>{lastmod:%Y-%m-%d}</lastmod>\n" if lastmod else ""
        for _code, url in addresses:
            loc = url.replace("&", "&amp;").replace("<", "&lt;")
            parts.append(f"  <url>\n    <loc>{loc}</loc>\n{modified}{links}  </url>\n")
    return _xml(_HEAD + "".join(parts) + "</urlset>\n")


def _page_paths(request):
    """Each public page's own sitemap entries (a routable page adds its records' addresses, as
    the funds network, the incubation centers and the services coverage do)."""
    pages = Page.objects.live().public().filter(depth__gt=1).specific().order_by("path")
    found = []
    for page in pages:
        for entry in page.get_sitemap_urls(request):
            path = urlsplit(entry["location"] or "").path
            if path:
                found.append((path, entry.get("lastmod")))
    return found


def _organization_paths(request, block):
    from registry.urls_public import directory_url

    start = (block - 1) * ORGANIZATIONS_PER_SITEMAP
    rows = (_organizations().filter(pk__gt=start, pk__lte=start + ORGANIZATIONS_PER_SITEMAP)
            .order_by("pk").values_list("credit_code", "filing_number", "updated_at"))
    directory = directory_url(request=request)
    return [(f"{directory}{quote(code or filing, safe='')}/", updated)
            for code, filing, updated in rows if code or filing]


def section(request, section, page):
    if section == "pages" and page == 1:
        depends_on(request, SITE, *ALL_CONTENT)
        return _entries(request, _page_paths(request))
    if section == "organizations" and 1 <= page <= _organization_blocks():
        depends_on(request, SITE, REGISTER)
        return _entries(request, _organization_paths(request, page))
    raise Http404
