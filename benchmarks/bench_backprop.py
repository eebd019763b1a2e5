"""How fast is bpcore.backprop?  It is timed against three references, in one process and
interleaved round-robin, so that a slow moment of the machine hits every contender alike:

* the GEMM floor: only the matrix products backpropagation cannot avoid, on preallocated
  arrays (forward W^l a^{l-1} for every layer, delta^l (a^{l-1})^T for every layer, and
  (W^l)^T delta^l for every layer but the first);
* a per-sample loop in the style of classic teaching code: one column at a time, forward and
  backward, gradients accumulated, then divided by m;
* PyTorch CPU autograd (float64) on the same network and batch, if torch is installed.
  Its gradients are checked against bpcore's before anything is timed.

Run from the repository root:

    python benchmarks/bench_backprop.py            # under a minute
    python benchmarks/bench_backprop.py --quick    # a few seconds, rough numbers

Results are printed as a table and saved to benchmarks/results/latest.json.  The script
prints PASS/FAIL against the project's speed targets but always exits 0: it measures, it
does not test.  See benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import bpcore  # noqa: E402

try:  # optional: the PyTorch comparison is skipped without it
    import torch
except ImportError:  # pragma: no cover - depends on the environment
    torch = None

# (sizes, batch size m); sigmoid hidden layers throughout.
CONFIGS = [((784, 512, 512, 10), 256), ((784, 100, 10), 64), ((784, 30, 10), 10)]
# (output activation, loss).  The first is the primary one, on which the targets are judged.
LOSSES = [("softmax", "cross_entropy"), ("sigmoid", "mse")]
PRIMARY_LOSS = "cross_entropy"

TARGETS = [
    # (name, config label, ratio key, comparison, bound)
    ("bpcore within 1.3x of the GEMM floor", "784-512-512-10/256", "bpcore_over_floor", "<=", 1.3),
    ("bpcore 8x faster than the per-sample loop", "784-30-10/10", "loop_over_bpcore", ">=", 8.0),
    ("bpcore no slower than 0.9x PyTorch", "784-512-512-10/256", "torch_over_bpcore", ">=", 0.9),
    ("bpcore no slower than 0.9x PyTorch", "784-100-10/64", "torch_over_bpcore", ">=", 0.9),
    ("bpcore no slower than 0.9x PyTorch", "784-30-10/10", "torch_over_bpcore", ">=", 0.9),
]


def label(sizes, m):
    return f"{'-'.join(map(str, sizes))}/{m}"


def blas_threads():
    """The number of threads numpy's BLAS uses (threadpoolctl ships with scikit-learn)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return os.cpu_count() or 1
    counts = [p["num_threads"] for p in threadpool_info() if p.get("user_api") == "blas"]
    return max(counts) if counts else (os.cpu_count() or 1)


def make_problem(sizes, m, out_act, seed=0):
    """A network with random weights, inputs like pixel intensities and one-hot targets."""
    rng = np.random.default_rng(seed)
    acts = ["sigmoid"] * (len(sizes) - 2) + [out_act]
    net = bpcore.Network.random(sizes, acts, seed=rng)
    net = net.replace(biases=[rng.normal(0.0, 0.1, size=b.shape) for b in net.biases])
    x = rng.random((sizes[0], m))
    y = bpcore.datasets.one_hot(rng.integers(0, sizes[-1], size=m), sizes[-1])
    return net, x, y


# ---------------------------------------------------------------------------------------
# The contenders.  Each make_* returns a function of no arguments that does the work once.

def make_bpcore(net, x, y, loss):
    return lambda: bpcore.backprop(net, x, y, loss)


