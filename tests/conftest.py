import io

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from website.public_pages import ensure_public_pages


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with no stored public page: the database is rolled back between tests,
    the page cache (a local cache in the test process) is not."""
    caches["pages"].clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request to an /en/ address leaves English active in the test's thread, and every later
    reverse() would give an /en/ address: each test starts and ends in the default language."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def django_assert_max_num_queries(django_assert_max_num_queries, settings):
    """A query count is the count of rendering the page: not of reading a stored copy."""
    settings.PAGE_CACHE_ENABLED = False
    return django_assert_max_num_queries


@pytest.fixture
def django_assert_num_queries(django_assert_num_queries, settings):
    settings.PAGE_CACHE_ENABLED = False
    return django_assert_num_queries


@pytest.fixture(scope="module")
def public_pages(django_db_setup, django_db_blocker):
    """The public pages (home, directory, statistics…), built once for a module and rolled back
    after it, for modules whose tests each build their own few records. Not for modules with
    transactional tests: nothing inside this block is committed."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            ensure_public_pages()
            yield
            transaction.set_rollback(True)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The Jiashan demo and the public pages, loaded once for a module (the slowest set-up of
    the suite) and rolled back after it. Once a test of the module has asked for it, the later
    tests of that module see it too: they narrow their queries to their own records."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            call_command("load_demo", stdout=io.StringIO())
            ensure_public_pages()
            yield
            transaction.set_rollback(True)
