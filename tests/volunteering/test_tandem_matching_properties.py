"""Tandem matching on random small instances (hypothesis): `assign` reaches the brute-force optimum, never
breaks a hard rule or a capacity, is deterministic, and the vectorised scores equal `score()` pair by pair."""

import copy
import random
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from volunteering.matching import (
    RequestFacts,
    VolunteerFacts,
    assign,
    explain_all,
    explain_unmatched,
    score,
)
from volunteering.matching.batch import (
    _keys,
    _merged,
    _rules_one_by_one,
    candidate_pairs,
    encode,
    nearby_pairs,
    score_pairs,
)
from volunteering.matching.tandems import distance_km, to_cents

# Small vocabularies, so that most pairs share something and the hard rules leave real choices.
LANGUAGES = ["ar", "de", "ti"]
SLOTS = ["mon-evening", "tue-evening", "sat-morning"]
INTERESTS = ["kochen", "fussball", "lesen"]
TYPES = ["sprachpatenschaft", "freizeit"]
GENDERS = [None, "f", "m", "d"]

# About 4.5 × 7 km in Gütersloh: radii of 1–15 km make some pairs too far apart, most not.
lat = st.integers(0, 1000).map(lambda step: 51.88 + step / 25_000)
lon = st.integers(0, 1000).map(lambda step: 8.35 + step / 10_000)
languages = st.dictionaries(
    st.sampled_from(LANGUAGES), st.sampled_from([7, 5, 4, 3, 2]), min_size=1, max_size=3
)
slots = st.frozensets(st.sampled_from(SLOTS), min_size=1, max_size=3)
# Positions: rarely unknown.
position = st.tuples(st.sampled_from([True, True, True, True, True, False]), lat, lon).map(
    lambda known_lat_lon: known_lat_lon[1:] if known_lat_lon[0] else (None, None)
)
wish = st.sampled_from([None, None, None, None, "f", "m"])  # the first entries are the likelier ones
interests = st.frozensets(st.sampled_from(INTERESTS), max_size=2)
birth_year = st.one_of(st.none(), st.integers(1940, 2015))


@st.composite
def volunteer(draw, id_):
    latitude, longitude = draw(position)
    return VolunteerFacts(
        id=id_,
        lat=latitude,
        lon=longitude,
        radius_km=draw(st.sampled_from([15.0, 10.0, 7.5, 5.0, 1.0])),
        languages=draw(languages),
        slots=draw(slots),
        interests=draw(interests),
        tandem_types=draw(st.frozensets(st.sampled_from(TYPES), min_size=1)),
        gender=draw(st.sampled_from(GENDERS)),
        partner_gender_wish=draw(wish),
        birth_year=draw(birth_year),
        efz_valid=draw(st.sampled_from([True, True, False])),
        capacity=draw(st.sampled_from([1, 2, 1, 0, 3])),
    )


@st.composite
def request(draw, id_):
    latitude, longitude = draw(position)
    return RequestFacts(
        id=id_,
        lat=latitude,
        lon=longitude,
        radius_km=draw(st.sampled_from([15.0, 12.5, 10.0, 5.0, 2.0])),
        languages=draw(languages),
        slots=draw(slots),
        interests=draw(interests),
        tandem_type=draw(st.sampled_from(TYPES)),
        gender=draw(st.sampled_from(GENDERS)),
        partner_gender_wish=draw(wish),
        birth_year=draw(birth_year),
        involves_minor=draw(st.sampled_from([False, False, True])),
        waiting_days=draw(st.integers(0, 400)),
        age_wish=draw(st.sampled_from(["", "older", "younger", "similar"])),
    )


@st.composite
def instance(draw, max_volunteers=4, max_requests=5):
    n_v = draw(st.integers(0, max_volunteers))
    n_r = draw(st.integers(0, max_requests))
    # Ids deliberately unordered and not contiguous.
    v_ids = draw(st.lists(st.integers(1, 1000), min_size=n_v, max_size=n_v, unique=True))
    r_ids = draw(st.lists(st.integers(1, 1000), min_size=n_r, max_size=n_r, unique=True))
    return [draw(volunteer(i)) for i in v_ids], [draw(request(i)) for i in r_ids]


