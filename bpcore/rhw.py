"""Replicating the mirror-symmetry experiment of Rumelhart, Hinton & Williams (1986).

The task: a 6-2-1 network of logistic units reads all 64 patterns of 6 bits and must output
1 when the pattern is symmetric about its centre, 0 otherwise (8 of the 64 are symmetric).
The paper's settings, reproduced here:

* full-batch learning: the weights change once per sweep through all 64 cases, on the
  accumulated gradient;
* the momentum rule Delta w(t) = -epsilon dE/dw + alpha Delta w(t-1), epsilon = 0.1 and
  alpha = 0.9;
* every initial weight and bias uniform in [-0.3, 0.3].

The paper's cost is the SUM over cases, E = 1/2 sum_c sum_j (y_jc - d_jc)^2, while bpcore's
quadratic cost C is the MEAN over the m = 64 cases, so E = m C and dE/dw = m dC/dw.  A step of
epsilon on E is therefore a step of ``LEARNING_RATE = epsilon * m = 6.4`` on C.

"Solved" is measured, after every sweep, as the largest |output - target| over the 64
cases.  The run records the first sweep at which that error drops below each tolerance in
``TOLERANCES`` (0.5 means every output is on the right side of 0.5) and stops at the
strictest one, or at ``MAX_SWEEPS``.

:func:`run_seed` and :func:`run` also take ``loss`` and ``learning_rate`` (defaults: the
paper's quadratic cost and ``LEARNING_RATE``), which chapter 14 uses to rerun the seeds that
fail with binary cross-entropy; ``final_E`` is always RHW's quadratic E, so runs with
either cost are compared on the same measure.

The saved results of seeds 0-199 ship with the package (``bpcore/data/``, read by
:func:`load_results` through ``importlib.resources``, so chapter 12 runs wherever bpcore is
installed). To produce them again, from the repository root (about five minutes for 200
seeds on one core)::

    python experiments/rhw_mirror_symmetry.py --seeds 200
"""
from __future__ import annotations

import json
import platform
import time
from importlib import resources

import numpy as np

from . import __version__
from .datasets import mirror_symmetry
from .engine import cost, forward
from .network import Network
from .training import train

EPSILON = 0.1              # RHW's learning rate, on the summed cost E
ALPHA = 0.9                # RHW's momentum
INIT_RANGE = 0.3           # initial weights and biases uniform in [-0.3, 0.3]
SIZES = (6, 2, 1)
N_CASES = 64
LEARNING_RATE = EPSILON * N_CASES   # the same step on bpcore's mean cost C = E / 64
TOLERANCES = (0.5, 0.4, 0.2, 0.1)   # max |y - d| below which the task counts as solved
MAIN_TOLERANCE = 0.5                # every output on the right side of 0.5
MAX_SWEEPS = 20_000
LOSSES = ("mse", "binary_cross_entropy")   # the costs run_seed accepts; "mse" is the paper's
RESULTS = "rhw_mirror_symmetry.json"   # in bpcore/data/
CROSS_ENTROPY_RESULTS = "rhw_cross_entropy.json"   # chapter 14's reruns, in bpcore/data/

__all__ = ["initial_network", "max_error", "run_seed", "mirror_analysis", "run",
           "load_results", "EPSILON", "ALPHA", "INIT_RANGE", "LEARNING_RATE", "TOLERANCES",
           "MAIN_TOLERANCE", "MAX_SWEEPS", "LOSSES", "RESULTS", "CROSS_ENTROPY_RESULTS"]


def initial_network(seed):
    """The 6-2-1 sigmoid network with every weight and bias uniform in [-0.3, 0.3].

    Draw order, from ``numpy.random.default_rng(seed)``: W^1 (2, 6), b^1 (2,), W^2 (1, 2),
    b^2 (1,).

    >>> net = initial_network(0)
    >>> net.sizes, bool(np.all(np.abs(np.concatenate([p.ravel() for p in
    ...     net.weights + net.biases])) <= INIT_RANGE))
    ((6, 2, 1), True)
    """
    rng = np.random.default_rng(seed)
    draw = lambda *shape: rng.uniform(-INIT_RANGE, INIT_RANGE, size=shape)  # noqa: E731
    W1, b1, W2, b2 = draw(2, 6), draw(2), draw(1, 2), draw(1)
    return Network([W1, W2], [b1, b2], "sigmoid")


def max_error(net, x, y):
    """The largest |a^L - y| over all cases: below 0.5, every output is on the right side
    of 0.5."""
    return float(np.max(np.abs(forward(net, x).output - y)))


