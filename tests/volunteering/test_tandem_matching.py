"""Tandem matching (plain Python): hard rules, terms, suggestions and the reasons for unmatched requests."""

from dataclasses import replace

import pytest

from volunteering.matching import (
    Reason,
    RequestFacts,
    VolunteerFacts,
    assign,
    explain_unmatched,
    haversine_km,
    score,
    suggest,
    suggest_for_volunteer,
)

# Gütersloh centre and a point about 2.3 km away.
VOLUNTEER = VolunteerFacts(
    id=1,
    lat=51.9065,
    lon=8.3785,
    radius_km=10,
    languages={"de": 7, "ar": 5, "en": 2},
    slots=frozenset({"tue-evening", "sat-morning"}),
    interests=frozenset({"kochen", "fussball"}),
    tandem_types=frozenset({"sprachpatenschaft", "freizeit"}),
    gender="f",
    birth_year=1958,
    efz_valid=False,
    capacity=1,
)
REQUEST = RequestFacts(
    id=10,
    lat=51.9265,
    lon=8.3885,
    radius_km=15,
    languages={"ar": 7, "en": 4},
    slots=frozenset({"tue-evening", "mon-morning"}),
    interests=frozenset({"kochen"}),
    tandem_type="sprachpatenschaft",
    gender="m",
    birth_year=2001,
    waiting_days=90,
)


def test_a_fitting_pair_gets_every_term_with_its_reason():
    result = score(VOLUNTEER, REQUEST)
    km = haversine_km(VOLUNTEER.lat, VOLUNTEER.lon, REQUEST.lat, REQUEST.lon)
    assert result.terms == {
        "language": round(30 * 5 / 7, 2),  # Arabic, the lower of both levels (B2 = 5) counts
        "distance": round(30 * (1 - km / 10), 2),  # the smaller radius counts
        "slots": 12.5,  # one of the request's two slots
        "interests": 7.5,  # one shared interest
        "waiting": 10.0,  # 90 of 180 days
    }
    assert result.total == pytest.approx(sum(result.terms.values()), abs=1e-9)
    assert [reason.code for reason in result.reasons] == [
        "language",
        "distance",
        "slot",
        "interest",
        "waiting",
    ]
    assert Reason("language", "ar") in result.reasons
    assert Reason("distance", round(km, 1)) in result.reasons
    assert Reason("slot", "tue-evening") in result.reasons


@pytest.mark.parametrize(
    ("volunteer_changes", "request_changes"),
    [
        ({"tandem_types": frozenset({"freizeit"})}, {}),  # the type is not offered
        ({"languages": {"de": 7, "ar": 2}}, {}),  # Arabic only at A2 on one side
        ({"languages": {"de": 7, "en": 6}}, {"languages": {"ar": 7, "en": 2}}),  # English too weak
        ({"radius_km": 2.0}, {}),  # beyond the volunteer's radius
        ({}, {"radius_km": 2.0}),  # beyond the request's radius
        ({"lat": None}, {}),  # position unknown
        ({"slots": frozenset({"wed-morning"})}, {}),  # no common slot
        ({"partner_gender_wish": "f"}, {}),  # the volunteer wishes a woman
        ({}, {"partner_gender_wish": "m"}),  # the newcomer wishes a man
        ({"gender": None}, {"partner_gender_wish": "f"}),  # a wish needs a known gender
        ({}, {"involves_minor": True}),  # a minor and no eFZ
        ({"capacity": 0}, {}),  # no capacity left
    ],
)
def test_each_hard_rule_excludes_the_pair(volunteer_changes, request_changes):
    volunteer = replace(VOLUNTEER, **volunteer_changes)
    request = replace(REQUEST, **request_changes)
    assert score(volunteer, request) is None


def test_met_wishes_and_a_valid_efz_keep_the_pair():
    volunteer = replace(VOLUNTEER, partner_gender_wish="m", efz_valid=True)
    request = replace(REQUEST, partner_gender_wish="f", involves_minor=True)
    assert score(volunteer, request) is not None


def test_the_lower_level_of_the_best_common_language_counts():
    volunteer = replace(VOLUNTEER, languages={"de": 7, "ar": 3, "en": 6})
    request = replace(REQUEST, languages={"ar": 7, "en": 4})
    result = score(volunteer, request)
    # English: min(6, 4) = 4 beats Arabic: min(3, 7) = 3.
    assert result.terms["language"] == round(30 * 4 / 7, 2)
    assert Reason("language", "en") in result.reasons


