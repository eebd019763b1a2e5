"""The chapters' setup cell (``_ext/setup_cell.py``): one source, the same in every chapter,
hidden in the built pages, and doing what it says.  The fresh-reader test
(``test_fresh_reader.py``) runs it where bpcore is missing; these tests are quick."""
from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from _ci import skip_or_fail

import bpcore

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("setup_cell", ROOT / "_ext" / "setup_cell.py")
setup_cell = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(setup_cell)
CHAPTERS = setup_cell.chapters()
HTML_DIR = ROOT / "_build" / "html"


def test_there_are_chapters():
    assert len(CHAPTERS) >= 12


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_each_chapter_has_the_one_current_setup_cell(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = setup_cell.find(nb)
    assert found == [1], (f"{path.name}: expected one setup cell, right after the title cell, "
                          f"found it at {found}; run `python _ext/setup_cell.py`")
    cell = nb["cells"][1]
    assert "".join(cell["source"]) == setup_cell.cell_source(), (
        f"{path.name}: the setup cell differs from _ext/setup_cell.py; run "
        "`python _ext/setup_cell.py` to refresh it")
    assert cell["metadata"].get("tags") == ["remove-cell"] and cell["outputs"] == []
    assert nb["cells"][0]["cell_type"] == "markdown"


def test_the_cell_installs_this_version_from_the_configured_repository():
    with open(ROOT / "pyproject.toml", "rb") as f:
        version = tomllib.load(f)["project"]["version"]
    assert version == bpcore.__version__
    assert setup_cell.repository_url() == "https://github.com/bpbook/backprop-book"
    source = setup_cell.cell_source()
    ast.parse(source)
    assert f'BPCORE = ("{version}", "bpcore @ git+https://github.com/bpbook/backprop-book@v'\
           f'{version}")' in source


def test_the_sync_script_reports_nothing_stale(capsys):
    assert setup_cell.main(["--check"]) == 0
    assert "in 0 chapter(s)" in capsys.readouterr().out


def test_refreshing_replaces_an_old_cell_and_keeps_the_rest():
    nb = {"cells": [{"cell_type": "markdown", "source": "# Title"},
                    {"cell_type": "code", "id": "bp-setup", "source": "# Setup: old"},
                    {"cell_type": "code", "id": "x", "source": "import bpcore"}]}
    new = setup_cell.refreshed(nb)
    assert [c.get("id") for c in new["cells"]] == [None, "bp-setup", "x"]
    assert "".join(new["cells"][1]["source"]) == setup_cell.cell_source()
    assert setup_cell.refreshed(new) == new


def _run_cell(cwd, *python_args, env_extra=None):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, *python_args, "-c", setup_cell.cell_source()],
                          capture_output=True, text=True, env=env, timeout=120, cwd=cwd)


def test_where_bpcore_is_installed_the_cell_does_nothing(tmp_path):
    done = _run_cell(tmp_path)
    assert done.returncode == 0 and done.stdout == "" and done.stderr == "", done


def test_when_installing_fails_the_cell_says_what_to_do(tmp_path):
    # -S: no site-packages, so neither bpcore nor pip (and an empty folder, not the
    # repository's bpcore.egg-info); the install fails as it does with no network
    done = _run_cell(tmp_path, "-S", env_extra={"BPCORE_SOURCE": "/nonexistent/bpcore.whl"})
    assert done.returncode != 0
    assert "Installing bpcore" in done.stdout and "/nonexistent/bpcore.whl" in done.stdout
    assert "RuntimeError: pip could not install bpcore from /nonexistent/bpcore.whl" in done.stderr
    assert "Without a network connection" in done.stderr
    assert "https://github.com/bpbook/backprop-book and copy it here" in done.stderr


def built_page(path):
    """The built HTML of the chapter notebook at ``path`` (skipped, or failed under CI, when
    the book is not built)."""
    page = HTML_DIR / "chapters" / f"{path.stem}.html"
    if not page.is_file():
        skip_or_fail(f"{page} is not built; run `jupyter-book build .` first")
    return page.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_the_built_page_shows_no_setup_cell(path):
    html = built_page(path)
    assert "_install_bpcore" not in html and "BPCORE_SOURCE" not in html


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_the_built_page_shows_no_stderr(path):
    # What the environment prints (a font matplotlib cannot find, a deprecation, pip's
    # chatter) must not reach the reader: no chapter writes to stderr on purpose.
    outputs = re.findall(r'class="output stderr[^"]*"[^>]*>(.{0,200})', built_page(path), re.S)
    assert not outputs, f"{path.stem}.html shows stderr output: {outputs[0]!r}"
