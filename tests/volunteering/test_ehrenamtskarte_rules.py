"""Ehrenamtskarte NRW: the 2026 eligibility rules as tables (volunteering/ehrenamtskarte.py)."""

from datetime import date

import pytest

from volunteering import ehrenamtskarte as rules

ON = date(2026, 11, 26)
H = 60  # minutes per hour

GUETERSLOH = rules.TownRules("Gütersloh", issues_card=True, prior_years=2, min_age=16, validity_years=2)
BORGHOLZHAUSEN = rules.TownRules(
    "Borgholzhausen", issues_card=True, prior_years=1, min_age=16, validity_years=2
)
RIETBERG = rules.TownRules("Rietberg", issues_card=True, prior_years=2, min_age=16, validity_years=3)
LANGENBERG = rules.TownRules("Langenberg", issues_card=False)
TOWN_18 = rules.TownRules("Beispielstadt", issues_card=True, prior_years=1, min_age=18, validity_years=2)


def facts(
    *,
    town=BORGHOLZHAUSEN,
    minutes=(200 * H,),
    period_days=365,
    birth_year=1980,
    first=date(2020, 1, 1),
    allowance=("none", 0),
    engaged_years=0,
):
    return rules.Facts(
        on=ON,
        town=town,
        birth_year=birth_year,
        first_engagement_on=first,
        minutes_per_year=tuple(minutes),
        period_days=period_days,
        allowance_kind=allowance[0],
        allowance_eur_per_year=allowance[1],
        engaged_years=engaged_years,
    )


# --- 200 hours per year (one prior year) --------------------------------------------------------------
@pytest.mark.parametrize(
    ("minutes", "eligible", "missing"),
    [
        (200 * H, True, 0),  # exactly 200 h
        (200 * H + 1, True, 0),
        (200 * H - 1, False, 1),  # one minute short
        (199 * H, False, 60),
        (163 * H, False, 37 * H),  # "noch 37 Stunden"
        (0, False, 200 * H),
        (1000 * H, True, 0),
    ],
)
def test_two_hundred_hours_in_the_prior_year(minutes, eligible, missing):
    estimate = rules.estimate(facts(minutes=(minutes,)))
    assert estimate.eligible is eligible
    assert estimate.missing_minutes == missing
    assert (rules.TOO_FEW_HOURS in estimate.reasons) is (not eligible)


# --- Two prior years: 200 h in each, or on average 4 h per week over both --------------------------------
@pytest.mark.parametrize(
    ("per_year", "period_days", "eligible", "missing"),
    [
        ((200 * H, 200 * H), 730, True, 0),  # 200 h in each year
        ((200 * H, 199 * H), 730, False, 60),  # the earlier year one hour short
        # 104 weeks exactly: 4 h/week = 416 h over the period, however the years are split
        ((350 * H, 66 * H), 728, True, 0),  # exactly 4 h/week on average
        ((350 * H, 66 * H - 1), 728, False, 1),  # one minute below the average
        ((416 * H, 0), 728, True, 0),  # everything in the last year still averages 4 h/week
        (
            (300 * H, 100 * H),
            728,
            False,
            16 * H,
        ),  # 400 h: 16 h short of the average, 100 h of the yearly rule
        ((0, 0), 730, False, 400 * H),  # the yearly rule needs less than the weekly one here
    ],
)
def test_two_prior_years(per_year, period_days, eligible, missing):
    estimate = rules.estimate(facts(town=GUETERSLOH, minutes=per_year, period_days=period_days))
    assert estimate.eligible is eligible
    assert estimate.missing_minutes == missing


@pytest.mark.parametrize(
    ("total", "days", "missing"),
    [
        (416 * H, 728, 0),  # 4 h × 104 weeks exactly
        (416 * H - 1, 728, 1),
        (417 * H, 730, 9),  # 730 days = 104 2/7 weeks → 417.14 h needed …
        (25028, 730, 1),  # … i.e. 25,028.57 minutes: 25,028 is short by one (rounded up)
        (25029, 730, 0),
        (208 * H, 364, 0),  # 52 weeks
        (208 * H - 1, 364, 1),
    ],
)
def test_weekly_average_exactly_at_four_hours(total, days, missing):
    assert rules.minutes_missing_weekly(total, days) == missing


