"""Optimal batch assignment of volunteers to tandem requests.

`assign(volunteers, requests)` returns the proposals with the maximum total score such that every pair
passes the hard rules of `tandems.score`, each request gets at most one volunteer, each volunteer at most
`capacity` requests, and requests may stay unmatched. The steps (each public, so that the benchmark can
time them):

1. `encode`: facts → numpy arrays (languages as a level matrix, slots/interests/types as bit masks); only
   volunteers with capacity and a position, only requests with a position; rows in the order of a Z
   curve over the area (neighbours get neighbouring rows), ties by id.
2. `candidate_pairs`: the graph. `nearby_pairs` prunes by distance with one k-d tree per language and
   tandem type (points on the unit sphere, so chord length is monotone in the great-circle distance);
   `score_pairs` applies the hard rules and the terms of `tandems.score`, vectorised, in whole hundredths
   (`score_pairs(...) == to_cents(score(...).total)`; the tests compare them pair by pair). The graph
   holds every feasible pair, or with `k` the feasible pairs among each request's `k` nearest
   volunteers per shared language who offer its tandem type (what the Land-sized runs use).
3. `solve`: a maximum-weight assignment in integers, so it is exact. Small dense graphs go to SciPy's
   `linear_sum_assignment` (volunteers repeated by capacity; an empty cell means "not this pair"); larger
   or sparse ones to a min-cost flow solved by LEMON's network simplex (pylmcf): request → volunteer arcs
   cost what the pair scores less than the request's best, volunteer → sink arcs carry the capacity, and
   a request → sink bypass arc lets a request stay unmatched. Before the flow, volunteers with no more
   pairs than room (they never have to choose) and the pairs their options dominate are taken out; the
   bypass then pays the request's best such option (`_free_options`; exact). The nodes are numbered
   along the instance's Z curve, requests and volunteers interleaved (`_node_numbers`).
4. `proposals_of`: the chosen pairs with their scores and reasons, ordered by request id.

Deterministic: the rows' order depends on the facts only (positions and ids), not on the order they come
in, so the same facts in any order give the same proposals (among several optimal assignments the
solver's choice on that order is taken).
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from operator import attrgetter, methodcaller

import numpy as np

from volunteering.matching.facts import RequestFacts, VolunteerFacts
from volunteering.matching.geo import EARTH_RADIUS_KM
from volunteering.matching.tandems import (
    DISTANCE_WEIGHT,
    GENERATION_GAP_YEARS,
    INTEREST_WEIGHT,
    INTERGENERATIONAL_WEIGHT,
    LANGUAGE_WEIGHT,
    SIMILAR_AGE_WEIGHT,
    SIMILAR_AGE_YEARS,
    SLOT_WEIGHT,
    Proposal,
    km_value,
    to_cents,
    usable_languages,
    waiting_points,
)
from volunteering.matching.terms import (
    NATIVE_LEVEL,
    USABLE_LEVEL,
    Reason,
    Score,
    interest_term,
    slot_term,
)

CHUNK = 1 << 18  # pairs scored at once: bounds the temporary arrays to a few MB each
DENSE_CELLS = 12_000_000  # up to this many matrix cells the dense SciPy solver is used
NO_WISH = -1
AGE_WISHES = ("", "older", "younger", "similar")  # RequestFacts.age_wish, as a number in the arrays
OLDER, YOUNGER, SIMILAR = 1, 2, 3
NO_GENDER = -2


@dataclass
class Instance:
    """Both sides as arrays: row i of every `v_*` array is volunteer `volunteer_ids[i]` (`_local_order`)."""

    volunteer_ids: np.ndarray
    request_ids: np.ndarray
    v_lat: np.ndarray
    v_lon: np.ndarray
    r_lat: np.ndarray
    r_lon: np.ndarray
    v_radius: np.ndarray
    r_radius: np.ndarray
    v_capacity: np.ndarray
    v_lang: np.ndarray  # (n_v, languages) int8, levels below B1 set to 0
    r_lang: np.ndarray
    v_slots: np.ndarray  # (n_v, words) uint64 bit masks
    r_slots: np.ndarray
    r_slot_count: np.ndarray
    v_interests: np.ndarray
    r_interests: np.ndarray
    v_types: np.ndarray
    r_type: np.ndarray  # index into the type vocabulary
    v_gender: np.ndarray
    v_wish: np.ndarray
    r_gender: np.ndarray
    r_wish: np.ndarray
    v_birth: np.ndarray  # float, NaN when unknown
    r_birth: np.ndarray
    v_efz: np.ndarray
    r_minor: np.ndarray
    r_age_wish: np.ndarray  # AGE_WISHES index: 0 none, 1 older, 2 younger, 3 similar
    r_waiting_days: np.ndarray
    r_waiting_cents: np.ndarray
    languages: tuple[str, ...]
    slot_names: tuple[str, ...] = ()  # bit i of a slot mask is slot_names[i]
    interest_names: tuple[str, ...] = ()
    v_spoken: np.ndarray | None = None  # bit i: speaks language i at B1 or above (up to 63 languages)
    r_spoken: np.ndarray | None = None
    v_curve: np.ndarray | None = None  # position on the Z curve both sides share (rows are in its order)
    r_curve: np.ndarray | None = None
    v_phi: np.ndarray = field(init=False, repr=False)
    r_phi: np.ndarray = field(init=False, repr=False)
    v_cos_phi: np.ndarray = field(init=False, repr=False)
    r_cos_phi: np.ndarray = field(init=False, repr=False)
    slot_cents: np.ndarray = field(init=False, repr=False)  # slot term in hundredths by [shared, wanted]
    rules: _Rules | None = field(init=False, repr=False)  # the code-comparing rules, packed (`_Rules`)
    score_bits: int | None = field(init=False, repr=False)  # a pair and its score in one integer (`_keys`)

    def __post_init__(self) -> None:
        # Per person once what the distance of every pair needs (`_pair_km`).
        self.v_phi, self.r_phi = np.radians(self.v_lat), np.radians(self.r_lat)
        self.v_cos_phi, self.r_cos_phi = np.cos(self.v_phi), np.cos(self.r_phi)
        self.slot_cents = _slot_cents(int(self.r_slot_count.max(initial=0)))
        if self.v_spoken is None and len(self.languages) <= 63:
            weights = np.uint64(1) << np.arange(self.v_lang.shape[1], dtype=np.uint64)
            self.v_spoken = ((self.v_lang > 0).astype(np.uint64) * weights).sum(axis=1, dtype=np.uint64)
            self.r_spoken = ((self.r_lang > 0).astype(np.uint64) * weights).sum(axis=1, dtype=np.uint64)
        self.rules = _Rules.of(self)
        # No total exceeds the sum of the terms' highest values (all terms are zero or more).
        most = sum(
            int(table.max(initial=0))
            for table in (_LANGUAGE_CENTS, _DISTANCE_CENTS, self.slot_cents, _INTEREST_CENTS, _AGE_CENTS)
        ) + int(self.r_waiting_cents.max(initial=0))
        bits = most.bit_length()
        self.score_bits = bits if self.n_requests * max(1, self.n_volunteers) < 1 << (62 - bits) else None

    @property
    def n_volunteers(self) -> int:
        return len(self.volunteer_ids)

    @property
    def n_requests(self) -> int:
        return len(self.request_ids)


@dataclass
class _Rules:
    """The hard rules that compare codes – a common slot, a language both speak at B1 or above, the tandem
    type, both gender wishes, the eFZ when a minor is involved – packed into one 64-bit word per person, so
    that a pair is checked with two reads.

    Each rule is a field of bits in both words; it holds when the field of `v_word & r_word` is not zero: a
    slot both have; a language both speak; the type the request asks for among those the volunteer offers;
    the volunteer's gender among those the request accepts (every gender and "none given" without a wish;
    a wish is never met by "none given") and the other way round; for the eFZ the volunteer has 0b11
    (valid) or 0b01, the request 0b10 (a minor) or 0b01. Above each field a guard bit, zero in both words:
    adding `carry` (all value bits set) carries into a field's guard bit exactly when the field is not
    zero, so all rules hold when all guard bits are set. The languages are left out when they do not fit
    (then `language_at` is None); when the rest does not fit either, there are no packed rules (None) and
    `_score_chunk` checks them one by one.
    """

    v_word: np.ndarray
    r_word: np.ndarray
    carry: np.uint64
    guard: np.uint64
    slot_bits: np.uint64  # the slot field starts at bit 0
    language_at: np.uint64 | None  # where the language field starts
    language_bits: np.uint64

    @classmethod
    def of(cls, it: Instance) -> _Rules | None:
        if it.v_slots.shape[1] != 1 or it.v_types.shape[1] != 1:
            return None
        codes = (it.v_gender, it.v_wish, it.r_gender, it.r_wish)
        genders = max(int(code.max(initial=-1)) for code in codes) + 1  # the highest bit: no gender given

        def one_of(code: np.ndarray) -> np.ndarray:  # the code's bit (a missing code: the highest bit)
            return np.uint64(1) << np.where(code >= 0, code, genders).astype(np.uint64)

        def accepts(wish: np.ndarray) -> np.ndarray:  # the wished gender's bit; without a wish all bits
            return np.where(wish == NO_WISH, np.uint64((1 << (genders + 1)) - 1), one_of(wish))

        # (width, the volunteers' bits, the requests' bits); the slots first.
        fields = [
            (max(1, _bit_length(it.v_slots, it.r_slots)), it.v_slots[:, 0], it.r_slots[:, 0]),
            (genders + 1, one_of(it.v_gender), accepts(it.r_wish)),
            (genders + 1, accepts(it.v_wish), one_of(it.r_gender)),
            (
                2,
                np.where(it.v_efz, np.uint64(0b11), np.uint64(0b01)),
                np.where(it.r_minor, np.uint64(0b10), np.uint64(0b01)),
            ),
            (
                max(1, _bit_length(it.v_types), int(it.r_type.max(initial=-1)) + 1),
                it.v_types[:, 0],
                np.uint64(1) << it.r_type.astype(np.uint64),
            ),
        ]
        if it.v_spoken is not None:
            fields.append((max(1, len(it.languages)), it.v_spoken, it.r_spoken))
            if sum(width + 1 for width, _v, _r in fields) > 64:
                fields.pop()
        if sum(width + 1 for width, _v, _r in fields) > 64:
            return None
        v_word, r_word = np.zeros(it.n_volunteers, np.uint64), np.zeros(it.n_requests, np.uint64)
        carry = guard = offset = 0
        for width, v_bits, r_bits in fields:
            v_word |= v_bits.astype(np.uint64) << np.uint64(offset)
            r_word |= r_bits.astype(np.uint64) << np.uint64(offset)
            carry |= ((1 << width) - 1) << offset
            guard |= 1 << (offset + width)
            offset += width + 1
        with_languages = len(fields) == 6
        return cls(
            v_word,
            r_word,
            np.uint64(carry),
            np.uint64(guard),
            slot_bits=np.uint64((1 << fields[0][0]) - 1),
            language_at=np.uint64(offset - fields[-1][0] - 1) if with_languages else None,
            language_bits=np.uint64((1 << fields[-1][0]) - 1),
        )

    def holding(self, r: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """Returns the pairs (positions) where every rule holds, their numbers of common slots, and their
        common languages as bits (`Instance.v_spoken`; None when the languages are not packed)."""
        both = self.v_word.take(v) & self.r_word.take(r)
        index = np.flatnonzero(((both + self.carry) & self.guard) == self.guard)
        both = both.take(index)
        slots = np.bitwise_count(both & self.slot_bits)
        if self.language_at is None:
            return index, slots, None
        return index, slots, (both >> self.language_at) & self.language_bits


def _bit_length(*masks: np.ndarray) -> int:
    return max(int(mask.max(initial=0)).bit_length() for mask in masks)


def _distinct(values: Iterable) -> tuple[np.ndarray, list]:
    """Returns each value's number among the distinct values, and those values in first-seen order.

    Many people share the same set of slots, interests or languages: each distinct one is encoded once.
    """
    index: dict = {}
    add = index.setdefault
    numbers = [add(value, len(index)) for value in values]
    return np.array(numbers, dtype=np.int64), list(index)


def _vocabulary(*distinct_sets: Iterable[Iterable[str]]) -> dict[str, int]:
    items = set()
    for sets in distinct_sets:
        items.update(*sets)
    return {item: index for index, item in enumerate(sorted(items))}


def _masks(distinct_sets: Sequence[Iterable[str]], vocabulary: dict[str, int]) -> np.ndarray:
    """Returns one row of bit masks (64 items a word) per distinct set."""
    words = max(1, -(-len(vocabulary) // 64))
    numbers = [sum(1 << vocabulary[item] for item in values) for values in distinct_sets]
    masks = np.zeros((len(distinct_sets), words), dtype=np.uint64)
    for word in range(words):
        if numbers:
            masks[:, word] = [(number >> (64 * word)) & 0xFFFF_FFFF_FFFF_FFFF for number in numbers]
    return masks


def _encoded_sets(
    volunteer_sets: Iterable[Iterable[str]], request_sets: Iterable[Iterable[str]]
) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Returns the bit masks of both sides' sets (one row a person) and the vocabulary."""
    v_numbers, v_distinct = _distinct(map(frozenset, volunteer_sets))  # no copy of a frozenset
    r_numbers, r_distinct = _distinct(map(frozenset, request_sets))
    vocabulary = _vocabulary(v_distinct, r_distinct)
    return _masks(v_distinct, vocabulary)[v_numbers], _masks(r_distinct, vocabulary)[r_numbers], vocabulary


