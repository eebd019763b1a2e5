"""A reader without the repository: every chapter, alone, in a fresh environment.

What a reader who opens a chapter in Google Colab, or downloads it, has: a Python with a
kernel and the usual scientific packages, and no bpcore.  This test builds that here:

1. a wheel of bpcore, built from a copy of the package's files (so the tree stays clean);
2. a fresh venv with a kernel and bpcore's third-party dependencies at Colab's versions
   (``tests/colab-versions.txt``; ipywidgets 7.7.1 among them), not the repository;
3. each chapter notebook copied alone into an empty folder and run top to bottom with
   nbclient in that venv's kernel; its setup cell installs bpcore from the wheel
   (``BPCORE_SOURCE``, the cell's one override, points at it).

It checks that every chapter runs with no error, that the first chapter's setup cell
run here installed bpcore and the later ones found it, and that installing bpcore changed none of
the packages already there.  The wheel's size and each chapter's time are printed
(``pytest -s``) and written to ``_build/fresh_reader_report.json``.

It takes several minutes.  Locally ``BP_SKIP_FRESH_READER=1`` skips it; under CI (``CI``
set) it always runs.
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
from _ci import IN_CI
from _venv import execute, make_venv

ROOT = Path(__file__).resolve().parents[1]
VERSIONS = ROOT / "tests" / "colab-versions.txt"
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
REPORT_PATH = ROOT / "_build" / "fresh_reader_report.json"
SKIP_VAR = "BP_SKIP_FRESH_READER"
KERNEL = "bpreader"
SETUP_ID = "bp-setup"
PACKAGE_FILES = ("pyproject.toml", "README.md", "LICENSE", "bpcore")
INSTALL_TIMEOUT_S = 1800
CELL_TIMEOUT_S = 600


def _freeze(run, python):
    """{name: its pip freeze line}: ``name==version``, or ``name @ url`` for a wheel."""
    lines = run(python, "-m", "pip", "freeze", "--all").splitlines()
    return {re.split(r"==| @ ", line)[0].strip().lower(): line
            for line in lines if "==" in line or " @ " in line}


@pytest.fixture(scope="module")
def reader_env(tmp_path_factory):
    if os.environ.get(SKIP_VAR) and not IN_CI:
        pytest.skip(f"{SKIP_VAR} is set: the fresh-reader test did not run")
    work = tmp_path_factory.mktemp("reader")

    # 1. the wheel, from a copy of the package's files
    source = work / "source"
    source.mkdir()
    for name in PACKAGE_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(src, source / name)
    venv, env, run = make_venv(sys.executable, work, INSTALL_TIMEOUT_S)
    wheels = work / "wheels"
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels),
        str(source))
    [wheel] = wheels.glob("bpcore-*.whl")

    # 2. the reader's environment: a kernel and Colab's versions, no bpcore
    python = str(venv / "bin" / "python")
    start = time.perf_counter()
    run(python, "-m", "pip", "install", "--quiet", "-r", str(VERSIONS))
    install_seconds = time.perf_counter() - start
    run(python, "-m", "ipykernel", "install", "--sys-prefix", "--name", KERNEL,
        "--display-name", "A reader's Python")
    before = _freeze(run, python)
    assert "bpcore" not in before

    # the driver runs with this Python's nbclient; the kernel it starts is the venv's, and
    # the kernel inherits BPCORE_SOURCE
    env = {**env, "BPCORE_SOURCE": str(wheel), "JUPYTER_PATH": str(venv / "share" / "jupyter")}
    report = {"wheel": wheel.name, "wheel_bytes": wheel.stat().st_size,
              "install_seconds": round(install_seconds, 1), "notebooks": {}}
    print(f"\n[reader] {wheel.name}: {wheel.stat().st_size / 1024:.0f} KiB; the reader's "
          f"environment installed in {install_seconds:.0f} s")
    yield {"venv": venv, "python": python, "run": run, "env": env, "before": before,
           "driver": work / "driver.py", "work": work, "report": report, "installed": False}
    REPORT_PATH.parent.mkdir(parents=True, exist_ok=True)
    REPORT_PATH.write_text(json.dumps(report, indent=1), encoding="utf-8")


def _run_alone(reader_env, notebook):
    folder = reader_env["work"] / notebook.stem
    folder.mkdir()
    alone = folder / notebook.name
    shutil.copy2(notebook, alone)
    return execute(reader_env["run"], sys.executable, reader_env["driver"], alone, KERNEL,
                   CELL_TIMEOUT_S, env=reader_env["env"])


@pytest.mark.parametrize("notebook", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_runs_alone(reader_env, notebook):
    result = _run_alone(reader_env, notebook)
    reader_env["report"]["notebooks"][notebook.name] = {
        "seconds": round(result["seconds"], 1), "setup": result["outputs"].get(SETUP_ID, ""),
        "error": bool(result["error"] or result["error_outputs"])}
    print(f"[reader] {notebook.name}: {result['seconds']:.1f} s")
    assert result["error"] is None, f"{notebook.name} stopped with an error:\n{result['error']}"
    assert not result["error_outputs"], f"{notebook.name}: error outputs {result['error_outputs']}"
    assert Path(result["kernel_prefix"]).resolve() == reader_env["venv"].resolve(), result
    assert SETUP_ID in result["outputs"], f"{notebook.name} has no setup cell (run _ext/setup_cell.py)"
    setup = result["outputs"][SETUP_ID]
    if not reader_env["installed"]:      # the first chapter run here installs bpcore
        assert "Installing bpcore" in setup and "installed." in setup, setup
        reader_env["installed"] = True
    else:
        assert setup == "", f"bpcore was installed already, yet the setup cell said {setup!r}"


def test_installing_bpcore_changed_no_package(reader_env):
    """After the chapters ran: what was there before is there at the same version."""
    if not reader_env["installed"]:
        _run_alone(reader_env, CHAPTERS[0])
    after = _freeze(reader_env["run"], reader_env["python"])
    assert "bpcore" in after, "no chapter installed bpcore"
    changed = {name: (line, after.get(name)) for name, line in reader_env["before"].items()
               if after.get(name) != line}
    added = sorted(set(after) - set(reader_env["before"]) - {"bpcore"})
    assert not changed, f"installing bpcore changed packages the reader had: {changed}"
    assert not added, f"installing bpcore added packages: {added}"
