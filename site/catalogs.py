"""One flat message catalog per language, built once at start-up.

Django keeps a language's messages as a list of per-app catalogs plus a chain of fallbacks
(Wagtail's apps ship `zh` catalogs besides `zh_Hans`, each added as one more fallback), and
looks a message up in each in turn. Our source strings are Chinese, so on the Chinese site most
lookups find nothing and walk the whole chain: about 30 µs each, a few hundred per page. Merged
into one dict, in the same order (the first catalog that has a message wins, as before), a
lookup is two dict reads.
"""

from django.conf import settings
from django.utils.translation import trans_real

_PLURAL_PROBES = range(0, 201)


def _sources(translation):
    """[(catalog dict, plural function)] in lookup order, or None if the shape is unknown."""
    catalog = translation._catalog
    if not isinstance(catalog, trans_real.TranslationCatalog):
        return None
    sources = list(zip(catalog._catalogs, catalog._plurals))
    fallback = translation._fallback
    while fallback is not None:
        if not isinstance(getattr(fallback, "_catalog", None), dict):
            return None  # not a plain gettext catalog: leave the chain alone
        sources.append((fallback._catalog, fallback.plural))
        fallback = getattr(fallback, "_fallback", None)
    return sources


def flatten(translation):
    """Merge `translation`'s catalogs and fallbacks into one; False if it cannot be done without
    changing an answer (catalogs whose plural rules differ)."""
    sources = _sources(translation)
    if not sources:
        return False
    rule = [sources[0][1](n) for n in _PLURAL_PROBES]
    if any([plural(n) for n in _PLURAL_PROBES] != rule for _catalog, plural in sources):
        return False
    merged = {}
    for catalog, _plural in sources:
        for key, message in catalog.items():
            merged.setdefault(key, message)
    flat = trans_real.TranslationCatalog()
    flat._catalogs, flat._plurals = [merged], [sources[0][1]]
    translation._catalog, translation._fallback = flat, None
    return True


def flatten_all():
    for code, _name in settings.LANGUAGES:
        flatten(trans_real.translation(code))
