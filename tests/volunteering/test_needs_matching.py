"""The matching building blocks (plain Python, no database)."""

import pytest

from volunteering.matching import (
    NeedFacts,
    Reason,
    Score,
    VolunteerFacts,
    best_shared_language,
    distance_term,
    haversine_km,
    interest_term,
    language_term,
    rank_needs,
    score_need,
    slot_overlap,
    slot_term,
)


def test_haversine_gives_known_distances():
    # Gütersloh – Bielefeld centre: about 17 km.
    assert haversine_km(51.9065, 8.3785, 52.0302, 8.5325) == pytest.approx(17.5, abs=0.5)
    assert haversine_km(52.0, 8.0, 52.0, 8.0) == 0


def test_the_best_shared_language_needs_a_usable_level():
    assert best_shared_language({"ar": 7, "en": 5, "fr": 2}, ["fr", "en", "ar"]) == ("ar", 7)
    assert best_shared_language({"fr": 2}, ["fr"]) is None
    assert best_shared_language({"en": 5, "uk": 5}, ["uk", "en"]) == ("en", 5)  # deterministic tie


def test_terms_name_their_reasons():
    assert distance_term(4.2, 10).reasons == (Reason("distance", 4.2),)
    assert distance_term(12, 10) is None
    assert language_term({"ar": 7}, ["ar"]).points == 30.0
    assert slot_overlap(["tue-evening", "sat-morning"], ["sat-morning"]) == {"sat-morning"}
    assert [
        r.value for r in slot_term(["sun-evening", "tue-evening"], ["tue-evening", "sun-evening"]).reasons
    ] == [
        "tue-evening",
        "sun-evening",
    ]
    assert (
        interest_term(["field:x", "activity:y"], ["activity:y", "field:x"]).reasons[0].value == "activity:y"
    )


def test_a_score_is_the_sum_of_its_terms():
    score = Score.of([distance_term(0, 10), None, language_term({"uk": 7}, ["uk"])])
    assert score.total == sum(score.terms.values()) == 60
    assert set(score.terms) == {"distance", "language"}


VOLUNTEER = VolunteerFacts(
    id=1,
    lat=51.9,
    lon=8.4,
    radius_km=10,
    languages={"ar": 7, "de": 4},
    slots=frozenset({"tue-evening"}),
    interests=frozenset({"activity:hausaufgabenhilfe"}),
    birth_year=2000,
)


def need(**overrides) -> NeedFacts:
    values = {
        "id": 1,
        "lat": 51.92,
        "lon": 8.41,
        "languages": frozenset({"ar"}),
        "slots": frozenset({"tue-evening"}),
        "interests": frozenset({"activity:hausaufgabenhilfe"}),
        "min_age": 16,
    }
    values.update(overrides)
    return NeedFacts(**values)


def test_hard_rules_exclude_needs():
    assert score_need(VOLUNTEER, need(min_age=27), year=2026) is None  # 2026 − 2000 − 1 = 25 on the safe side
    assert score_need(VOLUNTEER, need(lat=52.2), year=2026) is None  # beyond the radius
    assert score_need(VOLUNTEER, need(), year=2026) is not None


def test_ranking_prefers_more_reasons():
    better, worse = need(id=1), need(id=2, languages=frozenset({"ti"}), slots=frozenset({"mon-morning"}))
    ranked = rank_needs(VOLUNTEER, [worse, better], year=2026)
    assert [facts.id for facts, _score in ranked] == [1, 2]
    codes = {reason.code for reason in ranked[0][1].reasons}
    assert codes == {"distance", "language", "slot", "interest"}


def test_the_matching_package_imports_no_django():
    import ast
    from pathlib import Path

    import volunteering.matching as package

    for path in Path(package.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        modules = {
            alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not any(module.startswith("django") for module in modules), path
