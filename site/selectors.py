"""The headline figures of the register, as of a date: what the home page, the statistics page
and the annual summary show. Each figure comes from the one selector that owns it."""

import datetime
from dataclasses import dataclass

from funds.models import CommunityFoundation
from funds.selectors import (
    count_special_funds, count_towns_covered_by_foundations, foundations_by_role,
)
from incubator.models import IncubationCenter
from incubator.selectors import centers_by_level, count_incubated, count_towns_with_center
from registry.selectors import (
    count_filed, count_registered, count_service_fields_covered, count_service_undertakers,
    count_towns,
)


@dataclass(frozen=True)
class HeadlineFigures:
    as_of: datetime.date
    registered: int
    filed: int
    service_undertakers: int
    service_fields_covered: int
    incubated: int
    incubation_centers_county: int
    incubation_centers_town: int
    towns_with_center: int
    town_count: int
    county_hubs: int
    town_foundations: int
    towns_with_foundation: int
    special_funds: int


def headline_figures(*, as_of, town=None):
    """The headline figures on `as_of`, for the county or, with `town`, for one town's records."""
    centers = centers_by_level(as_of=as_of, town=town)
    foundations = foundations_by_role(as_of=as_of, town=town)
    if town is None:
        towns_with_center = count_towns_with_center(as_of=as_of)
        towns_with_foundation = count_towns_covered_by_foundations(as_of=as_of)
    else:
        towns_with_center = min(centers[IncubationCenter.Level.TOWN], 1)
        towns_with_foundation = min(foundations[CommunityFoundation.Role.TOWN_FOUNDATION], 1)
    return HeadlineFigures(
        as_of=as_of,
        registered=count_registered(as_of=as_of, town=town),
        filed=count_filed(as_of=as_of, town=town),
        # Services taken over at any time up to the date, as the article's "155" counts them.
        service_undertakers=count_service_undertakers(period_end=as_of, town=town),
        service_fields_covered=count_service_fields_covered(period_end=as_of, town=town),
        incubated=count_incubated(as_of=as_of, town=town),
        incubation_centers_county=centers[IncubationCenter.Level.COUNTY],
        incubation_centers_town=centers[IncubationCenter.Level.TOWN],
        towns_with_center=towns_with_center,
        town_count=count_towns() if town is None else 1,
        county_hubs=foundations[CommunityFoundation.Role.COUNTY_HUB],
        town_foundations=foundations[CommunityFoundation.Role.TOWN_FOUNDATION],
        towns_with_foundation=towns_with_foundation,
        special_funds=count_special_funds(as_of=as_of, town=town),
    )
