"""One look-up by identifier (registry.lookup): a credit code or filing number typed in full
width, lower case or with spaces finds the same organization on the page, through the API, in
the profile PDF and in the admin search; nonsense is a 404, never a 500 (on PostgreSQL too)."""

from urllib.parse import quote

import pytest
from django.core.cache import cache

from registry.factories import TownFactory
from registry.lookup import organization_by_identifier
from registry.models import Area, LegalForm, Organization
from registry.urls_public import organization_url
from tests.directory_support import organization, text_of
from tests.pdf import pdf_text
from tests.test_admin import admin_url, listed
from tests.test_roles import client_for
from website import roles
from website.models import StaffScope
from website.public_pages import ensure_public_pages

pytestmark = pytest.mark.django_db

IDEOGRAPHIC_SPACE = "\u3000"


def full_width(text):
    """ASCII letters, digits and punctuation as their full-width forms (U+FF01..U+FF5E)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def test_full_width_helper_gives_the_full_width_forms():
    assert full_width("5Ab-") == "\uff15\uff21\uff42\uff0d"


def spaced(text, space=" "):
    """The text with a space after every fourth character, as people group long codes."""
    return space.join(text[i:i + 4] for i in range(0, len(text), 4))


def code_forms(code):
    return [
        code.lower(), full_width(code), full_width(code.lower()), f"  {code}  ",
        f"{IDEOGRAPHIC_SPACE}{code}{IDEOGRAPHIC_SPACE}", spaced(code),
        spaced(code, IDEOGRAPHIC_SPACE),
        f"\t{full_width(spaced(code.lower()))}\n",
    ]


def filing_forms(number):
    return [
        full_width(number), f" {number} ", f"{IDEOGRAPHIC_SPACE}{number}{IDEOGRAPHIC_SPACE}",
        spaced(number, IDEOGRAPHIC_SPACE), f"{IDEOGRAPHIC_SPACE}{full_width(spaced(number))} ",
    ]


# Input that must find nothing, and never reach the database as it is: NUL characters, which
# PostgreSQL refuses in a query, and identifiers longer than any stored one.
NEVER = [
    "\x00", "51330421MJ00\x0000001", "A" * 41, full_width("A" * 41), "5" * 18 + "\x00",
    spaced("A" * 41), "",
]


@pytest.fixture(autouse=True)
def _pages_and_fresh_rate_limits(settings):
    ensure_public_pages()
    settings.OPEN_DATA_RATE_LIMIT = "1000/minute"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def town():
    return TownFactory(name="罗星街道", level=Area.Level.SUBDISTRICT)


@pytest.fixture
def registered(town):
    return organization("嘉善县银发互助协会", town=town)


@pytest.fixture
def filed(town):
    return organization("罗星街道睦邻互助队", town=town, legal_form=LegalForm.COMMUNITY_ORGANIZATION)


# --- the function -------------------------------------------------------------------------------

def test_every_form_of_a_credit_code_finds_its_organization(registered):
    assert organization_by_identifier(identifier=registered.credit_code) == registered
    for form in code_forms(registered.credit_code):
        assert organization_by_identifier(identifier=form) == registered, repr(form)


def test_every_form_of_a_filing_number_finds_its_organization(filed):
    assert organization_by_identifier(identifier=filed.filing_number) == filed
    for form in filing_forms(filed.filing_number):
        assert organization_by_identifier(identifier=form) == filed, repr(form)


def test_a_filing_number_kept_as_typed_is_found_as_typed_and_normalized(town):
    # The admin keeps a filing number as typed (only stripped); the importer keys it (NFKC, no
    # spaces). Either is found by the form it was stored in, padded or not.
    typed = "嘉善民备字\uff08\uff12\uff10\uff12\uff11\uff09 第3号"
    org = organization("罗星街道书画兴趣队", town=town, legal_form=LegalForm.COMMUNITY_ORGANIZATION,
                       filing_number=typed)
    assert Organization.objects.get(pk=org.pk).filing_number == typed
    for form in [typed, f"{IDEOGRAPHIC_SPACE}{typed} "]:
        assert organization_by_identifier(identifier=form) == org, repr(form)
    imported = organization("罗星街道舞蹈队", town=town, legal_form=LegalForm.COMMUNITY_ORGANIZATION,
                            filing_number="嘉善民备字(2021)第4号")
    typed_again = "嘉善民备字\uff08\uff12\uff10\uff12\uff11\uff09 第\uff14号"
    assert organization_by_identifier(identifier=typed_again) == imported


def test_a_filing_number_entered_in_the_admin_is_kept_as_the_importer_keys_it(town):
    # Validation (the admin's form, the import) stores NFKC with no spaces, so the half-width
    # form a reader types finds it.
    typed = "嘉善民备字\uff08\uff12\uff10\uff12\uff11\uff09 第\uff15号"
    org = Organization(name="罗星街道合唱队", town=town, filing_number=typed,
                       legal_form=LegalForm.COMMUNITY_ORGANIZATION)
    org.full_clean()
    assert org.filing_number == "嘉善民备字(2021)第5号"  # NFKC, as the importer keys it
    org.save()
    assert organization_by_identifier(identifier="嘉善民备字(2021)第5号") == org


def test_padding_does_not_count_towards_the_length_limit(registered):
    padded = " " * 50 + registered.credit_code + " " * 50
    assert organization_by_identifier(identifier=padded) == registered


BLANK = [None, " ", IDEOGRAPHIC_SPACE]


@pytest.mark.parametrize("identifier", NEVER + BLANK + ["51330421MJ0000000X"])
def test_nonsense_finds_nothing(registered, identifier, django_assert_max_num_queries):
    # What cannot be an identifier is refused before any query.
    with django_assert_max_num_queries(0 if identifier in NEVER + BLANK else 1):
        assert organization_by_identifier(identifier=identifier) is None


def test_a_queryset_narrows_the_look_up(registered, filed):
    others = Organization.objects.exclude(pk=registered.pk)
    assert organization_by_identifier(identifier=registered.credit_code, queryset=others) is None
    assert organization_by_identifier(identifier=filed.filing_number, queryset=others) == filed


# --- the page, the API and the profile PDF ------------------------------------------------------

def page(client, identifier):
    return client.get(f"/organizations/{quote(identifier, safe='')}/", follow=True)


def api(client, identifier):
    return client.get(f"/api/v1/organizations/{quote(identifier, safe='')}")


def profile(client, identifier):
    return client.get(f"/organizations/{quote(identifier, safe='')}/profile.pdf")


def test_the_page_redirects_every_form_to_the_canonical_address(client, registered, filed):
    for org, forms in [(registered, code_forms(registered.credit_code)),
                       (filed, filing_forms(filed.filing_number))]:
        canonical = organization_url(org)
        direct = client.get(canonical)
        assert direct.status_code == 200 and org.name in text_of(direct)
        for form in forms:
            response = page(client, form)
            assert response.status_code == 200, repr(form)
            assert response.redirect_chain == [(canonical, 301)], repr(form)
            assert org.name in text_of(response)


def test_a_filing_number_with_brackets_and_spaces_has_its_page(client, town):
    # Such an identifier is outside Wagtail's own URL pattern (website.urls routes it).
    typed = "嘉善民备字\uff08\uff12\uff10\uff12\uff11\uff09 第3号"
    org = organization("罗星街道书画兴趣队", town=town, legal_form=LegalForm.COMMUNITY_ORGANIZATION,
                       filing_number=typed)
    response = client.get(organization_url(org))
    assert response.status_code == 200 and org.name in text_of(response)
    response = page(client, f"{IDEOGRAPHIC_SPACE}{typed}")
    assert response.redirect_chain == [(organization_url(org), 301)]
    assert client.get("/funds/a b/").status_code == 404  # elsewhere such a path is still a 404


def test_the_api_answers_for_every_form(client, registered, filed):
    for org, forms in [(registered, code_forms(registered.credit_code)),
                       (filed, filing_forms(filed.filing_number))]:
        for form in [org.public_identifier] + forms:
            response = api(client, form)
            assert response.status_code == 200, (repr(form), response.content.decode())
            data = response.json()
            assert data["id"] == org.pk and data["name"] == org.name


def test_the_profile_pdf_answers_for_every_form(client, registered, filed):
    # A PDF takes a moment to render: one of each kind of form.
    cases = [
        (registered, full_width(registered.credit_code.lower())),
        (registered, f"{IDEOGRAPHIC_SPACE}{spaced(registered.credit_code)} "),
        (filed, full_width(filed.filing_number)),
        (filed, f"{IDEOGRAPHIC_SPACE}{filed.filing_number}"),
    ]
    for org, form in cases:
        response = profile(client, form)
        assert response.status_code == 200, repr(form)
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        assert org.name in pdf_text(response.content), repr(form)


@pytest.mark.parametrize("identifier", [i for i in NEVER if i] + ["51330421MJ0000000X", "nothing"])
def test_nonsense_is_a_404_everywhere(client, registered, identifier):
    response = page(client, identifier)
    # The directory's own "not found" page, or for a NUL, which never enters the page routing,
    # the site's.
    expected = "未找到页面" if "\x00" in identifier else "未找到该社会组织"
    assert response.status_code == 404 and expected in text_of(response)
    response = api(client, identifier)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] == "未找到该记录。"
    assert profile(client, identifier).status_code == 404


# --- the admin search ---------------------------------------------------------------------------

@pytest.fixture
def chief_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("chief", password="pw"))
    return client


def test_admin_search_finds_an_organization_by_a_full_width_code(chief_client, registered, filed):
    other = organization("嘉善县书画协会", town=registered.town)
    code = registered.credit_code
    for form in [full_width(code), f"{IDEOGRAPHIC_SPACE}{code.lower()}", spaced(full_width(code))]:
        rows = listed(chief_client, Organization, q=form)
        assert registered.name in rows and other.name not in rows, repr(form)
    rows = listed(chief_client, Organization, q=full_width(filed.filing_number))
    assert filed.name in rows and registered.name not in rows
    # The ordinary substring search still works alongside.
    assert registered.name in listed(chief_client, Organization, q="银发")


def test_admin_search_by_code_keeps_to_the_staff_scope(registered, django_user_model):
    elsewhere = organization("西塘镇古镇保护协会", town=TownFactory(name="西塘镇"))
    user = django_user_model.objects.create_user("luoxing", password="pw")
    user.groups.add(roles.ensure_role_groups()[roles.TOWN_STAFF])
    StaffScope.objects.create(user=user, town=registered.town)
    client = client_for(user)
    assert registered.name in listed(client, Organization, q=full_width(registered.credit_code))
    assert elsewhere.name not in listed(client, Organization, q=full_width(elsewhere.credit_code))


def test_admin_search_survives_nonsense(chief_client, registered):
    for query in ["A" * 300, full_width("A" * 41), "\x00"]:
        response = chief_client.get(admin_url(Organization, "index"), {"q": query})
        assert response.status_code == 200, repr(query)
