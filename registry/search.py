"""Keyword search over organizations: name, former names, credit code and filing number.

A Chinese keyword is a substring, not a word: `互助` must find 嘉善县银发互助协会. Full-text parsers
take a run of Chinese as one word, so they cannot do this (DESIGN.md, "Facts we measured").

- PostgreSQL: `registry_name_bigrams(text)` (migration 0005) gives a tsvector of a text's
  lower-cased character bigrams and its last character; GIN indexes on it (organizations and
  former names) find the names matching a tsquery built here: a one-character keyword is a prefix
  query (`'互':*`: a bigram starting with it, or the last character), two characters the bigram
  itself, both exact; a longer keyword ANDs bigrams that tile it, and `icontains` rechecks the
  rows found, since the bigrams of 银发互助 can all occur without being adjacent. The index is an
  expression over the name, so the database maintains it and bulk loaders do nothing; it costs
  about half what migration 0004's unigram-and-bigram text[] did on insert. The tsquery's lexemes
  are quoted here (the text is passed as a parameter), so no keyword character is an operator.
- SQLite (a county's thousands of rows): `icontains` alone.

Credit code (any case or width) and filing number match whole, through their unique indexes.
The condition is one OR over indexed columns of the organization table, so PostgreSQL can either
combine the indexes (few matches) or walk the name index in order and test each row (many).
"""

from django.db import connections
from django.db.models import BooleanField, Func, Q

from . import credit_code as uscc
from .models import FormerName

BIGRAMS_FUNCTION = "registry_name_bigrams"
MAX_KEYWORD_LENGTH = 100
MAX_TERMS = 5
# Organizations found by a former name are passed to the main query as a list of ids (indexable
# inside an OR); past this many, as a subquery.
MAX_FORMER_NAME_MATCHES = 5000


class MatchesBigrams(Func):
    """`registry_name_bigrams(column) @@ tsquery`: the GIN index's operator."""

    arity = 1
    output_field = BooleanField()

    def __init__(self, expression, tsquery):
        super().__init__(expression)
        self.tsquery = tsquery

    def as_sql(self, compiler, connection, **extra_context):
        column_sql, column_params = compiler.compile(self.get_source_expressions()[0])
        return f"{BIGRAMS_FUNCTION}({column_sql}) @@ %s::tsquery", (*column_params, self.tsquery)


def keyword_terms(keyword):
    """The keyword's whitespace-separated terms (at most MAX_TERMS), each to be found."""
    return (keyword or "")[:MAX_KEYWORD_LENGTH].split()[:MAX_TERMS]


def keyword_bigrams(term):
    """Bigrams that tile `term` (3 characters or more), which every name containing it holds:
    银发互助 → 银发, 互助; 银发互 → 银发, 发互."""
    text = term.lower()
    bigrams = [text[i:i + 2] for i in range(0, len(text) - 1, 2)]
    if len(text) % 2:
        bigrams.append(text[-2:])
    return bigrams


def _lexeme(text):
    """`text` as a quoted tsquery lexeme, taken literally whatever its characters."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def keyword_tsquery(term):
    """The tsquery (as text) of the names holding `term`'s grams (see the module's docstring)."""
    text = term.lower()
    if len(text) == 1:
        return _lexeme(text) + ":*"
    if len(text) == 2:
        return _lexeme(text)
    return " & ".join(_lexeme(bigram) for bigram in dict.fromkeys(keyword_bigrams(text)))


def _name_condition(term, *, vendor, prefix=""):
    contains = Q(**{f"{prefix}name__icontains": term})
    if vendor != "postgresql":
        return contains
    holds = Q(MatchesBigrams(f"{prefix}name", keyword_tsquery(term)))
    return holds if len(term.lower()) <= 2 else holds & contains


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