def _usable(languages: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted((code, level) for code, level in languages.items() if level >= USABLE_LEVEL))


def _encoded_levels(
    volunteer_languages: Iterable[Mapping[str, int]], request_languages: Iterable[Mapping[str, int]]
) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Returns both sides' level matrices (levels below B1 set to 0) and the language vocabulary."""
    # A mapping is not hashable: its items are (as a tuple in the mapping's order).
    v_numbers, v_distinct = _distinct(map(tuple, map(methodcaller("items"), volunteer_languages)))
    r_numbers, r_distinct = _distinct(map(tuple, map(methodcaller("items"), request_languages)))
    v_usable = [_usable(dict(items)) for items in v_distinct]
    r_usable = [_usable(dict(items)) for items in r_distinct]
    vocabulary = _vocabulary(
        [[code for code, _level in items] for items in v_usable],
        [[code for code, _level in items] for items in r_usable],
    )

    def levels(distinct: list[tuple[tuple[str, int], ...]]) -> np.ndarray:
        matrix = np.zeros((len(distinct), max(1, len(vocabulary))), dtype=np.int8)
        for row, items in enumerate(distinct):
            for code, level in items:
                matrix[row, vocabulary[code]] = level
        return matrix

    return levels(v_usable)[v_numbers], levels(r_usable)[r_numbers], vocabulary


def _codes(values: Sequence[str | None], vocabulary: dict[str, int], missing: int) -> np.ndarray:
    dtype = np.int16 if len(vocabulary) < 1 << 15 else np.int64  # narrow: read for millions of pairs
    lookup = {**vocabulary, None: missing, "": missing}
    return np.fromiter(map(lookup.__getitem__, values), dtype=dtype, count=len(values))


def _column(facts: Sequence, name: str) -> list:
    return list(map(attrgetter(name), facts))


def _floats(facts: Sequence, name: str) -> np.ndarray:
    return np.array(_column(facts, name), dtype=np.float64)  # None becomes NaN


