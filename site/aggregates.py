"""Small aggregation helpers the apps' selectors share."""

from django.db.models import Count


def count_by(queryset, field, keys):
    """{key: number of rows whose `field` is key} for every key in `keys` (0 where none),
    counted in one GROUP BY."""
    counts = dict.fromkeys(keys, 0)
    counts.update(
        queryset.order_by().values(field).annotate(n=Count("pk")).values_list(field, "n")
    )
    return counts
