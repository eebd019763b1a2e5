"""Fixtures for the browser test of the built book (``_build/html``).

* ``book_server``: serves ``_build/html`` on 127.0.0.1 (random port) with a
  threaded ``http.server`` for the whole session.
* ``browser``: Debian's chromium driven by Playwright (``playwright install``
  is not used: its browser download is not reachable here). Without a
  chromium the tests are skipped, except under CI (env ``CI`` set), where a
  missing browser is a failure (``tests/_ci.py``).
* ``open_page``: opens one page in a fresh browser context in which every
  request that does not go to the local server is aborted and recorded, and
  collects console errors, uncaught page errors and failed requests.

The pages to test are found by walking ``_build/html`` (see ``book_pages``);
build the book first: ``jupyter-book build . -W -n --keep-going``.  To test a book
built elsewhere (``--path-output DIR`` writes ``DIR/_build/html``), set ``BP_HTML_DIR``
to that html folder; screenshots then go to its sibling ``screenshots/``.
"""

from __future__ import annotations

import functools
import http.server
import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# tests/_ci.py (skip_or_fail, shared with tests/test_links.py and tests/test_binder.py):
# pytest puts only this folder on sys.path when it runs tests/browser alone.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _ci import CHROMIUM_ARGS, chromium_or_skip, skip_or_fail, sync_playwright_or_skip  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
HTML_DIR = (Path(os.environ["BP_HTML_DIR"]).resolve() if os.environ.get("BP_HTML_DIR")
            else ROOT / "_build" / "html")
SCREENSHOT_DIR = HTML_DIR.parent / "screenshots"

# Pages that are not book content, and folders that hold no pages.
SKIP_PAGES = {"genindex.html", "search.html", "py-modindex.html"}
SKIP_DIRS = {"_static", "_sources", "_images", "_downloads", "vendor", "_sphinx_design_static"}

def book_pages() -> list[str]:
    """Every content page of the built book, as paths relative to _build/html."""
    if not HTML_DIR.is_dir():
        return []
    pages = []
    for path in sorted(HTML_DIR.rglob("*.html")):
        rel = path.relative_to(HTML_DIR)
        if rel.parts[0] in SKIP_DIRS or rel.name in SKIP_PAGES:
            continue
        head = path.read_text(encoding="utf-8", errors="replace")[:2000].lower()
        if 'http-equiv="refresh"' in head:  # index.html -> first page redirect
            continue
        pages.append(rel.as_posix())
    return pages


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "page_path" in metafunc.fixturenames:
        pages = book_pages()
        metafunc.parametrize("page_path", pages or [None], ids=pages or ["no-build"])


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".woff": "font/woff",
        ".woff2": "font/woff2",
        ".svg": "image/svg+xml",
    }

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="session")
def pages() -> list[str]:
    return book_pages()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


@pytest.fixture(name="skip_or_fail", scope="session")
def skip_or_fail_fixture():
    """:func:`_ci.skip_or_fail`: skip locally, fail under CI."""
    return skip_or_fail


@pytest.fixture(scope="session")
def html_dir() -> Path:
    if not (HTML_DIR / "index.html").is_file() and not book_pages():
        skip_or_fail(f"{HTML_DIR} has no built book; run `jupyter-book build .` first")
    return HTML_DIR


@pytest.fixture(scope="session")
def book_server(html_dir: Path):
    handler = functools.partial(_QuietHandler, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# Module scope, not session: a running sync Playwright blocks any other
# sync_playwright() in the same process (other test modules start their own).
@pytest.fixture(scope="module")
def browser():
    executable = chromium_or_skip()
    sync_playwright = sync_playwright_or_skip()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageReport:
    """What a page did while it was open."""

    url: str
    offsite: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def problems(self) -> dict[str, list[str]]:
        return {
            name: items
            for name, items in {
                "off-site requests (blocked)": self.offsite,
                "failed requests": self.failed,
                "console errors": self.console_errors,
                "uncaught page errors": self.page_errors,
            }.items()
            if items
        }


@pytest.fixture
def open_page(browser, book_server):
    """open_page(path, viewport=None, init_script=None) -> (page, report): load one page of
    the book offline, in a new context of ``viewport`` (default 1280 x 900), with
    ``init_script`` run before the page's own scripts."""
    contexts = []

    def _open(path: str, viewport: dict | None = None, init_script: str | None = None):
        context = browser.new_context(
            viewport=viewport or {"width": 1280, "height": 900}, service_workers="block"
        )
        contexts.append(context)
        if init_script:
            context.add_init_script(init_script)
        report = PageReport(url=book_server + path)
        local = urlsplit(book_server)

        def route(route):
            url = route.request.url
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") and parts.netloc == local.netloc:
                route.continue_()
            else:
                report.offsite.append(url)
                route.abort("blockedbyclient")

        context.route("**/*", route)
        page = context.new_page()
        page.on(
            "console",
            lambda msg: msg.type == "error"
            and report.console_errors.append(f"{msg.text} @ {msg.location.get('url', '')}"),
        )
        page.on("pageerror", lambda err: report.page_errors.append(str(err)))
        page.on(
            "requestfailed",
            lambda req: req.url not in report.offsite
            and report.failed.append(f"{req.url} ({req.failure})"),
        )
        page.on(
            "response",
            lambda resp: resp.status >= 400 and report.failed.append(f"HTTP {resp.status} {resp.url}"),
        )
        page.goto(report.url, wait_until="load")
        return page, report

    yield _open
    for context in contexts:
        context.close()
