"""Chapter 1 in a real JupyterLab, as a reader who clicks "Binder" gets it.

A JupyterLab server (from the Python environment running the tests, which has
``requirements.txt`` installed: JupyterLab, jupyterlab-myst, ipywidgets) is
started on 127.0.0.1 with a random token, on a copy of ``chapters/`` in a
temporary folder (so nothing JupyterLab saves touches the repository), with
its own empty user settings and config. Debian's chromium, driven by
Playwright with every request that leaves 127.0.0.1 blocked and recorded,
then:

1. opens ``chapters/01_forward_pass.ipynb``: the notebook loads and the
   ``python3`` kernel becomes idle;
2. checks the MyST in the markdown cells: jupyterlab-myst is enabled (``jupyter
   labextension list`` says ``OK``); every markdown cell that holds a directive
   (```` ```{warning} ````, ```` ```{exercise-start} ````, ...) is rendered by
   it, shows no raw directive syntax, and the exercise titles and the warning
   read as text;
3. runs every cell through the menu (Run > Run All Cells), waits until every
   code cell has an execution count, and saves the notebook (Ctrl+S);
4. reads the saved notebook: every code cell ran, none produced an error
   output, and one output is a widget view;
5. the first stepper (``dom.STEPPER``) is displayed, and its Next button moves
   it to step 2 through the live kernel (in JupyterLab the Python ``on_click``
   handlers do the stepping, not the book's page script).

No request may leave the machine and the page may log no error. Skipped like
the other browser tests when there is no chromium, or when JupyterLab is not
installed; under CI (``CI`` set) either is a failure.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bpcore import dom

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = "chapters/01_forward_pass.ipynb"
SERVER_START_S = 90
LOAD_TIMEOUT_MS = 120_000
RUN_ALL_TIMEOUT_S = 300

# A directive fence in MyST markdown: ```{name} or :::{name}
DIRECTIVE = re.compile(r"^(`{3,}|:{3,})\{([\w-]+)\}", re.MULTILINE)
# What a directive looks like when nobody rendered it.
RAW_DIRECTIVE = re.compile(r"(`{3}|:{3})\s*\{[\w-]+\}|\{(exercise|solution)-(start|end)\}")

PAGE_CONFIG = {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}
USER_SETTINGS = {
    # every cell in the DOM, so all of them can be inspected
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    # saved only when the test says so
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}
SERVER_CONFIG = """\
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
"""

CELL_STATE = """
() => Array.from(document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell')).map((c) => {
  const p = c.querySelector('.jp-InputPrompt');
  return p ? p.innerText.trim() : '';
})
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _lab_environment(home: Path) -> dict[str, str]:
    for rel, settings in USER_SETTINGS.items():
        path = home / "settings" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings), encoding="utf-8")
    (home / "config" / "labconfig").mkdir(parents=True, exist_ok=True)
    (home / "config" / "labconfig" / "page_config.json").write_text(json.dumps(PAGE_CONFIG))
    (home / "config" / "jupyter_server_config.py").write_text(SERVER_CONFIG)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTER_PREFER_ENV_PATH": "1",
        "IPYTHONDIR": str(home / "ipython"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    env.pop("PYTHONPATH", None)
    return env


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory, skip_or_fail):
    """A JupyterLab server on a copy of chapters/; yields (base URL, token, work dir)."""
    try:
        import jupyterlab  # noqa: F401, PLC0415
        import jupyterlab_myst  # noqa: F401, PLC0415
    except ImportError as exc:
        skip_or_fail(f"JupyterLab / jupyterlab-myst not installed ({exc}); "
                     "pip install -r requirements.txt")
    work = tmp_path_factory.mktemp("jupyterlab")
    shutil.copytree(ROOT / "chapters", work / "root" / "chapters",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    env = _lab_environment(work / "home")

    listing = subprocess.run([sys.executable, "-m", "jupyter", "labextension", "list"],
                             env=env, capture_output=True, text=True, timeout=120)
    myst_line = next((line for line in (listing.stdout + listing.stderr).splitlines()
                      if "jupyterlab-myst" in line), "")
    assert re.search(r"enabled.*OK", myst_line), (
        "jupyterlab-myst is not enabled and OK in this JupyterLab (a version clash "
        f"disables it):\n{listing.stdout}\n{listing.stderr}"
    )

    token, port = secrets.token_hex(16), _free_port()
    log = (work / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
         "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work / 'root'}",
         f"--LabApp.user_settings_dir={work / 'home' / 'settings'}",
         f"--LabApp.workspaces_dir={work / 'home' / 'workspaces'}"],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=work,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab exited ({server.returncode}):\n"
                            f"{(work / 'server.log').read_text()[-4000:]}")
            try:
                with urllib.request.urlopen(f"{base}api/status?token={token}", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer within {SERVER_START_S} s:\n"
                                f"{(work / 'server.log').read_text()[-4000:]}")
                time.sleep(0.5)
        yield base, token, work
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()


def _kernel_state(base: str, token: str) -> str | None:
    with urllib.request.urlopen(f"{base}api/sessions?token={token}", timeout=10) as resp:
        sessions = json.load(resp)
    for s in sessions:
        if s.get("path", "").endswith(NOTEBOOK.split("/")[-1]):
            return s["kernel"]["execution_state"]
    return None


