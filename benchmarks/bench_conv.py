"""How fast is bpcore.conv?  ``conv2d`` followed by ``conv2d_gradients`` (the forward pass
and the vector-Jacobian product of one convolution layer, public API with its input
checks) on m = 64 images of 8 channels, 28x28, 16 output channels, 3x3 kernels, stride 1,
no padding, float64, against:

* **im2col GEMMs**: only the three matrix products of its own im2col formulation, on patches
  built before timing: K W-form times patches (forward), delta times patches^T (the kernel
  gradient), K^T times delta (the patch gradient).  No im2col, no col2im, no checks.
* **position loop**: a loop over the 26 x 26 output positions, each a small matrix product
  over the batch, forwards and backwards (the way the sum is often first written).
* **PyTorch**: ``torch.nn.functional.conv2d`` and ``torch.autograd.grad`` on CPU in
  float64 with the same number of threads, when torch is installed.

Targets (issue 13): bpcore within 1.5x of the im2col GEMMs, and no slower than 0.9x
PyTorch's speed (time at most 1/0.9 of PyTorch's).  Every contender's results are checked
against bpcore's before anything is timed.  One process, interleaved round-robin with the
starting contender rotating (``bench_backprop.time_interleaved``), best round.

    python benchmarks/bench_conv.py             # about a minute
    python benchmarks/bench_conv.py --quick     # a few seconds, rough numbers
    python benchmarks/bench_conv.py --threads 1

It prints a table and PASS/FAIL for each target, saves everything to
benchmarks/results/conv_latest.json, and always exits 0: it measures, it does not test.
A second bpcore row, "bpcore 1 thread", runs the same calls with ``conv.THREADS = 1``
(its BLAS keeps its threads), to show what spreading the chunks over the cores buys.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bpcore import conv  # noqa: E402

import bench_backprop  # noqa: E402  (this folder: the shared timing functions)

SHAPE = dict(m=64, c_in=8, h=28, w=28, c_out=16, k=3)
GEMM_TARGET = 1.5
TORCH_TARGET = 0.9          # bpcore's speed at least 0.9 x PyTorch's


def make_problem(seed=0):
    s = SHAPE
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(s["m"], s["c_in"], s["h"], s["w"]))
    K = rng.normal(0.0, np.sqrt(2.0 / (s["c_in"] * s["k"] ** 2)),
                   size=(s["c_out"], s["c_in"], s["k"], s["k"]))
    b = rng.normal(0.0, 0.1, size=s["c_out"])
    h_out = s["h"] - s["k"] + 1
    delta = rng.normal(size=(s["m"], s["c_out"], h_out, h_out))
    return x, K, b, delta


def bpcore_step(x, K, b, delta):
    z = conv.conv2d(x, K, b)
    return z, conv.conv2d_gradients(x, K, b, delta)


def bpcore_one_thread(x, K, b, delta):
    threads, conv.THREADS = conv.THREADS, 1
    try:
        return bpcore_step(x, K, b, delta)
    finally:
        conv.THREADS = threads


def gemm_contender(x, K, delta):
    """The three products on prebuilt patches, into preallocated outputs."""
    c_out, k = K.shape[0], K.shape[2]
    patches = conv.im2col(x, k, k)
    W = np.ascontiguousarray(K.reshape(c_out, -1))
    delta_cols = np.ascontiguousarray(delta.transpose(1, 0, 2, 3).reshape(c_out, -1))
    z = np.empty((c_out, patches.shape[1]))
    gK = np.empty(W.shape)
    gP = np.empty(patches.shape)

    def run():
        np.matmul(W, patches, out=z)
        np.matmul(delta_cols, patches.T, out=gK)
        np.matmul(W.T, delta_cols, out=gP)
        return z, gK, gP
    return run


def position_loop(x, K, b, delta):
    """Forward and backward with one small product per output position."""
    m, c_in, h, w = x.shape
    c_out, _, k, _ = K.shape
    h_out, w_out = h - k + 1, w - k + 1
    W = K.reshape(c_out, -1)
    z = np.empty((m, c_out, h_out, w_out))
    gx, gW = np.zeros_like(x), np.zeros_like(W)
    for r in range(h_out):
        for q in range(w_out):
            patch = x[:, :, r:r + k, q:q + k].reshape(m, -1)          # (m, c_in k k)
            z[:, :, r, q] = patch @ W.T + b
            d = delta[:, :, r, q]                                     # (m, c_out)
            gW += d.T @ patch
            gx[:, :, r:r + k, q:q + k] += (d @ W).reshape(m, c_in, k, k)
    return z, (gx, gW.reshape(K.shape), delta.sum(axis=(0, 2, 3)))


def torch_contender(x, K, b, delta, threads):
    try:
        import torch
    except ImportError:
        return None, "torch is not installed: skipped (pip install torch to compare)"
    torch.set_num_threads(threads)
    xt = torch.tensor(x, requires_grad=True)
    Kt = torch.tensor(K, requires_grad=True)
    bt = torch.tensor(b, requires_grad=True)
    dt = torch.tensor(delta)

    def run():
        z = torch.nn.functional.conv2d(xt, Kt, bt)
        return z, torch.autograd.grad(z, (xt, Kt, bt), dt)
    return run, f"torch {torch.__version__}, {torch.get_num_threads()} threads"


def check(name, got, want):
    for g, w in zip(got, want):
        g = g.detach().numpy() if hasattr(g, "detach") else np.asarray(g)
        if not np.allclose(g, w, rtol=1e-9, atol=1e-9):
            raise RuntimeError(f"{name} disagrees with bpcore.conv (max difference "
                               f"{np.abs(g - w).max():.2g}); the timings would compare "
                               "different work")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=15, help="interleaved rounds")
    parser.add_argument("--min-block", type=float, default=0.2, help="seconds per timed block")
    parser.add_argument("--quick", action="store_true", help="3 rounds of short blocks")
    parser.add_argument("--threads", type=int, default=None,
                        help="limit numpy's BLAS and torch's threads, e.g. 1 on a busy machine")
    parser.add_argument("--no-torch", action="store_true")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" /
                        "conv_latest.json", help="where to write the JSON results")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeats, args.min_block = 3, 0.05
    if args.threads:
        from threadpoolctl import threadpool_limits
        threadpool_limits(args.threads, user_api="blas")
    threads = bench_backprop.blas_threads()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")

    x, K, b, delta = make_problem()
    z, grads = bpcore_step(x, K, b, delta)
    contenders = {"bpcore": lambda: bpcore_step(x, K, b, delta)}
    oz, og = bpcore_one_thread(x, K, b, delta)
    check("bpcore 1 thread", [oz, *og], [z, *grads])
    contenders["bpcore 1 thread"] = lambda: bpcore_one_thread(x, K, b, delta)
    gemm = gemm_contender(x, K, delta)
    gz, gK, _ = gemm()
    check("im2col GEMMs", [gz.reshape(z.shape[1], z.shape[0], *z.shape[2:]).transpose(1, 0, 2, 3),
                           gK.reshape(K.shape)], [z - b[None, :, None, None], grads[1]])
    contenders["im2col GEMMs"] = gemm
    lz, lg = position_loop(x, K, b, delta)
    check("position loop", [lz, *lg], [z, *grads])
    contenders["position loop"] = lambda: position_loop(x, K, b, delta)
    torch_note = "torch: not requested (--no-torch)"
    if not args.no_torch:
        run, torch_note = torch_contender(x, K, b, delta, threads)
        if run is not None:
            tz, tg = run()
            check("PyTorch", [tz, *tg], [z, *grads])
            contenders["PyTorch"] = run

    print(f"bpcore.conv benchmark: numpy {np.__version__}, {os.cpu_count()} CPUs, {threads} "
          f"BLAS threads, conv.THREADS = {conv.THREADS}; {torch_note}; {args.repeats} "
          f"interleaved rounds; load average {load:.2f}")
    s = SHAPE
    print(f"conv2d + conv2d_gradients, x ({s['m']}, {s['c_in']}, {s['h']}, {s['w']}), kernels "
          f"({s['c_out']}, {s['c_in']}, {s['k']}, {s['k']}), float64")
    samples, faults = bench_backprop.time_interleaved(contenders, args.repeats, args.min_block,
                                                      progress=lambda done, total: None)
    best = {k: min(t) for k, t in samples.items()}
    median = {k: float(np.median(t)) for k, t in samples.items()}

    def paired(a, b):
        """The median over rounds of each round's own ratio a / b."""
        return float(np.median(np.array(samples[a]) / np.array(samples[b])))

    print(f"{'contender':16s}{'best ms':>10s}{'median ms':>11s}{'bpcore / it':>13s}"
          f"{'faults/call':>13s}")
    for name in contenders:
        print(f"{name:16s}{best[name] * 1e3:10.2f}{median[name] * 1e3:11.2f}"
              f"{best['bpcore'] / best[name]:13.2f}{np.median(faults[name]):13.0f}")
    ratios = {"bpcore_over_gemms": {"best": best["bpcore"] / best["im2col GEMMs"],
                                    "median": median["bpcore"] / median["im2col GEMMs"],
                                    "paired": paired("bpcore", "im2col GEMMs")}}
    if "PyTorch" in best:
        ratios["torch_over_bpcore"] = {"best": best["PyTorch"] / best["bpcore"],
                                       "median": median["PyTorch"] / median["bpcore"],
                                       "paired": paired("PyTorch", "bpcore")}
    targets = []
    r = ratios["bpcore_over_gemms"]
    targets.append({"target": f"bpcore within {GEMM_TARGET}x of its im2col GEMMs",
                    "passed": r["best"] <= GEMM_TARGET, **r})
    if "torch_over_bpcore" in ratios:
        r = ratios["torch_over_bpcore"]
        targets.append({"target": f"bpcore at least {TORCH_TARGET}x PyTorch's speed",
                        "passed": r["best"] >= TORCH_TARGET, **r})
    print()
    for t in targets:
        print(f"{'PASS' if t['passed'] else 'FAIL'}  {t['target']}: {t['best']:.2f} (median "
              f"{t['median']:.2f}, paired {t['paired']:.2f})")
    report = {"shape": SHAPE, "numpy": np.__version__, "python": platform.python_version(),
              "cpus": os.cpu_count(), "blas_threads": threads, "conv_threads": conv.THREADS,
              "chunk_bytes": conv.CHUNK_BYTES, "torch": torch_note, "repeats": args.repeats,
              "load_start": load, "load_end": os.getloadavg()[0] if hasattr(os, "getloadavg")
              else float("nan"),
              "ms": {k: {"best": best[k] * 1e3, "median": median[k] * 1e3} for k in best},
              "faults_per_call": {k: float(np.median(f)) for k, f in faults.items()},
              "ratios": ratios, "targets": targets}
    bench_backprop.save_report(report, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