def seeded_instance(seed: int, n_v: int, n_r: int):
    """Returns an instance drawn with a plain random generator: most pairs fit, so choices are contested."""
    generator = random.Random(seed)

    def pick(values, weights):
        return generator.choices(values, weights)[0]

    def common():
        return {
            "lat": 51.89 + generator.random() * 0.02,
            "lon": 8.37 + generator.random() * 0.04,
            "languages": {
                "de": pick([7, 4, 2], [3, 1, 1]),
                pick(LANGUAGES, [1, 1, 1]): pick([7, 5, 3, 2], [3, 1, 1, 1]),
            },
            "slots": frozenset(generator.sample(SLOTS, pick([1, 2, 3], [1, 2, 1]))),
            "interests": frozenset(generator.sample(INTERESTS, pick([0, 1, 2], [1, 2, 1]))),
            "gender": pick([None, "f", "m"], [1, 3, 3]),
            "partner_gender_wish": pick([None, "f", "m"], [16, 1, 1]),
            "birth_year": pick([None, 1950, 1980, 2000], [1, 1, 1, 1]),
        }

    volunteers = [
        VolunteerFacts(
            id=generator.randrange(10_000) * 10 + i,
            radius_km=pick([2.0, 5.0, 10.0], [1, 2, 2]),
            tandem_types=frozenset(generator.sample(TYPES, pick([1, 2], [1, 2]))),
            efz_valid=pick([True, False], [3, 1]),
            capacity=pick([0, 1, 2, 3], [1, 4, 2, 1]),
            **common(),
        )
        for i in range(n_v)
    ]
    requests = [
        RequestFacts(
            id=generator.randrange(10_000) * 10 + i,
            radius_km=pick([2.0, 5.0, 10.0], [1, 2, 2]),
            tandem_type=generator.choice(TYPES),
            involves_minor=pick([False, True], [5, 1]),
            waiting_days=generator.randrange(0, 400),
            age_wish=pick(["", "older", "younger", "similar"], [3, 1, 1, 1]),
            **common(),
        )
        for i in range(n_r)
    ]
    return volunteers, requests


def instances(max_volunteers=4, max_requests=5):
    """Returns hypothesis-built instances (all the odd corners) or seeded ones (many fitting pairs)."""
    seeded = st.builds(
        seeded_instance,
        st.integers(0, 2**32),
        st.integers(0, max_volunteers),
        st.integers(0, max_requests),
    )
    return st.one_of(instance(max_volunteers, max_requests), seeded)


def brute_force_best(volunteers, requests):
    """Returns the best total in hundredths by trying every assignment (scores from the scalar `score`)."""
    options = []
    for req in requests:
        fitting = [(v.id, to_cents(s.total)) for v in volunteers if (s := score(v, req)) is not None]
        options.append(fitting)
    capacity = {v.id: v.capacity for v in volunteers}
    best = 0

    def walk(index, total):
        nonlocal best
        if index == len(options):
            best = max(best, total)
            return
        walk(index + 1, total)  # this request stays unmatched
        for volunteer_id, cents in options[index]:
            if capacity[volunteer_id] > 0:
                capacity[volunteer_id] -= 1
                walk(index + 1, total + cents)
                capacity[volunteer_id] += 1

    walk(0, 0)
    return best


def check_feasible(proposals, volunteers, requests):
    volunteer_by_id = {v.id: v for v in volunteers}
    request_by_id = {r.id: r for r in requests}
    assert len({p.request_id for p in proposals}) == len(proposals)
    for volunteer_id, count in Counter(p.volunteer_id for p in proposals).items():
        assert count <= volunteer_by_id[volunteer_id].capacity
    for proposal in proposals:
        expected = score(volunteer_by_id[proposal.volunteer_id], request_by_id[proposal.request_id])
        assert expected is not None
        assert proposal.score == expected


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(instances())
def test_assign_reaches_the_brute_force_optimum_without_breaking_a_rule(case):
    volunteers, requests = case
    for method in ("dense", "flow"):
        proposals = assign(volunteers, requests, method=method)
        check_feasible(proposals, volunteers, requests)
        assert sum(to_cents(p.score.total) for p in proposals) == brute_force_best(volunteers, requests)


@SETTINGS
@given(instances(max_volunteers=8, max_requests=10), st.randoms(use_true_random=False))
def test_assign_is_deterministic_whatever_the_input_order(case, shuffler):
    volunteers, requests = case
    first = assign(volunteers, requests)
    shuffler.shuffle(volunteers)
    shuffler.shuffle(requests)
    assert assign(volunteers, requests) == first
    assert first == sorted(first, key=lambda p: p.request_id)


@SETTINGS
@given(instances(max_volunteers=8, max_requests=10))
def test_vectorised_scores_equal_the_scalar_score_pair_by_pair(case):
    volunteers, requests = case
    assert_vectorised_scores_equal_the_scalar_score(volunteers, requests, encode(volunteers, requests))


