"""A fresh virtual environment that runs chapter notebooks in its own kernel.

Shared by the Binder test (``test_binder.py``: the environment Binder builds from
``requirements.txt``) and the fresh-reader test (``test_fresh_reader.py``: a reader's
environment without the repository).  :func:`make_venv` creates the environment with the
user's Jupyter and Python paths kept out; :func:`execute` runs one notebook top to bottom
with nbclient in a named kernel and returns what happened: the kernel's argv, folder and
``sys.prefix``, the error (if a cell raised), the error outputs, the text each code cell
printed (by cell id) and the seconds taken.
"""
from __future__ import annotations

import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest

# Run by a Python that has nbclient: execute one notebook in the kernel named on the
# command line and print a JSON line with the kernel's own sys.prefix, the errors, the
# text each code cell printed (by cell id) and the time taken.
DRIVER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    path, timeout, kernel = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    spec = KernelSpecManager().get_kernel_spec(kernel)
    nb = nbformat.read(path, as_version=4)
    probe = nbformat.v4.new_code_cell("import sys; print(sys.prefix)")
    nb.cells.insert(0, probe)
    client = NotebookClient(nb, kernel_name=kernel, timeout=timeout, allow_errors=False,
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
    outputs = {cell.get("id", str(i)): "".join(o.get("text", "") for o in cell.get("outputs", []))
               for i, cell in enumerate(nb.cells[1:]) if cell.cell_type == "code"}
    print(json.dumps({"kernel_argv": spec.argv, "kernel_dir": spec.resource_dir,
                      "kernel_prefix": kernel_prefix, "seconds": seconds,
                      "error": error, "error_outputs": errors, "outputs": outputs}))
    """
)


def make_venv(python, work: Path, timeout: int):
    """A fresh venv at ``work/venv`` created by ``python``; returns (venv, env, run).

    ``env`` keeps the user's Jupyter, IPython and Python paths out, and puts the venv's
    ``bin`` first.  ``run(*args, timeout=..., cwd=..., env=...)`` runs a command in it and
    fails the test with the command's output when it fails; it returns stdout.
    """
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
        # its own font cache: a cache written here would name this venv's fonts, which
        # are deleted with it, and the user's matplotlib would then miss them
        "MPLCONFIGDIR": str(jupyter_home / "matplotlib"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    env.pop("PYTHONPATH", None)
    env.pop("PYTHONHOME", None)

    def run(*args, timeout=timeout, cwd=None, env=env):
        done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=timeout)
        if done.returncode != 0:
            pytest.fail(f"`{' '.join(map(str, args))}` failed ({done.returncode}):\n"
                        f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
        return done.stdout

    run(python, "-m", "venv", str(venv))
    return venv, env, run


def execute(run, python, driver: Path, notebook: Path, kernel: str, cell_timeout: int,
            env=None) -> dict:
    """Run :data:`DRIVER` (written to ``driver``) with ``python`` on one notebook in the
    kernel ``kernel``, from the notebook's folder; its JSON result."""
    if not driver.exists():
        driver.write_text(DRIVER, encoding="utf-8")
    kwargs = {} if env is None else {"env": env}
    out = run(python, str(driver), str(notebook), str(cell_timeout), kernel,
              timeout=cell_timeout * 4, cwd=notebook.parent, **kwargs)
    return json.loads(out.strip().splitlines()[-1])
