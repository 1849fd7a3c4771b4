"""Optimal batch assignment of volunteers to tandem requests.

`assign(volunteers, requests)` returns the proposals with the maximum total score such that every pair
passes the hard rules of `tandems.score`, each request gets at most one volunteer, each volunteer at most
`capacity` requests, and requests may stay unmatched. The steps (each public, so that the benchmark can
time them):

1. `encode`: facts → numpy arrays (languages as a level matrix, slots/interests/types as bit masks); only
   volunteers with capacity and a position, only requests with a position; both sorted by id.
2. `candidate_pairs`: the graph. `nearby_pairs` prunes by distance with one k-d tree per language and
   tandem type (points on the unit sphere, so chord length is monotone in the great-circle distance);
   `score_pairs` applies the hard rules and the terms of `tandems.score`, vectorised, in whole hundredths
   (`score_pairs(...) == to_cents(score(...).total)`; the tests compare them pair by pair). The graph
   holds every feasible pair, or with `k` the feasible pairs among each request's `k` nearest
   volunteers per shared language who offer its tandem type (what the Land-sized runs use).
3. `solve`: a maximum-weight assignment in integers, so it is exact. Small dense graphs go to SciPy's
   `linear_sum_assignment` (volunteers repeated by capacity; an empty cell means "not this pair"); larger
   or sparse ones to OR-Tools' min-cost flow: request → volunteer arcs cost −score, volunteer → sink
   arcs carry the capacity, and a request → sink bypass arc lets a request stay unmatched. Before the
   flow, volunteers with no more pairs than room (they never have to choose) and the pairs their options
   dominate are taken out; the bypass then pays the request's best such option (`_free_options`; exact).

Deterministic: inputs are sorted by id before anything is built, so the same facts in any order give the
same proposals (among several optimal assignments the solver's choice on that order is taken).
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from volunteering.matching.facts import RequestFacts, VolunteerFacts
from volunteering.matching.geo import EARTH_RADIUS_KM
from volunteering.matching.tandems import (
    DISTANCE_WEIGHT,
    GENERATION_GAP_YEARS,
    INTEREST_WEIGHT,
    INTERGENERATIONAL_WEIGHT,
    LANGUAGE_WEIGHT,
    SLOT_WEIGHT,
    Proposal,
    km_value,
    to_cents,
    usable_languages,
    waiting_term,
)
from volunteering.matching.terms import (
    NATIVE_LEVEL,
    USABLE_LEVEL,
    Reason,
    Score,
    interest_term,
    slot_term,
)

CHUNK = 1 << 20  # pairs scored at once: bounds the temporary arrays to some tens of MB
DENSE_CELLS = 12_000_000  # up to this many matrix cells the dense SciPy solver is used
NO_WISH = -1
NO_GENDER = -2


@dataclass
class Instance:
    """Both sides as arrays, sorted by id (row i of every `v_*` array is volunteer `volunteer_ids[i]`)."""

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
    r_intergenerational: np.ndarray
    r_waiting_cents: np.ndarray
    languages: tuple[str, ...]
    v_spoken: np.ndarray | None = None  # bit i: speaks language i at B1 or above (up to 63 languages)
    r_spoken: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.v_spoken is None and len(self.languages) <= 63:
            weights = np.uint64(1) << np.arange(self.v_lang.shape[1], dtype=np.uint64)
            self.v_spoken = ((self.v_lang > 0).astype(np.uint64) * weights).sum(axis=1, dtype=np.uint64)
            self.r_spoken = ((self.r_lang > 0).astype(np.uint64) * weights).sum(axis=1, dtype=np.uint64)

    @property
    def n_volunteers(self) -> int:
        return len(self.volunteer_ids)

    @property
    def n_requests(self) -> int:
        return len(self.request_ids)


def _vocabulary(*collections: Iterable[Iterable[str]]) -> dict[str, int]:
    items = set()
    for collection in collections:
        # Many people share the same set (of slots, interests, …): each distinct set is read once.
        items.update(*set(map(frozenset, collection)))
    return {item: index for index, item in enumerate(sorted(items))}


def _masks(sets: Sequence[Iterable[str]], vocabulary: dict[str, int]) -> np.ndarray:
    words = max(1, -(-len(vocabulary) // 64))
    cache: dict[frozenset[str], int] = {}
    numbers = []
    for values in sets:
        key = frozenset(values)
        number = cache.get(key)
        if number is None:
            number = cache[key] = sum(1 << vocabulary[item] for item in key)
        numbers.append(number)
    masks = np.zeros((len(sets), words), dtype=np.uint64)
    for word in range(words):
        if numbers:
            masks[:, word] = np.array(
                [(n >> (64 * word)) & 0xFFFF_FFFF_FFFF_FFFF for n in numbers], dtype=np.uint64
            )
    return masks


def _levels(side: Sequence[Iterable[tuple[str, int]]], languages: dict[str, int]) -> np.ndarray:
    levels = np.zeros((len(side), max(1, len(languages))), dtype=np.int8)
    for row, items in enumerate(side):
        for code, level in items:
            if level >= USABLE_LEVEL:
                levels[row, languages[code]] = level
    return levels


def _codes(values: Iterable[str | None], vocabulary: dict[str, int], missing: int) -> np.ndarray:
    return np.array([vocabulary[value] if value else missing for value in values], dtype=np.int64)


def _floats(values: Iterable[float | None]) -> np.ndarray:
    return np.array([math.nan if value is None else value for value in values], dtype=np.float64)


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
    vs = sorted(
        (v for v in volunteers if (full or v.capacity > 0) and v.lat is not None and v.lon is not None),
        key=lambda v: v.id,
    )
    rs = sorted((r for r in requests if r.lat is not None and r.lon is not None), key=lambda r: r.id)
    for side, name in ((vs, "volunteer"), (rs, "request")):
        if len({facts.id for facts in side}) != len(side):
            raise ValueError(f"Each {name} id may occur only once.")
    v_languages = [[(code, level) for code, level in v.languages.items()] for v in vs]
    r_languages = [[(code, level) for code, level in r.languages.items()] for r in rs]
    languages = _vocabulary(
        ([code for code, level in items if level >= USABLE_LEVEL] for items in v_languages),
        ([code for code, level in items if level >= USABLE_LEVEL] for items in r_languages),
    )
    slots = _vocabulary((v.slots for v in vs), (r.slots for r in rs))
    interests = _vocabulary((v.interests for v in vs), (r.interests for r in rs))
    types = _vocabulary((v.tandem_types for v in vs), ([r.tandem_type] for r in rs))
    genders = _vocabulary(
        ([v.gender] if v.gender else [] for v in vs),
        ([v.partner_gender_wish] if v.partner_gender_wish else [] for v in vs),
        ([r.gender] if r.gender else [] for r in rs),
        ([r.partner_gender_wish] if r.partner_gender_wish else [] for r in rs),
    )
    return Instance(
        volunteer_ids=np.array([v.id for v in vs], dtype=np.int64),
        request_ids=np.array([r.id for r in rs], dtype=np.int64),
        v_lat=_floats(v.lat for v in vs),
        v_lon=_floats(v.lon for v in vs),
        r_lat=_floats(r.lat for r in rs),
        r_lon=_floats(r.lon for r in rs),
        v_radius=_floats(v.radius_km for v in vs),
        r_radius=_floats(r.radius_km for r in rs),
        v_capacity=np.array([v.capacity for v in vs], dtype=np.int64),
        v_lang=_levels(v_languages, languages),
        r_lang=_levels(r_languages, languages),
        v_slots=_masks([v.slots for v in vs], slots),
        r_slots=_masks([r.slots for r in rs], slots),
        r_slot_count=np.array([len(r.slots) for r in rs], dtype=np.int64),
        v_interests=_masks([v.interests for v in vs], interests),
        r_interests=_masks([r.interests for r in rs], interests),
        v_types=_masks([v.tandem_types for v in vs], types),
        r_type=np.array([types[r.tandem_type] for r in rs], dtype=np.int64),
        v_gender=_codes((v.gender for v in vs), genders, NO_GENDER),
        v_wish=_codes((v.partner_gender_wish for v in vs), genders, NO_WISH),
        r_gender=_codes((r.gender for r in rs), genders, NO_GENDER),
        r_wish=_codes((r.partner_gender_wish for r in rs), genders, NO_WISH),
        v_birth=_floats(v.birth_year for v in vs),
        r_birth=_floats(r.birth_year for r in rs),
        v_efz=np.array([v.efz_valid for v in vs], dtype=bool),
        r_minor=np.array([r.involves_minor for r in rs], dtype=bool),
        r_intergenerational=np.array([r.intergenerational for r in rs], dtype=bool),
        r_waiting_cents=_waiting_cents(rs),
        languages=tuple(languages),
    )


def _waiting_cents(requests: Sequence[RequestFacts]) -> np.ndarray:
    by_days: dict[int, int] = {}
    cents = []
    for request in requests:
        days = request.waiting_days
        if days not in by_days:
            term = waiting_term(request)
            by_days[days] = to_cents(term.points) if term else 0
        cents.append(by_days[days])
    return np.array(cents, dtype=np.int64)


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
    from scipy.spatial import cKDTree

    n_v = instance.n_volunteers
    empty = np.empty(0, dtype=np.int64)
    if n_v == 0 or instance.n_requests == 0:
        return empty, empty
    chosen = np.zeros(instance.n_requests, dtype=bool)
    chosen[np.arange(instance.n_requests) if requests is None else requests] = True
    v_xyz = unit_vectors(instance.v_lat, instance.v_lon)
    r_xyz = unit_vectors(instance.r_lat, instance.r_lon)
    requests_parts, volunteers_parts = [], []
    for t in np.unique(instance.r_type[chosen]).tolist():
        offers = ((instance.v_types[:, t // 64] >> np.uint64(t % 64)) & np.uint64(1)).astype(bool)
        of_type = chosen & (instance.r_type == t)
        for language in range(len(instance.languages)):
            vs = np.flatnonzero(offers & (instance.v_lang[:, language] > 0))
            rs = np.flatnonzero(of_type & (instance.r_lang[:, language] > 0))
            if len(vs) == 0 or len(rs) == 0:
                continue
            # Nobody travels farther than the farthest radius among these volunteers.
            bound = chord(np.minimum(instance.r_radius[rs], instance.v_radius[vs].max()))
            keep = bound > 0
            rs, bound = rs[keep], bound[keep]
            if len(rs) == 0:
                continue
            tree = cKDTree(v_xyz[vs])
            if k is None or k >= len(vs):
                found = cKDTree(r_xyz[rs]).sparse_distance_matrix(
                    tree, float(bound.max()), output_type="ndarray"
                )
                found = found[found["v"] <= bound[found["i"]]]
                requests_parts.append(rs[found["i"]])
                volunteers_parts.append(vs[found["j"]])
                continue
            distances, rows = tree.query(r_xyz[rs], k=k, distance_upper_bound=float(bound.max()))
            distances, rows = distances.reshape(len(rs), k), rows.reshape(len(rs), k)
            valid = distances <= bound[:, None]
            requests_parts.append(np.repeat(rs, k)[valid.ravel()])
            volunteers_parts.append(vs[rows[valid]])
    if not requests_parts:
        return empty, empty
    keys = _unique(np.concatenate(requests_parts) * n_v + np.concatenate(volunteers_parts))
    return keys // n_v, keys % n_v


def candidate_pairs(instance: Instance, k: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Returns the candidate graph: (request rows, volunteer rows, scores in hundredths), sorted.

    Without `k` every feasible pair (then the assignment is the exact optimum); with `k` the feasible
    pairs among each request's `k` nearest volunteers per shared language who offer its tandem type.
    """
    r, v = nearby_pairs(instance, k)
    r, v, cents, _terms = score_pairs(instance, r, v)
    return r, v, cents


