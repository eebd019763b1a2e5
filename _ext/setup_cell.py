"""The setup cell every chapter opens with, from one source.

A chapter opened outside the book's environment (Google Colab, a downloaded notebook) has
no ``bpcore``.  Its setup cell installs the package at the version the book was built
with, from the repository named once in ``_config.yml`` (the tag ``v<version>``), and does
nothing where that version is already installed (Binder, ``make book``, a clone).  The
built HTML does not show it (tag ``remove-cell``).  ``BPCORE_SOURCE`` in the environment
replaces the install source (the fresh-reader test points it at a local wheel).

    python _ext/setup_cell.py            # write or refresh the cell in every chapter
    python _ext/setup_cell.py --check    # list chapters whose cell is missing or stale

``tests/test_setup_cell.py`` fails when a chapter's copy differs from :func:`cell_source`.

>>> "bpcore @ git+https://" in cell_source() and cell_source().startswith("# Setup")
True
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
CELL_ID = "bp-setup"
TAGS = ["remove-cell"]

TEMPLATE = '''\
# Setup: lets this notebook run anywhere (Google Colab, a downloaded copy). If this Python
# lacks the book's package bpcore {version}, it installs it; where bpcore {version} is
# installed already (Binder, a clone of the book) it does nothing. The book's pages hide it.
import importlib.metadata, os, subprocess, sys

BPCORE = ("{version}", "{source}")


def _install_bpcore(version, source):
    try:
        if importlib.metadata.version("bpcore") == version:
            return
    except importlib.metadata.PackageNotFoundError:
        pass
    source = os.environ.get("BPCORE_SOURCE", source)   # e.g. a wheel you downloaded
    print(f"Installing bpcore {{version}}, the book's package, from {{source}} ...")
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                          "--disable-pip-version-check", source], capture_output=True, text=True)
    if pip.returncode != 0:
        raise RuntimeError(
            f"pip could not install bpcore from {{source}}:\\n{{pip.stderr.strip()[-1500:]}}\\n\\n"
            "Without a network connection: on a computer that has one, download\\n"
            "{url} and copy it here; run `pip install <its folder>` in this\\n"
            "Python (numpy, scipy, sympy, matplotlib, ipywidgets, tqdm and scikit-learn\\n"
            "installed or installable), then restart the kernel.") from None
    if "bpcore" in sys.modules:
        raise RuntimeError(f"bpcore {{version}} is installed, but this kernel imported another "
                           "version before: restart the kernel (Colab: Runtime > Restart "
                           "session) and run the notebook again.")
    importlib.invalidate_caches()
    print(f"bpcore {{version}} installed.")
    if "google.colab" in sys.modules:
        if importlib.metadata.version("ipywidgets").split(".")[0] != "7":
            print("Note: Colab displays ipywidgets 7 only, so the steppers will not show: "
                  "run  pip install 'ipywidgets>=7.7,<8'  and restart the session.")
        else:
            print("In Colab the steppers switch steps through this session's kernel: "
                  "move a slider and its step appears after a moment.")


_install_bpcore(*BPCORE)
del _install_bpcore, BPCORE'''


def version():
    """bpcore's version, from ``pyproject.toml``."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["version"]


def repository_url():
    """``repository.url`` of ``_config.yml`` (read without a YAML library: one key)."""
    text = (ROOT / "_config.yml").read_text(encoding="utf-8")
    block = re.search(r"^repository:\s*\n((?:[ \t]+.*\n?)+)", text, re.M)
    url = block and re.search(r"^\s+url:\s*(\S+)", block.group(1), re.M)
    if not url:
        raise ValueError("_config.yml has no `repository: url:` entry; the setup cell needs it")
    return url.group(1).strip("'\"").rstrip("/")


def install_source():
    """What pip installs: the package from the repository, at the book's version tag."""
    return f"bpcore @ git+{repository_url()}@v{version()}"


def cell_source():
    """The setup cell's code."""
    return TEMPLATE.format(version=version(), source=install_source(), url=repository_url())


def cell():
    """The setup cell as a notebook cell (nbformat 4.5)."""
    return {"cell_type": "code", "execution_count": None, "id": CELL_ID,
            "metadata": {"tags": list(TAGS)}, "outputs": [],
            "source": cell_source().splitlines(keepends=True)}


def find(nb):
    """Indices of the cells that are a setup cell (by id, or by the first line)."""
    return [i for i, c in enumerate(nb["cells"])
            if c.get("id") == CELL_ID or "".join(c.get("source", "")).startswith("# Setup:")]


def refreshed(nb):
    """The notebook with exactly one, current setup cell right after its first (title) cell."""
    old = set(find(nb))
    cells = [c for i, c in enumerate(nb["cells"]) if i not in old]
    return dict(nb, cells=cells[:1] + [cell()] + cells[1:])


def chapters():
    return sorted(CHAPTERS.glob("*.ipynb"))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only list the chapters whose setup cell is missing or stale")
    args = parser.parse_args(argv)
    stale = []
    for path in chapters():
        text = path.read_text(encoding="utf-8")
        new = json.dumps(refreshed(json.loads(text)), indent=1, ensure_ascii=False) + "\n"
        if new != text:
            stale.append(path.name)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    verb = "stale or missing in" if args.check else "written to"
    print(f"setup cell {verb} {len(stale)} chapter(s){': ' if stale else ''}{', '.join(stale)}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
