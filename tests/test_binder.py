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
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from _ci import IN_CI, skip_or_fail

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

# Run inside the fresh environment: execute one notebook with nbclient in the
# `python3` kernel found by that environment's jupyter_client, and print a JSON
# line with the kernel's own sys.prefix, the errors and the time taken.
DRIVER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    path, timeout = Path(sys.argv[1]), int(sys.argv[2])
    spec = KernelSpecManager().get_kernel_spec("python3")
    nb = nbformat.read(path, as_version=4)
    probe = nbformat.v4.new_code_cell("import sys; print(sys.prefix)")
    nb.cells.insert(0, probe)
    client = NotebookClient(nb, kernel_name="python3", timeout=timeout, allow_errors=False,
                            resources={"metadata": {"path": str(path.parent)}})
    start, error = time.perf_counter(), None
    try:
        client.execute()
    except CellExecutionError as exc:
        error = str(exc)[-3000:]
    seconds = time.perf_counter() - start
    kernel_prefix = "".join(o.get("text", "") for o in probe.get("outputs", [])).strip()
    errors = [
        {"cell": i, "ename": o.get("ename"), "evalue": o.get("evalue")}
        for i, cell in enumerate(nb.cells[1:])
        if cell.cell_type == "code"
        and "raises-exception" not in cell.metadata.get("tags", [])
        for o in cell.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    print(json.dumps({"kernel_argv": spec.argv, "kernel_dir": spec.resource_dir,
                      "kernel_prefix": kernel_prefix, "seconds": seconds,
                      "error": error, "error_outputs": errors}))
    """
)


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
    venv = work / "venv"
    jupyter_home = work / "jupyter-user"
    env = {
        **os.environ,
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "VIRTUAL_ENV": str(venv),
        # the environment's own kernels and config first; the user's kept out
        "JUPYTER_PREFER_ENV_PATH": "1",
        "JUPYTER_DATA_DIR": str(jupyter_home / "data"),
        "JUPYTER_CONFIG_DIR": str(jupyter_home / "config"),
        "JUPYTER_RUNTIME_DIR": str(jupyter_home / "runtime"),
        "IPYTHONDIR": str(jupyter_home / "ipython"),
        "MPLBACKEND": "Agg",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    env.pop("PYTHONPATH", None)
    env.pop("PYTHONHOME", None)

    def run(*args, timeout=INSTALL_TIMEOUT_S, cwd=ROOT):
        done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            pytest.fail(f"`{' '.join(map(str, args))}` failed ({done.returncode}):\n"
                        f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
        return done.stdout

    start = time.perf_counter()
    run(python, "-m", "venv", str(venv))
    vpy = str(venv / "bin" / "python")
    # The same command Binder runs, from the repository root (for `-e .`).
    run(vpy, "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS))
    install_seconds = time.perf_counter() - start
    run(vpy, "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3",
        "--display-name", "Python 3 (ipykernel)")
    freeze = run(vpy, "-m", "pip", "freeze", "--all", "--exclude-editable")
    (work / "driver.py").write_text(DRIVER, encoding="utf-8")

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
    """Run DRIVER on one notebook in the fresh environment; its JSON result."""
    out = binder_env["run"](binder_env["python"], str(binder_env["driver"]), str(notebook),
                            str(CELL_TIMEOUT_S), timeout=CELL_TIMEOUT_S * 4, cwd=notebook.parent)
    return json.loads(out.strip().splitlines()[-1])


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
