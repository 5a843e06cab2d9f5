"""The flat message catalogs (website.catalogs) answer every message as Django's own chain does."""

import pytest
from django.utils.translation import trans_real

from website import catalogs


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_flat_catalog_translates_every_message_as_the_chain_does(language):
    chain = trans_real.DjangoTranslation(language)  # a new one, with its fallbacks
    sources = catalogs._sources(chain)
    messages = {key for catalog, _plural in sources for key in catalog if isinstance(key, str)}
    plurals = {key[0] for catalog, _plural in sources for key in catalog if isinstance(key, tuple)}
    assert len(messages) > 300  # ours at least (Django and Wagtail add theirs in Chinese)
    flat = trans_real.DjangoTranslation(language)
    assert catalogs.flatten(flat) and flat._fallback is None
    unknown = ["社会组织名录", "一句没有译文的话"]
    for message in [*messages, *unknown]:
        assert flat.gettext(message) == chain.gettext(message), message
    for message in plurals:
        for n in (0, 1, 2, 5):
            assert flat.ngettext(message, message, n) == chain.ngettext(message, message, n)


def test_the_running_site_uses_the_flat_catalogs():
    assert trans_real.translation("zh-hans")._fallback is None
    assert trans_real.translation("en").gettext("社会组织名录") == "Directory"