def run_seed(seed, max_sweeps=MAX_SWEEPS, tolerances=TOLERANCES, *, loss="mse",
             learning_rate=LEARNING_RATE):
    """Train one seed as RHW did; return a JSON-ready record.

    ``loss`` is the cost that training minimises, one of ``LOSSES`` ("mse", the paper's, or
    "binary_cross_entropy"; ValueError otherwise), and ``learning_rate`` the step on
    bpcore's mean cost; everything else (initial weights, full batch, momentum ``ALPHA``,
    the criterion) is the paper's.

    Keys: ``seed``; ``sweeps`` maps each tolerance (as a string, "0.5") to the first sweep
    after which max |y - d| < tolerance, or None; ``sweeps_run``; ``solved`` (the main
    criterion, tolerance 0.5, was met); ``final_max_error``; ``final_misclassified`` (cases
    on the wrong side of 0.5); ``final_E`` (RHW's summed cost); ``weights``/``biases``
    at the end of the run and ``weights_at_solution``/``biases_at_solution`` at the first
    sweep that met the main criterion (None if never), each a list of nested lists.  The
    record has the same keys for either ``loss``: ``final_E`` is RHW's quadratic E whatever
    cost was trained.
    """
    if loss not in LOSSES:
        hint = (" ('cross_entropy' on the one sigmoid output counts only the symmetric "
                "patterns, whose target is 1)" if loss == "cross_entropy" else "")
        raise ValueError(f"loss must be one of {', '.join(repr(n) for n in LOSSES)} for the "
                         f"network's single sigmoid output, got {loss!r}{hint}")
    tolerances = tuple(sorted(tolerances, reverse=True))
    x, y = mirror_symmetry()
    first = {tol: None for tol in tolerances}
    snapshot = {}
    sweeps = 0

    def until(net):
        nonlocal sweeps
        sweeps += 1
        err = max_error(net, x, y)
        for tol in tolerances:
            if first[tol] is None and err < tol:
                first[tol] = sweeps
                if tol == MAIN_TOLERANCE:
                    snapshot["weights"] = [np.round(W, 6).tolist() for W in net.weights]
                    snapshot["biases"] = [np.round(b, 6).tolist() for b in net.biases]
        return err < tolerances[-1]

    result = train(initial_network(seed), x, y, epochs=max_sweeps,
                   learning_rate=learning_rate, momentum=ALPHA, loss=loss, until=until,
                   progress=False)
    net = result.network
    out = forward(net, x).output
    return {
        "seed": int(seed),
        "sweeps": {str(tol): first[tol] for tol in tolerances},
        "sweeps_run": result.epochs_run,
        "solved": first.get(MAIN_TOLERANCE) is not None,
        "final_max_error": float(np.max(np.abs(out - y))),
        "final_misclassified": int(np.sum((out >= 0.5) != (y >= 0.5))),
        "final_E": float(N_CASES * cost(net, x, y, "mse")),
        "weights": [np.round(W, 6).tolist() for W in net.weights],
        "biases": [np.round(b, 6).tolist() for b in net.biases],
        "weights_at_solution": snapshot.get("weights"),
        "biases_at_solution": snapshot.get("biases"),
    }


