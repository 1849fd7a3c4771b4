"""Recommending needs to a volunteer: hard rules first (age, radius), then the weighted terms."""

from __future__ import annotations

from collections.abc import Iterable

from volunteering.matching.facts import NeedFacts, VolunteerFacts
from volunteering.matching.geo import haversine_km
from volunteering.matching.terms import (
    USABLE_LEVEL,
    Reason,
    Score,
    Term,
    distance_term,
    interest_term,
    language_term,
    slot_term,
)


def youngest_possible_age(birth_year: int | None, year: int) -> int | None:
    """Returns the age a person born in `birth_year` has at least during `year` (None if unknown)."""
    if birth_year is None:
        return None
    # Before their birthday they are one year younger than `year - birth_year`: be on the safe side.
    return year - birth_year - 1


def score_need(volunteer: VolunteerFacts, need: NeedFacts, *, year: int) -> Score | None:
    """Returns how well `need` suits `volunteer`, or None when a hard rule fails.

    Hard rules: the volunteer is old enough for the need's minimum age (judged on the safe side), and
    the need lies within the volunteer's travel radius (when both places are known).
    Terms: distance, best shared language among those the need asks for, shared time slots, shared
    interests, and "no German needed" for someone without usable German.
    """
    age = youngest_possible_age(volunteer.birth_year, year)
    if age is not None and age < need.min_age:
        return None
    terms: list[Term | None] = []
    if None not in (volunteer.lat, volunteer.lon, need.lat, need.lon):
        km = haversine_km(volunteer.lat, volunteer.lon, need.lat, need.lon)
        distance = distance_term(km, volunteer.radius_km)
        if distance is None:
            return None
        terms.append(distance)
    terms.append(language_term(volunteer.languages, need.languages - {"de"}))
    if need.recurring and need.slots:
        terms.append(slot_term(volunteer.slots, need.slots))
    terms.append(interest_term(volunteer.interests, need.interests))
    if need.no_german_needed and volunteer.languages.get("de", 0) < USABLE_LEVEL:
        terms.append(Term("no_german", 10.0, (Reason("no_german"),)))
    return Score.of(terms)


def rank_needs(
    volunteer: VolunteerFacts, needs: Iterable[NeedFacts], *, year: int, k: int = 10
) -> list[tuple[NeedFacts, Score]]:
    """Returns up to `k` needs that pass the hard rules, best first (ties: lower id first)."""
    scored = []
    for need in needs:
        score = score_need(volunteer, need, year=year)
        if score is not None and score.total > 0:
            scored.append((need, score))
    scored.sort(key=lambda pair: (-pair[1].total, pair[0].id))
    return scored[:k]
