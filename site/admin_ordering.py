"""Admin listings sort Chinese names in pinyin order, as the public directory does.

A listing's ordering (a column header clicked, the viewset's default, or the model's own
Meta.ordering) is rewritten term by term: a name field becomes `registry.pinyin.in_pinyin_order`
(the database's pinyin collation on PostgreSQL and SQLite alike), and a foreign key ordered by
its model's name (a status event's organization) is ordered by that name in pinyin. Other terms
(dates, codes, years) are left as they are.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import CharField

from registry.pinyin import in_pinyin_order

# Fields holding a name or a title in Chinese: sorted by their pinyin. Codes and numbers
# (credit codes, document numbers) keep the database's plain order.
NAME_FIELDS = frozenset({
    "name", "group_name", "title", "short_name", "counterparty", "assessed_by", "listed_by",
    "registration_authority", "legal_representative", "initiator",
})
# How many foreign keys deep a related model's ordering is followed.
MAX_DEPTH = 3


def _field_at(model, path):
    """The model field at the end of a lookup path, or None."""
    field = None
    for part in path.split("__"):
        if field is not None:
            if not field.is_relation or field.related_model is None:
                return None
            model = field.related_model
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
    return field


def _is_name(field):
    return isinstance(field, CharField) and not field.choices and field.name in NAME_FIELDS


def _expand(model, term, depth=0):
    """`term` as a list of ordering terms, pinyin where it names a name (see the module)."""
    if not isinstance(term, str) or term in ("?", "pk", "-pk"):
        return [term]
    descending = term.startswith("-")
    path = term.lstrip("-")
    field = _field_at(model, path)
    if field is None:
        return [term]
    if _is_name(field):
        expression = in_pinyin_order(path)
        return [expression.desc() if descending else expression.asc()]
    if field.many_to_one or field.one_to_one:
        related_ordering = field.related_model._meta.ordering
        if related_ordering and depth < MAX_DEPTH:
            expanded = []
            for related_term in related_ordering:
                if not isinstance(related_term, str):
                    return [term]
                flip = related_term.startswith("-") != descending
                expanded += _expand(
                    model, ("-" if flip else "") + f"{path}__{related_term.lstrip('-')}", depth + 1)
            if any(not isinstance(t, str) for t in expanded):
                return expanded
    return [term]


def pinyin_ordering(model, terms):
    """`terms` (an order_by) with names in pinyin order, or None when none of them is a name."""
    expanded = [part for term in terms for part in _expand(model, term)]
    if all(isinstance(term, str) for term in expanded):
        return None
    return expanded


class PinyinOrderingMixin:
    """For a listing view: whatever ordering Wagtail chose, names sort by pinyin."""

    def order_queryset(self, queryset):
        queryset = super().order_queryset(queryset)
        query = queryset.query
        terms = query.order_by or (query.get_meta().ordering if query.default_ordering else ())
        ordering = pinyin_ordering(queryset.model, terms)
        return queryset if ordering is None else queryset.order_by(*ordering)
