"""Matching: scores that explain themselves. Plain Python, no Django (fed by volunteering.selectors.matching).

Building blocks (`terms`) each return a named `Term` with the points it adds and the reasons behind them;
a `Score` is the sum of its terms. Recommending needs to a volunteer (`needs`) is the first user; tandem
matching (issue 7) adds `RequestFacts`, `score`, `suggest`, `explain_unmatched` (`tandems`, which documents
the rules, terms and reason codes) and the optimal batch `assign` (`batch`) on the same blocks.
"""

from volunteering.matching.batch import assign, explain_all
from volunteering.matching.facts import NeedFacts, RequestFacts, VolunteerFacts
from volunteering.matching.geo import haversine_km
from volunteering.matching.needs import rank_needs, score_need
from volunteering.matching.tandems import (
    Proposal,
    explain_unmatched,
    score,
    suggest,
    suggest_for_volunteer,
)
from volunteering.matching.terms import (
    Reason,
    Score,
    Term,
    best_shared_language,
    distance_term,
    interest_overlap,
    interest_term,
    language_term,
    slot_overlap,
    slot_term,
)

__all__ = [
    "NeedFacts",
    "Proposal",
    "Reason",
    "RequestFacts",
    "Score",
    "Term",
    "VolunteerFacts",
    "assign",
    "best_shared_language",
    "distance_term",
    "explain_all",
    "explain_unmatched",
    "haversine_km",
    "interest_overlap",
    "interest_term",
    "language_term",
    "rank_needs",
    "score",
    "score_need",
    "slot_overlap",
    "slot_term",
    "suggest",
    "suggest_for_volunteer",
]
