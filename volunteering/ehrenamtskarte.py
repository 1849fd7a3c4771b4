"""Ehrenamtskarte NRW: the eligibility rules since February 2026 as plain Python (no Django, table-tested).

The platform does not issue cards; it estimates from confirmed hours whether an application is likely to
succeed and says what is missing. The Kommune of residence checks and issues the card.

Rules (DOMAIN.md, "Ehrenamtskarte NRW"):
- The Kommune must issue the card; it sets the required prior engagement (1 or 2 years), the minimum age
  and the validity (2 or 3 years).
- Hours, from all organisations together, over the prior-engagement period (the last 1 or 2 years up to
  the day of the estimate): **at least 200 hours in each of those years, or on average at least 4 hours
  per week over the whole period**. The weekly rule lets a two-year period with one weaker year count.
- The person must have been engaged for the whole period (the first engagement lies at least that many
  years back).
- A flat allowance does not exclude the card while it stays at most 960 €/year (Ehrenamtspauschale) or
  at most 3,300 €/year (Übungsleiterpauschale). Reimbursed costs never count and are not asked for.
- Age: only the birth year is known, so the age is the one the person reaches in the year of the
  estimate (the Kommune checks the exact date).
- Jubiläums-Ehrenamtskarte: at least 25 years of engagement (gaps allowed), no hour threshold, valid for
  life; the Kommune must issue cards.

Everything works in whole minutes; comparisons avoid fractions (minutes * 7 >= 240 * days).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

HOURS_PER_YEAR = 200
HOURS_PER_WEEK = 4
EHRENAMTSPAUSCHALE_EUR = 960
UEBUNGSLEITERPAUSCHALE_EUR = 3300
JUBILAEUM_YEARS = 25

ALLOWANCE_NONE = "none"
ALLOWANCE_EHRENAMT = "ehrenamt"
ALLOWANCE_UEBUNGSLEITER = "uebungsleiter"
ALLOWANCE_LIMITS = {
    ALLOWANCE_NONE: 0,
    ALLOWANCE_EHRENAMT: EHRENAMTSPAUSCHALE_EUR,
    ALLOWANCE_UEBUNGSLEITER: UEBUNGSLEITERPAUSCHALE_EUR,
}

# Reasons (codes; the view turns them into sentences).
NO_TOWN = "no_town"
TOWN_DOES_NOT_ISSUE = "town_does_not_issue"
TOO_YOUNG = "too_young"
AGE_UNKNOWN = "age_unknown"
NOT_ENGAGED_LONG_ENOUGH = "not_engaged_long_enough"
TOO_FEW_HOURS = "too_few_hours"
ALLOWANCE_TOO_HIGH = "allowance_too_high"


@dataclass(frozen=True)
class TownRules:
    """The Kommune's settings for the card."""

    name: str
    issues_card: bool
    prior_years: int = 2
    min_age: int = 16
    validity_years: int = 2


@dataclass(frozen=True)
class Facts:
    """What the platform knows about the person on the day of the estimate."""

    on: date
    town: TownRules | None
    birth_year: int | None
    first_engagement_on: date | None
    # Confirmed minutes per prior year, most recent first: [last 12 months, the 12 months before, …].
    minutes_per_year: tuple[int, ...]
    period_days: int  # the length of the whole prior period in days (for the weekly average)
    allowance_kind: str = ALLOWANCE_NONE
    allowance_eur_per_year: int = 0
    engaged_years: int = 0  # for the Jubiläumskarte: years with engagement, gaps allowed


@dataclass(frozen=True)
class Estimate:
    eligible: bool
    reasons: tuple[str, ...]
    missing_minutes: int  # confirmed minutes still missing on the shorter of the two hour rules
    validity_years: int | None
    jubilaeum_eligible: bool
    jubilaeum_missing_years: int
    details: dict = field(default_factory=dict, compare=False)


def prior_period_start(on: date, years: int) -> date:
    """Returns the day `years` years before `on` (28 February for a 29 February)."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def year_windows(on: date, years: int) -> list[tuple[date, date]]:
    """Returns the prior years as (after, up_to) pairs, most recent first; d counts if after < d <= up_to."""
    windows = []
    for index in range(years):
        up_to = prior_period_start(on, index)
        after = prior_period_start(on, index + 1)
        windows.append((after, up_to))
    return windows


def minutes_missing_yearly(minutes_per_year: tuple[int, ...], years: int) -> int:
    """Returns the minutes missing so that each of the `years` prior years reaches 200 hours."""
    needed = HOURS_PER_YEAR * 60
    padded = list(minutes_per_year[:years]) + [0] * max(0, years - len(minutes_per_year))
    return sum(max(0, needed - minutes) for minutes in padded)


def minutes_missing_weekly(total_minutes: int, period_days: int) -> int:
    """Returns the minutes missing for an average of 4 hours per week over `period_days` days."""
    # total / (days / 7) >= 240 minutes  <=>  total * 7 >= 240 * days
    needed_times_seven = HOURS_PER_WEEK * 60 * period_days
    shortfall_times_seven = needed_times_seven - total_minutes * 7
    if shortfall_times_seven <= 0:
        return 0
    return -(-shortfall_times_seven // 7)  # rounded up to whole minutes


def allowance_ok(kind: str, eur_per_year: int) -> bool:
    """True if a flat allowance of this kind and amount does not exclude the card."""
    if kind not in ALLOWANCE_LIMITS:
        return False
    if kind == ALLOWANCE_NONE:
        return True
    return eur_per_year <= ALLOWANCE_LIMITS[kind]


def estimate(facts: Facts) -> Estimate:
    """Returns the estimate for the regular card and the Jubiläumskarte, with the reasons that block them."""
    reasons: list[str] = []
    town = facts.town
    if town is None:
        reasons.append(NO_TOWN)
    elif not town.issues_card:
        reasons.append(TOWN_DOES_NOT_ISSUE)
    prior_years = town.prior_years if town is not None else 2
    min_age = town.min_age if town is not None else 16

    if facts.birth_year is None:
        reasons.append(AGE_UNKNOWN)
    elif facts.on.year - facts.birth_year < min_age:
        reasons.append(TOO_YOUNG)

    start = prior_period_start(facts.on, prior_years)
    if facts.first_engagement_on is None or facts.first_engagement_on > start + timedelta(days=1):
        # The first engagement must lie within the first day of the prior period or earlier.
        reasons.append(NOT_ENGAGED_LONG_ENOUGH)

    yearly = minutes_missing_yearly(facts.minutes_per_year, prior_years)
    weekly = minutes_missing_weekly(sum(facts.minutes_per_year[:prior_years]), facts.period_days)
    missing = min(yearly, weekly)
    if missing > 0:
        reasons.append(TOO_FEW_HOURS)

    if not allowance_ok(facts.allowance_kind, facts.allowance_eur_per_year):
        reasons.append(ALLOWANCE_TOO_HIGH)

    issues = town is not None and town.issues_card
    jubilaeum_missing = max(0, JUBILAEUM_YEARS - facts.engaged_years)
    return Estimate(
        eligible=not reasons,
        reasons=tuple(reasons),
        missing_minutes=missing,
        validity_years=town.validity_years if issues else None,
        jubilaeum_eligible=issues and jubilaeum_missing == 0,
        jubilaeum_missing_years=jubilaeum_missing,
        details={"missing_yearly": yearly, "missing_weekly": weekly, "prior_years": prior_years},
    )