def make_gemm_floor(sizes, m, rng):
    """Only the unavoidable matrix products, into preallocated outputs."""
    L = len(sizes) - 1
    W = [rng.random((sizes[l], sizes[l - 1])) for l in range(1, L + 1)]
    a = [rng.random((n, m)) for n in sizes]            # a^0 .. a^L
    delta = [rng.random((sizes[l], m)) for l in range(1, L + 1)]
    z_out = [np.empty((sizes[l], m)) for l in range(1, L + 1)]
    gW_out = [np.empty_like(Wl) for Wl in W]
    up_out = [np.empty((sizes[l - 1], m)) for l in range(1, L + 1)]

    def floor():
        for i in range(L):                     # forward: z^l = W^l a^{l-1}
            np.matmul(W[i], a[i], out=z_out[i])
        for i in range(L - 1, 0, -1):          # BP2: (W^l)^T delta^l for l = L..2
            np.matmul(W[i].T, delta[i], out=up_out[i])
        for i in range(L):                     # BP4: delta^l (a^{l-1})^T
            np.matmul(delta[i], a[i].T, out=gW_out[i])
    return floor


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def per_sample_gradients(weights, biases, x, y, loss):
    """Classic teaching-code backprop: column vectors, one sample at a time.

    Hidden layers are sigmoid; the output is softmax with cross-entropy (delta^L = a - y) or
    sigmoid with the quadratic cost (delta^L = (a - y) a (1 - a)).
    """
    L = len(weights)
    b_col = [b.reshape(-1, 1) for b in biases]
    grad_W = [np.zeros_like(W) for W in weights]
    grad_b = [np.zeros_like(b) for b in b_col]
    m = x.shape[1]
    for k in range(m):
        a = x[:, k:k + 1]
        activations = [a]
        for i in range(L):
            z = np.dot(weights[i], a) + b_col[i]
            if i == L - 1 and loss == "cross_entropy":
                e = np.exp(z - z.max())
                a = e / e.sum()
            else:
                a = _sigmoid(z)
            activations.append(a)
        target = y[:, k:k + 1]
        if loss == "cross_entropy":
            delta = a - target
        else:
            delta = (a - target) * a * (1.0 - a)
        for i in range(L - 1, -1, -1):        # layer l = i + 1, from L down to 1
            grad_b[i] += delta
            grad_W[i] += np.dot(delta, activations[i].T)
            if i > 0:
                a_prev = activations[i]
                delta = np.dot(weights[i].T, delta) * a_prev * (1.0 - a_prev)
    return [g / m for g in grad_W], [g.ravel() / m for g in grad_b]


def make_loop(net, x, y, loss):
    weights, biases = list(net.weights), list(net.biases)
    return lambda: per_sample_gradients(weights, biases, x, y, loss)


def torch_gradients(params, x, y, loss):
    """Forward pass and autograd in torch; returns the gradients W^1, b^1, W^2, ..."""
    L = len(params) // 2
    a = x
    for i in range(L):
        W, b = params[2 * i], params[2 * i + 1]
        z = W @ a + b[:, None]
        if i < L - 1 or loss == "mse":
            a = torch.sigmoid(z)
    if loss == "cross_entropy":
        cost = -(y * torch.log_softmax(z, dim=0)).sum(dim=0).mean()
    else:
        cost = 0.5 * ((a - y) ** 2).sum(dim=0).mean()
    return torch.autograd.grad(cost, params)


def make_torch(net, x, y, loss):
    params = []
    for W, b in zip(net.weights, net.biases):
        params += [torch.tensor(np.array(W), dtype=torch.float64, requires_grad=True),
                   torch.tensor(np.array(b), dtype=torch.float64, requires_grad=True)]
    xt = torch.from_numpy(np.ascontiguousarray(x))
    yt = torch.from_numpy(np.ascontiguousarray(y))
    return lambda: torch_gradients(params, xt, yt, loss)


def check_same_gradients(name, got_W, got_b, ref):
    for l, (gW, rW) in enumerate(zip(got_W, ref.weights), start=1):
        if not np.allclose(gW, rW, rtol=1e-9, atol=1e-12):
            raise RuntimeError(f"{name} disagrees with bpcore on dC/dW^{l}: max difference "
                               f"{np.max(np.abs(gW - rW)):.3g}; the timings would compare "
                               "different work")
    for l, (gb, rb) in enumerate(zip(got_b, ref.biases), start=1):
        if not np.allclose(gb, rb, rtol=1e-9, atol=1e-12):
            raise RuntimeError(f"{name} disagrees with bpcore on dC/db^{l}")


# ---------------------------------------------------------------------------------------
# Timing.

def calibrate(fn, min_block):
    """How many calls make one timed block last at least ``min_block`` seconds."""
    fn()  # warm up: first-call costs (imports, allocator growth) are not measured
    n = 1
    while True:
        start = time.perf_counter()
        for _ in range(n):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= min_block or n >= 1_000_000:
            return n
        n = max(n + 1, int(n * min(10.0, 1.2 * min_block / max(elapsed, 1e-9))))


