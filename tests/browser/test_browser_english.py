"""The English site is English: every public page, opened in English in the browser, shows no
Chinese outside the record data (names, addresses, business scope and the other texts staff
type into records and pages), which stays as the register holds it.

The pages are found by following the site's own links from /en/, one or two of each kind, so a
new page type is covered as soon as it is linked.
"""

import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import models

from website.privacy import CLASSIFICATION

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Taxonomies have English names of their own (name_en): they must show in English.
TRANSLATED_MODELS = {"registry.area", "registry.servicefield", "registry.department"}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PAGES_PER_KIND = 2
MOST_PAGES = 120

# The visible text of the page, leaving out what is marked as Chinese on purpose (the 中文
# button of the language switch carries lang="zh-hans").
_VISIBLE_TEXT = """() => {
    const parts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        const element = node.parentElement;
        if (!element || element.closest('[lang^="zh"], script, style, noscript, [hidden]')) continue;
        const text = node.textContent.trim();
        if (text) parts.push(text);
    }
    for (const element of document.querySelectorAll('[title], [aria-label], [alt], [placeholder]')) {
        if (element.closest('[lang^="zh"]')) continue;
        for (const name of ['title', 'aria-label', 'alt', 'placeholder']) {
            const value = element.getAttribute(name);
            if (value) parts.push(value);
        }
    }
    parts.push(document.title);
    return parts;
}"""


def record_texts():
    """Every text staff typed into a public record or page: it is shown as kept, in Chinese."""
    from wagtail.models import Page

    texts = set()
    for label, (public, _private) in CLASSIFICATION.items():
        model = apps.get_model(label)
        fields = [
            field.name for field in model._meta.concrete_fields
            if field.name in public and isinstance(field, (models.CharField, models.TextField))
            and not field.choices
            and not (label in TRANSLATED_MODELS and field.name == "name")
        ]
        if fields:
            for row in model.objects.values_list(*fields):
                texts.update(value for value in row if value)
    for page in Page.objects.live().specific():
        texts.add(page.title)
        for field in page._meta.concrete_fields:
            if field.model is not Page and isinstance(field, (models.TextField, models.CharField)):
                value = getattr(page, field.name)
                if value:
                    texts.update(re.sub(r"<[^>]+>", "\n", str(value)).split("\n"))
    return sorted((text.strip() for text in texts if HAN.search(text or "")), key=len, reverse=True)


def _kind(path):
    """Pages of one kind share an address up to their identifiers and their query's values."""
    parts = urlsplit(path)
    shape = re.sub(r"/[^/]*\d[^/]*/", "/<id>/", parts.path)
    keys = sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair})
    return shape + ("?" + "&".join(keys) if keys else "")


def _is_download(path):
    return path.endswith((".pdf", ".csv", ".xlsx", ".json", ".zip", "/download/")) or "/api/" in path


def _links(page):
    return page.eval_on_selector_all(
        "a[href]", "elements => elements.map(element => element.getAttribute('href'))")


# One viewport is enough to read the words.
DESKTOP = pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}], ids=["desktop"])


@DESKTOP
def test_every_public_page_in_english_shows_chinese_only_in_record_data(page, demo_site, viewport):
    known = record_texts()
    queue, seen, kinds, problems = ["/en/"], set(), Counter(), []
    while queue and len(seen) < MOST_PAGES:
        path = queue.pop(0)
        if path in seen or kinds[_kind(path)] >= PAGES_PER_KIND:
            continue
        seen.add(path)
        kinds[_kind(path)] += 1
        response = page.goto(path)
        if not response or "text/html" not in response.headers.get("content-type", ""):
            continue
        if response.status != 200 or page.locator("html").get_attribute("lang") != "en":
            problems.append(f"{path}: status {response.status}, "
                            f"lang {page.locator('html').get_attribute('lang')}")
            continue
        for text in page.evaluate(_VISIBLE_TEXT):
            for record_text in known:
                if record_text in text:
                    text = text.replace(record_text, " ")
            for chinese in HAN.findall(text):
                problems.append(f"{path}: {chinese!r} in {text[:120]!r}")
        for href in _links(page):
            target = urlsplit(href)
            if target.netloc and target.netloc != urlsplit(demo_site).netloc:
                continue
            address = target.path + (f"?{target.query}" if target.query else "")
            if address.startswith("/en/") and not _is_download(target.path):
                queue.append(address)
    assert len(seen) > 20, f"only {len(seen)} pages were reached from /en/"
    assert not problems, f"{len(problems)} Chinese texts on English pages:\n" + "\n".join(
        sorted(set(problems))[:80])


@DESKTOP
def test_screenshots_of_five_english_pages(page, demo_site, viewport):
    from registry.models import Organization
    from registry.urls_public import organization_url

    organization = Organization.objects.filter(legal_form="social_group").order_by("pk").first()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in [("home", "/en/"), ("directory", "/en/organizations/"),
                       ("organization", "/en" + organization_url(organization)),
                       ("statistics", "/en/statistics/"), ("funds", "/en/funds/")]:
        response = page.goto(path)
        assert response.status == 200 and page.locator("html").get_attribute("lang") == "en"
        page.screenshot(path=str(SCREENSHOTS / f"english-{name}.png"), full_page=False)
