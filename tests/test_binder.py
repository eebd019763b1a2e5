"""Binder readiness: what repo2docker does with this repository, without Docker.

repo2docker (the builder behind mybinder.org) sees ``runtime.txt`` and
``requirements.txt`` and builds one Python environment: the requested Python,
then ``pip install -r requirements.txt`` run from the repository root (``-e .``
installs bpcore), and JupyterLab serves the notebooks with the ``python3``
kernel of that same environment. This test does the same on this machine:

1. a fresh virtual environment with the Python that ``runtime.txt`` names;
2. ``pip install -r requirements.txt``, exactly that, from the repository root
   (pip's cache is allowed, so a second run is quicker);
3. the ``python3`` kernelspec of that environment (``ipykernel install
   --sys-prefix``), found first, with user-level Jupyter paths kept out;
4. every chapter notebook ``chapters/*.ipynb`` executed top to bottom with
   nbclient in that environment's kernel, with the working directory
   ``chapters/`` as in JupyterLab; no cell may raise (a cell tagged
   ``raises-exception`` may, which nbclient honours).

It also checks that ``requirements.txt`` pins the whole environment: what pip
installed is exactly the set of ``name==version`` lines (bpcore itself, pip
and setuptools aside), so Binder and a local ``make book`` get the same
packages. The install time, the environment's size and each notebook's run
time are printed (``pytest -s``) and written to ``_build/binder_report.json``.

It takes a few minutes. Locally, ``BP_SKIP_BINDER=1`` skips it; under CI
(``CI`` set) it always runs, and a missing Python of the right version fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

import pytest
from _ci import IN_CI, skip_or_fail
from _venv import execute, make_venv

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "requirements.txt"
RUNTIME = ROOT / "runtime.txt"
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
REPORT_PATH = ROOT / "_build" / "binder_report.json"
SKIP_VAR = "BP_SKIP_BINDER"

INSTALL_TIMEOUT_S = 1800
CELL_TIMEOUT_S = 600
# Installed with every venv or by pip itself; not part of what the book needs.
NOT_PINNED = {"pip", "setuptools"}
# A requirement line: `name==version` (an optional environment marker after ';').
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!_-]+)\s*(;.*)?$")


def normalise(name: str) -> str:
    """PEP 503 name: lower case, runs of -_. as one dash.

    >>> normalise("Jupyter_Book"), normalise("sphinxcontrib.bibtex")
    ('jupyter-book', 'sphinxcontrib-bibtex')
    """
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_lines(text: str) -> list[str]:
    """The requirement lines of a requirements file: comments and blanks dropped.

    >>> requirement_lines("# top\\nnumpy==2.0  # why\\n\\n-e .\\n")
    ['numpy==2.0', '-e .']
    """
    lines = []
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def parse_pins(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """({name: version} of the exact pins, [lines that are not an exact pin]).

    >>> parse_pins(["numpy==2.4.6", "-e .", "scipy>=1", "Jinja2==3.1.6"])
    ({'numpy': '2.4.6', 'jinja2': '3.1.6'}, ['scipy>=1'])
    """
    pins, loose = {}, []
    for line in lines:
        if line == "-e .":
            continue
        m = PIN.match(line)
        if m:
            pins[normalise(m.group(1))] = m.group(2)
        else:
            loose.append(line)
    return pins, loose


def runtime_python() -> str:
    """The Python version named by runtime.txt, e.g. '3.11'."""
    text = RUNTIME.read_text(encoding="utf-8").strip()
    m = re.fullmatch(r"python-(\d+\.\d+)(\.\d+)?", text)
    if not m:
        raise ValueError(f"runtime.txt should read like 'python-3.11', got {text!r}")
    return m.group(1)


def find_python(version: str) -> str | None:
    """An interpreter of this major.minor version: this one, or pythonX.Y on PATH."""
    if f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        return sys.executable
    return shutil.which(f"python{version}")


def dir_size(path: Path) -> int:
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def test_requirements_pin_every_line_exactly():
    """requirements.txt: only `name==version` lines and `-e .`; no package twice."""
    lines = requirement_lines(REQUIREMENTS.read_text(encoding="utf-8"))
    pins, loose = parse_pins(lines)
    assert not loose, f"requirements.txt lines that are not an exact pin: {loose}"
    assert "-e ." in lines, "requirements.txt must install bpcore with `-e .`"
    names = [normalise(PIN.match(x).group(1)) for x in lines if PIN.match(x)]
    twice = sorted({n for n in names if names.count(n) > 1})
    assert not twice, f"packages pinned more than once in requirements.txt: {twice}"
    for needed in ("jupyterlab", "jupyterlab-myst", "ipykernel", "jupyter-book"):
        assert needed in pins, f"requirements.txt does not pin {needed}"


# --- the fresh environment ------------------------------------------------------------

@pytest.fixture(scope="module")
def binder_env(tmp_path_factory):
    """A fresh venv with `pip install -r requirements.txt`; yields (venv, env vars, report)."""
    if os.environ.get(SKIP_VAR) and not IN_CI:
        pytest.skip(f"{SKIP_VAR} is set: the Binder environment test did not run")
    version = runtime_python()
    python = find_python(version)
    if python is None:
        skip_or_fail(f"no python{version} found (runtime.txt asks for Python {version})")

    work = tmp_path_factory.mktemp("binder")
    start = time.perf_counter()
    venv, env, run = make_venv(python, work, INSTALL_TIMEOUT_S)
    vpy = str(venv / "bin" / "python")
    # The same command Binder runs, from the repository root (for `-e .`).
    run(vpy, "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS), cwd=ROOT)
    install_seconds = time.perf_counter() - start
    run(vpy, "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3",
        "--display-name", "Python 3 (ipykernel)")
    freeze = run(vpy, "-m", "pip", "freeze", "--all", "--exclude-editable")

    report = {
        "python": run(vpy, "-c", "import sys; print(sys.version.split()[0])").strip(),
        "install_seconds": round(install_seconds, 1),
        "env_bytes": dir_size(venv),
        "packages": len(requirement_lines(freeze)),
        "notebooks": {},
    }
    print(f"\n[binder] Python {report['python']}: venv + pip install -r requirements.txt took "
          f"{install_seconds:.0f} s; environment {report['env_bytes'] / 2**20:.0f} MiB, "
          f"{report['packages']} packages")
    yield {"venv": venv, "python": vpy, "env": env, "freeze": freeze, "run": run,
           "driver": work / "driver.py", "report": report}
    REPORT_PATH.parent.mkdir(parents=True, exist_ok=True)
    REPORT_PATH.write_text(json.dumps(report, indent=1), encoding="utf-8")


def test_fresh_environment_is_exactly_the_pins(binder_env):
    """pip installed exactly what requirements.txt pins, at those versions."""
    pins, _ = parse_pins(requirement_lines(REQUIREMENTS.read_text(encoding="utf-8")))
    installed, _ = parse_pins(requirement_lines(binder_env["freeze"]))
    for name in NOT_PINNED:
        installed.pop(name, None)
    unpinned = {n: v for n, v in installed.items() if n not in pins}
    differ = {n: (pins[n], v) for n, v in installed.items() if n in pins and pins[n] != v}
    missing = sorted(set(pins) - set(installed))
    assert not unpinned, (
        "installed but not pinned in requirements.txt (add these lines): "
        + " ".join(f"{n}=={v}" for n, v in sorted(unpinned.items()))
    )
    assert not differ, f"pinned version != installed version: {differ}"
    assert not missing, f"pinned in requirements.txt but not installed: {missing}"
    binder_env["run"](binder_env["python"], "-m", "pip", "check")


def _execute(binder_env, notebook: Path) -> dict:
    """Run the driver on one notebook in the fresh environment's python3 kernel."""
    return execute(binder_env["run"], binder_env["python"], binder_env["driver"], notebook,
                   "python3", CELL_TIMEOUT_S)


