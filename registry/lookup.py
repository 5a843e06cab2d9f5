"""Finding one organization by its public identifier: its credit code or its filing number.

The page, the API, the profile PDF and the admin search all look up through
`organization_by_identifier`, so that an identifier typed in full width, lower case or with
spaces finds the same organization everywhere.
"""

import re
import unicodedata

from django.db.models import Q

from . import credit_code
from .models import Organization

# The longest identifier stored (Organization.filing_number has max_length 40).
MAX_LENGTH = 40
_WHITESPACE = re.compile(r"\s+")


def _filing_number_forms(identifier):
    """The forms a filing number may be stored in: as typed (the admin strips it, see
    Organization.clean_fields) or as the importer keys it (NFKC, no whitespace)."""
    nfkc = unicodedata.normalize("NFKC", identifier)
    forms = {identifier.strip(), nfkc.strip(), _WHITESPACE.sub("", nfkc)}
    return sorted(form for form in forms if form and len(form) <= MAX_LENGTH)


def organization_by_identifier(*, identifier, queryset=None):
    """The organization whose credit code or filing number is `identifier`, or None.

    Width (NFKC), case (credit codes are upper case) and spaces anywhere (U+3000 included) do
    not matter. Empty input, input longer than 40 characters once normalized and input with a
    NUL character (which PostgreSQL refuses in a query) find nothing. `queryset` narrows the
    search or says what to load with it; by default the page's joins and prefetches.
    """
    identifier = identifier or ""
    if "\x00" in identifier:
        return None
    compact = _WHITESPACE.sub("", unicodedata.normalize("NFKC", identifier))
    if not compact or len(compact) > MAX_LENGTH:
        return None
    code = credit_code.normalize(compact)
    match = Q(filing_number__in=_filing_number_forms(identifier))
    if code:
        match |= Q(credit_code=code)
    if queryset is None:
        queryset = Organization.objects.select_related(
            "town", "village", "supervising_unit"
        ).prefetch_related("service_fields", "former_names")
    # Both identifiers are unique, but one organization's filing number could be another's
    # credit code: the credit code wins.
    found = list(queryset.filter(match)[:2])
    return next((org for org in found if code and org.credit_code == code), None) or (
        found[0] if found else None
    )
