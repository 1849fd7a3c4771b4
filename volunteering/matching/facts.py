"""The facts matching works on: plain, frozen values a selector builds from database rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class VolunteerFacts:
    """What a volunteer offers. Language levels: 1 = A1 … 6 = C2, 7 = native. Slots like "tue-evening".

    The field names are the public API shared with tandem matching (issue 7).
    """

    id: int
    lat: float | None
    lon: float | None
    radius_km: float
    languages: Mapping[str, int] = field(default_factory=dict)
    slots: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    tandem_types: frozenset[str] = frozenset()
    gender: str | None = None
    partner_gender_wish: str | None = None
    birth_year: int | None = None
    efz_valid: bool = False
    capacity: int = 1


@dataclass(frozen=True)
class NeedFacts:
    """What a need asks for. `interests` uses the same vocabulary as the volunteer's (field and activity)."""

    id: int
    lat: float | None
    lon: float | None
    languages: frozenset[str] = frozenset()
    no_german_needed: bool = False
    slots: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    min_age: int = 0
    recurring: bool = True
