"""Tandem matching: one volunteer and one request – hard rules, explained points, suggestions, reasons.

`score(volunteer, request)` is None when a hard rule fails:

- the volunteer has no capacity left (`capacity <= 0`),
- the volunteer does not offer the requested tandem type,
- a minor is involved and the volunteer has no valid eFZ,
- a gender wish of either side is not met (a wish needs the other side's gender to be known),
- a position is unknown, or the distance (haversine) is beyond either side's radius,
- they share no language at a usable level (B1 = 3 or above on both sides),
- they share no time slot.

Otherwise the `Score` is the sum of these terms (each rounded to 0.01 points, so that the batch solver can
work in whole hundredths without losing the optimum):

| term | points | reason |
|---|---|---|
| `language` | 30 × level / 7 of the best common language, the lower of both levels | `language`: code |
| `distance` | 30 at 0 km, falling linearly to 0 at the smaller radius | `distance`: km |
| `slots` | 25 × share of the request's slots the volunteer has | `slot`: up to two slots |
| `interests` | 15 for two or more shared interests, 7.5 for one | `interest`: up to two |
| `intergenerational` | 10 if an older (younger) partner is wished and is 25+ years older (younger) | years |
| `similar_age` | 10 if a partner of about the same age is wished and is at most 10 years apart | years |
| `waiting` | 20 × waiting days / 180 (capped at 180 days) | `waiting`: days |

The waiting term is the same for every volunteer of a request: it changes nothing in a ranking for one
request, but in a batch it makes long-waiting requests win a contested volunteer.

`explain_unmatched(request, volunteers, proposals)` says why a request has no partner, as reason codes with
values (the web layer turns them into sentences); for a whole batch `batch.explain_all` gives the same
reasons for all requests at once, vectorised (about 15 × faster at Kreis size). The codes, checked in this
order; the first that leaves nobody is returned:

| code | value | meaning |
|---|---|---|
| `no_location` | "" | the request has no position |
| `no_usable_language` | "" | the request names no language at B1 or above |
| `no_one_within` | km | no volunteer within the request's radius (and their own) |
| `no_language_within` | "ti:25" | nobody within 25 km speaks Tigrinya (several: "ti+ar:25") |
| `nearest_speaker_km` | km | follows `no_language_within`: the nearest speaker outside the radius |
| `no_tandem_type` | tandem type | nobody of those offers this tandem type |
| `no_slot` | "" | nobody of those shares a time slot |
| `no_gender_match` | wish | a gender wish (the request's, or "" for the volunteers') rules all out |
| `no_efz_for_minor` | "" | a minor is involved and nobody of those has a valid eFZ |
| `no_capacity` | count | those who would fit take no further tandem |
| `taken_by_better_match` | count | all who fit went to other requests in the assignment (with `proposals`) |
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from volunteering.matching.facts import RequestFacts, VolunteerFacts
from volunteering.matching.geo import haversine_km
from volunteering.matching.terms import (
    USABLE_LEVEL,
    Reason,
    Score,
    Term,
    best_common_language,
    common_language_term,
    distance_term,
    interest_term,
    slot_term,
)

LANGUAGE_WEIGHT = 30.0
DISTANCE_WEIGHT = 30.0
SLOT_WEIGHT = 25.0
INTEREST_WEIGHT = 15.0
INTERGENERATIONAL_WEIGHT = 10.0
GENERATION_GAP_YEARS = 25
SIMILAR_AGE_WEIGHT = 10.0
SIMILAR_AGE_YEARS = 10
WAITING_WEIGHT = 20.0
WAITING_CAP_DAYS = 180


@dataclass(slots=True)
class Proposal:
    """A volunteer proposed for a request, with the score that explains why (not frozen: see `Score`)."""

    volunteer_id: int
    request_id: int
    score: Score


def to_cents(points: float) -> int:
    """Returns `points` in whole hundredths (half to even, as numpy's `rint` does)."""
    return round(points * 100)


def gender_wishes_met(volunteer: VolunteerFacts, request: RequestFacts) -> bool:
    """Returns whether each side's gender wish (if any) matches the other side's known gender."""
    if volunteer.partner_gender_wish and volunteer.partner_gender_wish != request.gender:
        return False
    return not (request.partner_gender_wish and request.partner_gender_wish != volunteer.gender)


def distance_km(volunteer: VolunteerFacts, request: RequestFacts) -> float | None:
    """Returns the great-circle distance, or None when a position is unknown."""
    if None in (volunteer.lat, volunteer.lon, request.lat, request.lon):
        return None
    return haversine_km(volunteer.lat, volunteer.lon, request.lat, request.lon)


def usable_languages(languages: Mapping[str, int]) -> dict[str, int]:
    """Returns the languages at a usable level (B1 or above)."""
    return {code: level for code, level in languages.items() if level >= USABLE_LEVEL}


def age_term(volunteer: VolunteerFacts, request: RequestFacts) -> Term | None:
    """Returns points when the request's age wish (`RequestFacts.age_wish`) is met, else None."""
    if not request.age_wish or volunteer.birth_year is None or request.birth_year is None:
        return None
    later = volunteer.birth_year - request.birth_year  # > 0: the volunteer is younger
    gap = abs(later)
    if (request.age_wish == "older" and -later >= GENERATION_GAP_YEARS) or (
        request.age_wish == "younger" and later >= GENERATION_GAP_YEARS
    ):
        return Term("intergenerational", INTERGENERATIONAL_WEIGHT, (Reason("intergenerational", gap),))
    if request.age_wish == "similar" and gap <= SIMILAR_AGE_YEARS:
        return Term("similar_age", SIMILAR_AGE_WEIGHT, (Reason("similar_age", gap),))
    return None


def waiting_points(days: int) -> float:
    """Returns the points of the waiting term for a request waiting `days` days (capped)."""
    return WAITING_WEIGHT * min(days, WAITING_CAP_DAYS) / WAITING_CAP_DAYS if days > 0 else 0.0


def waiting_term(request: RequestFacts) -> Term | None:
    """Returns points growing with the request's waiting time (capped), None when it has just come in."""
    if request.waiting_days <= 0:
        return None
    return Term("waiting", waiting_points(request.waiting_days), (Reason("waiting", request.waiting_days),))


def score(volunteer: VolunteerFacts, request: RequestFacts) -> Score | None:
    """Returns how well `volunteer` fits `request`, or None when a hard rule fails (see the module)."""
    if volunteer.capacity <= 0 or request.tandem_type not in volunteer.tandem_types:
        return None
    if request.involves_minor and not volunteer.efz_valid:
        return None
    if not gender_wishes_met(volunteer, request):
        return None
    km = distance_km(volunteer, request)
    if km is None:
        return None
    distance = distance_term(km, min(volunteer.radius_km, request.radius_km), weight=DISTANCE_WEIGHT)
    if distance is None:
        return None
    language = common_language_term(volunteer.languages, request.languages, weight=LANGUAGE_WEIGHT)
    if language is None:
        return None
    slots = slot_term(volunteer.slots, request.slots, weight=SLOT_WEIGHT)
    if slots is None:
        return None
    terms = (
        language,
        distance,
        slots,
        interest_term(volunteer.interests, request.interests, weight=INTEREST_WEIGHT),
        age_term(volunteer, request),
        waiting_term(request),
    )
    present = [term for term in terms if term is not None]
    cents = [to_cents(term.points) for term in present]
    # Each term and the total in whole hundredths, as the batch solver counts them.
    return Score(
        total=sum(cents) / 100,
        terms={term.name: part / 100 for term, part in zip(present, cents, strict=True)},
        reasons=tuple(reason for term in present for reason in term.reasons),
    )


def suggest(request: RequestFacts, volunteers: Iterable[VolunteerFacts], k: int = 10) -> list[Proposal]:
    """Returns up to `k` proposals for `request`, best first (ties: lower volunteer id first)."""
    proposals = []
    for volunteer in volunteers:
        result = score(volunteer, request)
        if result is not None:
            proposals.append(Proposal(volunteer.id, request.id, result))
    proposals.sort(key=lambda proposal: (-proposal.score.total, proposal.volunteer_id))
    return proposals[:k]


def suggest_for_volunteer(
    volunteer: VolunteerFacts, requests: Iterable[RequestFacts], k: int = 10
) -> list[Proposal]:
    """Returns up to `k` proposals for `volunteer`, best first (ties: lower request id first)."""
    proposals = []
    for request in requests:
        result = score(volunteer, request)
        if result is not None:
            proposals.append(Proposal(volunteer.id, request.id, result))
    proposals.sort(key=lambda proposal: (-proposal.score.total, proposal.request_id))
    return proposals[:k]


def km_value(km: float) -> float | int:
    """Returns a distance as shown in a reason: whole kilometres without a decimal point."""
    return int(km) if float(km).is_integer() else round(km, 1)


def explain_unmatched(
    request: RequestFacts,
    volunteers: Iterable[VolunteerFacts],
    proposals: Sequence[Proposal] | None = None,
) -> tuple[Reason, ...]:
    """Returns why `request` has no partner (codes in the module docstring); () when it has or could have one.

    Without `proposals` a request that some volunteer fits gets (). With the proposals of a batch run, a
    request left out although volunteers fit gets `taken_by_better_match`.
    """
    if proposals is not None and any(proposal.request_id == request.id for proposal in proposals):
        return ()
    if request.lat is None or request.lon is None:
        return (Reason("no_location"),)
    spoken = usable_languages(request.languages)
    if not spoken:
        return (Reason("no_usable_language"),)
    radius = km_value(request.radius_km)
    located = []
    for volunteer in volunteers:
        km = distance_km(volunteer, request)
        if km is not None:
            located.append((volunteer, km))
    pool = [v for v, km in located if km <= min(v.radius_km, request.radius_km)]
    if not pool:
        return (Reason("no_one_within", radius),)

    def speaks(volunteer: VolunteerFacts) -> bool:
        return best_common_language(volunteer.languages, request.languages) is not None

    speakers = [v for v in pool if speaks(v)]
    if not speakers:
        codes = "+".join(sorted(spoken, key=lambda code: (-spoken[code], code)))
        reasons = [Reason("no_language_within", f"{codes}:{radius}")]
        farther = [km for v, km in located if speaks(v)]
        if farther:
            reasons.append(Reason("nearest_speaker_km", round(min(farther), 1)))
        return tuple(reasons)
    stages = (
        ("no_tandem_type", request.tandem_type, lambda v: request.tandem_type in v.tandem_types),
        ("no_slot", "", lambda v: bool(v.slots & request.slots)),
        ("no_gender_match", request.partner_gender_wish or "", lambda v: gender_wishes_met(v, request)),
        ("no_efz_for_minor", "", lambda v: v.efz_valid or not request.involves_minor),
    )
    pool = speakers
    for code, value, passes in stages:
        pool = [v for v in pool if passes(v)]
        if not pool:
            return (Reason(code, value),)
    available = [v for v in pool if v.capacity > 0]
    if not available:
        return (Reason("no_capacity", len(pool)),)
    if proposals is not None:
        return (Reason("taken_by_better_match", len(available)),)
    return ()