def minor_page_faults():
    """Minor page faults of this process so far (0 where the OS does not report them)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def time_interleaved(contenders, repeats, min_block, progress):
    """Round-robin: each round times one block of every contender, the starting contender
    rotating from round to round.  Returns name -> list of seconds per call, and
    name -> list of minor page faults per call (fresh memory the allocator had to map)."""
    names = list(contenders)
    calls = {name: calibrate(fn, min_block) for name, fn in contenders.items()}
    samples = {name: [] for name in names}
    faults = {name: [] for name in names}
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for r in range(repeats):
            progress(r + 1, repeats)
            order = names[r % len(names):] + names[:r % len(names)]
            for name in order:
                fn, n = contenders[name], calls[name]
                faults_before = minor_page_faults()
                start = time.perf_counter()
                for _ in range(n):
                    fn()
                samples[name].append((time.perf_counter() - start) / n)
                faults[name].append((minor_page_faults() - faults_before) / n)
    finally:
        if gc_was_enabled:
            gc.enable()
    return samples, faults


# ---------------------------------------------------------------------------------------

def ratios(t):
    """The ratios the targets are stated in, from seconds per call ``t``."""
    out = {"bpcore_over_floor": t["bpcore"] / t["gemm_floor"],
           "loop_over_bpcore": t["per_sample_loop"] / t["bpcore"],
           # the most loop_over_bpcore could be if bpcore cost no more than its GEMMs
           "loop_over_floor": t["per_sample_loop"] / t["gemm_floor"]}
    if "torch" in t:
        out["torch_over_bpcore"] = t["torch"] / t["bpcore"]
    return {k: round(v, 3) for k, v in out.items()}


def run(args):
    if args.threads:
        from threadpoolctl import threadpool_limits
        threadpool_limits(args.threads, user_api="blas")
    threads = blas_threads()
    if torch is not None and not args.no_torch:
        torch.set_num_threads(threads)
    use_torch = torch is not None and not args.no_torch
    repeats = args.repeats or (5 if args.quick else 21)
    min_block = args.min_block or (0.005 if args.quick else 0.03)
    rng = np.random.default_rng(1)
    load_at_start = round(os.getloadavg()[0], 2)
    if load_at_start > 0.5:
        print(f"warning: load average {load_at_start} before starting: other processes share "
              f"the {os.cpu_count()} CPUs, so times will be noisy (the best-of statistic "
              "suffers least)", file=sys.stderr)

    results = []
    jobs = [(sizes, m, out, loss) for sizes, m in CONFIGS for out, loss in LOSSES]
    for j, (sizes, m, out_act, loss) in enumerate(jobs, start=1):
        name = f"{label(sizes, m)} {out_act}+{loss}"
        net, x, y = make_problem(sizes, m, out_act)
        ref = bpcore.backprop(net, x, y, loss)
        contenders = {"bpcore": make_bpcore(net, x, y, loss),
                      "gemm_floor": make_gemm_floor(sizes, m, rng),
                      "per_sample_loop": make_loop(net, x, y, loss)}
        check_same_gradients("the per-sample loop", *contenders["per_sample_loop"](), ref)
        if use_torch:
            contenders["torch"] = make_torch(net, x, y, loss)
            g = [t.numpy() for t in contenders["torch"]()]
            check_same_gradients("PyTorch", g[0::2], g[1::2], ref)

        def progress(r, n, j=j, name=name):
            if sys.stderr.isatty():
                print(f"\r[{j}/{len(jobs)}] {name}: round {r}/{n}   ", end="",
                      file=sys.stderr, flush=True)
            elif r == 1:
                print(f"[{j}/{len(jobs)}] {name}: {n} rounds", file=sys.stderr, flush=True)

        samples, faults = time_interleaved(contenders, repeats, min_block, progress)
        med = {k: statistics.median(v) for k, v in samples.items()}
        best = {k: min(v) for k, v in samples.items()}
        results.append({
            "config": label(sizes, m), "sizes": list(sizes), "batch": m,
            "output": out_act, "loss": loss, "primary": loss == PRIMARY_LOSS,
            "ms": {"median": {k: round(v * 1e3, 4) for k, v in med.items()},
                   "best": {k: round(v * 1e3, 4) for k, v in best.items()}},
            "ratios": {"median": ratios(med), "best": ratios(best)},
            "page_faults_per_call": {k: round(statistics.median(v), 1)
                                     for k, v in faults.items()},
        })
    if sys.stderr.isatty():
        print("\r" + " " * 70 + "\r", end="", file=sys.stderr, flush=True)
    return {
        "what": "milliseconds per call over interleaved rounds: the median and the best "
                "round of each contender, and the ratios of those",
        "statistic_for_targets": args.stat,
        "repeats": repeats, "min_block_seconds": min_block, "quick": bool(args.quick),
        "machine": {"cpus": os.cpu_count(), "blas_threads": threads,
                    "torch_threads": torch.get_num_threads() if use_torch else None,
                    "python": platform.python_version(), "numpy": np.__version__,
                    "torch": torch.__version__ if use_torch else None,
                    "load_average_1min": {"start": load_at_start,
                                          "end": round(os.getloadavg()[0], 2)}},
        "results": results,
    }


def targets(report):
    stat = report["statistic_for_targets"]
    other = "median" if stat == "best" else "best"
    by_config = {r["config"]: r for r in report["results"] if r["primary"]}
    verdicts = []
    for name, config, key, op, bound in TARGETS:
        r = by_config.get(config)
        value = r["ratios"][stat].get(key) if r else None
        if value is None:
            verdicts.append({"target": name, "config": config, "ratio": key,
                             "verdict": "SKIP", "value": None, "bound": f"{op} {bound}"})
            continue
        ok = value <= bound if op == "<=" else value >= bound
        verdicts.append({"target": name, "config": config, "ratio": key, "value": value,
                         "other_statistic": r["ratios"][other][key],
                         "bound": f"{op} {bound}", "verdict": "PASS" if ok else "FAIL"})
    return verdicts


def print_report(report):
    mach, stat = report["machine"], report["statistic_for_targets"]
    other = "median" if stat == "best" else "best"
    print(f"bpcore.backprop benchmark: {mach['cpus']} CPUs, BLAS threads {mach['blas_threads']}, "
          f"torch threads {mach['torch_threads']}, numpy {mach['numpy']}, "
          f"torch {mach['torch'] or 'not installed'}; {report['repeats']} interleaved rounds; "
          f"load average {mach['load_average_1min']['start']} -> "
          f"{mach['load_average_1min']['end']}")
    head = (f"{'config':<20}{'output+loss':<24}{'bpcore':>9}{'floor':>9}{'loop':>10}"
            f"{'torch':>9} |{'bp/floor':>9}{'loop/bp':>9}{'torch/bp':>9}{'loop/floor':>11}")
    print(head)
    print("-" * len(head))
    for r in report["results"]:
        ms, ra = r["ms"][stat], r["ratios"][stat]
        torch_ms = f"{ms['torch']:9.3f}" if "torch" in ms else f"{'-':>9}"
        torch_ratio = f"{ra['torch_over_bpcore']:9.2f}" if "torch_over_bpcore" in ra else \
            f"{'-':>9}"
        star = " *" if r["primary"] else ""
        print(f"{r['config']:<20}{r['output'] + '+' + r['loss'] + star:<24}{ms['bpcore']:9.3f}"
              f"{ms['gemm_floor']:9.3f}{ms['per_sample_loop']:10.3f}{torch_ms} |"
              f"{ra['bpcore_over_floor']:9.2f}{ra['loop_over_bpcore']:9.2f}{torch_ratio}"
              f"{ra['loop_over_floor']:11.2f}")
    print(f"ms per call, {stat} of the rounds; * = primary loss, on which targets are judged;")
    print("loop/floor is the ceiling for loop/bp: its value if bpcore cost only its GEMMs")
    for r in report["results"]:
        n_faults = r["page_faults_per_call"]["bpcore"]
        if n_faults > 100:
            print(f"note: bpcore took {n_faults:.0f} page faults per call on {r['config']} "
                  f"{r['loss']}: the C allocator handed freed memory back to the OS and had "
                  "to map it again (see benchmarks/README.md)")
    print()
    for v in report["targets"]:
        value = "n/a" if v["value"] is None else \
            f"{v['value']:.2f} ({other}: {v['other_statistic']:.2f})"
        print(f"{v['verdict']:<5} {v['target']} on {v['config']}: {v['ratio']} = {value}, "
              f"target {v['bound']}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="few short rounds (rough numbers)")
    parser.add_argument("--repeats", type=int, help="interleaved rounds (default 21, quick 5)")
    parser.add_argument("--min-block", type=float,
                        help="seconds per timed block (default 0.03, quick 0.005)")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if installed")
    parser.add_argument("--threads", type=int,
                        help="limit numpy's BLAS (and torch) to this many threads "
                             "(default: leave numpy's setting, usually one per CPU)")
    parser.add_argument("--stat", choices=["best", "median"], default="best",
                        help="statistic the table and targets use (default best: on a shared "
                             "machine other processes only ever add time)")
    parser.add_argument("--output", type=Path,
                        default=Path(__file__).resolve().parent / "results" / "latest.json",
                        help="where to write the JSON results")
    args = parser.parse_args(argv)
    if torch is None and not args.no_torch:
        print("PyTorch is not installed: skipping the torch comparison "
              "(pip install torch to include it)", file=sys.stderr)
    report = run(args)
    report["targets"] = targets(report)
    print_report(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    shown = args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output
    print(f"\nsaved {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
