"""What a public response shows, as version tags, and how a view declares them.

A tag names a set of records whose change must refresh every response that shows them:
- EVERYTHING: every response depends on it (bulk loads, migrations, and areas, service fields
  and departments, which every filter form and many records show, bump it);
- SITE: the Wagtail pages, navigation, site settings, view restrictions, annual summaries;
- REGISTER: any organization or any of its records (lists, figures, downloads);
- organization(pk): one organization and its records (its page and API detail);
- town(code): the organizations of one town (the directory filtered to it by its code);
- SERVICES, INCUBATION, CENTERS, FUNDS: transferred services, incubations, incubation centers,
  community foundations and special funds with their money.
"""

EVERYTHING = "all"
SITE = "site"
REGISTER = "register"
SERVICES = "services"
INCUBATION = "incubation"
CENTERS = "centers"
FUNDS = "funds"
# What a page shows when it does not say: all the published content.
ALL_CONTENT = (REGISTER, SERVICES, INCUBATION, CENTERS, FUNDS)


def organization(pk):
    return f"org:{pk}"


def town(code):
    return f"town:{code}"


def depends_on(request, *tags):
    """Declare that the response to `request` shows `tags`. Their versions are read now, before
    the view reads the records, so a write that lands meanwhile makes the stored copy stale
    rather than hiding the write. Does nothing for a request the cache does not serve."""
    state = getattr(request, "page_cache", None)
    if state is not None:
        state.add(tags)
