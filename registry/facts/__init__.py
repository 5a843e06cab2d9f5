"""Each fact about a record of the register, as of a date, defined once.

A fact comes as a pair: a query expression, for querysets (filter, annotate, count), and its twin
for rows already fetched (a record page, a download row). tests/test_facts.py checks that the two
agree on every organization of the demo at several dates. Pages, the admin, downloads, the API and
the PDFs read these; nothing else computes them.

- `organization`: status, start date, grade, credit lists, transferred services undertaken.
- `services`: a transferred service's state on a date.
Incubation facts live in `incubator.facts` (registry does not import the apps above it).
"""

from .organization import *  # noqa: F401,F403
from .services import *  # noqa: F401,F403
