"""Helpers of the English-content tests (tests/test_english_*.py)."""

import re

from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

from website.language import path_in

# Ideographs (CJK Unified Ideographs and Extension A): what English text must not contain.
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")


def english_url(path):
    """The English address of a public path: /organizations/ → /en/organizations/. The one
    place the tests say where the English site lives."""
    return path_in(path, "en")


def chinese_url(path):
    """The Chinese address of a public path (the root's): an address the site wrote while
    English was active carries /en/."""
    return path_in(path, settings.LANGUAGE_CODE)


def get_english(client, path, **params):
    return client.get(english_url(path), params)


def get_chinese(client, path, **params):
    return client.get(chinese_url(path), params)


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def han(text):
    """The Chinese stretches left in `text` (empty when it is all English)."""
    return HAN.findall(str(text))


def in_english(text):
    """`text` (a lazy translation) as the English site shows it."""
    with translation.override("en"):
        return str(text)


def in_chinese(text):
    """`text` as the Chinese site shows it: for a lazy translation, its msgid."""
    with translation.override("zh-hans"):
        return str(text)


def is_translatable(text):
    """Whether `text` is marked for translation: a lazy translation, resolved in the language
    of the page that shows it (a plain string would be Chinese on every page)."""
    return isinstance(text, Promise)
