"""Does the book stay within its build and page budgets?

Budgets (issue "Delivering the book"):

* a cold build of the whole book, notebooks executed, takes at most 10 minutes
  on the 2-core project machine;
* a rebuild with nothing changed (``execute_notebooks: cache``) takes at most
  30 seconds;
* every HTML document is at most 2 MB (the embedded widget state of the
  steppers is what makes pages large).

The book is copied to a temporary folder first (the working tree as it is,
without ``_build``, ``.git``, ``.venv`` and caches), so the repository's own
``_build`` is neither used nor touched. There the script runs
``jupyter-book build . -W -n --keep-going`` twice: once with no ``_build`` at
all (cold: every notebook executes) and once more right after (warm: every
notebook comes from the jupyter-cache). A third build with ``--all`` (every page
re-read, as after a change to ``_config.yml``, notebooks still from the cache)
is timed for information. It prints the times, each page's size and PASS/FAIL
for each budget, and exits 1 if a budget is exceeded or a build fails.

Run from the repository root, with the environment that builds the book::

    python benchmarks/build_budget.py                 # about 2-3 minutes
    python benchmarks/build_budget.py --output budget.json
    python benchmarks/build_budget.py --keep          # keep the copy to look at

The jupyter-book used is the one next to this Python (``sys.executable``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLD_BUDGET_S = 600.0
WARM_BUDGET_S = 30.0
PAGE_BUDGET_BYTES = 2 * 1024 * 1024
NOT_COPIED = ("_build", ".git", ".venv", "venv", ".hypothesis", ".pytest_cache", "__pycache__",
              "*.egg-info", "node_modules", ".ipynb_checkpoints", ".jupyter_cache")


def copy_book(dest: Path) -> Path:
    """Copy the working tree (minus builds and caches) to dest/book."""
    book = dest / "book"
    shutil.copytree(ROOT, book, ignore=shutil.ignore_patterns(*NOT_COPIED), symlinks=True)
    return book


def build(book: Path, label: str, *extra: str) -> dict:
    """Run one jupyter-book build in `book`; its wall time, exit code and log tail."""
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jupyter_book), "build", ".", "-W", "-n", "--keep-going", *extra]
    print(f"[{label}] {' '.join(cmd)} (in {book})", file=sys.stderr, flush=True)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=book, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    executed = done.stdout.count("Executed notebook")
    cached = done.stdout.count("Using cached notebook")
    print(f"[{label}] {seconds:.1f} s, exit {done.returncode}, "
          f"{executed} notebooks executed, {cached} from the cache", file=sys.stderr, flush=True)
    return {"seconds": round(seconds, 1), "returncode": done.returncode,
            "executed": executed, "cached": cached,
            "log_tail": (done.stdout + done.stderr)[-3000:] if done.returncode else ""}


def page_sizes(html_dir: Path) -> dict[str, int]:
    """Size in bytes of every HTML document of the build, largest first."""
    sizes = {p.relative_to(html_dir).as_posix(): p.stat().st_size
             for p in html_dir.rglob("*.html")
             if p.relative_to(html_dir).parts[0] not in ("vendor", "_static", "_sources")}
    return dict(sorted(sizes.items(), key=lambda kv: -kv[1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, help="also write the results as JSON here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="bpbook-budget-"))
    try:
        book = copy_book(tmp)
        cold = build(book, "cold")
        warm = build(book, "warm") if cold["returncode"] == 0 else None
        # not a budget, for information: every page re-read (as after a change to
        # _config.yml), every notebook's outputs taken from the jupyter-cache
        reread = build(book, "re-read all", "--all") if cold["returncode"] == 0 else None
        sizes = page_sizes(book / "_build" / "html") if cold["returncode"] == 0 else {}
    finally:
        if args.keep:
            print(f"copy kept in {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    checks = {
        "cold build <= 600 s": cold["returncode"] == 0 and cold["seconds"] <= COLD_BUDGET_S,
        "warm rebuild <= 30 s": bool(warm) and warm["returncode"] == 0
        and warm["seconds"] <= WARM_BUDGET_S and warm["executed"] == 0,
        "every page <= 2 MB": bool(sizes) and max(sizes.values()) <= PAGE_BUDGET_BYTES,
    }
    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_1min": round(os.getloadavg()[0], 2)},
        "cold": cold, "warm": warm, "reread_all": reread, "page_bytes": sizes,
        "budgets": {"cold_s": COLD_BUDGET_S, "warm_s": WARM_BUDGET_S,
                    "page_bytes": PAGE_BUDGET_BYTES},
        "pass": checks,
    }

    print(f"\ncold build (all notebooks executed): {cold['seconds']:8.1f} s   "
          f"budget {COLD_BUDGET_S:.0f} s   ({cold['executed']} notebooks executed)")
    if warm:
        print(f"rebuild, nothing changed:            {warm['seconds']:8.1f} s   "
              f"budget {WARM_BUDGET_S:.0f} s   ({warm['executed']} notebooks executed)")
    if reread:
        print(f"rebuild --all (pages re-read):       {reread['seconds']:8.1f} s   "
              f"(no budget; {reread['cached']} notebooks from the cache, "
              f"{reread['executed']} executed)")
    if sizes:
        print(f"\n{'page':48s} {'bytes':>10s} {'MiB':>6s}")
        for name, size in sizes.items():
            print(f"{name:48s} {size:10d} {size / 2**20:6.2f}")
        print(f"largest page: {max(sizes.values()) / 2**20:.2f} MiB of {PAGE_BUDGET_BYTES / 2**20:.0f}")
    print()
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    for label, run in (("cold", cold), ("warm", warm), ("re-read all", reread)):
        if run and run["returncode"]:
            print(f"\n{label} build failed:\n{run['log_tail']}")
    if args.output:
        args.output.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