def mirror_analysis(W1, antisymmetry_tol=0.1, ratio_tol=0.15):
    """How closely the hidden weights W^1 (2, 6) follow the paper's Figure 1.

    For each hidden unit (a row w of W^1), with bits 1..6 at columns 0..5:

    * ``antisymmetry``: max_i |w_i + w_{7-i}| / max |w|, 0 when mirror weights are equal
      and opposite;
    * ``magnitudes``: (|w_3| + |w_4|)/2, (|w_2| + |w_5|)/2, (|w_1| + |w_6|)/2, the pairs
      from the centre outwards;
    * ``ratios``: those magnitudes sorted and divided by the smallest (1:2:4 in the paper);
    * ``order``: the pair positions from smallest to largest magnitude, "c" (centre),
      "m" (middle), "o" (outer); "cmo" means growing from the centre outwards.

    Across units, ``opposite_units``: max |w_row1 + w_row2| / max |W^1|, 0 when the two
    hidden units have equal and opposite weights; ``opposite_signs``: every weight of unit
    2 has the sign opposite to unit 1's weight on the same bit.  ``pattern`` names what both units
    share: "not antisymmetric" unless both are antisymmetric within ``antisymmetry_tol``;
    then "1:2:4" (the paper's) or "2:3:4" when every ratio of both units is within
    ``ratio_tol`` (relative) of 1:2:4 or of 1:1.5:2; else "other".  ``pattern_124`` is
    ``pattern == "1:2:4"``.

    Raises ValueError unless W1 has shape (2, 6).

    >>> W1 = np.array([[-1.0, 2.0, -4.0, 4.0, -2.0, 1.0], [1.0, -2.0, 4.0, -4.0, 2.0, -1.0]])
    >>> r = mirror_analysis(W1)
    >>> r["pattern"], r["units"][0]["ratios"], r["units"][0]["order"], r["opposite_units"]
    ('1:2:4', [1.0, 2.0, 4.0], 'omc', 0.0)
    """
    W1 = np.asarray(W1, dtype=float)
    if W1.shape != (2, 6):
        raise ValueError(f"expected the hidden weights W^1 of the 6-2-1 network, shape (2, 6), "
                         f"got {W1.shape}")
    units = []
    for w in W1:
        scale = float(np.max(np.abs(w)))
        mags = np.array([(abs(w[2]) + abs(w[3])) / 2, (abs(w[1]) + abs(w[4])) / 2,
                         (abs(w[0]) + abs(w[5])) / 2])
        ratios = np.sort(mags) / np.min(mags)
        units.append({
            "antisymmetry": float(np.max(np.abs(w + w[::-1])) / scale),
            "magnitudes": mags.tolist(),
            "ratios": ratios.tolist(),
            "order": "".join("cmo"[i] for i in np.argsort(mags)),
        })
    def near(ideal):
        ideal = np.array(ideal)
        return all(np.all(np.abs(np.array(u["ratios"]) - ideal) <= ratio_tol * ideal)
                   for u in units)

    if not all(u["antisymmetry"] <= antisymmetry_tol for u in units):
        pattern = "not antisymmetric"
    elif near([1.0, 2.0, 4.0]):
        pattern = "1:2:4"
    elif near([1.0, 1.5, 2.0]):
        pattern = "2:3:4"
    else:
        pattern = "other"
    return {
        "units": units,
        "opposite_units": float(np.max(np.abs(W1[0] + W1[1])) / np.max(np.abs(W1))),
        "opposite_signs": bool(np.all(np.sign(W1[0]) == -np.sign(W1[1]))),
        "pattern": pattern,
        "pattern_124": pattern == "1:2:4",
    }


def run(seeds, max_sweeps=MAX_SWEEPS, progress=True, *, loss="mse",
        learning_rate=LEARNING_RATE):
    """Run :func:`run_seed` for every seed in ``seeds`` (with ``loss`` and ``learning_rate``);
    return the results dict that :func:`load_results` reads back."""
    seeds = list(seeds)
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=len(seeds), desc="seeds", unit="seed")
    records, start, total_sweeps = [], time.perf_counter(), 0
    try:
        for seed in seeds:
            records.append(run_seed(seed, max_sweeps, loss=loss,
                                    learning_rate=learning_rate))
            total_sweeps += records[-1]["sweeps_run"]
            if bar is not None:
                bar.update(1)
                bar.set_postfix(solved=sum(r["solved"] for r in records), refresh=False)
    finally:
        if bar is not None:
            bar.close()
    elapsed = time.perf_counter() - start
    return {
        "description": "Rumelhart, Hinton & Williams (1986) mirror symmetry, 6-2-1, "
                       "full batch; sweeps to solution per seed",
        "parameters": {"sizes": list(SIZES), "loss": loss,
                       "epsilon_on_sum": round(learning_rate / N_CASES, 12), "alpha": ALPHA,
                       "init_range": INIT_RANGE, "learning_rate_on_mean": learning_rate,
                       "tolerances": list(TOLERANCES), "main_tolerance": MAIN_TOLERANCE,
                       "max_sweeps": max_sweeps, "n_seeds": len(seeds)},
        "timing": {"seconds": round(elapsed, 1), "total_sweeps": total_sweeps,
                   "sweeps_per_second": round(total_sweeps / elapsed) if elapsed else None,
                   "python": platform.python_version(), "numpy": np.__version__,
                   "bpcore": __version__},
        "runs": records,
    }


def load_results(path=None, *, name=RESULTS):
    """The saved results (a dict, see :func:`run`): the file ``name`` shipped in
    ``bpcore/data/``, or the JSON file at ``path`` (for example one written by the
    experiment script).  ``name=CROSS_ENTROPY_RESULTS`` reads chapter 14's reruns."""
    if path is None:
        text = resources.files("bpcore").joinpath("data", name).read_text(encoding="utf-8")
    else:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    return json.loads(text)
