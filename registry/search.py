"""Keyword search over organizations: name, former names, credit code and filing number.

A Chinese keyword is a substring, not a word: `互助` must find 嘉善县银发互助协会. Full-text parsers
take a run of Chinese as one word, so they cannot do this (DESIGN.md, "Facts we measured").

- PostgreSQL: `registry_name_grams(text)` (migration 0004) gives a text's lower-cased character
  unigrams and bigrams; GIN indexes on `registry_name_grams(name)` (organizations and former
  names) find the names holding the keyword's grams. The index is an expression over the name, so
  the database maintains it and bulk loaders do nothing. A keyword of one or two characters is
  one gram, so the index answers exactly; a longer one asks for bigrams that tile it (fewer keys,
  and row estimates the planner can trust) and `icontains` rechecks the rows found, since the
  bigrams of 银发互助 can all occur without being adjacent.
- SQLite (a county's thousands of rows): `icontains` alone.

Credit code (any case or width) and filing number match whole, through their unique indexes.
The condition is one OR over indexed columns of the organization table, so PostgreSQL can either
combine the indexes (few matches) or walk the name index in order and test each row (many).
"""

from django.db import connections
from django.db.models import BooleanField, Func, Q

from . import credit_code as uscc
from .models import FormerName

GRAMS_FUNCTION = "registry_name_grams"
MAX_KEYWORD_LENGTH = 100
MAX_TERMS = 5
# Organizations found by a former name are passed to the main query as a list of ids (indexable
# inside an OR); past this many, as a subquery.
MAX_FORMER_NAME_MATCHES = 5000


class HoldsGrams(Func):
    """`registry_name_grams(column) @> ARRAY[grams]`: the GIN index's operator."""

    arity = 1
    output_field = BooleanField()

    def __init__(self, expression, grams):
        super().__init__(expression)
        self.grams = list(grams)

    def as_sql(self, compiler, connection, **extra_context):
        column_sql, column_params = compiler.compile(self.get_source_expressions()[0])
        return f"{GRAMS_FUNCTION}({column_sql}) @> %s::text[]", (*column_params, self.grams)


def keyword_terms(keyword):
    """The keyword's whitespace-separated terms (at most MAX_TERMS), each to be found."""
    return (keyword or "")[:MAX_KEYWORD_LENGTH].split()[:MAX_TERMS]


def keyword_grams(term):
    """Grams of `term` that every name containing it holds: the term itself when it is one or two
    characters, else bigrams that tile it (银发互助 → 银发, 互助; 银发互 → 银发, 发互)."""
    text = term.lower()
    if len(text) <= 2:
        return [text]
    grams = [text[i:i + 2] for i in range(0, len(text) - 1, 2)]
    if len(text) % 2:
        grams.append(text[-2:])
    return grams


def _name_condition(term, *, vendor, prefix=""):
    contains = Q(**{f"{prefix}name__icontains": term})
    if vendor != "postgresql":
        return contains
    holds = Q(HoldsGrams(f"{prefix}name", keyword_grams(term)))
    return holds if len(term) <= 2 else holds & contains


def _former_name_condition(term, *, vendor):
    owners = (
        FormerName.objects.filter(_name_condition(term, vendor=vendor)).order_by()
        .values_list("organization_id", flat=True).distinct()
    )
    found = list(owners[: MAX_FORMER_NAME_MATCHES + 1])
    return Q(pk__in=found if len(found) <= MAX_FORMER_NAME_MATCHES else owners)


def keyword_condition(keyword, *, using="default"):
    """A condition on Organization: every term of `keyword` is in its name or a former name, or
    the keyword is its credit code or filing number. None for an empty keyword."""
    terms = keyword_terms(keyword)
    if not terms:
        return None
    vendor = connections[using].vendor
    condition = Q()
    for term in terms:
        condition &= _name_condition(term, vendor=vendor) | _former_name_condition(term, vendor=vendor)
    if len(terms) == 1:
        code = uscc.normalize(terms[0])
        if code:
            condition |= Q(credit_code=code)
        condition |= Q(filing_number=terms[0])
    return condition


def search_organizations(queryset, *, keyword):
    """Organizations in `queryset` that `keyword` finds (see keyword_condition)."""
    condition = keyword_condition(keyword, using=queryset.db)
    return queryset if condition is None else queryset.filter(condition)
