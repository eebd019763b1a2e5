"""Tests for bpcore.rhw (chapter 12's replication), its saved results and the script that
writes them.

Oracles: a plain-numpy transcription of Rumelhart, Hinton & Williams' equations (4)-(9),
summing the per-case gradients of E with explicit loops, for the training rule; a fresh
forward pass for every number the results file records; and re-running two saved seeds.
"""
from __future__ import annotations

import importlib.util
import json
import pathlib

import numpy as np
import pytest

import bpcore
from bpcore import rhw

ROOT = pathlib.Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "experiments" / "rhw_mirror_symmetry.py"


def _load_script():
    spec = importlib.util.spec_from_file_location("rhw_mirror_symmetry", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
X, Y = bpcore.datasets.mirror_symmetry()


def _logistic(u):
    return 1.0 / (1.0 + np.exp(-u))


def _rhw_sweeps(W1, b1, W2, b2, n_sweeps, epsilon=0.1, alpha=0.9):
    """RHW's procedure, case by case: dE/dy = y - d (4), dE/dx = dE/dy y(1-y) (5),
    dE/dw_ji = dE/dx_j y_i (6), dE/dy_i = sum_j dE/dx_j w_ji (7), summed over the cases;
    then Delta w(t) = -epsilon dE/dw + alpha Delta w(t-1) (9)."""
    params = [W1.copy(), b1.copy(), W2.copy(), b2.copy()]
    velocity = [np.zeros_like(p) for p in params]
    for _ in range(n_sweeps):
        grads = [np.zeros_like(p) for p in params]
        W1_, b1_, W2_, b2_ = params
        for c in range(X.shape[1]):
            inp, d = X[:, c], Y[:, c]
            hid = _logistic(W1_ @ inp + b1_)
            out = _logistic(W2_ @ hid + b2_)
            dE_dx_out = (out - d) * out * (1 - out)
            dE_dy_hid = W2_.T @ dE_dx_out
            dE_dx_hid = dE_dy_hid * hid * (1 - hid)
            grads[0] += np.outer(dE_dx_hid, inp)
            grads[1] += dE_dx_hid
            grads[2] += np.outer(dE_dx_out, hid)
            grads[3] += dE_dx_out
        for p, v, g in zip(params, velocity, grads):
            v *= alpha
            v -= epsilon * g
            p += v
    return params


# --------------------------------------------------------------------------------------
# The core functions.

def test_initial_network_is_uniform_in_the_papers_range_and_seeded():
    a, b, c = rhw.initial_network(3), rhw.initial_network(3), rhw.initial_network(4)
    values = np.concatenate([p.ravel() for p in a.weights + a.biases])
    assert a.sizes == (6, 2, 1) and a.activations == ("sigmoid", "sigmoid")
    assert values.size == 17 and np.all(np.abs(values) <= 0.3)
    assert all(np.array_equal(p, q) for p, q in zip(a.weights + a.biases, b.weights + b.biases))
    assert not np.array_equal(a.weights[0], c.weights[0])


def test_learning_rate_on_the_mean_reproduces_rhw_steps_on_the_sum():
    net = rhw.initial_network(7)
    ours = bpcore.train(net, X, Y, epochs=25, learning_rate=rhw.LEARNING_RATE,
                        momentum=rhw.ALPHA, progress=False).network
    W1, b1, W2, b2 = _rhw_sweeps(np.array(net.weights[0]), np.array(net.biases[0]),
                                 np.array(net.weights[1]), np.array(net.biases[1]), 25)
    assert rhw.LEARNING_RATE == pytest.approx(0.1 * 64)
    for mine, theirs in zip(ours.weights + ours.biases, [W1, W2, b1, b2]):
        np.testing.assert_allclose(mine, theirs, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("seed", [1, 3])
def test_run_seed_on_two_seeds(seed):
    record = rhw.run_seed(seed)
    tols = [str(t) for t in sorted(rhw.TOLERANCES, reverse=True)]
    sweeps = [record["sweeps"][t] for t in tols]
    assert record["seed"] == seed and record["solved"]
    assert all(s is not None for s in sweeps)
    assert sweeps == sorted(sweeps)                      # stricter tolerances come later
    assert record["sweeps_run"] == sweeps[-1] <= rhw.MAX_SWEEPS
    final = bpcore.Network(record["weights"], record["biases"], "sigmoid")
    at_solution = bpcore.Network(record["weights_at_solution"], record["biases_at_solution"],
                                 "sigmoid")
    assert rhw.max_error(final, X, Y) < 0.1 + 1e-5       # weights are saved to 6 decimals
    assert rhw.max_error(at_solution, X, Y) < 0.5 + 1e-5
    assert record["final_misclassified"] == 0
    assert record["final_E"] == pytest.approx(
        0.5 * np.sum((bpcore.forward(final, X).output - Y) ** 2), rel=1e-4)


def test_run_seed_reports_a_run_that_hits_the_cap_as_unsolved():
    record = rhw.run_seed(1, max_sweeps=50)
    assert record["sweeps_run"] == 50
    assert not record["solved"] and record["weights_at_solution"] is None
    assert all(v is None for v in record["sweeps"].values())
    assert record["final_max_error"] >= 0.5


def test_mirror_analysis_recognises_the_papers_pattern_and_rejects_others():
    ideal = np.array([[-1.0, 2.0, -4.0, 4.0, -2.0, 1.0], [1.0, -2.0, 4.0, -4.0, 2.0, -1.0]])
    r = rhw.mirror_analysis(ideal * 3.7)
    assert r["pattern_124"] and r["pattern"] == "1:2:4" and r["opposite_units"] == 0.0
    assert r["opposite_signs"]
    assert r["units"][0]["order"] == "omc" and r["units"][0]["antisymmetry"] == 0.0
    two_three_four = np.array([[3.0, -2.0, 4.0, -4.0, 2.0, -3.0], [-3.0, 2.0, -4.0, 4.0, -2.0, 3.0]])
    assert rhw.mirror_analysis(two_three_four)["pattern"] == "2:3:4"
    symmetric = np.abs(ideal)                            # equal, not opposite, mirror weights
    r = rhw.mirror_analysis(symmetric)
    assert not r["pattern_124"] and r["pattern"] == "not antisymmetric"
    assert not r["opposite_signs"] and r["opposite_units"] == pytest.approx(2.0)
    assert r["units"][0]["antisymmetry"] == pytest.approx(2.0)
    with pytest.raises(ValueError, match=r"shape \(2, 6\), got \(6, 2\)"):
        rhw.mirror_analysis(ideal.T)


def test_mirror_ratios_agree_with_the_chapter_exercise():
    W1 = bpcore.exercises.data("ch12-mirror-ratios")["W1"]
    np.testing.assert_allclose(rhw.mirror_analysis(W1)["units"][0]["ratios"],
                               bpcore.exercises.reference("ch12-mirror-ratios"), rtol=1e-12)


# --------------------------------------------------------------------------------------
# The saved results file.

@pytest.fixture(scope="module")
def results():
    return rhw.load_results()


def test_results_parameters_are_the_papers(results):
    p = results["parameters"]
    assert p["sizes"] == [6, 2, 1] and p["epsilon_on_sum"] == 0.1 and p["alpha"] == 0.9
    assert p["init_range"] == 0.3 and p["learning_rate_on_mean"] == pytest.approx(6.4)
    assert p["n_seeds"] == len(results["runs"]) >= 100
    assert [r["seed"] for r in results["runs"]] == list(range(p["n_seeds"]))


def test_every_saved_record_is_consistent(results):
    cap = results["parameters"]["max_sweeps"]
    tols = [str(t) for t in sorted(results["parameters"]["tolerances"], reverse=True)]
    for r in results["runs"]:
        sweeps = [r["sweeps"][t] for t in tols]
        reached = [s for s in sweeps if s is not None]
        assert reached == sorted(reached) and all(1 <= s <= cap for s in reached)
        assert r["solved"] == (r["sweeps"]["0.5"] is not None)
        assert r["sweeps_run"] == (sweeps[-1] if sweeps[-1] is not None else cap)
        final = bpcore.Network(r["weights"], r["biases"], "sigmoid")
        out = bpcore.forward(final, X).output
        assert r["final_max_error"] == pytest.approx(np.max(np.abs(out - Y)), abs=1e-4)
        assert r["final_misclassified"] == int(np.sum((out >= 0.5) != (Y >= 0.5)))
        if r["solved"]:
            snap = bpcore.Network(r["weights_at_solution"], r["biases_at_solution"], "sigmoid")
            assert rhw.max_error(snap, X, Y) < 0.5 + 1e-4
        else:
            assert r["final_max_error"] >= 0.5 - 1e-4 and r["weights_at_solution"] is None


def test_two_saved_seeds_reproduce(results):
    solved = sorted((r for r in results["runs"] if r["solved"]), key=lambda r: r["sweeps_run"])
    for saved in solved[:2]:
        again = rhw.run_seed(saved["seed"], results["parameters"]["max_sweeps"])
        for t, s in saved["sweeps"].items():
            assert abs(again["sweeps"][t] - s) <= 2, (saved["seed"], t)
        np.testing.assert_allclose(again["weights"][0], saved["weights"][0], atol=1e-3)


def test_the_script_writes_what_load_results_reads(tmp_path, capsys):
    out = tmp_path / "rhw.json"
    script = _load_script()
    assert script.DEFAULT_OUT == ROOT / "bpcore" / "data" / rhw.RESULTS
    script.main(["--seeds", "2", "--max-sweeps", "30", "--out", str(out), "--no-progress"])
    assert f"wrote {out}" in capsys.readouterr().out
    written = rhw.load_results(out)
    assert written == json.loads(out.read_text(encoding="utf-8"))
    assert written["parameters"]["n_seeds"] == 2 and written["parameters"]["max_sweeps"] == 30
    for saved in written["runs"]:
        again = rhw.run_seed(saved["seed"], max_sweeps=30)
        assert again == saved


def test_the_script_refuses_zero_seeds(tmp_path):
    with pytest.raises(SystemExit):
        _load_script().main(["--seeds", "0", "--out", str(tmp_path / "x.json")])
    assert not (tmp_path / "x.json").exists()