def assert_vectorised_scores_equal_the_scalar_score(volunteers, requests, encoded):
    expected = {}
    for v in volunteers:
        for r in requests:
            result = score(v, r)
            if result is not None:
                expected[(r.id, v.id)] = (
                    to_cents(result.total),
                    {k: to_cents(p) for k, p in result.terms.items()},
                )
    # All pairs scored directly, and the pairs the distance-pruned candidate graph offers: both must find
    # exactly the feasible pairs.
    all_r, all_v = all_pairs(encoded)
    graph_r, graph_v, graph_cents = candidate_pairs(encoded)
    assert np.array_equal(score_pairs(encoded, graph_r, graph_v)[2], graph_cents)
    for rows in ((all_r, all_v), nearby_pairs(encoded), (graph_r, graph_v)):
        r, v, cents, terms = score_pairs(encoded, *rows, with_terms=True)
        found = {}
        for index, (ri, vi) in enumerate(zip(r, v, strict=True)):
            named = {name: int(values[index]) for name, values in terms.items() if values[index]}
            found[(int(encoded.request_ids[ri]), int(encoded.volunteer_ids[vi]))] = (int(cents[index]), named)
        assert found == expected


def all_pairs(encoded):
    return (
        np.repeat(np.arange(encoded.n_requests), encoded.n_volunteers),
        np.tile(np.arange(encoded.n_volunteers), encoded.n_requests),
    )


@SETTINGS
@given(instances(max_volunteers=8, max_requests=10))
def test_the_packed_rules_agree_with_the_rules_one_by_one(case):
    volunteers, requests = case
    encoded = encode(volunteers, requests)
    r, v = all_pairs(encoded)
    index, slots, common = encoded.rules.holding(r, v)
    one_index, one_slots = _rules_one_by_one(encoded, r, v)
    speak = (encoded.v_spoken[v[one_index]] & encoded.r_spoken[r[one_index]]) != 0
    assert np.array_equal(index, one_index[speak])
    assert np.array_equal(slots, one_slots[speak])
    assert np.array_equal(common, encoded.v_spoken[v[index]] & encoded.r_spoken[r[index]])
    unpacked = copy.copy(encoded)
    unpacked.rules = None
    for packed_part, unpacked_part in zip(
        score_pairs(encoded, r, v), score_pairs(unpacked, r, v), strict=True
    ):
        assert np.array_equal(packed_part, unpacked_part)


@pytest.mark.parametrize(
    ("extra_languages", "extra_slots", "languages_packed", "packed"),
    [(0, 0, True, True), (50, 0, False, True), (0, 70, False, False)],
)
def test_large_vocabularies_are_checked_without_packing(
    extra_languages, extra_slots, languages_packed, packed
):
    """Rules that do not fit in one word: the languages are checked apart, or every rule one by one."""
    volunteers, requests = seeded_instance(5, 12, 12)
    volunteers.append(
        VolunteerFacts(
            id=1,
            lat=51.9,
            lon=8.38,
            radius_km=1.0,
            languages={"de": 7, **{f"x{number:02}": 5 for number in range(extra_languages)}},
            slots=frozenset([SLOTS[0], *(f"sun-{number:02}" for number in range(extra_slots))]),
            tandem_types=frozenset(TYPES),
            capacity=1,
        )
    )
    encoded = encode(volunteers, requests)
    assert (encoded.rules is not None) == packed
    assert packed is False or (encoded.rules.language_at is not None) == languages_packed
    assert_vectorised_scores_equal_the_scalar_score(volunteers, requests, encoded)


@SETTINGS
@given(instances(max_volunteers=6, max_requests=8))
def test_every_unmatched_request_gets_a_reason_and_matched_ones_none(case):
    volunteers, requests = case
    proposals = assign(volunteers, requests)
    matched = {p.request_id for p in proposals}
    for req in requests:
        reasons = explain_unmatched(req, volunteers, proposals)
        assert bool(reasons) == (req.id not in matched)
        if req.id not in matched and any(score(v, req) is not None for v in volunteers):
            assert reasons[0].code == "taken_by_better_match"


