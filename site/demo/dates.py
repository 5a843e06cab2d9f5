"""Seeded date helpers shared by the demo and the scale generator."""

import datetime

DAY = datetime.timedelta(days=1)


def between(rng, start, end):
    """A date in [start, end], uniformly."""
    span = (end - start).days
    if span <= 0:
        return start
    return start + datetime.timedelta(days=rng.randint(0, span))


def in_year(rng, year, *, not_before=None, not_after=None):
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if not_before and not_before > start:
        start = not_before
    if not_after and not_after < end:
        end = not_after
    return between(rng, start, end)


def weighted_year(rng, weights, *, first=None, last=None):
    """A year drawn from {year: weight}, limited to [first, last]."""
    years = [y for y in weights if (first is None or y >= first) and (last is None or y <= last)]
    return rng.choices(years, weights=[weights[y] for y in years])[0]


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# New registrations per year grow slowly; filings take off after the 2017 push for community
# organizations (社区社会组织); clean-ups of dormant organizations peak around 2019-2021.
REGISTRATION_YEARS = {
    2004: 2, 2005: 2, 2006: 3, 2007: 3, 2008: 4, 2009: 4, 2010: 5, 2011: 6, 2012: 7, 2013: 8,
    2014: 9, 2015: 10, 2016: 11, 2017: 12, 2018: 12, 2019: 11, 2020: 9, 2021: 10, 2022: 9,
}
FILING_YEARS = {
    2013: 1, 2014: 2, 2015: 3, 2016: 5, 2017: 9, 2018: 12, 2019: 14, 2020: 13, 2021: 15, 2022: 14,
}
ENDING_YEARS = {
    2012: 1, 2013: 1, 2014: 2, 2015: 2, 2016: 3, 2017: 4, 2018: 6, 2019: 8, 2020: 8, 2021: 7,
    2022: 5,
}
SERVICE_YEARS = {
    2013: 1, 2014: 2, 2015: 3, 2016: 4, 2017: 5, 2018: 6, 2019: 7, 2020: 8, 2021: 9, 2022: 10,
}
