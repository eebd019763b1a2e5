"""Rerun chapter 12's failed mirror-symmetry seeds with binary cross-entropy (chapter 14).

Chapter 12's replication of Rumelhart, Hinton & Williams (1986) leaves some seeds unsolved
after 20,000 sweeps, every one at E = 4 with a saturated output unit.  This script reruns
them from the same initial weights with everything of the paper's procedure kept (full
batch, momentum 0.9, the criterion, the cap) except the cost and the learning rate:

* ``scan``: every failed seed, for both costs ("mse", the paper's, and
  "binary_cross_entropy") at each learning rate of ``LEARNING_RATES`` (on bpcore's mean
  cost; 6.4 is the paper's epsilon = 0.1 on its summed cost);
* ``all_seeds``: seeds 0 .. N-1 at each (cost, rate) of ``ALL_SEED_SETTINGS``, to see what a
  setting does to the seeds that did solve.

The runs are :func:`bpcore.rhw.run_seed`; the results ship with bpcore as
``bpcore/data/rhw_cross_entropy.json`` (read with
``bpcore.rhw.load_results(name=bpcore.rhw.CROSS_ENTROPY_RESULTS)``).  From the repository
root (about half an hour on one core; most of it is runs that never solve and go to the
cap)::

    python experiments/rhw_cross_entropy.py

``--out PATH`` writes elsewhere; ``--seeds``, ``--max-sweeps`` and ``--rates`` make a
smaller run.
"""
from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np

import bpcore
from bpcore import rhw

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "bpcore" / "data" / rhw.CROSS_ENTROPY_RESULTS
LOSSES = ("mse", "binary_cross_entropy")
LEARNING_RATES = (0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4)
ALL_SEED_SETTINGS = (("mse", 1.6), ("binary_cross_entropy", 1.6),
                     ("binary_cross_entropy", 0.2))
# What a record keeps: the scan keeps the final weights (chapter 14 looks at them), the
# all-seed runs only the outcome.
SCAN_KEYS = ("seed", "sweeps", "sweeps_run", "solved", "final_max_error",
             "final_misclassified", "final_E", "weights", "biases")
ALL_KEYS = SCAN_KEYS[:-2]


def failed_seeds(results=None):
    """The seeds of chapter 12's saved results that never met the main criterion."""
    results = rhw.load_results() if results is None else results
    return [r["seed"] for r in results["runs"] if not r["solved"]]


def _runs(seeds, loss, rate, max_sweeps, keys, bar):
    records = []
    for seed in seeds:
        record = rhw.run_seed(seed, max_sweeps, loss=loss, learning_rate=rate)
        records.append({k: record[k] for k in keys})
        if bar is not None:
            bar.update(1)
    return {"loss": loss, "learning_rate": rate,
            "solved": sum(r["solved"] for r in records), "runs": records}


def cross_entropy_reruns(n_seeds=200, max_sweeps=rhw.MAX_SWEEPS, rates=LEARNING_RATES,
                         all_seed_settings=ALL_SEED_SETTINGS, progress=True):
    """The results dict this script writes (see the module docstring)."""
    failed = failed_seeds()
    total = len(failed) * len(LOSSES) * len(rates) + n_seeds * len(all_seed_settings)
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=total, desc="runs", unit="run")
    start = time.perf_counter()
    try:
        scan = [_runs(failed, loss, rate, max_sweeps, SCAN_KEYS, bar)
                for loss in LOSSES for rate in rates]
        all_seeds = [_runs(range(n_seeds), loss, rate, max_sweeps, ALL_KEYS, bar)
                     for loss, rate in all_seed_settings]
    finally:
        if bar is not None:
            bar.close()
    return {
        "description": "Chapter 12's failed mirror-symmetry seeds rerun with each cost and "
                       "learning rate (scan), and all seeds at a few settings (all_seeds)",
        "parameters": {"failed_seeds": failed, "losses": list(LOSSES), "rates": list(rates),
                       "all_seed_settings": [list(s) for s in all_seed_settings],
                       "n_seeds": n_seeds, "max_sweeps": max_sweeps, "alpha": rhw.ALPHA,
                       "init_range": rhw.INIT_RANGE, "tolerances": list(rhw.TOLERANCES),
                       "main_tolerance": rhw.MAIN_TOLERANCE},
        "timing": {"seconds": round(time.perf_counter() - start, 1),
                   "python": platform.python_version(), "numpy": np.__version__,
                   "bpcore": bpcore.__version__},
        "scan": scan,
        "all_seeds": all_seeds,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=200,
                        help="seeds 0 .. N-1 for the all-seed settings (default 200)")
    parser.add_argument("--max-sweeps", type=int, default=rhw.MAX_SWEEPS)
    parser.add_argument("--rates", type=float, nargs="+", default=list(LEARNING_RATES),
                        help="learning rates of the scan, on the mean cost")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    if args.seeds < 0 or args.max_sweeps < 1 or min(args.rates) <= 0:
        parser.error("--seeds must be at least 0, --max-sweeps at least 1, every rate > 0")
    results = cross_entropy_reruns(args.seeds, args.max_sweeps, tuple(args.rates),
                                   progress=not args.no_progress)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(results, f, separators=(",", ":"))
    n_failed = len(results["parameters"]["failed_seeds"])
    for part, n in (("scan", n_failed), ("all_seeds", args.seeds)):
        for s in results[part]:
            print(f"{part}: {s['loss']} at learning rate {s['learning_rate']}: "
                  f"{s['solved']}/{n} solved")
    print(f"{results['timing']['seconds']} s; wrote {args.out}")


if __name__ == "__main__":
    main()