def _wait_idle(page, base: str, token: str, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    state = None
    while time.monotonic() < deadline:
        state = _kernel_state(base, token)
        if state == "idle":
            return
        page.wait_for_timeout(500)
    pytest.fail(f"the kernel of {NOTEBOOK} did not become idle in {timeout_s} s (state {state!r})")


def test_chapter_one_runs_in_jupyterlab(lab_server, browser):
    base, token, work = lab_server
    local = urlsplit(base).netloc
    offsite, errors = [], []

    context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                  service_workers="block")

    def route(route):
        if urlsplit(route.request.url).netloc == local:
            route.continue_()
        else:
            offsite.append(route.request.url)
            route.abort("blockedbyclient")

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    try:
        # 1. the notebook loads and its kernel starts
        page.goto(f"{base}lab/tree/{NOTEBOOK}?token={token}&reset")
        page.wait_for_selector(".jp-NotebookPanel .jp-CodeCell", timeout=LOAD_TIMEOUT_MS)
        _wait_idle(page, base, token, 60)

        # 2. MyST directives rendered by jupyterlab-myst, none left raw
        from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
        source = json.loads((work / "root" / NOTEBOOK).read_text(encoding="utf-8"))
        markdown = ["".join(c["source"]) for c in source["cells"] if c["cell_type"] == "markdown"]
        cells = page.locator(".jp-NotebookPanel .jp-MarkdownCell")
        assert cells.count() == len(markdown), (cells.count(), len(markdown))
        directives = [(i, DIRECTIVE.findall(md)) for i, md in enumerate(markdown)]
        directives = [(i, [name for _, name in found]) for i, found in directives if found]
        assert directives, f"{NOTEBOOK} has no MyST directive to check"
        for i, names in directives:
            rendered = cells.nth(i).locator(".myst")
            # jupyterlab-myst renders each cell on its own, later on a busy machine: wait
            cells.nth(i).scroll_into_view_if_needed()
            try:
                rendered.first.wait_for(state="attached", timeout=30_000)
            except PlaywrightTimeoutError:
                pass  # the assertion below says which cell
            assert rendered.count() == 1, f"markdown cell {i} ({names}) not rendered by jupyterlab-myst"
            text = rendered.inner_text()
            assert not RAW_DIRECTIVE.search(text), f"markdown cell {i}: raw MyST left: {text[:300]!r}"
            if "warning" in names:
                assert "Warning" in text, f"markdown cell {i}: the warning has no title: {text[:200]!r}"
            if "exercise-start" in names:
                assert re.search(r"Exercise \d", text), f"markdown cell {i}: no exercise title: {text[:200]!r}"

        # 3. Run > Run All Cells, then save
        n_code = sum(c["cell_type"] == "code" for c in source["cells"])
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
        deadline = time.monotonic() + RUN_ALL_TIMEOUT_S
        prompts: list[str] = []
        while time.monotonic() < deadline:
            prompts = page.evaluate(CELL_STATE)
            if len(prompts) == n_code and all(re.fullmatch(r"\[\d+\]:", p) for p in prompts):
                break
            page.wait_for_timeout(1000)
        else:
            pytest.fail(f"not every cell ran within {RUN_ALL_TIMEOUT_S} s: prompts {prompts}")
        _wait_idle(page, base, token, 60)
        saved = work / "root" / NOTEBOOK
        before = saved.stat().st_mtime_ns
        page.locator(".jp-NotebookPanel .jp-Notebook").first.click(position={"x": 5, "y": 5})
        page.keyboard.press("Control+s")
        for _ in range(100):
            if saved.stat().st_mtime_ns != before:
                break
            page.wait_for_timeout(200)
        else:
            pytest.fail("Ctrl+S did not save the notebook")
        page.wait_for_timeout(500)

        # 4. what ran, from the saved file
        nb = json.loads(saved.read_text(encoding="utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        not_run = [i for i, c in enumerate(code) if c.get("execution_count") is None]
        assert not not_run, f"code cells that did not run: {not_run}"
        failed = [(i, o.get("ename"), o.get("evalue")) for i, c in enumerate(code)
                  for o in c.get("outputs", []) if o.get("output_type") == "error"
                  and "raises-exception" not in c.get("metadata", {}).get("tags", [])]
        assert not failed, f"cells that raised: {failed}"
        views = [o for c in code for o in c.get("outputs", [])
                 if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
        assert views, "no cell output is a widget"

        # 5. the first stepper is displayed and steps through the live kernel
        stepper = page.locator(f".jp-NotebookPanel .{dom.STEPPER}").first
        stepper.wait_for(state="attached", timeout=30_000)
        stepper.scroll_into_view_if_needed()
        stepper.wait_for(state="visible", timeout=30_000)
        page.screenshot(path=str(work / "jupyterlab_stepper.png"))
        first_text = stepper.inner_text()
        assert re.search(r"step 1 of \d+", first_text), f"first stepper text: {first_text[:300]!r}"
        stepper.locator(f".{dom.NEXT}").first.click()
        page.wait_for_function(
            "(el) => /step 2 of \\d+/.test(el.innerText)", arg=stepper.element_handle(), timeout=15_000
        )
    finally:
        context.close()
    assert not offsite, f"requests that left the machine: {offsite}"
    assert not errors, f"console errors in JupyterLab: {errors}"
