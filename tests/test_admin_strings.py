"""The admin speaks Chinese to Chinese staff: every string of Wagtail's admin has a Chinese
translation (Wagtail's own catalogue, completed by site/admin_locale), the pages a registrar walks
through show no English, and no page sends anyone's e-mail hash to gravatar.com."""

import ast
import re
from pathlib import Path

import pytest
import wagtail
from django.apps import apps
from django.urls import reverse
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation
from wagtail.test.utils import WagtailTestUtils

from funds.factories import MoneyMovementFactory
from incubator.factories import IncubationFactory
from registry.factories import (
    AnnualInspectionFactory, CreditListEntryFactory, EvaluationGradeFactory, TownFactory,
    TransferredServiceFactory, registered_organization,
)
from registry.models import Organization, ServiceField
from tests.test_admin import ALL_MODELS, admin_url
from tests.test_chinese_punctuation import faults
from website import roles
from website.models import StaffScope

pytestmark = pytest.mark.django_db

WAGTAIL = Path(wagtail.__file__).parent
# Wagtail strings whose Chinese is the same text.
SAME_IN_CHINESE = {"Wagtail API v3", "%(related_model_name)s %(field_label)s"}


def catalogue_entries(path):
    """(msgctxt, msgid, msgid_plural) of each entry of a .po file (obsolete ones left out)."""
    entries, current, key = [], {}, None

    def finish():
        if current.get("msgid"):
            entries.append((current.get("msgctxt"), current["msgid"], current.get("msgid_plural")))
        current.clear()

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$", line)
        if match:
            key = match.group(1)
            if key in ("msgctxt", "msgid") and current.get("translated"):
                finish()  # an entry with no blank line before it
            if key.startswith("msgstr"):
                current["translated"], key = True, None
            else:
                current[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
        elif not line.strip():
            finish()
            key = None
    return entries


def wagtail_catalogues(domain):
    """Wagtail's English .po files of the installed Wagtail apps, for one domain."""
    for app in apps.get_app_configs():
        if app.name == "wagtail" or app.name.startswith("wagtail."):
            path = Path(app.path) / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
            if path.exists():
                yield path


def untranslated(catalogue, paths):
    missing = []
    for path in paths:
        for context, msgid, plural in catalogue_entries(path):
            key = f"{context}\x04{msgid}" if context else msgid
            if plural:
                key = (key, 0)
            if key not in catalogue and msgid not in SAME_IN_CHINESE:
                missing.append(f"{path.relative_to(WAGTAIL.parent)}: {msgid!r}")
    return missing


def test_every_wagtail_admin_string_has_chinese():
    paths = list(wagtail_catalogues("django"))
    assert len(paths) > 5
    catalogue = translation.trans_real.translation("zh-hans")._catalog
    missing = untranslated(catalogue, paths)
    assert not missing, "Add Chinese to site/admin_locale/zh_Hans/LC_MESSAGES/django.po:\n" + \
        "\n".join(missing)


def test_every_wagtail_admin_script_string_has_chinese():
    paths = list(wagtail_catalogues("djangojs"))
    assert paths
    catalogue = DjangoTranslation(
        "zh-hans", domain="djangojs", localedirs=[path.parents[2] for path in paths])._catalog
    missing = untranslated(catalogue, paths)
    assert not missing, "Add Chinese to site/admin_locale/zh_Hans/LC_MESSAGES/djangojs.po:\n" + \
        "\n".join(missing)


def test_wagtail_admin_chinese_uses_full_width_punctuation():
    """Wagtail's own Chinese writes "否, 不移动" and "字符数:"; the supplement corrects those."""
    catalogues = {
        "django": translation.trans_real.translation("zh-hans")._catalog,
        "djangojs": DjangoTranslation("zh-hans", domain="djangojs", localedirs=[
            path.parents[2] for path in wagtail_catalogues("djangojs")])._catalog,
    }
    wrong = []
    for domain, catalogue in catalogues.items():
        for path in wagtail_catalogues(domain):
            for context, msgid, plural in catalogue_entries(path):
                key = f"{context}\x04{msgid}" if context else msgid
                text = catalogue.get((key, 0) if plural else key)
                if text:
                    wrong += [f"{msgid!r} \u2192 {text!r}: {fault}" for fault in faults(text)]
    assert not wrong, "\n".join(wrong)


# Words that may stand in a Chinese page: names of formats, products and codes, and the English
# language's own name in the language menu.
ALLOWED_WORDS = {"Wagtail", "CSV", "XLSX", "Excel", "SHA", "PDF", "JavaScript", "API", "URL",
                 "English"}
ENGLISH = re.compile(r"[A-Za-z]{3,}")


def english_on(html, allowed=ALLOWED_WORDS):
    """Visible text and labelling attributes of a page that hold English words."""
    soup = WagtailTestUtils.get_soup(html)
    for element in soup(["script", "style", "template", "noscript"]):
        element.decompose()
    for element in soup.find_all(attrs={"hidden": True}):
        element.decompose()
    for select in soup.find_all("select"):
        if len(select.find_all("option")) > 100:  # the time zones: identifiers, not words
            select.decompose()
    texts = list(soup.stripped_strings)
    for attribute in ("title", "placeholder", "aria-label", "alt"):
        texts += [element[attribute] for element in soup.find_all(attrs={attribute: True})]
    return sorted({text for text in texts if set(ENGLISH.findall(text)) - allowed})


@pytest.fixture
def registrar_client(client, django_user_model):
    user = django_user_model.objects.create_user(
        "registrar", password="pw", first_name="七", last_name="钱", email="qian@example.org")
    user.groups.add(roles.ensure_role_groups()[roles.COUNTY_STAFF])
    client.force_login(user)
    return client


@pytest.fixture
def records(django_user_model):
    town = TownFactory(name="西塘镇")
    registered_organization(name="西塘镇书画协会", town=town)
    StaffScope.objects.create(
        user=django_user_model.objects.create_user("xitang", first_name="三", last_name="张"),
        town=town)
    for factory in (AnnualInspectionFactory, EvaluationGradeFactory, CreditListEntryFactory,
                    TransferredServiceFactory, IncubationFactory, MoneyMovementFactory):
        factory()


def walked_pages():
    urls = [reverse("wagtailadmin_home"), "/admin/account/", "/admin/reports/site-history/"]
    for model in ALL_MODELS:
        urls += [admin_url(model, "index"), admin_url(model, "add")]
        obj = model._default_manager.first()
        if obj is not None:
            urls += [admin_url(model, view, obj)
                     for view in ("edit", "inspect", "history", "usage", "delete")]
    return urls


def test_a_registrar_walking_the_admin_reads_chinese_only(registrar_client, records,
                                                       django_user_model):
    org = Organization.objects.first()
    registrar_client.post(admin_url(Organization, "lock", org))
    # Account names and service-field codes are data, not interface: 钱七（registrar）.
    allowed = ALLOWED_WORDS | set(django_user_model.objects.values_list("username", flat=True))
    allowed |= {word for code in ServiceField.objects.values_list("code", flat=True)
                for word in ENGLISH.findall(code)}
    found = {}
    for url in walked_pages():
        response = registrar_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        english = english_on(html, allowed)
        # The browser tab: 正在编辑：西塘镇书画协会, not "正在编辑: …".
        english += faults(WagtailTestUtils.get_soup(html).title.get_text())
        if english:
            found[url] = english
    assert not found, "\n".join(f"{url}: {texts}" for url, texts in found.items())


def test_no_page_asks_gravatar_for_an_avatar(client, django_user_model, records, settings):
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
    client.force_login(django_user_model.objects.create_superuser(
        "chief", password="pw", email="chief@example.org"))
    org = Organization.objects.first()
    client.post(admin_url(Organization, "lock", org))
    urls = [reverse("wagtailadmin_home"), "/admin/account/", "/admin/users/",
            admin_url(Organization, "history", org), admin_url(Organization, "edit", org),
            "/admin/reports/site-history/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "gravatar" not in page.lower(), url
        assert "avatar" in page  # the page does show an avatar: the local default