def _unique(values: np.ndarray) -> np.ndarray:
    """Returns the sorted distinct values (by sorting: numpy's hashing `unique` is slower on large arrays)."""
    values = np.sort(values)
    return values[np.concatenate(([True], values[1:] != values[:-1]))] if len(values) else values


def _popcount(a: np.ndarray, rows_a: np.ndarray, b: np.ndarray, rows_b: np.ndarray) -> np.ndarray:
    """Returns how many bits the masks a[rows_a] and b[rows_b] share."""
    if a.shape[1] == 1:  # the usual case: one word, no two-dimensional gather
        return np.bitwise_count(a[rows_a, 0] & b[rows_b, 0]).astype(np.int64)
    return np.bitwise_count(a[rows_a] & b[rows_b]).sum(axis=1, dtype=np.int64)


def _common_level(it: Instance, r: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Returns the level of the best language both speak at B1 or above (the lower of both), else 0."""
    if len(it.languages) > 63:
        return np.minimum(it.v_lang[v], it.r_lang[r]).max(axis=1)
    # Most pairs share exactly one usable language: read its two levels directly.
    common = it.v_spoken[v] & it.r_spoken[r]
    single = np.bitwise_count(common) == 1
    level = np.zeros(len(r), dtype=np.int8)
    rows = np.flatnonzero(single)
    language = np.log2(common[rows].astype(np.float64)).astype(np.int64)
    level[rows] = np.minimum(it.v_lang[v[rows], language], it.r_lang[r[rows], language])
    rows = np.flatnonzero(~single & (common != 0))
    level[rows] = np.minimum(it.v_lang[v[rows]], it.r_lang[r[rows]]).max(axis=1)
    return level


def haversine_km_vector(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Returns great-circle distances in km (the same steps as `geo.haversine_km`)."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = np.radians(lon2 - lon1) / 2
    a = np.sin(half_dphi) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def _score_chunk(instance: Instance, r: np.ndarray, v: np.ndarray, with_terms: bool):
    it = instance
    # Cheap and selective rules first; every step keeps only the pairs still feasible.
    types = it.r_type[r]
    ok = ((it.v_types[v, types // 64] >> (types % 64).astype(np.uint64)) & np.uint64(1)).astype(bool)
    ok &= (it.v_wish[v] == NO_WISH) | (it.v_wish[v] == it.r_gender[r])
    ok &= (it.r_wish[r] == NO_WISH) | (it.r_wish[r] == it.v_gender[v])
    ok &= it.v_efz[v] | ~it.r_minor[r]
    index = np.flatnonzero(ok)
    r, v = r[index], v[index]
    shared_slots = _popcount(it.v_slots, v, it.r_slots, r)
    keep = np.flatnonzero(shared_slots)
    index, r, v, shared_slots = index[keep], r[keep], v[keep], shared_slots[keep]
    level = _common_level(it, r, v)
    ok = level >= USABLE_LEVEL
    radius = np.minimum(it.v_radius[v], it.r_radius[r])
    km = haversine_km_vector(it.v_lat[v], it.v_lon[v], it.r_lat[r], it.r_lon[r])
    ok &= km <= radius
    keep = np.flatnonzero(ok)
    index, r, v = index[keep], r[keep], v[keep]
    shared_slots, level, radius, km = shared_slots[keep], level[keep], radius[keep], km[keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        closeness = np.where(radius > 0, 1.0 - km / radius, 1.0)
    shared_interests = np.minimum(_popcount(it.v_interests, v, it.r_interests, r), 2)
    gap = np.abs(it.v_birth[v] - it.r_birth[r])
    terms = {
        "language": np.rint(LANGUAGE_WEIGHT * level.astype(np.float64) / NATIVE_LEVEL * 100),
        "distance": np.rint(DISTANCE_WEIGHT * closeness * 100),
        "slots": np.rint(SLOT_WEIGHT * shared_slots / it.r_slot_count[r] * 100),
        "interests": np.rint(INTEREST_WEIGHT * shared_interests / 2 * 100),
        "intergenerational": np.where(
            it.r_intergenerational[r] & (gap >= GENERATION_GAP_YEARS),
            round(INTERGENERATIONAL_WEIGHT * 100),
            0,
        ),
        "waiting": it.r_waiting_cents[r],
    }
    cents = sum(term.astype(np.int64) for term in terms.values())
    return index, cents, (terms if with_terms else None)


def score_pairs(
    instance: Instance, r: np.ndarray, v: np.ndarray, *, with_terms: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray] | None]:
    """Returns the feasible pairs (request rows, volunteer rows) and their totals in hundredths.

    With `with_terms` also each term's hundredths (for tests and explanations), else None.
    """
    kept_r, kept_v, cents, terms = [], [], [], []
    for start in range(0, len(r), CHUNK):
        part_r, part_v = r[start : start + CHUNK], v[start : start + CHUNK]
        index, part_cents, part_terms = _score_chunk(instance, part_r, part_v, with_terms)
        kept_r.append(part_r[index])
        kept_v.append(part_v[index])
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
    requests = _unique(r)
    r_node = np.searchsorted(requests, r)
    volunteers = _unique(v)
    v_node = np.searchsorted(volunteers, v)
    degree = np.bincount(v_node, minlength=len(volunteers))
    room = np.minimum(capacity[volunteers], degree)
    return requests, r_node, volunteers, v_node, room


def _free_options(
    r_node: np.ndarray, v_node: np.ndarray, cents: np.ndarray, room: np.ndarray, n_r: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Takes out of the flow what cannot change the optimum; returns (kept pairs, best free score, its pair).

    A volunteer with no more pairs left than room never has to choose: each of their pairs is an option
    of its request alone (the best such option per request becomes the request's "unmatched" value). A pair
    scoring no more than its request's best free option is dominated: swapping it for that option never
    lowers the total. Dropping pairs can free more volunteers, so this repeats until nothing changes. The
    optimum of the reduced flow plus the free options equals the optimum of the whole graph.
    """
    n_v = len(room)
    kept = np.ones(len(r_node), dtype=bool)
    best = np.zeros(n_r, dtype=np.int64)
    best_pair = np.full(n_r, -1, dtype=np.int64)
    free = np.zeros(n_v, dtype=bool)
    while True:
        degree = np.bincount(v_node[kept], minlength=n_v)
        newly = ~free & (degree > 0) & (degree <= room)
        if not newly.any():
            return kept, best, best_pair
        free |= newly
        pairs = np.flatnonzero(kept & newly[v_node])
        # Per request its best new option (the first pair on ties, so the result stays deterministic).
        pairs = pairs[np.lexsort((pairs, -cents[pairs], r_node[pairs]))]
        pairs = pairs[np.concatenate(([True], r_node[pairs][1:] != r_node[pairs][:-1]))]
        better = pairs[cents[pairs] > best[r_node[pairs]]]
        best[r_node[better]] = cents[better]
        best_pair[r_node[better]] = better
        kept &= ~free[v_node] & (cents > best[r_node])


def solve_flow(r: np.ndarray, v: np.ndarray, cents: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Returns a mask of the chosen pairs: maximum total, capacities kept (OR-Tools min-cost flow).

    Volunteers who never have to choose and the pairs they dominate are left out of the flow first
    (`_free_options`); a request's bypass arc to the sink then pays its best free option.
    """
    from ortools.graph.python import min_cost_flow

    if len(r) == 0:
        return np.zeros(0, dtype=bool)
    requests, r_node, volunteers, v_node, room = _compact(r, v, capacity)
    n_r, n_v = len(requests), len(volunteers)
    kept, best, best_pair = _free_options(r_node, v_node, cents, room, n_r)
    kept_pairs = np.flatnonzero(kept)
    sink = n_r + n_v
    flow = min_cost_flow.SimpleMinCostFlow()
    request_nodes = np.arange(n_r, dtype=np.int64)
    volunteer_nodes = np.arange(n_r, n_r + n_v, dtype=np.int64)
    tails = np.concatenate((r_node[kept_pairs], request_nodes, volunteer_nodes))
    heads = np.concatenate((v_node[kept_pairs] + n_r, np.full(n_r, sink), np.full(n_v, sink)))
    capacities = np.concatenate((np.ones(len(kept_pairs) + n_r, dtype=np.int64), room))
    costs = np.concatenate((-cents[kept_pairs], -best, np.zeros(n_v, dtype=np.int64)))
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    flow.set_nodes_supplies(np.append(request_nodes, sink), np.append(np.ones(n_r, dtype=np.int64), -n_r))
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"Min-cost flow ended with status {status}.")
    chosen = np.zeros(len(r), dtype=bool)
    chosen[kept_pairs[flow.flows(np.arange(len(kept_pairs), dtype=np.int64)) > 0]] = True
    bypass = flow.flows(np.arange(len(kept_pairs), len(kept_pairs) + n_r, dtype=np.int64)) > 0
    chosen[best_pair[bypass & (best_pair >= 0)]] = True
    return chosen


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
    r: np.ndarray, v: np.ndarray, cents: np.ndarray, capacity: np.ndarray, method: str = "auto"
) -> np.ndarray:
    """Returns a mask of the chosen pairs; `method` is "dense", "flow" or "auto" (dense when small)."""
    if method == "auto":
        copies = int(np.minimum(capacity, np.bincount(v, minlength=len(capacity))).sum())
        cells = len(_unique(r)) * copies
        method = "dense" if cells <= DENSE_CELLS and len(r) * 4 >= cells else "flow"
    if method == "dense":
        return solve_dense(r, v, cents, capacity)
    if method == "flow":
        return solve_flow(r, v, cents, capacity)
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
    instance = encode(volunteers, requests)
    r, v, cents = candidate_pairs(instance, k)
    chosen = solve(r, v, cents, instance.v_capacity, method)
    return proposals_of(instance, volunteers, requests, r[chosen], v[chosen])


def proposals_of(
    instance: Instance,
    volunteers: Sequence[VolunteerFacts],
    requests: Sequence[RequestFacts],
    r: np.ndarray,
    v: np.ndarray,
) -> list[Proposal]:
    """Returns the proposals for the chosen (feasible) pairs, each with the score `tandems.score` gives.

    The points come from the vectorised terms; only the reasons are put together pair by pair.
    """
    if len(r) == 0:
        return []
    with _without_cyclic_gc():
        return _proposals(instance, volunteers, requests, r, v)


def _proposals(
    instance: Instance,
    volunteers: Sequence[VolunteerFacts],
    requests: Sequence[RequestFacts],
    r: np.ndarray,
    v: np.ndarray,
) -> list[Proposal]:
    kept_r, _kept_v, _cents, terms = score_pairs(instance, r, v, with_terms=True)
    if len(kept_r) != len(r):
        raise ValueError("Only feasible pairs can be proposed.")
    volunteer_by_id = {facts.id: facts for facts in volunteers}
    request_by_id = {facts.id: facts for facts in requests}
    language = np.minimum(instance.v_lang[v], instance.r_lang[r]).argmax(axis=1)  # ties: first code
    km = haversine_km_vector(instance.v_lat[v], instance.v_lon[v], instance.r_lat[r], instance.r_lon[r])
    columns = {name: (values / 100).tolist() for name, values in terms.items()}
    totals = (sum(terms.values()) / 100).tolist()
    codes = instance.languages
    proposals = []
    rows = zip(
        instance.request_ids[r].tolist(),
        instance.volunteer_ids[v].tolist(),
        language.tolist(),
        km.tolist(),
        *columns.values(),
        totals,
        strict=True,
    )
    for request_id, volunteer_id, code, distance, *points, total in rows:
        volunteer, request = volunteer_by_id[volunteer_id], request_by_id[request_id]
        named = dict(zip(columns, points, strict=True))
        slots = slot_term(volunteer.slots, request.slots)
        reasons = [Reason("language", codes[code]), Reason("distance", round(distance, 1)), *slots.reasons]
        parts = {"language": named["language"], "distance": named["distance"], "slots": named["slots"]}
        if named["interests"]:
            parts["interests"] = named["interests"]
            reasons.extend(interest_term(volunteer.interests, request.interests).reasons)
        if named["intergenerational"]:
            parts["intergenerational"] = named["intergenerational"]
            reasons.append(Reason("intergenerational", abs(volunteer.birth_year - request.birth_year)))
        if request.waiting_days > 0:
            parts["waiting"] = named["waiting"]
            reasons.append(Reason("waiting", request.waiting_days))
        proposals.append(Proposal(volunteer_id, request_id, Score(total, parts, tuple(reasons))))
    return proposals


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
