"""How fast is bpcore.autodiff?  Two comparisons, each in one process, interleaved
round-robin (the starting contender rotating), best of the rounds:

* the matrix engine's ``bpcore.autodiff.gradients`` (record the forward pass as a graph,
  run its VJPs) against ``bpcore.backprop`` (BP1-BP4 written out) on 784-512-512-10 with a
  batch of 256, sigmoid hidden layers, softmax + cross-entropy (primary) and sigmoid + the
  quadratic cost.  Target: the matrix engine within 1.5x of backprop.
* the scalar engine (``bpcore.autodiff.Value``: one graph node per multiply and add) against
  the matrix engine on a small network, 4-8-8-3 with a batch of 8, sigmoid + quadratic cost.
  No target: it shows what recording every number costs.

Every contender's gradients are checked against bpcore.backprop before anything is timed.

Run from the repository root:

    python benchmarks/bench_autodiff.py            # about a minute
    python benchmarks/bench_autodiff.py --quick    # a few seconds, rough numbers
    python benchmarks/bench_autodiff.py --threads 1    # one BLAS thread: steadier when busy

It prints a table and PASS/FAIL for the target, and always exits 0: it measures, it does not
test.  See benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import bpcore  # noqa: E402
from bpcore import autodiff  # noqa: E402
from bpcore.autodiff import Value  # noqa: E402

import bench_backprop  # noqa: E402  (this folder: the shared timing functions)

LARGE = ((784, 512, 512, 10), 256)
SMALL = ((4, 8, 8, 3), 8)
TARGET = 1.5            # autodiff.gradients / bpcore.backprop on LARGE, primary loss


def value_gradients(net, x, y):
    """The scalar engine on a sigmoid network with the quadratic cost: every weight, bias,
    product and sum a Value; one backward pass for the mean cost of the batch."""
    Ws = [[[Value(w) for w in row] for row in W] for W in net.weights]
    bs = [[Value(b) for b in bias] for bias in net.biases]
    m, total = x.shape[1], Value(0.0)
    for k in range(m):
        a = [Value(v) for v in x[:, k]]
        for W, b in zip(Ws, bs):
            z = [sum((w * ai for w, ai in zip(row, a)), bj) for row, bj in zip(W, b)]
            a = [zj.sigmoid() for zj in z]
        total = total + 0.5 * sum(((aj - yj) * (aj - yj) for aj, yj in zip(a, y[:, k])),
                                  Value(0.0))
    (total / m).backward()
    return bpcore.Gradients(tuple(np.array([[w.grad for w in row] for row in W]) for W in Ws),
                            tuple(np.array([b.grad for b in bias]) for bias in bs))


def check(name, got, ref):
    error = bpcore.relative_error(got, ref)
    if error > 1e-9:
        raise RuntimeError(f"{name} disagrees with bpcore.backprop (relative error {error:.2g}); "
                           "the timings would compare different work")


def time_interleaved(contenders, repeats, min_block):
    """bench_backprop's interleaved rounds (best-of and page faults measured the same way
    for both benchmarks): name -> seconds per call, one entry per round, and name -> mean
    minor page faults per call."""
    samples, faults = bench_backprop.time_interleaved(contenders, repeats, min_block,
                                                      progress=lambda done, total: None)
    return samples, {name: sum(f) / len(f) for name, f in faults.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=15, help="interleaved rounds")
    parser.add_argument("--min-block", type=float, default=0.1,
                        help="seconds per timed block")
    parser.add_argument("--quick", action="store_true", help="3 rounds of short blocks")
    parser.add_argument("--threads", type=int, default=None,
                        help="limit numpy's BLAS threads (threadpoolctl), e.g. 1 on a busy machine")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeats, args.min_block = 3, 0.02
    if args.threads:
        from threadpoolctl import threadpool_limits
        threadpool_limits(args.threads, user_api="blas")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    threads = f", BLAS threads limited to {args.threads}" if args.threads else ""
    print(f"bpcore.autodiff benchmark: numpy {np.__version__}, {os.cpu_count()} CPUs{threads}, "
          f"{args.repeats} interleaved rounds, best round; load average {load:.2f}")

    rows = []
    (sizes, m) = LARGE
    for out_act, loss in [("softmax", "cross_entropy"), ("sigmoid", "mse")]:
        net, x, y = bench_backprop.make_problem(sizes, m, out_act)
        ref = bpcore.backprop(net, x, y, loss)
        check("autodiff.gradients", autodiff.gradients(net, x, y, loss), ref)
        t, faults = time_interleaved({"backprop": lambda: bpcore.backprop(net, x, y, loss),
                                      "autodiff": lambda: autodiff.gradients(net, x, y, loss)},
                                     args.repeats, args.min_block)
        best = {k: min(v) for k, v in t.items()}
        rows.append((f"{'-'.join(map(str, sizes))}/{m}", f"{out_act}+{loss}",
                     "autodiff.gradients", "bpcore.backprop", best["autodiff"],
                     best["backprop"], faults["autodiff"], faults["backprop"]))

    (sizes, m) = SMALL
    net, x, y = bench_backprop.make_problem(sizes, m, "sigmoid")
    ref = bpcore.backprop(net, x, y, "mse")
    check("Value engine", value_gradients(net, x, y), ref)
    check("autodiff.gradients", autodiff.gradients(net, x, y, "mse"), ref)
    t, faults = time_interleaved({"value": lambda: value_gradients(net, x, y),
                                  "matrix": lambda: autodiff.gradients(net, x, y, "mse")},
                                 max(3, args.repeats // 3), args.min_block)
    best = {k: min(v) for k, v in t.items()}
    rows.append((f"{'-'.join(map(str, sizes))}/{m}", "sigmoid+mse", "Value (scalar)",
                 "autodiff.gradients", best["value"], best["matrix"], faults["value"],
                 faults["matrix"]))

    print(f"{'config':20s}{'output+loss':23s}{'contender':20s}{'against':20s}"
          f"{'ms':>9s}{'ms':>9s}{'ratio':>7s}{'faults':>16s}")
    for config, pair, a_name, b_name, a, b, fa, fb in rows:
        print(f"{config:20s}{pair:23s}{a_name:20s}{b_name:20s}{a * 1e3:9.3f}{b * 1e3:9.3f}"
              f"{a / b:7.2f}{fa:9.0f} /{fb:5.0f}")
    print("ms per call, best round; faults: minor page faults per call, contender / against "
          "(fresh memory the allocator maps; see benchmarks/README.md)")
    ratio = rows[0][4] / rows[0][5]
    verdict = "PASS" if ratio <= TARGET else "FAIL"
    print(f"\n{verdict}  autodiff.gradients within {TARGET}x of bpcore.backprop on "
          f"{rows[0][0]} ({rows[0][1]}): ratio {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
