"""The demo's numbers, planned so the end-2022 figures come out exactly as the seed has them.

Every organization gets a lifecycle; the figures as of 2022-12-31 follow from the counts below by
arithmetic (`expected_figures`), and `check_plan` refuses a plan that does not add up. The builder
then only has to respect each lifecycle's date window.
"""

import datetime

from registry.models import LegalForm

END_2022 = datetime.date(2022, 12, 31)
HORIZON = datetime.date(2023, 12, 31)  # the demo's "today": nothing is dated later

# The seed article's figures for the end of 2022 (shared/seed/jiashan-social-governance-2023.txt).
SEED_FIGURES = {
    "registered": 555,
    "filed": 2590,
    "service_undertakers": 155,
    "service_fields_covered_at_least": 30,
    "incubated": 278,
    "special_funds": 30,
    "county_incubation_centers": 1,
    "town_incubation_centers": 9,
    "town_foundations": 9,
}

# Lifecycles. ACTIVE: started by 2022, still active at the horizon. ENDS_2023: started by 2021,
# ended in 2023. ENDED: started and ended by 2022. NEW_2023: started in 2023. UPGRADED: filed,
# then registered (备案转登记) by 2022. UPGRADED_2023: filed by 2021, registered in 2023.
ACTIVE = "active"
ENDS_2023 = "ends_2023"
ENDED = "ended"
NEW_2023 = "new_2023"
UPGRADED = "upgraded"
UPGRADED_2023 = "upgraded_2023"

SG = LegalForm.SOCIAL_GROUP
SSI = LegalForm.SOCIAL_SERVICE_INSTITUTION
FOUNDATION = LegalForm.FOUNDATION
COMMUNITY = LegalForm.COMMUNITY_ORGANIZATION

DEREGISTERED = "deregistered"
REVOKED = "revoked"
FILING_CANCELLED = "filing_cancelled"

# (legal form, lifecycle, how it ends, count). Foundations include the 10 community foundations.
PLAN = [
    (SG, ACTIVE, None, 233),
    (SG, ENDS_2023, DEREGISTERED, 6),
    (SG, ENDS_2023, REVOKED, 1),
    (SG, UPGRADED, None, 10),
    (SG, ENDED, DEREGISTERED, 30),
    (SG, ENDED, REVOKED, 8),
    (SG, NEW_2023, None, 14),
    (SG, UPGRADED_2023, None, 2),
    (SSI, ACTIVE, None, 272),
    (SSI, ENDS_2023, DEREGISTERED, 5),
    (SSI, UPGRADED, None, 14),
    (SSI, ENDED, DEREGISTERED, 28),
    (SSI, ENDED, REVOKED, 4),
    (SSI, NEW_2023, None, 19),
    (SSI, UPGRADED_2023, None, 4),
    (FOUNDATION, ACTIVE, None, 14),
    (FOUNDATION, ENDED, DEREGISTERED, 1),
    (FOUNDATION, NEW_2023, None, 1),
    (COMMUNITY, ACTIVE, None, 2539),
    (COMMUNITY, ENDS_2023, FILING_CANCELLED, 45),
    (COMMUNITY, ENDED, FILING_CANCELLED, 160),
    (COMMUNITY, NEW_2023, None, 210),
]
COMMUNITY_FOUNDATIONS = 10  # 1 county hub + 9 town foundations, all ACTIVE foundations
INCUBATION_CENTER_OPERATORS = 3  # ACTIVE social service institutions that run the centers

# Transferred services: who undertook one by the end of 2022, by legal form, and how many more
# organizations first undertook one in 2023.
SERVICE_UNDERTAKERS_2022 = {SSI: 102, SG: 38, COMMUNITY: 15}
NEW_SERVICE_UNDERTAKERS_2023 = 14
SERVICES_2023_FOR_EARLIER_UNDERTAKERS = 34

# Incubations by outcome: begun by the end of 2022, and begun in 2023.
INCUBATIONS_2022 = {"registered": 58, "filed": 150, "left": 30, "ongoing": 40}
INCUBATIONS_2023 = {"registered": 3, "filed": 9, "ongoing": 18}

# Special funds by theme: established by the end of 2022 (none closed by then), and in 2023.
SPECIAL_FUNDS_2022 = {
    "common_prosperity": 7, "rural_revitalization": 6, "elderly_care": 4, "education": 4,
    "disability": 2, "community_governance": 3, "culture": 2, "environment": 1,
    "emergency_relief": 1,
}
SPECIAL_FUNDS_2023 = {
    "common_prosperity": 2, "rural_revitalization": 1, "elderly_care": 1, "education": 1,
    "other": 1,
}
SPECIAL_FUNDS_CLOSED_2023 = 2


def _status_at_end_2022(legal_form, lifecycle):
    if lifecycle in (NEW_2023, ENDED):
        return None
    if lifecycle == UPGRADED_2023:
        return "filed"
    if lifecycle == UPGRADED:
        return "registered"
    return "filed" if legal_form == COMMUNITY else "registered"


def expected_figures():
    """The end-2022 figures this plan gives, by arithmetic on its counts."""
    figures = {"registered": 0, "filed": 0}
    for legal_form, lifecycle, _end, count in PLAN:
        status = _status_at_end_2022(legal_form, lifecycle)
        if status:
            figures[status] += count
    figures["service_undertakers"] = sum(SERVICE_UNDERTAKERS_2022.values())
    figures["incubated"] = sum(INCUBATIONS_2022.values())
    figures["special_funds"] = sum(SPECIAL_FUNDS_2022.values())
    return figures


def check_plan():
    figures = expected_figures()
    for key, value in figures.items():
        if SEED_FIGURES[key] != value:
            raise AssertionError(
                f"demo plan gives {key}={value}, the seed says {SEED_FIGURES[key]}")
    active_foundations = sum(c for f, lc, _e, c in PLAN if f == FOUNDATION and lc == ACTIVE)
    if active_foundations < COMMUNITY_FOUNDATIONS:
        raise AssertionError("the plan has fewer active foundations than community foundations")
