"""Run the mirror-symmetry replication of chapter 12 and save its results.

The experiment itself lives in the package (``bpcore.rhw``: the task, RHW's settings, one
seed's run and the analysis of the hidden weights); this script runs it over many seeds and
writes the JSON file that ships with bpcore and that chapter 12 loads. From the repository
root (about five minutes for 200 seeds on one core)::

    python experiments/rhw_mirror_symmetry.py --seeds 200

writes ``bpcore/data/rhw_mirror_symmetry.json``; ``--out PATH`` writes elsewhere.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from bpcore import rhw

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "bpcore" / "data" / rhw.RESULTS


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=200, help="seeds 0 .. N-1 (default 200)")
    parser.add_argument("--max-sweeps", type=int, default=rhw.MAX_SWEEPS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    if args.seeds < 1 or args.max_sweeps < 1:
        parser.error("--seeds and --max-sweeps must be at least 1")
    results = rhw.run(range(args.seeds), args.max_sweeps, progress=not args.no_progress)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(results, f, separators=(",", ":"))
    runs = results["runs"]
    solved = [r["sweeps"][str(rhw.MAIN_TOLERANCE)] for r in runs if r["solved"]]
    t = results["timing"]
    print(f"{len(solved)}/{len(runs)} seeds solved within {args.max_sweeps} sweeps; "
          f"median {np.median(solved):.0f}, range {min(solved)}..{max(solved)} sweeps "
          f"(paper: 1,425)" if solved else "no seed solved")
    print(f"{t['total_sweeps']} sweeps in {t['seconds']} s "
          f"({t['sweeps_per_second']} sweeps/s); wrote {args.out}")


if __name__ == "__main__":
    main()