def test_closer_more_slots_more_interests_and_longer_waiting_score_higher():
    base = score(VOLUNTEER, REQUEST)
    closer = score(VOLUNTEER, replace(REQUEST, lat=VOLUNTEER.lat, lon=VOLUNTEER.lon))
    assert closer.terms["distance"] == 30.0 > base.terms["distance"]
    more_slots = score(VOLUNTEER, replace(REQUEST, slots=frozenset({"tue-evening", "sat-morning"})))
    assert more_slots.terms["slots"] == 25.0
    two_interests = score(VOLUNTEER, replace(REQUEST, interests=frozenset({"kochen", "fussball"})))
    assert two_interests.terms["interests"] == 15.0
    assert "interests" not in score(VOLUNTEER, replace(REQUEST, interests=frozenset())).terms
    waited = score(VOLUNTEER, replace(REQUEST, waiting_days=400))
    assert waited.terms["waiting"] == 20.0  # capped at 180 days
    assert "waiting" not in score(VOLUNTEER, replace(REQUEST, waiting_days=0)).terms


def test_an_older_partner_wish_adds_points_only_for_someone_a_generation_older():
    wished = replace(REQUEST, age_wish="older")  # the newcomer was born in 2001, the volunteer in 1958
    result = score(VOLUNTEER, wished)
    assert result.terms["intergenerational"] == 10.0
    assert Reason("intergenerational", 43) in result.reasons
    assert "intergenerational" not in score(replace(VOLUNTEER, birth_year=1990), wished).terms
    assert "intergenerational" not in score(replace(VOLUNTEER, birth_year=None), wished).terms
    assert "intergenerational" not in score(VOLUNTEER, REQUEST).terms
    # Someone 43 years younger is another generation too, but not the one wished.
    assert "intergenerational" not in score(replace(VOLUNTEER, birth_year=2044), wished).terms


def test_a_younger_partner_wish_adds_points_only_for_someone_a_generation_younger():
    older_newcomer = replace(REQUEST, birth_year=1950, age_wish="younger")
    result = score(replace(VOLUNTEER, birth_year=1990), older_newcomer)
    assert result.terms["intergenerational"] == 10.0
    assert Reason("intergenerational", 40) in result.reasons
    assert "intergenerational" not in score(replace(VOLUNTEER, birth_year=1930), older_newcomer).terms
    assert "intergenerational" not in score(replace(VOLUNTEER, birth_year=1970), older_newcomer).terms


def test_a_similar_age_wish_adds_points_for_at_most_ten_years_apart():
    wished = replace(REQUEST, age_wish="similar")
    close = score(replace(VOLUNTEER, birth_year=1991), wished)
    assert close.terms["similar_age"] == 10.0
    assert Reason("similar_age", 10) in close.reasons
    assert "intergenerational" not in close.terms
    assert "similar_age" not in score(replace(VOLUNTEER, birth_year=1990), wished).terms
    assert "similar_age" not in score(VOLUNTEER, wished).terms
    assert "similar_age" not in score(replace(VOLUNTEER, birth_year=None), wished).terms


def test_suggestions_are_ranked_best_first_with_ties_by_id():
    near = replace(VOLUNTEER, id=7, lat=REQUEST.lat, lon=REQUEST.lon)
    twin = replace(near, id=3)
    far = replace(VOLUNTEER, id=2)
    unfit = replace(VOLUNTEER, id=4, tandem_types=frozenset())
    ranked = suggest(REQUEST, [far, near, unfit, twin], k=10)
    assert [proposal.volunteer_id for proposal in ranked] == [3, 7, 2]
    assert ranked[0].score.total == ranked[1].score.total > ranked[2].score.total
    assert [proposal.volunteer_id for proposal in suggest(REQUEST, [far, near, twin], k=1)] == [3]


def test_suggestions_for_a_volunteer_are_ranked_best_first():
    waiting_long = replace(REQUEST, id=11, waiting_days=180)
    fresh = replace(REQUEST, id=12, waiting_days=0)
    other_type = replace(REQUEST, id=13, tandem_type="familienpatenschaft")
    ranked = suggest_for_volunteer(VOLUNTEER, [fresh, other_type, waiting_long, REQUEST], k=10)
    assert [proposal.request_id for proposal in ranked] == [11, 10, 12]
    assert all(proposal.volunteer_id == VOLUNTEER.id for proposal in ranked)