# --- Prior engagement: 1 or 2 years ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("town", "first", "eligible"),
    [
        (BORGHOLZHAUSEN, date(2025, 11, 27), True),  # engaged the whole last year (from its first day)
        (BORGHOLZHAUSEN, date(2025, 11, 26), True),
        (BORGHOLZHAUSEN, date(2025, 11, 28), False),  # one day short of a year
        (GUETERSLOH, date(2024, 11, 27), True),
        (GUETERSLOH, date(2025, 11, 27), False),  # one year is not enough where two are required
        (GUETERSLOH, None, False),  # never engaged
    ],
)
def test_prior_engagement_years(town, first, eligible):
    estimate = rules.estimate(facts(town=town, first=first, minutes=(200 * H, 200 * H), period_days=730))
    assert estimate.eligible is eligible
    assert (rules.NOT_ENGAGED_LONG_ENOUGH in estimate.reasons) is (not eligible)


# --- Flat allowance -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("allowance", "eligible"),
    [
        (("none", 0), True),
        (("ehrenamt", 960), True),  # exactly the Ehrenamtspauschale
        (("ehrenamt", 961), False),
        (("ehrenamt", 0), True),
        (("uebungsleiter", 3300), True),  # exactly the Übungsleiterpauschale
        (("uebungsleiter", 3301), False),
        (("uebungsleiter", 961), True),  # above 960 is fine for the Übungsleiterpauschale
        (("unknown", 0), False),
    ],
)
def test_flat_allowance_limits(allowance, eligible):
    estimate = rules.estimate(facts(allowance=allowance))
    assert estimate.eligible is eligible
    assert (rules.ALLOWANCE_TOO_HIGH in estimate.reasons) is (not eligible)


# --- Minimum age (only the birth year is known: the age reached this year) ------------------------------
@pytest.mark.parametrize(
    ("town", "birth_year", "reason"),
    [
        (BORGHOLZHAUSEN, 2010, None),  # turns 16 in 2026
        (BORGHOLZHAUSEN, 2011, rules.TOO_YOUNG),  # turns 15
        (TOWN_18, 2008, None),
        (TOWN_18, 2009, rules.TOO_YOUNG),
        (BORGHOLZHAUSEN, None, rules.AGE_UNKNOWN),
    ],
)
def test_minimum_age(town, birth_year, reason):
    estimate = rules.estimate(facts(town=town, birth_year=birth_year))
    assert estimate.eligible is (reason is None)
    if reason:
        assert reason in estimate.reasons


# --- Towns ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("town", "eligible", "reason", "validity"),
    [
        (BORGHOLZHAUSEN, True, None, 2),
        (RIETBERG, True, None, 3),  # Rietberg's cards are valid three years
        (LANGENBERG, False, rules.TOWN_DOES_NOT_ISSUE, None),
        (None, False, rules.NO_TOWN, None),
    ],
)
def test_towns_that_do_not_issue_the_card(town, eligible, reason, validity):
    estimate = rules.estimate(facts(town=town, minutes=(200 * H, 200 * H), period_days=730))
    assert estimate.eligible is eligible
    assert estimate.validity_years == validity
    if reason:
        assert reason in estimate.reasons


# --- Jubiläums-Ehrenamtskarte: 25 years, gaps allowed, no hours ------------------------------------------
@pytest.mark.parametrize(
    ("town", "engaged_years", "minutes", "eligible", "missing_years"),
    [
        (BORGHOLZHAUSEN, 25, (0,), True, 0),  # no hour threshold
        (BORGHOLZHAUSEN, 24, (500 * H,), False, 1),
        (BORGHOLZHAUSEN, 40, (0,), True, 0),
        (LANGENBERG, 30, (0,), False, 0),  # the town must issue cards
        (None, 30, (0,), False, 0),
    ],
)
def test_jubilaeumskarte(town, engaged_years, minutes, eligible, missing_years):
    estimate = rules.estimate(facts(town=town, engaged_years=engaged_years, minutes=minutes))
    assert estimate.jubilaeum_eligible is eligible
    assert estimate.jubilaeum_missing_years == missing_years


def test_several_reasons_are_all_listed():
    estimate = rules.estimate(
        facts(town=BORGHOLZHAUSEN, birth_year=2015, minutes=(10 * H,), allowance=("ehrenamt", 2000))
    )
    assert set(estimate.reasons) == {rules.TOO_YOUNG, rules.TOO_FEW_HOURS, rules.ALLOWANCE_TOO_HIGH}


@pytest.mark.parametrize(
    ("on", "years", "expected"),
    [
        (date(2026, 11, 26), 1, [(date(2025, 11, 26), date(2026, 11, 26))]),
        (
            date(2026, 11, 26),
            2,
            [(date(2025, 11, 26), date(2026, 11, 26)), (date(2024, 11, 26), date(2025, 11, 26))],
        ),
        (date(2028, 2, 29), 1, [(date(2027, 2, 28), date(2028, 2, 29))]),  # leap day
    ],
)
def test_prior_years_are_windows_up_to_the_day_of_the_estimate(on, years, expected):
    assert rules.year_windows(on, years) == expected