def _values(facts: Sequence, name: str, dtype: type) -> np.ndarray:
    """Returns a column that has a value for everyone (faster than `_floats`: no list, no type guessing)."""
    return np.fromiter(map(attrgetter(name), facts), dtype=dtype, count=len(facts))


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """Pauses the cyclic garbage collector: building many small objects would otherwise start repeated
    full collections, each walking every live fact (a third of the time at 100,000); none of them form
    reference cycles, so nothing is left behind."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def encode(
    volunteers: Iterable[VolunteerFacts], requests: Iterable[RequestFacts], *, full: bool = False
) -> Instance:
    """Returns the arrays for the volunteers with capacity and a position and the requests with a position.

    With `full`, volunteers without capacity are kept too (to explain why nobody is left).
    """
    with _without_cyclic_gc():
        return _encode(volunteers, requests, full)


def _encode(volunteers: Iterable[VolunteerFacts], requests: Iterable[RequestFacts], full: bool) -> Instance:
    return _encode_rest(_encode_geometry(volunteers, requests, full))


@dataclass
class _Geometry:
    """The first part of `encode`: what the k-d trees need (ids, positions, radii, languages, types)."""

    vs: list[VolunteerFacts]  # in the given order; row i of the arrays is vs[v_order[i]]
    rs: list[RequestFacts]
    v_order: np.ndarray
    r_order: np.ndarray
    volunteer_ids: np.ndarray
    request_ids: np.ndarray
    v_lat: np.ndarray
    v_lon: np.ndarray
    r_lat: np.ndarray
    r_lon: np.ndarray
    v_radius: np.ndarray
    r_radius: np.ndarray
    v_lang: np.ndarray
    r_lang: np.ndarray
    languages: tuple[str, ...]
    v_types: np.ndarray
    r_type: np.ndarray
    v_curve: np.ndarray | None
    r_curve: np.ndarray | None

    @property
    def n_volunteers(self) -> int:
        return len(self.volunteer_ids)

    @property
    def n_requests(self) -> int:
        return len(self.request_ids)


def _encode_geometry(
    volunteers: Iterable[VolunteerFacts], requests: Iterable[RequestFacts], full: bool
) -> _Geometry:
    vs = [v for v in volunteers if (full or v.capacity > 0) and v.lat is not None and v.lon is not None]
    rs = [r for r in requests if r.lat is not None and r.lon is not None]
    # The columns are read in the given order and put in order with numpy.
    v_ids, r_ids = _values(vs, "id", np.int64), _values(rs, "id", np.int64)
    for ids, name in ((v_ids, "volunteer"), (r_ids, "request")):
        ordered = np.sort(ids)
        if len(ids) > 1 and (ordered[1:] == ordered[:-1]).any():
            raise ValueError(f"Each {name} id may occur only once.")
    v_lat, v_lon = _values(vs, "lat", np.float64), _values(vs, "lon", np.float64)  # known: filtered above
    r_lat, r_lon = _values(rs, "lat", np.float64), _values(rs, "lon", np.float64)
    v_order, v_curve = _local_order(v_ids, v_lat, v_lon, r_lat, r_lon)
    r_order, r_curve = _local_order(r_ids, r_lat, r_lon, v_lat, v_lon)
    v_lang, r_lang, languages = _encoded_levels(_column(vs, "languages"), _column(rs, "languages"))
    r_type_names = _column(rs, "tandem_type")
    v_type_numbers, v_type_sets = _distinct(map(frozenset, _column(vs, "tandem_types")))
    types = _vocabulary(v_type_sets, [set(r_type_names)])
    type_dtype = np.int16 if len(types) < 1 << 15 else np.int64
    return _Geometry(
        vs=vs,
        rs=rs,
        v_order=v_order,
        r_order=r_order,
        volunteer_ids=v_ids[v_order],
        request_ids=r_ids[r_order],
        v_lat=v_lat[v_order],
        v_lon=v_lon[v_order],
        r_lat=r_lat[r_order],
        r_lon=r_lon[r_order],
        v_radius=_values(vs, "radius_km", np.float64)[v_order],
        r_radius=_values(rs, "radius_km", np.float64)[r_order],
        v_lang=v_lang[v_order],
        r_lang=r_lang[r_order],
        languages=tuple(languages),
        v_types=_masks(v_type_sets, types)[v_type_numbers][v_order],
        r_type=np.fromiter(map(types.__getitem__, r_type_names), dtype=type_dtype, count=len(rs))[r_order],
        v_curve=None if v_curve is None else v_curve[v_order],
        r_curve=None if r_curve is None else r_curve[r_order],
    )


def _encode_rest(geometry: _Geometry) -> Instance:
    """The second part of `encode`: everything else the scores need."""
    g, vs, rs, v_order, r_order = geometry, geometry.vs, geometry.rs, geometry.v_order, geometry.r_order
    v_slots, r_slots, slots = _encoded_sets(_column(vs, "slots"), _column(rs, "slots"))
    v_interests, r_interests, interests = _encoded_sets(_column(vs, "interests"), _column(rs, "interests"))
    r_waiting_days = _values(rs, "waiting_days", np.int64)[r_order]
    v_gender, v_wish = _column(vs, "gender"), _column(vs, "partner_gender_wish")
    r_gender, r_wish = _column(rs, "gender"), _column(rs, "partner_gender_wish")
    genders = _vocabulary([[value for value in set(v_gender + v_wish + r_gender + r_wish) if value]])
    return Instance(
        volunteer_ids=g.volunteer_ids,
        request_ids=g.request_ids,
        v_lat=g.v_lat,
        v_lon=g.v_lon,
        r_lat=g.r_lat,
        r_lon=g.r_lon,
        v_radius=g.v_radius,
        r_radius=g.r_radius,
        v_capacity=_values(vs, "capacity", np.int64)[v_order],
        v_lang=g.v_lang,
        r_lang=g.r_lang,
        v_slots=v_slots[v_order],
        r_slots=r_slots[r_order],
        r_slot_count=np.bitwise_count(r_slots).sum(axis=1, dtype=np.int64)[r_order],
        v_interests=v_interests[v_order],
        r_interests=r_interests[r_order],
        v_types=g.v_types,
        r_type=g.r_type,
        v_gender=_codes(v_gender, genders, NO_GENDER)[v_order],
        v_wish=_codes(v_wish, genders, NO_WISH)[v_order],
        r_gender=_codes(r_gender, genders, NO_GENDER)[r_order],
        r_wish=_codes(r_wish, genders, NO_WISH)[r_order],
        v_birth=_floats(vs, "birth_year")[v_order],
        r_birth=_floats(rs, "birth_year")[r_order],
        v_efz=_values(vs, "efz_valid", bool)[v_order],
        r_minor=_values(rs, "involves_minor", bool)[r_order],
        r_age_wish=_age_wishes(_column(rs, "age_wish"))[r_order],
        r_waiting_days=r_waiting_days,
        r_waiting_cents=_waiting_cents(r_waiting_days),
        languages=g.languages,
        slot_names=tuple(slots),
        interest_names=tuple(interests),
        v_curve=g.v_curve,
        r_curve=g.r_curve,
    )


def _age_wishes(wishes: list[str | None]) -> np.ndarray:
    numbers = {wish: number for number, wish in enumerate(AGE_WISHES)} | {None: 0}
    try:
        return np.fromiter(map(numbers.__getitem__, wishes), dtype=np.int8, count=len(wishes))
    except KeyError as error:
        raise ValueError(f"Unknown age wish {error.args[0]!r}; known: {', '.join(AGE_WISHES[1:])}.") from None


def _local_order(
    ids: np.ndarray, lat: np.ndarray, lon: np.ndarray, *others: np.ndarray
) -> tuple[np.ndarray, np.ndarray | None]:
    """Returns the rows in the order of a Z curve over both sides' area (ties by id), and each row's position
    on that curve (None when a position is missing: then the rows are in id order).

    People who live close together get close rows, so the arrays the candidate graph and the flow read
    stay in the processor's caches (measured: the flow is solved about a tenth faster). The order depends
    on the facts only, not on the order they were given in.
    """
    all_lat, all_lon = np.concatenate((lat, *others[::2])), np.concatenate((lon, *others[1::2]))
    if len(lat) == 0 or not np.isfinite(all_lat).all() or not np.isfinite(all_lon).all():
        return np.argsort(ids, kind="stable"), None

    def spread(values: np.ndarray, low: float, span: float) -> np.ndarray:
        cells = (
            ((values - low) / span * 0xFFFF).astype(np.uint64)
            if span > 0
            else np.zeros(len(values), np.uint64)
        )
        for shift, mask in ((8, 0x00FF00FF), (4, 0x0F0F0F0F), (2, 0x33333333), (1, 0x55555555)):
            cells = (cells | (cells << np.uint64(shift))) & np.uint64(mask)
        return cells

    z = spread(lon, all_lon.min(), np.ptp(all_lon)) | (
        spread(lat, all_lat.min(), np.ptp(all_lat)) << np.uint64(1)
    )
    return np.lexsort((ids, z)), z


def _waiting_cents(days: np.ndarray) -> np.ndarray:
    distinct, numbers = np.unique(days, return_inverse=True)
    return np.array([to_cents(waiting_points(value)) for value in distinct.tolist()], dtype=np.int64)[numbers]


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Returns points on the unit sphere: straight-line (chord) distance grows with great-circle distance."""
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)))


def chord(km: np.ndarray) -> np.ndarray:
    """Returns the unit-sphere chord of a great-circle distance, with a little slack for rounding."""
    angle = np.minimum(np.asarray(km, dtype=np.float64) / EARTH_RADIUS_KM, math.pi)
    return 2 * np.sin(angle / 2) * (1 + 1e-9) + 1e-12