def test_kernel_is_the_fresh_environment(binder_env):
    """The python3 kernelspec found is the venv's own, and its kernel runs in the venv."""
    import nbformat  # noqa: PLC0415 - only needed here

    empty = binder_env["venv"].parent / "probe" / "empty.ipynb"
    empty.parent.mkdir(exist_ok=True)
    nbformat.write(nbformat.v4.new_notebook(), empty)
    result = _execute(binder_env, empty)  # runs only DRIVER's probe cell
    venv = binder_env["venv"].resolve()
    assert Path(result["kernel_dir"]).resolve().is_relative_to(venv), result
    # not resolved: a venv's bin/python is a symlink to the base interpreter
    assert Path(os.path.abspath(result["kernel_argv"][0])).is_relative_to(
        os.path.abspath(binder_env["venv"])), result
    assert Path(result["kernel_prefix"]).resolve() == venv, result


@pytest.mark.parametrize("notebook", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_runs_top_to_bottom(binder_env, notebook):
    result = _execute(binder_env, notebook)
    binder_env["report"]["notebooks"][notebook.name] = {
        "seconds": round(result["seconds"], 1),
        "error": bool(result["error"] or result["error_outputs"]),
    }
    print(f"[binder] {notebook.name}: {result['seconds']:.1f} s")
    assert result["error"] is None, f"{notebook.name} stopped with an error:\n{result['error']}"
    assert not result["error_outputs"], f"{notebook.name}: error outputs {result['error_outputs']}"
    assert Path(result["kernel_prefix"]).resolve() == binder_env["venv"].resolve(), result
