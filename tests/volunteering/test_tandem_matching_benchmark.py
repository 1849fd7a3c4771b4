"""The matching benchmark harness on tiny sizes, so that it cannot rot (the real run is separate)."""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from volunteering.matching import batch

PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "matching.py"


@pytest.fixture(scope="module")
def harness():
    spec = importlib.util.spec_from_file_location("benchmark_matching", PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def test_the_generated_instances_are_structured(harness):
    volunteers, requests = harness.make_instance("kreis", 400, 300, seed=1)
    assert len(volunteers) == 300 and len(requests) == 400
    assert sum(v.languages.get("de") == 7 for v in volunteers) > 0.8 * len(volunteers)
    first_languages = [max(r.languages, key=lambda code: r.languages[code]) for r in requests]
    assert max(set(first_languages), key=first_languages.count) == "uk"
    assert all(r.slots and r.tandem_type for r in requests)
    lats = [v.lat for v in volunteers]
    assert (max(lats) - min(lats)) * 111.32 < 45  # within the Kreis (plus the spread around the towns)


def test_the_kernels_agree_with_assign_on_a_small_instance(harness):
    volunteers, requests = harness.make_instance("kreis", 150, 150, seed=2)
    instance = batch.encode(volunteers, requests)
    r, v, cents = batch.candidate_pairs(instance)
    matrix = harness.reference_dense_scores(instance)
    assert np.array_equal(matrix[r, v], cents)
    assert np.count_nonzero(matrix) == len(cents)  # the pruned graph lost no feasible pair
    optimum = harness.kernel_dense_lsa(matrix, instance.v_capacity)
    flow = harness.kernel_min_cost_flow(
        r, v, cents, instance.v_capacity, instance.n_requests, instance.n_volunteers
    )
    sparse = harness.kernel_sparse_matching(r, v, cents, instance.v_capacity, instance.n_requests)
    greedy_total, _matched = harness.greedy(r, v, cents, instance.v_capacity)
    chosen = batch.solve(r, v, cents, instance.v_capacity)
    ours = (int(cents[chosen].sum()), int(chosen.sum()))
    assert optimum[0] == flow[0] == sparse[0] == ours[0]
    assert greedy_total <= ours[0]


def test_the_quick_run_passes_its_checks(harness, capsys):
    assert harness.main(["--quick"]) == 0
    output = capsys.readouterr().out
    assert "| assign (total) |" in output
    assert "ref: SciPy sparse matching" in output
    assert "FAIL" not in output
