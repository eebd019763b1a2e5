"""How fast is bpcore.backprop?  It is timed against three references, in one process and
interleaved round-robin, so that a slow moment of the machine hits every contender alike:

* the GEMM floor: only the matrix products backpropagation cannot avoid, on preallocated
  arrays (forward W^l a^{l-1} for every layer, delta^l (a^{l-1})^T for every layer, and
  (W^l)^T delta^l for every layer but the first);
* a per-sample loop in the style of classic teaching code: one column at a time, forward and
  backward, gradients accumulated, then divided by m;
* PyTorch CPU autograd (float64) on the same network and batch, if torch is installed.
  Its gradients are checked against bpcore's before anything is timed.

It also starts fresh ``python`` processes that import bpcore and time its first calls on
784-512-512-10/256 against later, warm calls in the same process.

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
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import bpcore  # noqa: E402

torch = None  # optional: imported by main() unless --no-torch; the fresh processes never do

# (sizes, batch size m); sigmoid hidden layers throughout.
CONFIGS = [((784, 512, 512, 10), 256), ((784, 100, 10), 64), ((784, 30, 10), 10)]
# (output activation, loss).  The first is the primary one, on which the targets are judged.
LOSSES = [("softmax", "cross_entropy"), ("sigmoid", "mse")]
PRIMARY_LOSS = "cross_entropy"

TARGETS = [
    # (name, config label, loss, ratio key, comparison, bound), from issue 15
    ("bpcore within 1.3x of the GEMM floor", "784-512-512-10/256", "cross_entropy",
     "bpcore_over_floor", "<=", 1.3),
    ("bpcore within 1.3x of the GEMM floor", "784-512-512-10/256", "mse",
     "bpcore_over_floor", "<=", 1.3),
    ("bpcore within 1.6x of the GEMM floor", "784-30-10/10", "cross_entropy",
     "bpcore_over_floor", "<=", 1.6),
    ("first call in a fresh process within 1.2x of a warm call", "784-512-512-10/256",
     "cross_entropy", "first_over_warm", "<=", 1.2),
    ("bpcore no slower than 0.9x PyTorch", "784-512-512-10/256", "cross_entropy",
     "torch_over_bpcore", ">=", 0.9),
    ("bpcore no slower than 0.9x PyTorch", "784-100-10/64", "cross_entropy",
     "torch_over_bpcore", ">=", 0.9),
    ("bpcore no slower than 0.9x PyTorch", "784-30-10/10", "cross_entropy",
     "torch_over_bpcore", ">=", 0.9),
]

# The fresh-process measurement: network, batch, output and loss; calls per process, of
# which the first WARM_FROM are not part of the warm reference.
FRESH = ((784, 512, 512, 10), 256, "softmax", "cross_entropy")
FRESH_CALLS, WARM_FROM = 30, 10
# Seconds of idle time before every timed block (see time_interleaved).
SETTLE = 0.02
# best: the ratio of the best rounds; median: of the median rounds; paired: the median of
# each round's own ratios (see paired())
STATISTICS = ("best", "median", "paired")


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


def make_inline(net, x, y, loss):
    """The element-wise work of the forward pass and BP1-BP4, written inline into arrays
    allocated once: what numpy itself costs for one call, without input validation,
    registry records or function calls.  Hidden layers are sigmoid; the output is softmax
    with cross-entropy or sigmoid with the quadratic cost.  sigma and softmax are bpcore's
    own functions, so that both sides pay for the same implementation of them."""
    weights, biases = net.weights, [b[:, None] for b in net.biases]
    L, m = len(weights), x.shape[1]
    z = [np.empty((W.shape[0], m)) for W in weights]
    delta = [np.empty((W.shape[0], m)) for W in weights]
    grad_W = [np.empty_like(W) for W in weights]

    def gradients():
        a = [x]
        for i in range(L):
            np.matmul(weights[i], a[i], out=z[i])
            z[i] += biases[i]
            if i == L - 1 and loss == "cross_entropy":
                a.append(bpcore.activations.softmax(z[i]))
            else:
                a.append(bpcore.activations.sigmoid(z[i]))
        np.subtract(a[L], y, out=delta[L - 1])
        if loss == "mse":
            delta[L - 1] *= a[L] * (1.0 - a[L])
        for i in range(L - 2, -1, -1):
            np.matmul(weights[i + 1].T, delta[i + 1], out=delta[i])
            delta[i] *= a[i + 1] * (1.0 - a[i + 1])
        grad_b = []
        for i in range(L):
            delta[i] *= 1.0 / m
            grad_b.append(delta[i].sum(axis=1))
            np.matmul(delta[i], a[i].T, out=grad_W[i])
        return grad_W, grad_b
    return gradients


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


def time_interleaved(contenders, repeats, min_block, progress, settle=SETTLE):
    """Round-robin: each round times one block of every contender, the starting contender
    rotating from round to round.  Returns name -> list of seconds per call, and
    name -> list of minor page faults per call (fresh memory the allocator had to map).

    Before every block the process sleeps ``settle`` seconds, untimed: PyTorch's OpenMP
    threads keep spinning for a few milliseconds after its call returns, and whichever
    contender came next (always the same one, since the rotation keeps the cyclic order)
    ran on CPUs they were still using, about 1.4 times slower."""
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
                time.sleep(settle)
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
# Fresh processes.  The rounds above time warm calls in a process that has already done
# much work; a reader's first calls come in a process whose allocator has seen nothing.

def fresh_child(spec):
    """In a new process: time every call of bpcore.backprop from the first one.

    ``spec["warm_blas"]`` first runs one matrix product of the size of W^1 a^0 that is not
    bpcore's work, so that the BLAS library's own first-use costs (its packing buffers)
    fall outside the first call.  Each call's gradients replace the previous ones, as in a
    training loop.
    """
    if spec["threads"]:
        from threadpoolctl import threadpool_limits
        threadpool_limits(spec["threads"], user_api="blas")
    sizes, m = spec["sizes"], spec["batch"]
    net, x, y = make_problem(sizes, m, spec["output"])
    if spec["warm_blas"]:
        np.random.default_rng(2).random((sizes[1], sizes[0])) @ x
    seconds, faults = [], []
    grads = None
    for _ in range(FRESH_CALLS):
        faults_before = minor_page_faults()
        start = time.perf_counter()
        grads = bpcore.backprop(net, x, y, spec["loss"])
        seconds.append(time.perf_counter() - start)
        faults.append(minor_page_faults() - faults_before)
    assert grads is not None
    return {"seconds": seconds, "faults": faults}


def time_fresh_processes(n_processes, threads, progress):
    """Start 2 * ``n_processes`` fresh ``python`` processes (alternately without and with a
    BLAS warm-up, see :func:`fresh_child`) and summarise their first calls against the
    best of their warm calls (calls WARM_FROM + 1 .. FRESH_CALLS)."""
    sizes, m, out_act, loss = FRESH
    runs = {False: [], True: []}
    for k in range(n_processes):
        progress(k + 1, n_processes)
        for warm_blas in (False, True):
            spec = {"sizes": list(sizes), "batch": m, "output": out_act, "loss": loss,
                    "warm_blas": warm_blas, "threads": threads}
            done = subprocess.run([sys.executable, __file__, "--fresh-child", json.dumps(spec)],
                                  capture_output=True, text=True, check=True)
            runs[warm_blas].append(json.loads(done.stdout.splitlines()[-1]))
    out = {"config": label(sizes, m), "output": out_act, "loss": loss,
           "processes": n_processes, "calls_per_process": FRESH_CALLS,
           "warm_calls": f"{WARM_FROM + 1}..{FRESH_CALLS}"}
    for warm_blas, key in ((False, "cold"), (True, "after_blas_warmup")):
        per = []
        for run in runs[warm_blas]:
            s, f = run["seconds"], run["faults"]
            warm = min(s[WARM_FROM:])
            per.append({"first_ms": s[0] * 1e3, "second_ms": s[1] * 1e3, "warm_ms": warm * 1e3,
                        "first_over_warm": s[0] / warm, "second_over_warm": s[1] / warm,
                        "first_faults": f[0], "second_faults": f[1],
                        "warm_faults": statistics.median(f[WARM_FROM:])})
        out[key] = {
            stat: {k: round(pick([p[k] for p in per]), 3) for k in per[0]}
            for stat, pick in (("best", min), ("median", statistics.median))}
    # the targets read the cold processes: nothing ran before the first call.  Each ratio
    # is already paired (first and warm calls of one process), so "paired" is the median.
    out["ratios"] = {stat: {"first_over_warm": out["cold"][stat]["first_over_warm"],
                            "second_over_warm": out["cold"][stat]["second_over_warm"]}
                     for stat in ("best", "median")}
    out["ratios"]["paired"] = out["ratios"]["median"]
    return out


# ---------------------------------------------------------------------------------------

def ratios(t):
    """The ratios the targets are stated in, from seconds per call ``t``."""
    out = {"bpcore_over_floor": t["bpcore"] / t["gemm_floor"],
           # numpy's own cost for the element-wise work: the least bpcore_over_floor can be
           "inline_over_floor": t["numpy_inline"] / t["gemm_floor"],
           "loop_over_bpcore": t["per_sample_loop"] / t["bpcore"],
           # the most loop_over_bpcore could be if bpcore cost no more than its GEMMs
           "loop_over_floor": t["per_sample_loop"] / t["gemm_floor"]}
    if "torch" in t:
        out["torch_over_bpcore"] = t["torch"] / t["bpcore"]
    return {k: round(v, 3) for k, v in out.items()}


def paired(samples):
    """The median over the rounds of each round's own ratios: the blocks of one round run
    within a second of each other, so a busy spell of the machine that lasts longer than
    that inflates both sides of a ratio alike."""
    rounds = [ratios({k: v[r] for k, v in samples.items()})
              for r in range(len(samples["bpcore"]))]
    return {k: round(statistics.median(rr[k] for rr in rounds), 3) for k in rounds[0]}


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
                      "numpy_inline": make_inline(net, x, y, loss),
                      "per_sample_loop": make_loop(net, x, y, loss)}
        check_same_gradients("the inline numpy code", *contenders["numpy_inline"](), ref)
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
            "ratios": {"median": ratios(med), "best": ratios(best), "paired": paired(samples)},
            "page_faults_per_call": {k: round(statistics.median(v), 1)
                                     for k, v in faults.items()},
        })
    fresh = None
    n_fresh = args.fresh if args.fresh is not None else (2 if args.quick else 5)
    if n_fresh > 0:
        def fresh_progress(k, n):
            end = "" if sys.stderr.isatty() else "\n"
            if sys.stderr.isatty() or k == 1:
                print(f"\r[fresh] {label(*FRESH[:2])}: process pair {k}/{n}   ", end=end,
                      file=sys.stderr, flush=True)
        fresh = time_fresh_processes(n_fresh, args.threads, fresh_progress)
    if sys.stderr.isatty():
        print("\r" + " " * 70 + "\r", end="", file=sys.stderr, flush=True)
    return {
        "what": "milliseconds per call over interleaved rounds: the median and the best "
                "round of each contender, the ratios of those, and the median of each "
                "round's own ratios (paired)",
        "statistic_for_targets": args.stat,
        "repeats": repeats, "min_block_seconds": min_block, "quick": bool(args.quick),
        "machine": {"cpus": os.cpu_count(), "blas_threads": threads,
                    "torch_threads": torch.get_num_threads() if use_torch else None,
                    "python": platform.python_version(), "numpy": np.__version__,
                    "torch": torch.__version__ if use_torch else None,
                    "load_average_1min": {"start": load_at_start,
                                          "end": round(os.getloadavg()[0], 2)}},
        "results": results,
        "fresh_process": fresh,
    }


def targets(report):
    stat = report["statistic_for_targets"]
    others = [o for o in STATISTICS if o != stat]
    rows = {(r["config"], r["loss"]): r for r in report["results"]}
    if report.get("fresh_process"):
        fresh = report["fresh_process"]
        rows[(fresh["config"], fresh["loss"], "fresh")] = fresh
    verdicts = []
    for name, config, loss, key, op, bound in TARGETS:
        r = rows.get((config, loss, "fresh") if key == "first_over_warm" else (config, loss))
        value = r["ratios"][stat].get(key) if r else None
        if value is None:
            verdicts.append({"target": name, "config": config, "loss": loss, "ratio": key,
                             "verdict": "SKIP", "value": None, "bound": f"{op} {bound}"})
            continue
        ok = value <= bound if op == "<=" else value >= bound
        verdicts.append({"target": name, "config": config, "loss": loss, "ratio": key,
                         "value": value,
                         "other_statistics": {o: r["ratios"][o][key] for o in others},
                         "bound": f"{op} {bound}", "verdict": "PASS" if ok else "FAIL"})
    return verdicts


def print_report(report):
    mach, stat = report["machine"], report["statistic_for_targets"]
    ms_stat = "median" if stat == "paired" else stat
    print(f"bpcore.backprop benchmark: {mach['cpus']} CPUs, BLAS threads {mach['blas_threads']}, "
          f"torch threads {mach['torch_threads']}, numpy {mach['numpy']}, "
          f"torch {mach['torch'] or 'not installed'}; {report['repeats']} interleaved rounds; "
          f"load average {mach['load_average_1min']['start']} -> "
          f"{mach['load_average_1min']['end']}")
    head = (f"{'config':<20}{'output+loss':<24}{'bpcore':>9}{'floor':>9}{'inline':>9}"
            f"{'loop':>10}{'torch':>9} |{'bp/floor':>9}{'inl/floor':>10}{'loop/bp':>9}"
            f"{'torch/bp':>9}{'loop/floor':>11}")
    print(head)
    print("-" * len(head))
    for r in report["results"]:
        ms, ra = r["ms"][ms_stat], r["ratios"][stat]
        torch_ms = f"{ms['torch']:9.3f}" if "torch" in ms else f"{'-':>9}"
        torch_ratio = f"{ra['torch_over_bpcore']:9.2f}" if "torch_over_bpcore" in ra else \
            f"{'-':>9}"
        star = " *" if r["primary"] else ""
        print(f"{r['config']:<20}{r['output'] + '+' + r['loss'] + star:<24}{ms['bpcore']:9.3f}"
              f"{ms['gemm_floor']:9.3f}{ms['numpy_inline']:9.3f}{ms['per_sample_loop']:10.3f}"
              f"{torch_ms} |{ra['bpcore_over_floor']:9.2f}{ra['inline_over_floor']:10.2f}"
              f"{ra['loop_over_bpcore']:9.2f}{torch_ratio}{ra['loop_over_floor']:11.2f}")
    print(f"ms per call, {ms_stat} of the rounds; ratios: {stat}; * = primary loss; inline = "
          "the same element-wise numpy work")
    print("without validation or function calls (inl/floor: the least bp/floor can be); "
          "loop/floor is the")
    print("ceiling for loop/bp: its value if bpcore cost only its GEMMs")
    for r in report["results"]:
        n_faults = r["page_faults_per_call"]["bpcore"]
        if n_faults > 100:
            print(f"note: bpcore took {n_faults:.0f} page faults per call on {r['config']} "
                  f"{r['loss']}: the C allocator handed freed memory back to the OS and had "
                  "to map it again (see benchmarks/README.md)")
    fresh = report.get("fresh_process")
    if fresh:
        print(f"\nfresh processes, {fresh['config']} {fresh['output']}+{fresh['loss']}: "
              f"{fresh['processes']} of each kind, {fresh['calls_per_process']} calls each, "
              f"warm = best of calls {fresh['warm_calls']}; {ms_stat} of the processes")
        print(f"{'':<26}{'first':>9}{'second':>9}{'warm':>9} |{'first/warm':>11}"
              f"{'second/warm':>12} |{'faults: first':>14}{'second':>8}{'warm':>6}")
        for key, title in (("cold", "nothing before"), ("after_blas_warmup", "after a BLAS product")):
            f = fresh[key][ms_stat]
            print(f"{title:<26}{f['first_ms']:9.3f}{f['second_ms']:9.3f}{f['warm_ms']:9.3f} |"
                  f"{f['first_over_warm']:11.2f}{f['second_over_warm']:12.2f} |"
                  f"{f['first_faults']:14.0f}{f['second_faults']:8.0f}{f['warm_faults']:6.0f}")
        print("ms per call; the targets read the first row (nothing ran before the first call)")
    print()
    for v in report["targets"]:
        value = "n/a" if v["value"] is None else \
            f"{v['value']:.2f} (" + ", ".join(f"{o}: {x:.2f}" for o, x in
                                              v["other_statistics"].items()) + ")"
        print(f"{v['verdict']:<5} {v['target']} on {v['config']} {v['loss']}: "
              f"{v['ratio']} = {value}, target {v['bound']}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="few short rounds (rough numbers)")
    parser.add_argument("--repeats", type=int, help="interleaved rounds (default 21, quick 5)")
    parser.add_argument("--min-block", type=float,
                        help="seconds per timed block (default 0.03, quick 0.005)")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if installed")
    parser.add_argument("--fresh", type=int, metavar="N",
                        help="pairs of fresh processes timing first calls (default 5, quick 2; "
                             "0 skips them)")
    parser.add_argument("--fresh-child", metavar="SPEC", help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int,
                        help="limit numpy's BLAS (and torch) to this many threads "
                             "(default: leave numpy's setting, usually one per CPU)")
    parser.add_argument("--stat", choices=STATISTICS, default="best",
                        help="statistic the table and targets use (default best: on a shared "
                             "machine other processes only ever add time; paired: the median "
                             "of each round's own ratios, steadier under constant load)")
    parser.add_argument("--output", type=Path,
                        default=Path(__file__).resolve().parent / "results" / "latest.json",
                        help="where to write the JSON results")
    args = parser.parse_args(argv)
    if args.fresh_child:
        print(json.dumps(fresh_child(json.loads(args.fresh_child))))
        return 0
    if not args.no_torch:
        global torch
        try:
            import torch
        except ImportError:  # pragma: no cover - depends on the environment
            print("PyTorch is not installed: skipping the torch comparison "
                  "(pip install torch to include it)", file=sys.stderr)
    report = run(args)
    report["targets"] = targets(report)
    print_report(report)
    save_report(report, args.output)
    return 0


def save_report(report, output):
    """Writes the report as JSON (sorted keys, so that diffs between runs stay small)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    shown = output.relative_to(ROOT) if output.is_relative_to(ROOT) else output
    print(f"\nsaved {shown}")


if __name__ == "__main__":
    sys.exit(main())
