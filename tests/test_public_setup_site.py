"""`manage.py setup_site` names each public page at the address a reader opens."""

import io
import re

import pytest
from django.core.management import call_command

from website.public_pages import PUBLIC_PAGES

pytestmark = pytest.mark.django_db


def test_setup_site_prints_the_addresses_the_pages_are_served_at(client):
    out = io.StringIO()
    call_command("setup_site", stdout=out)
    printed = out.getvalue()

    paths = re.findall(r" (/[^\s\u3001]*)", printed)
    assert len(paths) == len(PUBLIC_PAGES), printed
    for (_cls, slug, title), path in zip(PUBLIC_PAGES, paths):
        assert title in printed
        assert path.rstrip("/").endswith(slug), path
        assert "/home/" not in path, path  # Wagtail's tree path, which nobody can open
        assert client.get(path).status_code == 200, path