def nearby_pairs(
    instance: Instance, k: int | None = None, requests: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Returns (request rows, volunteer rows): pairs pruned by distance, language and tandem type.

    For each language and tandem type, a k-d tree holds the volunteers who speak the language at B1 or
    above and offer the type; each request (of `requests`, default all) asks the trees of its languages
    and its type for the volunteers within its radius – all of them, or with `k` the `k` nearest. The
    pairs are distinct and sorted.
    """
    parts = [_group_pairs(group, k, workers=-1) for group in _groups(instance, requests)]
    if not parts:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    n_v = instance.n_volunteers
    keys = _unique(np.concatenate([r for r, _v in parts]) * n_v + np.concatenate([v for _r, v in parts]))
    return keys // n_v, keys % n_v


def candidate_pairs(instance: Instance, k: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Returns the candidate graph: (request rows, volunteer rows, scores in hundredths), sorted.

    Without `k` every feasible pair (then the assignment is the exact optimum); with `k` the feasible
    pairs among each request's `k` nearest volunteers per shared language who offer its tandem type.
    The same as `score_pairs` on `nearby_pairs`, but each language and type is searched and scored on
    its own, two at a time (k-d tree queries and numpy release the GIL, so both cores work).
    """

    def scored(group: _Group) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        r, v = _group_pairs(group, k, workers=1)
        r, v, cents, _terms = score_pairs(instance, r, v)
        return r, v, cents

    with ThreadPoolExecutor(max_workers=2) as pool:
        parts = list(pool.map(scored, _groups(instance)))
    return _merged(instance, parts)


def _keys(instance: Instance, r: np.ndarray, v: np.ndarray, cents: np.ndarray) -> np.ndarray | None:
    """Returns each scored pair as one integer, `(r × volunteers + v) << score_bits | cents`, so that one
    sort puts them in order (faster than an argsort); None when the instance's numbers do not fit."""
    bits = instance.score_bits
    if bits is None or (len(cents) and (cents.min() < 0 or cents.max() >> bits)):
        return None
    return ((r * max(1, instance.n_volunteers) + v) << bits) | cents


def _merged(
    instance: Instance, parts: list[tuple[np.ndarray, np.ndarray, np.ndarray] | np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Returns the scored pairs of all groups as one sorted graph, each pair once.

    A part is a group's (request rows, volunteer rows, scores), or the same as `_keys` (made by the
    threads that scored them).
    """
    empty = np.empty(0, dtype=np.int64)
    n_v = max(1, instance.n_volunteers)
    triples = [part for part in parts if not isinstance(part, np.ndarray)]
    keyed = [part for part in parts if isinstance(part, np.ndarray)]
    if triples:
        keys = _keys(instance, *(np.concatenate(values) for values in zip(*triples, strict=True)))
        if keys is None:
            if keyed:  # back to triples (none are made so: every part of an instance packs or none does)
                triples += [_unpacked(instance, part) for part in keyed]
            return _merged_by_argsort(n_v, triples)
        keyed.append(keys)
    if not keyed:
        return empty, empty, empty
    # A pair found through two shared languages comes twice, with the same score: it is kept once.
    keys = np.concatenate(keyed) if len(keyed) > 1 else keyed[0].copy()
    keys.sort()
    if len(keys):
        first = np.empty(len(keys), dtype=bool)
        first[0] = True
        np.not_equal(keys[1:], keys[:-1], out=first[1:])
        keys = keys[first]
    return _unpacked(instance, keys)


def _unpacked(instance: Instance, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    bits = instance.score_bits
    pairs = keys >> bits
    r, v = np.divmod(pairs, max(1, instance.n_volunteers))
    return r, v, keys & ((1 << bits) - 1)


def _merged_by_argsort(
    n_v: int, parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    pairs = np.concatenate([part[0] for part in parts]) * n_v + np.concatenate([part[1] for part in parts])
    cents = np.concatenate([part[2] for part in parts])
    order = np.argsort(pairs, kind="stable")
    pairs, cents = pairs[order], cents[order]
    first = np.concatenate(([True], pairs[1:] != pairs[:-1])) if len(pairs) else np.zeros(0, dtype=bool)
    pairs, cents = pairs[first], cents[first]
    return pairs // n_v, pairs % n_v, cents


@dataclass
class _Group:
    """The requests (rows) asking one k-d tree of volunteers (rows): one language, one tandem type."""

    requests: np.ndarray  # by bound, then row
    volunteers: np.ndarray
    bound: np.ndarray  # per request, the chord of the farthest distance that can count (non-decreasing)
    all_r_xyz: np.ndarray  # every request's point on the unit sphere (the group's rows read when searched)
    all_v_xyz: np.ndarray
    # (first, end, bound): the requests that share a bound, as one slice each
    slices: list[tuple[int, int, float]] = field(default_factory=list)


def _groups(instance: Instance | _Geometry, requests: np.ndarray | None = None) -> list[_Group]:
    it = instance
    if it.n_volunteers == 0 or it.n_requests == 0:
        return []
    chosen = np.zeros(it.n_requests, dtype=bool)
    chosen[np.arange(it.n_requests) if requests is None else requests] = True
    v_xyz = unit_vectors(it.v_lat, it.v_lon)
    r_xyz = unit_vectors(it.r_lat, it.r_lon)
    v_speaks = np.ascontiguousarray((it.v_lang > 0).T)  # one row a language
    r_speaks = np.ascontiguousarray((it.r_lang > 0).T)
    groups = []
    for t in np.unique(it.r_type[chosen]).tolist():
        offers = ((it.v_types[:, t // 64] >> np.uint64(t % 64)) & np.uint64(1)).astype(bool)
        of_type = chosen & (it.r_type == t)
        for language in range(len(it.languages)):
            vs = np.flatnonzero(offers & v_speaks[language])
            rs = np.flatnonzero(of_type & r_speaks[language])
            if len(vs) == 0 or len(rs) == 0:
                continue
            # Nobody travels farther than the farthest radius among these volunteers.
            bound = chord(np.minimum(it.r_radius[rs], it.v_radius[vs].max()))
            keep = np.flatnonzero(bound > 0)
            if len(keep) == 0:
                continue
            keep = keep[np.argsort(bound[keep], kind="stable")]
            rs, bound = rs[keep], bound[keep]
            limits, firsts = np.unique(bound, return_index=True)
            ends = np.append(firsts[1:], len(bound))
            slices = list(zip(firsts.tolist(), ends.tolist(), limits.tolist(), strict=True))
            groups.append(_Group(rs, vs, bound, r_xyz, v_xyz, slices))
    # The largest first, so that two threads finish at about the same time.
    return sorted(groups, key=lambda group: -len(group.requests) * len(group.volunteers))


def _group_pairs(group: _Group, k: int | None, workers: int) -> tuple[np.ndarray, np.ndarray]:
    """Returns (request rows, volunteer rows): the group's requests and, for each, the volunteers of the
    group within its bound – all of them, or with `k` the `k` nearest."""
    return _pairs_found(group, k, _search(group, k, workers))


def _search(group: _Group, k: int | None, workers: int) -> list:
    """The k-d tree part of `_group_pairs`: the tree is built and asked, nothing else.

    Both release the GIL; kept apart from reading the results, this part runs beside the encoding (pure
    Python, holding the GIL) with few waits for the GIL: each wait may last the interpreter's switch
    interval.
    """
    from scipy.spatial import cKDTree

    # Sliding midpoint (built a third faster than balanced, same queries) and leaves of 32 points (measured
    # on the Land instances: asked for 50 neighbours, 5 % faster than cKDTree's 16).
    tree = cKDTree(group.all_v_xyz[group.volunteers], leafsize=32, balanced_tree=False)
    r_xyz = group.all_r_xyz[group.requests]
    if k is None or k >= len(group.volunteers):
        return [cKDTree(r_xyz).sparse_distance_matrix(tree, float(group.bound[-1]), output_type="ndarray")]
    # Requests with a smaller radius ask with a smaller bound (the search then stops earlier); the `k`
    # nearest within a bound are the `k` nearest that are within it.
    return [
        tree.query(r_xyz[first:end], k=k, distance_upper_bound=limit, workers=workers)
        for first, end, limit in group.slices
    ]


def _pairs_found(group: _Group, k: int | None, found: list) -> tuple[np.ndarray, np.ndarray]:
    """The second part of `_group_pairs`: the pairs `_search` found."""
    rs, vs, bound = group.requests, group.volunteers, group.bound
    if k is None or k >= len(vs):
        (within,) = found
        within = within[within["v"] <= bound[within["i"]]]
        return rs[within["i"]], vs[within["j"]]
    r_parts, v_parts = [], []
    for (first, end, limit), (distances, rows) in zip(group.slices, found, strict=True):
        valid = distances.reshape(end - first, k) <= limit
        r_parts.append(np.repeat(rs[first:end], k)[valid.ravel()])
        v_parts.append(vs.take(rows.reshape(end - first, k)[valid]))
    if len(r_parts) == 1:
        return r_parts[0], v_parts[0]
    return np.concatenate(r_parts), np.concatenate(v_parts)


def _unique(values: np.ndarray) -> np.ndarray:
    """Returns the sorted distinct values (by sorting: numpy's hashing `unique` is slower on large arrays)."""
    values = np.sort(values)
    return values[np.concatenate(([True], values[1:] != values[:-1]))] if len(values) else values


def _popcount(a: np.ndarray, rows_a: np.ndarray, b: np.ndarray, rows_b: np.ndarray) -> np.ndarray:
    """Returns how many bits the masks a[rows_a] and b[rows_b] share."""
    if a.shape[1] == 1:  # the usual case: one word, no two-dimensional gather
        return np.bitwise_count(a[:, 0].take(rows_a) & b[:, 0].take(rows_b)).astype(np.int64)
    return np.bitwise_count(a[rows_a] & b[rows_b]).sum(axis=1, dtype=np.int64)


def _common_level(it: Instance, r: np.ndarray, v: np.ndarray, common: np.ndarray | None = None) -> np.ndarray:
    """Returns the level of the best language both speak at B1 or above (the lower of both), else 0.

    `common`: the pairs' common languages as bits (`Instance.v_spoken`), when known.
    """
    if len(it.languages) > 63:
        return np.minimum(it.v_lang[v], it.r_lang[r]).max(axis=1)
    # The languages both speak, one bit each: the lowest bit's language is read (its number is the count of
    # the bits below it), the bit cleared, and again for the pairs with bits left (most share one language).
    if common is None:
        common = it.v_spoken.take(v) & it.r_spoken.take(r)
    level = np.zeros(len(r), dtype=np.int8)
    rows = np.flatnonzero(common)
    width = it.v_lang.shape[1]
    v_levels, r_levels = it.v_lang.ravel(), it.r_lang.ravel()
    v_at, r_at, common = v.take(rows) * width, r.take(rows) * width, common.take(rows)
    one = np.uint64(1)
    while len(rows):
        language = np.bitwise_count((common ^ (common - one)) >> one).astype(np.int64)
        both = np.minimum(v_levels.take(v_at + language), r_levels.take(r_at + language))
        level[rows] = np.maximum(level.take(rows), both)
        common &= common - one
        left = np.flatnonzero(common)
        rows, v_at, r_at, common = rows.take(left), v_at.take(left), r_at.take(left), common.take(left)
    return level


def haversine_km_vector(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Returns great-circle distances in km (the same steps as `geo.haversine_km`)."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = np.radians(lon2 - lon1) / 2
    a = np.sin(half_dphi) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def _pair_km(it: Instance, r: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Returns `haversine_km_vector` from volunteer to request, with the per-person parts read, not made."""
    half_dphi = (it.r_phi.take(r) - it.v_phi.take(v)) / 2
    half_dlambda = np.radians(it.r_lon.take(r) - it.v_lon.take(v)) / 2
    a = np.sin(half_dphi) ** 2 + it.v_cos_phi.take(v) * it.r_cos_phi.take(r) * np.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def _score_chunk(instance: Instance, r: np.ndarray, v: np.ndarray, with_terms: bool):
    """Returns the feasible pairs among (r, v), in their order, their totals and (`with_terms`) terms."""
    it = instance
    # The rules that compare codes first (cheap, and a common slot alone rules out about half of the nearby
    # pairs); every step keeps only the pairs still feasible.
    if it.rules is not None:
        index, shared_slots, common = it.rules.holding(r, v)
    else:
        (index, shared_slots), common = _rules_one_by_one(it, r, v), None
    r, v = r.take(index), v.take(index)
    radius = np.minimum(it.v_radius.take(v), it.r_radius.take(r))
    km = _pair_km(it, r, v)
    keep = np.flatnonzero(km <= radius)
    r, v, shared_slots, radius, km = (a.take(keep) for a in (r, v, shared_slots, radius, km))
    if common is not None:  # a language both speak at B1 or above: the rules have made sure
        level = _common_level(it, r, v, common.take(keep))
    else:
        level = _common_level(it, r, v)
        keep = np.flatnonzero(level >= USABLE_LEVEL)
        kept = (a.take(keep) for a in (r, v, shared_slots, radius, km, level))
        r, v, shared_slots, radius, km, level = kept
    with np.errstate(divide="ignore", invalid="ignore"):
        closeness = np.where(radius > 0, 1.0 - km / radius, 1.0)
    shared_interests = np.minimum(_popcount(it.v_interests, v, it.r_interests, r), 2)
    later = it.v_birth.take(v) - it.r_birth.take(r)  # > 0: the volunteer is younger; NaN: a year unknown
    age_wish = it.r_age_wish.take(r)
    # Terms of few possible values are read from tables made with the same arithmetic.
    terms = {
        "language": _LANGUAGE_CENTS[level],
        "distance": np.rint(DISTANCE_WEIGHT * closeness * 100),
        "slots": it.slot_cents[shared_slots, it.r_slot_count.take(r)],
        "interests": _INTEREST_CENTS[shared_interests],
        "intergenerational": np.where(
            ((age_wish == OLDER) & (-later >= GENERATION_GAP_YEARS))
            | ((age_wish == YOUNGER) & (later >= GENERATION_GAP_YEARS)),
            round(INTERGENERATIONAL_WEIGHT * 100),
            0,
        ),
        "similar_age": np.where(
            (age_wish == SIMILAR) & (np.abs(later) <= SIMILAR_AGE_YEARS), round(SIMILAR_AGE_WEIGHT * 100), 0
        ),
        "waiting": it.r_waiting_cents.take(r),
    }
    cents = sum(term.astype(np.int64, copy=False) for term in terms.values())
    return r, v, cents, (terms if with_terms else None)


def _rules_one_by_one(it: Instance, r: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """What `_Rules.holding` does, for vocabularies too large to pack: the feasible pairs and their number of
    common slots."""
    shared_slots = _popcount(it.v_slots, v, it.r_slots, r)
    index = np.flatnonzero(shared_slots)
    r, v, shared_slots = r[index], v[index], shared_slots[index]
    types = it.r_type[r]
    ok = ((it.v_types[v, types // 64] >> (types % 64).astype(np.uint64)) & np.uint64(1)).astype(bool)
    wish = it.v_wish[v]
    ok &= (wish == NO_WISH) | (wish == it.r_gender[r])
    wish = it.r_wish[r]
    ok &= (wish == NO_WISH) | (wish == it.v_gender[v])
    ok &= it.v_efz[v] | ~it.r_minor[r]
    keep = np.flatnonzero(ok)
    return index[keep], shared_slots[keep]


_LANGUAGE_CENTS = np.rint(
    LANGUAGE_WEIGHT * np.arange(NATIVE_LEVEL + 1, dtype=np.float64) / NATIVE_LEVEL * 100
)
_INTEREST_CENTS = np.rint(INTEREST_WEIGHT * np.arange(3) / 2 * 100)
_DISTANCE_CENTS = np.rint(DISTANCE_WEIGHT * np.array([0.0, 1.0]) * 100)  # closeness is 0 … 1
_AGE_CENTS = np.array([round(INTERGENERATIONAL_WEIGHT * 100), round(SIMILAR_AGE_WEIGHT * 100)])  # one or none


def _slot_cents(most: int) -> np.ndarray:
    """Returns the slot term in hundredths for [shared, wanted] up to `most` wanted slots."""
    shared, wanted = np.meshgrid(np.arange(most + 1), np.arange(most + 1), indexing="ij")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.nan_to_num(np.rint(SLOT_WEIGHT * shared / wanted * 100)).astype(np.int64)


def score_pairs(
    instance: Instance, r: np.ndarray, v: np.ndarray, *, with_terms: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray] | None]:
    """Returns the feasible pairs (request rows, volunteer rows) and their totals in hundredths.

    With `with_terms` also each term's hundredths (for tests and explanations), else None.
    """
    kept_r, kept_v, cents, terms = [], [], [], []
    for start in range(0, len(r), CHUNK):
        part_r, part_v = r[start : start + CHUNK], v[start : start + CHUNK]
        part_r, part_v, part_cents, part_terms = _score_chunk(instance, part_r, part_v, with_terms)
        kept_r.append(part_r)
        kept_v.append(part_v)
        cents.append(part_cents)
        terms.append(part_terms)
    if not cents:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, empty, ({} if with_terms else None)
    merged = None
    if with_terms:
        merged = {name: np.concatenate([part[name] for part in terms]).astype(np.int64) for name in terms[0]}
    return np.concatenate(kept_r), np.concatenate(kept_v), np.concatenate(cents), merged


def _compact(r: np.ndarray, v: np.ndarray, capacity: np.ndarray):
    """Numbers the requests and volunteers that have pairs 0, 1, … (in row order); returns their rows, each
    pair's two numbers, and each volunteer's room (capacity, at most their number of pairs)."""
    requests, r_node, _counts = _numbered(r)
    volunteers, v_node, degree = _numbered(v)
    return requests, r_node, volunteers, v_node, np.minimum(capacity[volunteers], degree)


def _numbered(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Returns the distinct rows (ascending), each entry's number among them, and how often each occurs."""
    count = np.bincount(rows)
    distinct = np.flatnonzero(count)
    return distinct, (np.cumsum(count > 0) - 1).take(rows), count[distinct]


def _free_options(
    r_node: np.ndarray, v_node: np.ndarray, cents: np.ndarray, room: np.ndarray, first: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Takes out of the flow what cannot change the optimum; returns (kept pairs, best free score, its pair).

    A volunteer with no more pairs left than room never has to choose: each of their pairs is an option
    of its request alone (the best such option per request becomes the request's "unmatched" value). A pair
    scoring no more than its request's best free option is dominated: swapping it for that option never
    lowers the total. Dropping pairs can free more volunteers, so this repeats until nothing changes. The
    optimum of the reduced flow plus the free options equals the optimum of the whole graph.

    The pairs must be sorted by request (`r_node`); request i's are first[i]:first[i + 1].
    """
    n_v, n_r = len(room), len(first) - 1
    kept = np.ones(len(r_node), dtype=bool)
    best = np.zeros(n_r, dtype=np.int64)
    best_pair = np.full(n_r, -1, dtype=np.int64)
    free = np.zeros(n_v, dtype=bool)
    degree = np.bincount(v_node, minlength=n_v)
    while True:
        newly = ~free & (degree > 0) & (degree <= room)
        if not newly.any():
            return kept, best, best_pair
        free |= newly
        pairs = np.flatnonzero(kept & newly[v_node])
        kept[pairs] = False  # options now, no longer arcs of the flow
        # Per request its best new option (the first pair on ties, so the result stays deterministic).
        pairs = pairs[np.lexsort((pairs, -cents[pairs], r_node[pairs]))]
        pairs = pairs[np.concatenate(([True], r_node[pairs][1:] != r_node[pairs][:-1]))]
        better = pairs[cents[pairs] > best[r_node[pairs]]]
        requests = r_node[better]
        best[requests] = cents[better]
        best_pair[requests] = better
        # The pairs of those requests that their new best option dominates leave the flow.
        counts = first[requests + 1] - first[requests]
        ranges = np.repeat(first[requests] - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        dropped = ranges[kept[ranges] & (cents[ranges] <= best[r_node[ranges]])]
        kept[dropped] = False
        degree -= np.bincount(v_node[dropped], minlength=n_v)


def solve_flow(
    r: np.ndarray,
    v: np.ndarray,
    cents: np.ndarray,
    capacity: np.ndarray,
    r_curve: np.ndarray | None = None,
    v_curve: np.ndarray | None = None,
) -> np.ndarray:
    """Returns a mask of the chosen pairs: maximum total, capacities kept (min-cost flow, network simplex).

    The network: each request sends one unit, either over a pair arc to a volunteer (then on to the sink
    over the volunteer's arc, which carries their room) or over its bypass arc straight to the sink.
    Volunteers who never have to choose and the pairs they dominate are left out first (`_free_options`);
    the bypass pays the request's best free option. LEMON's network simplex (pylmcf) needs costs of zero
    or more: a pair arc costs the request's highest value minus the pair's score, the bypass that value
    minus the free option. Each request sends exactly one unit over one of its arcs, so adding the same
    amount to all of them changes every flow's cost by the same total: the optimum stays the optimum.

    `r_curve` and `v_curve` (optional, non-decreasing along the rows: `Instance.r_curve`, `v_curve`) are the
    rows' positions on a curve both sides share; the nodes are then numbered along it, requests and
    volunteers interleaved, so that neighbours get near numbers (measured: LEMON solves a tenth faster).
    """
    import pylmcf

    if len(r) == 0:
        return np.zeros(0, dtype=bool)
    keys = r * (int(v.max()) + 1) + v
    if (keys[1:] <= keys[:-1]).any():  # not sorted by request, then volunteer (the graph builders are)
        order = np.argsort(keys, kind="stable")
        if (keys[order][1:] == keys[order][:-1]).any():
            raise ValueError("Each pair may occur only once.")
        chosen = np.zeros(len(r), dtype=bool)
        chosen[order] = solve_flow(r[order], v[order], cents[order], capacity, r_curve, v_curve)
        return chosen
    chosen = np.zeros(len(r), dtype=bool)
    network = _flow_network(r, v, cents, capacity, r_curve, v_curve, chosen)
    if network is None:
        return chosen
    # Only what the flows are read with stays alive while LEMON builds its network, so that LEMON can
    # take the memory the steps before it gave back (fewer fresh pages: fewer page faults).
    (arc_tails, arc_heads, arc_costs, arc_capacities, supply), (pairs, pair_at, bypass_at, best_pair) = (
        network
    )
    solver = pylmcf.Graph(len(supply), arc_tails, arc_heads)
    solver.set_node_supply(supply)
    solver.set_edge_capacities(arc_capacities)
    solver.set_edge_costs(arc_costs)
    del arc_tails, arc_heads, arc_costs, arc_capacities, supply
    solver.set_pivot_rule("candidate_list")  # measured: about 2.5 × faster than block search here
    solver.solve()
    flows = solver.result()
    chosen[pairs[flows[pair_at] > 0]] = True
    bypass = flows[bypass_at] > 0
    chosen[best_pair[bypass & (best_pair >= 0)]] = True
    return chosen


def _flow_network(
    r: np.ndarray,
    v: np.ndarray,
    cents: np.ndarray,
    capacity: np.ndarray,
    r_curve: np.ndarray | None,
    v_curve: np.ndarray | None,
    chosen: np.ndarray,
) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]] | None:
    """Returns the network of `solve_flow` – (arc tails, heads, costs, capacities, node supplies) – and what
    its flows are read with – (pairs in the flow, their arcs, the bypass arcs, each request's best free
    pair) –, or None when no pair is left for the flow; marks the free options taken in `chosen`."""
    requests, r_node, volunteers, v_node, room = _compact(r, v, capacity)
    first = np.zeros(len(requests) + 1, dtype=np.int64)  # request i's pairs: first[i]:first[i + 1]
    np.cumsum(np.bincount(r_node, minlength=len(requests)), out=first[1:])
    kept, best, best_pair = _free_options(r_node, v_node, cents, room, first)
    pairs = np.flatnonzero(kept)
    # A request with no pair left in the flow takes its best free option, if it has one.
    left = np.add.reduceat(kept, first[:-1], dtype=np.int64) if len(kept) else first[:-1]  # each has pairs
    alone = left == 0
    chosen[best_pair[alone & (best_pair >= 0)]] = True
    if len(pairs) == 0:
        return None
    # The flow holds only the requests and volunteers with pairs left (numbered anew, order kept).
    in_flow = np.flatnonzero(~alone)
    tails = np.repeat(np.arange(len(in_flow)), left[in_flow])
    in_flow_volunteers, heads, degree = _numbered(v_node[pairs])
    room = np.minimum(room[in_flow_volunteers], degree)
    best, best_pair = best[in_flow], best_pair[in_flow]
    values = cents[pairs]
    n_r, n_v, n_pairs = len(in_flow), len(room), len(pairs)
    starts = np.searchsorted(tails, np.arange(n_r))  # each request's first pair (tails are 0, 1, … sorted)
    counts = np.diff(np.append(starts, n_pairs))
    top = np.maximum(best, np.maximum.reduceat(values, starts))
    r_number, v_number = _node_numbers(
        None if r_curve is None else r_curve[requests[in_flow]],
        None if v_curve is None else v_curve[volunteers[in_flow_volunteers]],
        n_r,
        n_v,
    )
    sink = n_r + n_v
    # Arcs sorted by tail, then head (pylmcf asks for it): a request's pair arcs (sorted, as the pairs are:
    # the numbers keep the rows' order), then its bypass (the sink has the highest number); a volunteer's
    # one arc to the sink.
    arcs_of = np.ones(sink, dtype=np.int64)
    arcs_of[r_number] = counts + 1
    first_arc = np.cumsum(arcs_of) - arcs_of
    # A request's pair arcs follow each other from its first arc on, as its pairs do from its first pair.
    pair_at = np.arange(n_pairs) + np.repeat(first_arc[r_number] - starts, counts)
    bypass_at = first_arc[r_number] + counts
    volunteer_at = first_arc[v_number]
    n_arcs = n_pairs + n_r + n_v
    arc_tails = np.empty(n_arcs, dtype=np.int32)  # LEMON's index type: taken without a copy
    arc_heads = np.full(n_arcs, sink, dtype=np.int32)
    arc_costs = np.empty(n_arcs, dtype=np.int64)
    arc_capacities = np.ones(n_arcs, dtype=np.int64)
    arc_tails[pair_at], arc_heads[pair_at], arc_costs[pair_at] = (
        np.repeat(r_number, counts),
        v_number.take(heads),
        np.repeat(top, counts) - values,
    )
    arc_tails[bypass_at], arc_costs[bypass_at] = r_number, top - best
    arc_tails[volunteer_at], arc_costs[volunteer_at], arc_capacities[volunteer_at] = v_number, 0, room
    supply = np.zeros(sink + 1, dtype=np.int64)
    supply[r_number], supply[sink] = 1, -n_r
    return (arc_tails, arc_heads, arc_costs, arc_capacities, supply), (pairs, pair_at, bypass_at, best_pair)


def _node_numbers(
    r_curve: np.ndarray | None, v_curve: np.ndarray | None, n_r: int, n_v: int
) -> tuple[np.ndarray, np.ndarray]:
    """Returns the flow's node numbers of the requests and the volunteers (both in row order).

    With both sides' curve positions (each non-decreasing): one merged order, a request before a volunteer
    at the same position. Without: the requests first, then the volunteers.
    """
    if (
        r_curve is None
        or v_curve is None
        or (r_curve[1:] < r_curve[:-1]).any()
        or (v_curve[1:] < v_curve[:-1]).any()
    ):
        return np.arange(n_r, dtype=np.int64), np.arange(n_r, n_r + n_v, dtype=np.int64)
    r_number = np.arange(n_r, dtype=np.int64) + np.searchsorted(v_curve, r_curve, side="left")
    v_number = np.arange(n_v, dtype=np.int64) + np.searchsorted(r_curve, v_curve, side="right")
    return r_number, v_number


def solve_dense(r: np.ndarray, v: np.ndarray, cents: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Returns a mask of the chosen pairs: maximum total, capacities kept (SciPy linear_sum_assignment)."""
    from scipy.optimize import linear_sum_assignment

    if len(r) == 0:
        return np.zeros(0, dtype=bool)
    requests, r_node, volunteers, v_node, room = _compact(r, v, capacity)
    first_column = np.concatenate(([0], np.cumsum(room)))
    matrix = np.zeros((len(requests), int(first_column[-1])), dtype=np.int64)
    for copy in range(int(room.max())):
        has = room[v_node] > copy
        matrix[r_node[has], first_column[v_node[has]] + copy] = cents[has]
    rows, columns = linear_sum_assignment(matrix, maximize=True)
    taken = matrix[rows, columns] > 0
    rows, columns = rows[taken], columns[taken]
    owner = np.repeat(np.arange(len(volunteers)), room)[columns]
    keys = r_node.astype(np.int64) * len(volunteers) + v_node
    chosen = np.zeros(len(r), dtype=bool)
    chosen[np.searchsorted(keys, rows.astype(np.int64) * len(volunteers) + owner)] = True
    return chosen


def solve(
    r: np.ndarray,
    v: np.ndarray,
    cents: np.ndarray,
    capacity: np.ndarray,
    method: str = "auto",
    *,
    instance: Instance | None = None,
) -> np.ndarray:
    """Returns a mask of the chosen pairs; `method` is "dense", "flow" or "auto" (dense when small).

    With the `instance` the rows belong to, the flow numbers its nodes along the instance's Z curve.
    """
    if method == "auto":
        copies = int(np.minimum(capacity, np.bincount(v, minlength=len(capacity))).sum())
        cells = (np.count_nonzero(np.bincount(r)) if len(r) else 0) * copies
        method = "dense" if cells <= DENSE_CELLS and len(r) * 4 >= cells else "flow"
    if method == "dense":
        return solve_dense(r, v, cents, capacity)
    if method == "flow":
        if instance is None:
            return solve_flow(r, v, cents, capacity)
        return solve_flow(r, v, cents, capacity, instance.r_curve, instance.v_curve)
    raise ValueError(f"Unknown method {method!r}.")


def assign(
    volunteers: Iterable[VolunteerFacts],
    requests: Iterable[RequestFacts],
    *,
    k: int | None = None,
    method: str = "auto",
) -> list[Proposal]:
    """Returns the proposals with the maximum total score (see the module), ordered by request id.

    `k` limits each request to its `k` nearest speakers per language (for very large instances; the result
    is then optimal over that graph). `method` picks the solver ("auto", "dense" or "flow").
    """
    volunteers, requests = list(volunteers), list(requests)
    with ThreadPoolExecutor(max_workers=2) as pool:
        instance, (r, v, cents) = _encode_and_graph(volunteers, requests, k, pool)
        # The flow is solved on a worker thread too: that thread's memory arena still holds the pages the
        # scoring gave back, and LEMON's copy of the network takes them instead of fresh ones (measured at
        # 100,000 × 100,000: 47 MB less at the peak, fewer page faults, `assign` 6 % faster).
        chosen = pool.submit(solve, r, v, cents, instance.v_capacity, method, instance=instance).result()
    r, v = r[chosen], v[chosen]
    order = np.argsort(instance.request_ids[r], kind="stable")  # each request at most once
    return proposals_of(instance, r[order], v[order])


def _encode_and_graph(
    volunteers: Sequence[VolunteerFacts], requests: Sequence[RequestFacts], k: int | None, pool: Executor
) -> tuple[Instance, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """`encode` and `candidate_pairs` at once: the k-d trees are searched (without the GIL, on the other
    core) while the rest of the facts are encoded; then the pairs found are scored, two groups at a time."""
    with _without_cyclic_gc():
        geometry = _encode_geometry(volunteers, requests, False)
    groups = _groups(geometry)
    found = [pool.submit(_search, group, k, 1) for group in groups]
    with _without_cyclic_gc():
        instance = _encode_rest(geometry)

    def scored(group: _Group, searched: Future) -> tuple[np.ndarray, np.ndarray, np.ndarray] | np.ndarray:
        r, v, cents, _terms = score_pairs(instance, *_pairs_found(group, k, searched.result()))
        keys = _keys(instance, r, v, cents)  # packed here, on both threads
        return (r, v, cents) if keys is None else keys

    parts = list(pool.map(scored, groups, found))
    return instance, _merged(instance, parts)


def proposals_of(instance: Instance, r: np.ndarray, v: np.ndarray) -> list[Proposal]:
    """Returns the proposals for the chosen (feasible) pairs of the instance's rows, each with the score
    `tandems.score` gives.

    The points come from the vectorised terms; only the reasons are put together pair by pair.
    """
    if len(r) == 0:
        return []
    with _without_cyclic_gc():
        return _proposals(instance, r, v)


def _proposals(instance: Instance, r: np.ndarray, v: np.ndarray) -> list[Proposal]:
    it = instance
    kept_r, _kept_v, _cents, terms = score_pairs(it, r, v, with_terms=True)
    if len(kept_r) != len(r):
        raise ValueError("Only feasible pairs can be proposed.")
    language = np.minimum(it.v_lang[v], it.r_lang[r]).argmax(axis=1)  # ties: first code
    km = haversine_km_vector(it.v_lat[v], it.v_lon[v], it.r_lat[r], it.r_lon[r])
    gap = np.nan_to_num(np.abs(it.v_birth[v] - it.r_birth[r])).astype(np.int64)
    request_ids = it.request_ids[r].tolist()
    days = it.r_waiting_days[r].tolist()
    # Reasons are values: each distinct one is made once and shared by the proposals that give it.
    codes = [Reason("language", code) for code in it.languages]
    language_reasons = [codes[index] for index in language.tolist()]
    distance_reasons = _interned(_tenths(km).tolist(), partial(Reason, "distance"))

    def shared_slots(key: int | tuple[int, ...]) -> tuple[Reason, ...]:
        shared = _mask_names(key, it.slot_names)
        return slot_term(shared, shared).reasons  # every feasible pair shares a slot

    def shared_interests(key: int | tuple[int, ...]) -> tuple[Reason, ...]:
        shared = _mask_names(key, it.interest_names)
        return interest_term(shared, shared).reasons if shared else ()

    slot_reasons = _interned(_mask_keys(it.v_slots, v, it.r_slots, r), shared_slots)
    interest_reasons = _interned(_mask_keys(it.v_interests, v, it.r_interests, r), shared_interests)
    age_reasons = _age_reasons(terms["intergenerational"] > 0, terms["similar_age"] > 0, gap)
    waiting_reasons = _interned(days, partial(Reason, "waiting"))
    columns = {name: (values / 100).tolist() for name, values in terms.items()}
    rows = zip(
        days,
        language_reasons,
        distance_reasons,
        slot_reasons,
        interest_reasons,
        age_reasons,
        waiting_reasons,
        columns["language"],
        columns["distance"],
        columns["slots"],
        columns["interests"],
        columns["intergenerational"],
        columns["similar_age"],
        columns["waiting"],
        strict=True,
    )
    all_parts, all_reasons = [], []
    add_parts, add_reasons = all_parts.append, all_reasons.append
    for (
        waited, language_reason, distance_reason, slots, interests, age, waiting, language_points,
        distance_points, slot_points, interest_points, generation_points, similar_points, wait_points,
    ) in rows:  # fmt: skip
        parts = {"language": language_points, "distance": distance_points, "slots": slot_points}
        found = [language_reason, distance_reason, *slots]
        if interest_points:
            parts["interests"] = interest_points
            found.extend(interests)
        if generation_points:
            parts["intergenerational"] = generation_points
            found.append(age)
        elif similar_points:
            parts["similar_age"] = similar_points
            found.append(age)
        if waited > 0:
            parts["waiting"] = wait_points
            found.append(waiting)
        add_parts(parts)
        add_reasons(tuple(found))
    # The objects made by `map` (a call from C costs less than one from the loop).
    scores = map(Score, (sum(terms.values()) / 100).tolist(), all_parts, all_reasons)
    return list(map(Proposal, it.volunteer_ids[v].tolist(), request_ids, scores))


def _tenths(km: np.ndarray) -> np.ndarray:
    """Returns `round(value, 1)` of every value: numpy's rint of ten times the value gives the same, except
    where that product lies next to a half (there it may have been rounded across it): those are rounded
    one by one, as Python does."""
    scaled = km * 10
    tenths = np.rint(scaled) / 10
    near_half = np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    tenths[near_half] = [round(value, 1) for value in km[near_half].tolist()]
    return tenths


def _age_reasons(generation: np.ndarray, similar: np.ndarray, gap: np.ndarray) -> list[Reason | None]:
    """Returns per pair the reason of its age term (intergenerational or similar age, with the years
    between them), None for pairs without one; each distinct reason is made once."""
    reasons: list[Reason | None] = [None] * len(gap)
    made: dict[tuple[bool, int], Reason] = {}
    rows = np.flatnonzero(generation | similar)
    columns = (rows.tolist(), generation[rows].tolist(), gap[rows].tolist())
    for row, other_generation, years in zip(*columns, strict=True):
        reason = made.get((other_generation, years))
        if reason is None:
            code = "intergenerational" if other_generation else "similar_age"
            reason = made[other_generation, years] = Reason(code, years)
        reasons[row] = reason
    return reasons


def _interned(keys: list, make) -> list:
    """Returns `make(key)` for each key, made once per distinct key (the results are shared)."""
    made = dict.fromkeys(keys)
    for key in made:
        made[key] = make(key)
    return list(map(made.__getitem__, keys))


def _mask_keys(a: np.ndarray, rows_a: np.ndarray, b: np.ndarray, rows_b: np.ndarray) -> list:
    """Returns per pair the bits both masks share, as a hashable key (an int, or a tuple of words)."""
    if a.shape[1] == 1:
        return (a[rows_a, 0] & b[rows_b, 0]).tolist()
    return list(map(tuple, (a[rows_a] & b[rows_b]).tolist()))


def _mask_names(key: int | tuple[int, ...], names: tuple[str, ...]) -> list[str]:
    words = (key,) if isinstance(key, int) else key
    return [name for bit, name in enumerate(names) if (words[bit // 64] >> (bit % 64)) & 1]


def explain_all(
    requests: Iterable[RequestFacts],
    volunteers: Iterable[VolunteerFacts],
    proposals: Sequence[Proposal] | None = None,
) -> dict[int, tuple[Reason, ...]]:
    """Returns `tandems.explain_unmatched` for every request at once, by request id (same codes, same values).

    The funnel is evaluated on arrays, a block of requests against all volunteers at a time: fit for a
    coordinator's batch preview (thousands × thousands) in a fraction of a second.
    """
    requests, volunteers = list(requests), list(volunteers)
    matched = {proposal.request_id for proposal in proposals} if proposals is not None else set()
    reasons: dict[int, tuple[Reason, ...]] = {}
    todo = []
    for request in requests:
        if request.id in matched:
            reasons[request.id] = ()
        elif request.lat is None or request.lon is None:
            reasons[request.id] = (Reason("no_location"),)
        elif not usable_languages(request.languages):
            reasons[request.id] = (Reason("no_usable_language"),)
        else:
            todo.append(request)
    if not todo:
        return reasons
    with _without_cyclic_gc():
        it = encode(volunteers, todo, full=True)
        by_id = {request.id: request for request in todo}
        n_v = it.n_volunteers
        block = max(1, 4_000_000 // max(1, n_v * max(1, len(it.languages))))
        for start in range(0, it.n_requests, block):
            rows = slice(start, min(start + block, it.n_requests))
            counts, nearest = _funnel(it, rows)
            for offset, request_id in enumerate(it.request_ids[rows].tolist()):
                reasons[request_id] = _funnel_reasons(
                    by_id[request_id], counts[offset], nearest[offset], proposals is not None
                )
    return reasons


def _funnel(it: Instance, rows: slice) -> tuple[list[list[int]], list[float]]:
    """Returns per request the volunteers left after each stage of the funnel, and the nearest speaker."""

    def column(values: np.ndarray) -> np.ndarray:
        return values[rows, None]

    km = haversine_km_vector(it.v_lat[None, :], it.v_lon[None, :], column(it.r_lat), column(it.r_lon))
    speaks = np.minimum(it.v_lang[None, :, :], it.r_lang[rows][:, None, :]).max(axis=2) >= USABLE_LEVEL
    nearest = np.where(speaks, km, np.inf).min(axis=1, initial=np.inf)
    stages = [
        km <= np.minimum(it.v_radius[None, :], column(it.r_radius)),
        speaks,
        _offers(it, rows),
        (it.v_slots[None, :, :] & it.r_slots[rows][:, None, :]).any(axis=2),
        ((it.v_wish[None, :] == NO_WISH) | (it.v_wish[None, :] == column(it.r_gender)))
        & ((column(it.r_wish) == NO_WISH) | (column(it.r_wish) == it.v_gender[None, :])),
        it.v_efz[None, :] | ~column(it.r_minor),
        (it.v_capacity > 0)[None, :],
    ]
    pool = np.ones(km.shape, dtype=bool)
    counts = []
    for stage in stages:
        pool = pool & stage
        counts.append(pool.sum(axis=1))
    return np.column_stack(counts).tolist(), nearest.tolist()


def _offers(it: Instance, rows: slice) -> np.ndarray:
    types = it.r_type[rows]
    words = it.v_types[:, types // 64].T  # (requests, volunteers)
    return ((words >> (types % 64).astype(np.uint64)[:, None]) & np.uint64(1)).astype(bool)


def _funnel_reasons(
    request: RequestFacts, counts: list[int], nearest: float, with_proposals: bool
) -> tuple[Reason, ...]:
    within, speakers, offering, slots, gender, efz, available = counts
    radius = km_value(request.radius_km)
    if not within:
        return (Reason("no_one_within", radius),)
    if not speakers:
        spoken = usable_languages(request.languages)
        codes = "+".join(sorted(spoken, key=lambda code: (-spoken[code], code)))
        found = (Reason("no_language_within", f"{codes}:{radius}"),)
        return found + ((Reason("nearest_speaker_km", round(nearest, 1)),) if math.isfinite(nearest) else ())
    for count, code, value in (
        (offering, "no_tandem_type", request.tandem_type),
        (slots, "no_slot", ""),
        (gender, "no_gender_match", request.partner_gender_wish or ""),
        (efz, "no_efz_for_minor", ""),
    ):
        if not count:
            return (Reason(code, value),)
    if not available:
        return (Reason("no_capacity", efz),)
    return (Reason("taken_by_better_match", available),) if with_proposals else ()
