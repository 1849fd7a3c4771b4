"""The facts matching works on: plain, frozen values a selector builds from database rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class RequestFacts:
    """What a newcomer (or their adviser) asks for in a tandem request (issue 7).

    `languages`, `slots` and `interests` use the same vocabulary as `VolunteerFacts`; `tandem_type` is one of
    the tandem types a volunteer may offer. `waiting_days` counts since the request came in (kept when a
    proposal is declined). `age_wish`: "older" or "younger" (a partner of another generation, 25 or more
    years older or younger), "similar" (about the same age: at most 10 years apart), or "" (no wish).
    """

    id: int
    lat: float | None
    lon: float | None
    radius_km: float
    languages: Mapping[str, int] = field(default_factory=dict)
    slots: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    tandem_type: str = ""
    gender: str | None = None
    partner_gender_wish: str | None = None
    birth_year: int | None = None
    involves_minor: bool = False
    waiting_days: int = 0
    age_wish: str = ""