@SETTINGS
@given(instances(max_volunteers=10, max_requests=6), st.integers(1, 4))
def test_with_k_each_request_keeps_feasible_pairs_among_its_nearest(case, k):
    volunteers, requests = case
    encoded = encode(volunteers, requests)
    r, v, cents = candidate_pairs(encoded, k)
    full_r, full_v, full_cents = candidate_pairs(encoded)
    every = dict(zip(zip(full_r.tolist(), full_v.tolist(), strict=True), full_cents.tolist(), strict=True))
    assert {pair: every[pair] for pair in zip(r.tolist(), v.tolist(), strict=True)} == dict(
        zip(zip(r.tolist(), v.tolist(), strict=True), cents.tolist(), strict=True)
    )
    feasible = {
        (int(encoded.request_ids[a]), int(encoded.volunteer_ids[b]))
        for a, b in zip(full_r, full_v, strict=True)
    }
    for row, request_id in enumerate(encoded.request_ids.tolist()):
        request = next(facts for facts in requests if facts.id == request_id)
        chosen = {int(encoded.volunteer_ids[column]) for column in v[r == row].tolist()}
        # Per shared language: every fitting speaker (offering the type) nearer than the k-th is kept.
        for code in (code for code, level in request.languages.items() if level >= 3):
            speakers = sorted(
                (distance_km(volunteer, request), volunteer.id)
                for volunteer in volunteers
                if volunteer.capacity > 0
                and volunteer.lat is not None
                and volunteer.languages.get(code, 0) >= 3
                and request.tandem_type in volunteer.tandem_types
            )
            if len(speakers) > k:
                kth = speakers[k - 1][0]
                nearer = {i for km, i in speakers if km < kth - 1e-9 and (request_id, i) in feasible}
            else:
                nearer = {i for _km, i in speakers if (request_id, i) in feasible}
            assert nearer <= chosen
    if k >= len(volunteers):
        assert len(r) == len(full_r)


@SETTINGS
@given(instances(max_volunteers=8, max_requests=10), st.booleans())
def test_explaining_all_at_once_gives_the_same_reasons_as_one_by_one(case, after_assignment):
    volunteers, requests = case
    proposals = assign(volunteers, requests) if after_assignment else None
    expected = {req.id: explain_unmatched(req, volunteers, proposals) for req in requests}
    assert explain_all(requests, volunteers, proposals) == expected


def test_larger_random_instances_match_an_independent_solver():
    """200 × 150 instances: the same total as SciPy's sparse matching on the scalar scores."""
    from scipy.optimize import linear_sum_assignment

    generator = random.Random(3)
    for _round in range(3):
        volunteers = [
            VolunteerFacts(
                id=i,
                lat=generator.uniform(51.85, 51.95),
                lon=generator.uniform(8.3, 8.5),
                radius_km=generator.choice([5, 10, 15]),
                languages={"de": 7, generator.choice(LANGUAGES): generator.randint(3, 7)},
                slots=frozenset(generator.sample(SLOTS, 2)),
                interests=frozenset(generator.sample(INTERESTS, 1)),
                tandem_types=frozenset(generator.sample(TYPES, 2)),
                capacity=generator.choice([0, 1, 1, 2]),
            )
            for i in range(150)
        ]
        requests = [
            RequestFacts(
                id=i,
                lat=generator.uniform(51.85, 51.95),
                lon=generator.uniform(8.3, 8.5),
                radius_km=generator.choice([5, 10]),
                languages={generator.choice(LANGUAGES): 7},
                slots=frozenset(generator.sample(SLOTS, 2)),
                interests=frozenset(generator.sample(INTERESTS, 2)),
                tandem_type=generator.choice(TYPES),
                waiting_days=generator.randint(0, 300),
            )
            for i in range(200)
        ]
        # Independent: a dense matrix of scalar scores, volunteers repeated by capacity.
        columns = [v for v in volunteers for _copy in range(max(v.capacity, 0))]
        matrix = np.zeros((len(requests), len(columns)), dtype=np.int64)
        for i, req in enumerate(requests):
            for j, v in enumerate(columns):
                result = score(v, req)
                matrix[i, j] = to_cents(result.total) if result else 0
        rows, cols = linear_sum_assignment(matrix, maximize=True)
        optimum = int(matrix[rows, cols].sum())
        for method in ("dense", "flow"):
            proposals = assign(volunteers, requests, method=method)
            check_feasible(proposals, volunteers, requests)
            assert sum(to_cents(p.score.total) for p in proposals) == optimum


