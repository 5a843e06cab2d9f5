"""Pinyin order for organization names, computed by the database itself on both backends.

PostgreSQL has it built in: an ICU collation (`zh-u-co-pinyin`) created by migration 0003, with
an index on `name COLLATE registry_pinyin`, so ordering by name stays an index scan at a million
rows. SQLite has no Chinese collation; we register one of the same name on every connection,
backed by pypinyin. Either way no pinyin key is stored, so bulk loaders have nothing to maintain.
"""

from functools import lru_cache

from django.db.backends.signals import connection_created
from django.db.models import CharField, Func
from django.db.models.functions import Collate
from django.dispatch import receiver
from pypinyin import Style, lazy_pinyin

COLLATION = "registry_pinyin"


@lru_cache(maxsize=200_000)
def sort_key(name):
    """安… < 白… < 张…: syllables with tone numbers, then the name itself to break ties.
    Characters without a reading (Latin letters, digits) sort as themselves, lower-cased."""
    syllables = lazy_pinyin(
        name, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda text: list(text.lower())
    )
    return tuple(syllables), name


def _compare(left, right):
    a, b = sort_key(left), sort_key(right)
    return (a > b) - (a < b)


@receiver(connection_created)
def _register_sqlite_collation(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION, _compare)


class _Unindexed(Func):
    """The same text, as an expression no index is built on."""

    template = "(%(expressions)s || '')"
    output_field = CharField()


def in_pinyin_order(expression="name", *, use_index=True):
    """An expression to order by: `expression` in pinyin order on SQLite and PostgreSQL alike.

    With `use_index=False` PostgreSQL cannot read the order from the name index, so it finds the
    matching rows first and sorts them: right when they are few, and safe when they cluster at one
    end of the alphabet (a town's organizations all begin with the town's name), where walking
    the index in order would pass most of it before reaching them."""
    if not use_index:
        expression = _Unindexed(expression)
    return Collate(expression, COLLATION)
