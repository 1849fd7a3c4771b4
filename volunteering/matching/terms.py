"""Building blocks of a score. Each block returns a `Term`: a name, the points it adds, and its reasons.

Reasons are codes with a value (`Reason("language", "ar")`), not sentences: the web layer turns them into
text in the reader's language ("spricht Arabisch", "4 km", "Dienstagabend").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# A language is usable for volunteering from B1 ("im Alltag sicher") upwards.
USABLE_LEVEL = 3
NATIVE_LEVEL = 7


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a term scored: `code` names the kind ("language", "distance", "slot", "interest", …)."""

    code: str
    value: str | float = ""


@dataclass(frozen=True, slots=True)
class Term:
    """A named part of a score."""

    name: str
    points: float
    reasons: tuple[Reason, ...] = ()


@dataclass(slots=True)
class Score:
    """A total with the named parts that explain it; the parts sum to the total.

    Not frozen (unlike `Reason` and `Term`, which are shared): a batch run makes one per proposal, by the
    hundred thousand, and a frozen dataclass takes three times as long to make."""

    total: float
    terms: Mapping[str, float] = field(default_factory=dict)
    reasons: tuple[Reason, ...] = ()

    @classmethod
    def of(cls, terms: Iterable[Term | None]) -> Score:
        """Returns the score made of `terms` (None entries – blocks that did not apply – are skipped)."""
        present = [term for term in terms if term is not None]
        return cls(
            total=sum(term.points for term in present),
            terms={term.name: term.points for term in present},
            reasons=tuple(reason for term in present for reason in term.reasons),
        )


def best_shared_language(
    offered: Mapping[str, int], wanted: Iterable[str], *, min_level: int = USABLE_LEVEL
) -> tuple[str, int] | None:
    """Returns the wanted language the person speaks best (code, level) at `min_level` or above, else None.

    Ties go to the alphabetically first code, so results are deterministic.
    """
    candidates = [(code, offered[code]) for code in wanted if offered.get(code, 0) >= min_level]
    if not candidates:
        return None
    return min(candidates, key=lambda item: (-item[1], item[0]))


def slot_overlap(a: Iterable[str], b: Iterable[str]) -> frozenset[str]:
    """Returns the time slots ("tue-evening") both sides have."""
    return frozenset(a) & frozenset(b)


def interest_overlap(a: Iterable[str], b: Iterable[str]) -> frozenset[str]:
    """Returns the interests (fields, activities) both sides share."""
    return frozenset(a) & frozenset(b)


def distance_term(km: float, radius_km: float, *, weight: float = 30.0) -> Term | None:
    """Returns points falling linearly from `weight` at 0 km to 0 at the radius; None beyond the radius."""
    if km > radius_km:
        return None
    closeness = 1.0 - km / radius_km if radius_km > 0 else 1.0
    return Term("distance", weight * closeness, (Reason("distance", round(km, 1)),))


def language_term(offered: Mapping[str, int], wanted: Iterable[str], *, weight: float = 30.0) -> Term | None:
    """Returns points for the best shared language (more for a higher level); None when none is shared."""
    best = best_shared_language(offered, wanted)
    if best is None:
        return None
    code, level = best
    return Term("language", weight * level / NATIVE_LEVEL, (Reason("language", code),))


def slot_term(
    offered: Iterable[str], wanted: Iterable[str], *, weight: float = 25.0, shown: int = 2
) -> Term | None:
    """Returns points for the share of wanted slots the person has; None when they share none."""
    wanted = frozenset(wanted)
    shared = slot_overlap(offered, wanted)
    if not shared:
        return None
    reasons = tuple(Reason("slot", slot) for slot in sorted(shared, key=_slot_order)[:shown])
    return Term("slots", weight * len(shared) / len(wanted), reasons)


def interest_term(
    offered: Iterable[str], wanted: Iterable[str], *, weight: float = 15.0, shown: int = 2
) -> Term | None:
    """Returns points for shared interests (saturating at two); None when they share none."""
    shared = interest_overlap(offered, wanted)
    if not shared:
        return None
    # Activities say more than fields, so they are named first.
    ordered = sorted(shared, key=lambda item: (not item.startswith("activity:"), item))
    reasons = tuple(Reason("interest", item) for item in ordered[:shown])
    return Term("interests", weight * min(len(shared), 2) / 2, reasons)


_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_PARTS = ("morning", "afternoon", "evening")


def _slot_order(slot: str) -> tuple[int, int]:
    known = _SLOT_ORDER.get(slot)
    if known is not None:
        return known
    day, _, part = slot.partition("-")
    return (
        _DAYS.index(day) if day in _DAYS else len(_DAYS),
        _PARTS.index(part) if part in _PARTS else len(_PARTS),
    )


def best_common_language(
    a: Mapping[str, int], b: Mapping[str, int], *, min_level: int = USABLE_LEVEL
) -> tuple[str, int] | None:
    """Returns the language both sides speak best (code, the lower of the two levels), else None.

    Both sides need `min_level` or above; ties go to the alphabetically first code.
    """
    candidates = [(code, min(level, b[code])) for code, level in a.items() if code in b]
    candidates = [(code, level) for code, level in candidates if level >= min_level]
    if not candidates:
        return None
    return min(candidates, key=lambda item: (-item[1], item[0]))


def common_language_term(a: Mapping[str, int], b: Mapping[str, int], *, weight: float = 30.0) -> Term | None:
    """Returns points for the best language both sides speak (the lower level counts); None when none."""
    best = best_common_language(a, b)
    if best is None:
        return None
    code, level = best
    return Term("language", weight * level / NATIVE_LEVEL, (Reason("language", code),))


_SLOT_ORDER = {f"{day}-{part}": (d, p) for d, day in enumerate(_DAYS) for p, part in enumerate(_PARTS)}