@settings(max_examples=200, deadline=None)
@given(
    n_requests=st.integers(1, 7),
    n_volunteers=st.integers(1, 6),
    data=st.data(),
)
def test_the_flow_with_free_options_reaches_the_dense_optimum_on_any_graph(n_requests, n_volunteers, data):
    """solve_flow leaves volunteers who never have to choose, and the pairs they dominate, out of the flow:
    on arbitrary graphs (few or many pairs, ties, capacities 0–3) it still reaches the optimum of SciPy's
    dense assignment and keeps every capacity."""
    from scipy.optimize import linear_sum_assignment

    from volunteering.matching.batch import solve_flow

    cells = [(i, j) for i in range(n_requests) for j in range(n_volunteers)]
    chosen_cells = sorted(data.draw(st.sets(st.sampled_from(cells), max_size=len(cells))))
    r = np.array([i for i, _j in chosen_cells], dtype=np.int64)
    v = np.array([j for _i, j in chosen_cells], dtype=np.int64)
    cents = np.array(data.draw(st.lists(st.integers(1, 9), min_size=len(r), max_size=len(r))), dtype=np.int64)
    capacity = np.array(
        data.draw(st.lists(st.integers(0, 3), min_size=n_volunteers, max_size=n_volunteers)), dtype=np.int64
    )
    columns = np.repeat(np.arange(n_volunteers), capacity)
    matrix = np.zeros((n_requests, len(columns)), dtype=np.int64)
    for i, j, points in zip(r, v, cents, strict=True):
        matrix[i, columns == j] = points
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    # The nodes numbered along a shared curve (requests and volunteers interleaved, ties between the sides)
    # or requests first: the same optimum either way.
    curve = st.lists(st.integers(0, 4), min_size=n_requests, max_size=n_requests)
    r_curve = np.sort(np.array(data.draw(curve), dtype=np.uint64))
    v_curve = np.sort(
        np.array(
            data.draw(st.lists(st.integers(0, 4), min_size=n_volunteers, max_size=n_volunteers)),
            dtype=np.uint64,
        )
    )
    for curves in ((), (r_curve, v_curve)):
        chosen = solve_flow(r, v, cents, capacity, *curves) if len(r) else np.zeros(0, dtype=bool)
        assert int(cents[chosen].sum()) == int(matrix[rows, cols].sum())
        assert len(set(r[chosen].tolist())) == int(chosen.sum())
        assert (np.bincount(v[chosen], minlength=n_volunteers) <= capacity).all()


@settings(max_examples=200, deadline=None)
@given(
    r_curve=st.lists(st.integers(0, 5), max_size=8).map(sorted),
    v_curve=st.lists(st.integers(0, 5), max_size=8).map(sorted),
)
def test_node_numbers_along_the_curve_are_one_merged_order(r_curve, v_curve):
    from volunteering.matching.batch import _node_numbers

    r_number, v_number = _node_numbers(
        np.array(r_curve, dtype=np.uint64), np.array(v_curve, dtype=np.uint64), len(r_curve), len(v_curve)
    )
    numbers = np.concatenate((r_number, v_number))
    assert sorted(numbers.tolist()) == list(range(len(numbers)))  # every node once
    assert (np.diff(r_number) > 0).all() and (np.diff(v_number) > 0).all()  # each side keeps its order
    positions = np.empty(len(numbers), dtype=np.int64)
    positions[numbers] = np.concatenate((r_curve, v_curve)).astype(np.int64)
    assert (np.diff(positions) >= 0).all()  # along the curve


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(0, 1000, allow_nan=False),
            st.integers(0, 10_000).map(lambda n: n / 10 + 0.05),  # next to a half once multiplied by ten
            st.integers(0, 10_000).map(lambda n: (n + 0.5) / 10),
        ),
        max_size=20,
    )
)
def test_distances_are_rounded_to_tenths_as_python_rounds(values):
    from volunteering.matching.batch import _tenths

    assert _tenths(np.array(values, dtype=np.float64)).tolist() == [round(value, 1) for value in values]


@SETTINGS
@given(instances(max_volunteers=8, max_requests=10))
def test_the_graph_is_the_same_whether_merged_by_keys_or_by_argsort(case):
    volunteers, requests = case
    encoded = encode(volunteers, requests)
    by_keys = candidate_pairs(encoded)
    unpackable = copy.copy(encoded)
    unpackable.score_bits = None
    for expected, found in zip(by_keys, candidate_pairs(unpackable), strict=True):
        assert np.array_equal(expected, found)
    # Parts packed by the scoring threads and parts that are not (a score too large for the bits) mixed.
    r, v, cents = by_keys
    if len(r) and encoded.score_bits is not None:
        too_large = cents.copy()
        too_large[-1] = 1 << encoded.score_bits
        keyed = _keys(encoded, r[:-1], v[:-1], cents[:-1])
        merged = _merged(encoded, [keyed, (r[-1:], v[-1:], too_large[-1:]), (r[:1], v[:1], cents[:1])])
        for expected, found in zip((r, v, too_large), merged, strict=True):
            assert np.array_equal(expected, found)
