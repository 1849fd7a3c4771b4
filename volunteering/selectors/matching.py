"""Turns database rows into matching facts, asks volunteering.matching for a ranking, and words the reasons.

Recommendations for a volunteer: the public needs that pass the hard rules (old enough, within the travel
radius), ranked by the scoring module, each with the reasons it scored ("spricht Arabisch", "4 km",
"Dienstag, abends"). The candidates are the newest `CANDIDATES` public needs in the towns within reach, so
the cost does not grow with the number of needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from volunteering.matching import NeedFacts, Reason, Score, VolunteerFacts, rank_needs
from volunteering.matching.needs import youngest_possible_age
from volunteering.models import Kommune, Language, Need, User, VolunteerProfile
from volunteering.models.people import DAYPARTS, WEEKDAYS
from volunteering.selectors.needs import public_needs, towns_within, with_listing_relations

CANDIDATES = 300


def volunteer_facts(user: User) -> VolunteerFacts | None:
    """Returns what the person offers, or None without a volunteer profile."""
    if not user.is_authenticated:
        return None
    profile = (
        VolunteerProfile.objects.filter(user=user)
        .select_related("kommune")
        .prefetch_related("languages__language", "handlungsfelder", "activity_types")
        .first()
    )
    if profile is None:
        return None
    lat, lon = profile.latitude, profile.longitude
    if (lat is None or lon is None) and profile.kommune:
        lat, lon = profile.kommune.latitude, profile.kommune.longitude
    activity_types = list(profile.activity_types.all())
    return VolunteerFacts(
        id=user.pk,
        lat=lat,
        lon=lon,
        radius_km=float(profile.travel_radius_km),
        languages={entry.language.code: entry.level for entry in profile.languages.all()},
        slots=frozenset(profile.availability or ()),
        interests=frozenset(
            [f"field:{field.slug}" for field in profile.handlungsfelder.all()]
            + [f"activity:{activity.slug}" for activity in activity_types]
        ),
        tandem_types=frozenset(activity.slug for activity in activity_types if activity.is_tandem),
        birth_year=user.birth_year,
    )


def need_facts(need: Need) -> NeedFacts:
    """Returns what a need asks for (its languages must be prefetched)."""
    return NeedFacts(
        id=need.pk,
        lat=need.latitude,
        lon=need.longitude,
        languages=frozenset(language.code for language in need.languages.all()),
        no_german_needed=need.no_german_needed,
        slots=frozenset(need.slots or ()),
        interests=frozenset({f"field:{need.handlungsfeld.slug}", f"activity:{need.activity_type.slug}"}),
        min_age=need.min_age,
    )


def candidate_needs(facts: VolunteerFacts) -> QuerySet[Need]:
    """Returns the newest public needs the volunteer could take: old enough, towns within reach."""
    needs = public_needs()
    age = youngest_possible_age(facts.birth_year, timezone.localdate().year)
    if age is not None:
        needs = needs.filter(min_age__lte=age)
    if facts.lat is not None and facts.lon is not None:
        towns = tuple(Kommune.objects.all())
        needs = needs.filter(kommune_id__in=towns_within(towns, (facts.lat, facts.lon), facts.radius_km))
    return with_listing_relations(needs).order_by("-published_at", "-pk")[:CANDIDATES]


@dataclass(frozen=True)
class Recommendation:
    need: Need
    score: Score
    reasons: list[str]


def recommended_needs(user: User, *, k: int = 3) -> list[Recommendation]:
    """Returns up to `k` public needs for the volunteer, best first, each with its reasons in words."""
    facts = volunteer_facts(user)
    if facts is None:
        return []
    needs = {need.pk: need for need in candidate_needs(facts)}
    ranked = rank_needs(
        facts, (need_facts(need) for need in needs.values()), year=timezone.localdate().year, k=k
    )
    if not ranked:
        return []
    words = ReasonWords()
    return [
        Recommendation(
            need=needs[fact.id], score=score, reasons=[words.text(r, needs[fact.id]) for r in score.reasons]
        )
        for fact, score in ranked
    ]


class ReasonWords:
    """Words the reasons of a score in the active language."""

    def __init__(self) -> None:
        self._languages: dict[str, str] | None = None

    def _language(self, code: str) -> str:
        if self._languages is None:
            self._languages = {language.code: language.localized_name for language in Language.objects.all()}
        return self._languages.get(code, code)

    def text(self, reason: Reason, need: Need) -> str:
        if reason.code == "language":
            return _("spricht %(language)s") % {"language": self._language(str(reason.value))}
        if reason.code == "distance":
            km = float(reason.value)
            if km < 1:
                return _("weniger als 1 km")
            return _("%(km)s km") % {"km": number_format(round(km))}
        if reason.code == "slot":
            return slot_label(str(reason.value))
        if reason.code == "interest":
            kind, _sep, slug = str(reason.value).partition(":")
            if kind == "activity" and slug == need.activity_type.slug:
                return _("Interesse: %(topic)s") % {"topic": need.activity_type.localized_name}
            if kind == "field" and slug == need.handlungsfeld.slug:
                return _("Interesse: %(topic)s") % {"topic": need.handlungsfeld.localized_name}
            return _("passt zu Ihren Interessen")
        if reason.code == "no_german":
            return _("keine Deutschkenntnisse nötig")
        return str(reason.value)


def slot_label(slot: str) -> str:
    """Returns "Dienstag, abends" for "tue-evening" (in the active language)."""
    day, _sep, part = slot.partition("-")
    days, parts = dict(WEEKDAYS), dict(DAYPARTS)
    if day not in days or part not in parts:
        return slot
    return _("%(day)s, %(part)s") % {"day": days[day], "part": parts[part]}
