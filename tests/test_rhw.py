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


# --------------------------------------------------------------------------------------
# Chapter 14: the cost and the learning rate as parameters, and the reruns of the failed
# seeds with binary cross-entropy (experiments/rhw_cross_entropy.py and its saved file).

CE_SCRIPT = ROOT / "experiments" / "rhw_cross_entropy.py"


def _load_ce_script():
    spec = importlib.util.spec_from_file_location("rhw_cross_entropy", CE_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sweeps_with_cost(net, n_sweeps, epsilon, cross_entropy, alpha=0.9):
    """RHW's rule on a cost summed over the cases, case by case: the quadratic error's
    dE/dx_out = (y - d) y (1 - y), or binary cross-entropy's, whose derivative with respect
    to the output unit's total input is y - d (the logistic slope cancels)."""
    params = [np.array(p) for p in (net.W(1), net.b(1), net.W(2), net.b(2))]
    velocity = [np.zeros_like(p) for p in params]
    for _ in range(n_sweeps):
        grads = [np.zeros_like(p) for p in params]
        W1_, b1_, W2_, b2_ = params
        for c in range(X.shape[1]):
            inp, d = X[:, c], Y[:, c]
            hid = _logistic(W1_ @ inp + b1_)
            out = _logistic(W2_ @ hid + b2_)
            dE_dx_out = (out - d) if cross_entropy else (out - d) * out * (1 - out)
            dE_dx_hid = (W2_.T @ dE_dx_out) * hid * (1 - hid)
            grads[0] += np.outer(dE_dx_hid, inp)
            grads[1] += dE_dx_hid
            grads[2] += np.outer(dE_dx_out, hid)
            grads[3] += dE_dx_out
        for p, vel, g in zip(params, velocity, grads):
            vel *= alpha
            vel -= epsilon * g
            p += vel
    return params


@pytest.mark.parametrize("loss,rate", [("binary_cross_entropy", 1.6), ("mse", 1.6),
                                       ("binary_cross_entropy", 6.4)])
def test_run_seed_trains_the_given_cost_at_the_given_rate(loss, rate):
    record = rhw.run_seed(5, max_sweeps=20, loss=loss, learning_rate=rate)
    W1, b1, W2, b2 = _sweeps_with_cost(rhw.initial_network(5), 20, rate / 64,
                                       cross_entropy=(loss == "binary_cross_entropy"))
    assert record["sweeps_run"] == 20
    np.testing.assert_allclose(record["weights"][0], W1, atol=1e-6)    # saved to 6 decimals
    np.testing.assert_allclose(record["weights"][1], W2, atol=1e-6)
    np.testing.assert_allclose(record["biases"][0], b1, atol=1e-6)
    np.testing.assert_allclose(record["biases"][1], b2, atol=1e-6)
    out = _logistic(W2 @ _logistic(W1 @ X + b1[:, None]) + b2[:, None])
    assert record["final_E"] == pytest.approx(0.5 * np.sum((out - Y) ** 2), rel=1e-9)


def test_the_defaults_are_the_papers_quadratic_cost_and_rate():
    assert rhw.run_seed(2, 30) == rhw.run_seed(2, 30, loss="mse",
                                               learning_rate=rhw.EPSILON * 64)
    p = rhw.run([2], max_sweeps=5, progress=False)["parameters"]
    assert p["loss"] == "mse" and p["epsilon_on_sum"] == 0.1 and p["learning_rate_on_mean"] == 6.4
    p = rhw.run([2], max_sweeps=5, progress=False, loss="binary_cross_entropy",
                learning_rate=1.6)["parameters"]
    assert p["loss"] == "binary_cross_entropy" and p["learning_rate_on_mean"] == 1.6
    assert p["epsilon_on_sum"] == 0.025


def test_run_seed_refuses_a_cost_the_single_sigmoid_output_cannot_use():
    with pytest.raises(ValueError, match=r"loss must be one of 'mse', 'binary_cross_entropy' "
                                         r".* got 'cross_entropy' \('cross_entropy' on the "
                                         r"one sigmoid output counts only the symmetric"):
        rhw.run_seed(1, 5, loss="cross_entropy")
    with pytest.raises(ValueError, match=r"got 'hinge'$"):
        rhw.run_seed(1, 5, loss="hinge")
    with pytest.raises(ValueError, match=r"learning_rate must be a positive number, got -1"):
        rhw.run_seed(1, 5, learning_rate=-1)


@pytest.fixture(scope="module")
def reruns():
    return rhw.load_results(name=rhw.CROSS_ENTROPY_RESULTS)


def test_the_reruns_are_of_chapter_12s_failed_seeds_with_the_papers_other_settings(results,
                                                                                   reruns):
    p = reruns["parameters"]
    assert p["failed_seeds"] == [r["seed"] for r in results["runs"] if not r["solved"]]
    assert p["max_sweeps"] == results["parameters"]["max_sweeps"]
    assert p["alpha"] == rhw.ALPHA and p["init_range"] == rhw.INIT_RANGE
    assert p["losses"] == list(rhw.LOSSES) and 6.4 in p["rates"] and 1.6 in p["rates"]
    settings = [(s["loss"], s["learning_rate"]) for s in reruns["scan"]]
    assert settings == [(loss, rate) for loss in p["losses"] for rate in p["rates"]]
    for s in reruns["scan"]:
        assert [r["seed"] for r in s["runs"]] == p["failed_seeds"]
    for s in reruns["all_seeds"]:
        assert [r["seed"] for r in s["runs"]] == list(range(p["n_seeds"]))


def test_the_papers_setting_in_the_scan_is_chapter_12s_saved_run(results, reruns):
    saved = {r["seed"]: r for r in results["runs"]}
    paper = next(s for s in reruns["scan"] if (s["loss"], s["learning_rate"]) == ("mse", 6.4))
    assert paper["solved"] == 0
    for r in paper["runs"]:
        assert r["sweeps"] == saved[r["seed"]]["sweeps"]          # never solved: all None
        assert r["final_E"] == pytest.approx(saved[r["seed"]]["final_E"], rel=1e-6)
        np.testing.assert_allclose(r["weights"][0], saved[r["seed"]]["weights"][0], atol=1e-3)


def test_every_rerun_record_is_consistent(reruns):
    cap = reruns["parameters"]["max_sweeps"]
    for part in ("scan", "all_seeds"):
        for s in reruns[part]:
            assert s["solved"] == sum(r["solved"] for r in s["runs"])
            for r in s["runs"]:
                assert r["solved"] == (r["sweeps"]["0.5"] is not None)
                assert r["sweeps_run"] == (r["sweeps"]["0.1"] or cap)
                if not r["solved"]:
                    assert r["final_max_error"] >= 0.5 - 1e-4
                elif r["sweeps"]["0.1"] is not None:
                    assert r["final_max_error"] < 0.1 + 1e-4
    for s in reruns["scan"]:
        for r in s["runs"]:
            out = bpcore.forward(bpcore.Network(r["weights"], r["biases"], "sigmoid"), X).output
            assert r["final_max_error"] == pytest.approx(np.max(np.abs(out - Y)), abs=1e-4)
            assert r["final_E"] == pytest.approx(0.5 * np.sum((out - Y) ** 2), rel=1e-3,
                                                 abs=1e-4)


def test_two_saved_reruns_reproduce(reruns):
    solved = sorted(((s["loss"], s["learning_rate"], r) for s in reruns["scan"]
                     for r in s["runs"] if r["solved"]), key=lambda t: t[2]["sweeps_run"])
    for loss, rate, saved in solved[:2]:
        again = rhw.run_seed(saved["seed"], reruns["parameters"]["max_sweeps"], loss=loss,
                             learning_rate=rate)
        for t, sweep in saved["sweeps"].items():      # allow for last-bit changes in numpy
            assert abs(again["sweeps"][t] - sweep) <= 2, (saved["seed"], loss, rate, t)
        np.testing.assert_allclose(again["weights"][0], saved["weights"][0], atol=1e-3)


def test_the_cross_entropy_script_writes_what_load_results_reads(tmp_path, capsys):
    out = tmp_path / "ce.json"
    script = _load_ce_script()
    assert script.DEFAULT_OUT == ROOT / "bpcore" / "data" / rhw.CROSS_ENTROPY_RESULTS
    script.main(["--seeds", "2", "--max-sweeps", "15", "--rates", "1.6", "--out", str(out),
                 "--no-progress"])
    printed = capsys.readouterr().out
    assert f"wrote {out}" in printed
    assert "scan: binary_cross_entropy at learning rate 1.6" in printed
    written = rhw.load_results(out)
    assert written == json.loads(out.read_text(encoding="utf-8"))
    assert written["parameters"]["rates"] == [1.6] and written["parameters"]["n_seeds"] == 2
    scan = written["scan"][1]
    assert (scan["loss"], scan["learning_rate"]) == ("binary_cross_entropy", 1.6)
    again = rhw.run_seed(scan["runs"][0]["seed"], 15, loss="binary_cross_entropy",
                         learning_rate=1.6)
    assert {k: again[k] for k in scan["runs"][0]} == scan["runs"][0]
    assert set(written["all_seeds"][0]["runs"][0]) == set(script.ALL_KEYS)


def test_the_cross_entropy_script_refuses_a_bad_rate(tmp_path):
    with pytest.raises(SystemExit):
        _load_ce_script().main(["--rates", "0", "--out", str(tmp_path / "x.json")])
    assert not (tmp_path / "x.json").exists()