def test_assign_gives_a_contested_volunteer_to_the_better_pair():
    # Volunteer 1 fits both; volunteer 2 only request 10. Optimal: 1 → 20, 2 → 10, although 1 → 10 is the
    # single best pair (a greedy choice would leave request 20 alone).
    other = replace(REQUEST, id=20, languages={"ti": 7})
    v1 = replace(VOLUNTEER, languages={"de": 7, "ar": 7, "ti": 4})
    v2 = replace(VOLUNTEER, id=2, languages={"de": 7, "ar": 4}, lat=51.95, lon=8.40)
    assert score(v1, REQUEST).total > score(v1, other).total
    proposals = assign([v1, v2], [REQUEST, other])
    assert {(p.volunteer_id, p.request_id) for p in proposals} == {(2, 10), (1, 20)}
    assert all(
        p.score == score({1: v1, 2: v2}[p.volunteer_id], {10: REQUEST, 20: other}[p.request_id])
        for p in proposals
    )


def test_assign_keeps_capacities_and_may_leave_requests_unmatched():
    volunteer = replace(VOLUNTEER, capacity=2)
    requests = [replace(REQUEST, id=number) for number in range(1, 5)]
    proposals = assign([volunteer], requests)
    assert len(proposals) == 2
    assert len({p.request_id for p in proposals}) == 2
    assert assign([replace(VOLUNTEER, capacity=0)], requests) == []
    assert assign([], requests) == []
    assert assign([volunteer], []) == []


@pytest.mark.parametrize("method", ["dense", "flow"])
def test_both_solvers_find_the_same_optimum(method):
    from volunteering.matching.batch import assign as batch_assign

    volunteers = [
        replace(VOLUNTEER, id=1, capacity=2),
        replace(VOLUNTEER, id=2, lat=51.93, lon=8.40, languages={"de": 7, "ti": 7}),
    ]
    requests = [
        replace(REQUEST, id=1),
        replace(REQUEST, id=2, languages={"ti": 7}),
        replace(REQUEST, id=3, waiting_days=200),
    ]
    proposals = batch_assign(volunteers, requests, method=method)
    assert {(p.volunteer_id, p.request_id) for p in proposals} == {(1, 1), (1, 3), (2, 2)}


def test_unmatched_requests_get_a_reason_code():
    tigrinya = replace(REQUEST, languages={"ti": 7}, radius_km=25)
    far_speaker = replace(VOLUNTEER, id=5, languages={"de": 7, "ti": 6}, lat=52.4, lon=8.3785, radius_km=100)
    reasons = explain_unmatched(tigrinya, [VOLUNTEER, far_speaker])
    assert reasons[0] == Reason("no_language_within", "ti:25")
    assert reasons[1].code == "nearest_speaker_km" and reasons[1].value > 50
    assert explain_unmatched(replace(REQUEST, lat=None), [VOLUNTEER]) == (Reason("no_location"),)
    assert explain_unmatched(replace(REQUEST, languages={"ar": 2}), [VOLUNTEER]) == (
        Reason("no_usable_language"),
    )
    assert explain_unmatched(replace(REQUEST, radius_km=1), [VOLUNTEER]) == (Reason("no_one_within", 1),)
    assert explain_unmatched(replace(REQUEST, tandem_type="lesepatenschaft"), [VOLUNTEER]) == (
        Reason("no_tandem_type", "lesepatenschaft"),
    )
    assert explain_unmatched(replace(REQUEST, slots=frozenset({"sun-evening"})), [VOLUNTEER]) == (
        Reason("no_slot"),
    )
    assert explain_unmatched(replace(REQUEST, partner_gender_wish="m"), [VOLUNTEER]) == (
        Reason("no_gender_match", "m"),
    )
    assert explain_unmatched(replace(REQUEST, involves_minor=True), [VOLUNTEER]) == (
        Reason("no_efz_for_minor"),
    )
    assert explain_unmatched(REQUEST, [replace(VOLUNTEER, capacity=0)]) == (Reason("no_capacity", 1),)
    assert explain_unmatched(REQUEST, [VOLUNTEER]) == ()


def test_a_request_that_lost_in_the_assignment_is_taken_by_a_better_match():
    rival = replace(REQUEST, id=11, waiting_days=180)
    proposals = assign([VOLUNTEER], [REQUEST, rival])
    assert [p.request_id for p in proposals] == [11]
    assert explain_unmatched(REQUEST, [VOLUNTEER], proposals) == (Reason("taken_by_better_match", 1),)
    assert explain_unmatched(rival, [VOLUNTEER], proposals) == ()
