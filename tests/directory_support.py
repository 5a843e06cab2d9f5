"""Helpers shared by the directory tests: a few records built as staff would enter them, and
reading pages the way a person does (the names listed, in order)."""

import datetime
import json
import re
from html import unescape

from django.utils import timezone

from registry.factories import OrganizationFactory, StatusEventFactory, TownFactory
from registry.models import LegalForm, StatusEvent

TODAY = timezone.localdate


def organization(name, *, on=datetime.date(2020, 1, 1), legal_form=LegalForm.SOCIAL_GROUP, **kwargs):
    """An organization registered (or, for a community organization, filed) on `on`."""
    org = OrganizationFactory(name=name, legal_form=legal_form, **kwargs)
    kind = (StatusEvent.Kind.FILED if legal_form == LegalForm.COMMUNITY_ORGANIZATION
            else StatusEvent.Kind.REGISTERED)
    StatusEventFactory(organization=org, kind=kind, date=on)
    return org


def end(org, kind, *, on):
    StatusEventFactory(organization=org, kind=kind, date=on)


def town(code, name):
    return TownFactory(code=code, name=name)


def listed_names(response):
    """The organization names in the directory's result list, in order."""
    html = response.content.decode()
    match = re.search(r'<ol class="record-list".*?</ol>', html, re.S)
    if not match:
        return []
    return [unescape(name) for name in re.findall(r"<h3><a [^>]*>([^<]+)</a></h3>", match.group(0))]


def text_of(response):
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def json_ld_of(response):
    html = response.content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1, "one JSON-LD block expected"
    return json.loads(blocks[0])
