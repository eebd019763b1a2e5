"""Links of the built book: every internal link and anchor resolves; external ones are listed.

Two checks, both offline by default:

* ``test_internal_links_and_anchors`` reads every HTML file of ``_build/html``
  (build it first: ``jupyter-book build . -W -n --keep-going``). Every local
  ``href``/``src`` (links, scripts, stylesheets, images) must name a file that
  exists, and every ``#fragment`` must name an ``id`` (or ``<a name>``) in the
  page it points to. Links written inside widget state (the steppers' HTML) are
  included. The external links found are written to
  ``_build/links_report.json``.
* ``test_sphinx_linkcheck`` runs Sphinx's ``linkcheck`` builder
  (``jupyter-book build . --builder linkcheck``) into a temporary folder with a
  copy of ``_config.yml`` (the notebooks' executed outputs come from the
  book's jupyter-cache when there is one). It checks that local file links in
  the sources exist; external ``http(s)`` links are listed as ``ignored`` and
  never fetched, unless ``BP_LINKCHECK_EXTERNAL=1`` is set, in which case
  they are fetched (anchors included) and a broken one fails the test. So an
  offline CI never fails on the network.

Without a built book the first test is skipped locally and fails under CI
(``CI`` set), like the browser tests.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from _ci import skip_or_fail

ROOT = Path(__file__).resolve().parents[1]
HTML_DIR = ROOT / "_build" / "html"
CACHE_DIR = ROOT / "_build" / ".jupyter_cache"
REPORT_PATH = ROOT / "_build" / "links_report.json"
EXTERNAL_VAR = "BP_LINKCHECK_EXTERNAL"

# Folders whose .html files are not pages of the book: copied assets (MathJax, widget
# manager), the sources, and the theme's Jinja fragments in _static/.
SKIP_DIRS = {"vendor", "_sources", "_static"}
EXTERNAL_SCHEMES = {"http", "https", "mailto", "tel", "javascript", "data", "blob"}
URL_ATTRIBUTES = {("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"),
                  ("source", "src"), ("iframe", "src")}
# href="..." inside the JSON of an embedded widget state (HTML widgets' values)
WIDGET_HREF = re.compile(r'href=\\"([^"\\]+)\\"')


class _Collector(HTMLParser):
    """The URLs a page refers to and the ids it defines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str]] = []  # (tag, url)
        self.ids: set[str] = set()
        self._in_widget_state = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(key):
                self.ids.add(attrs[key])
        for t, attr in URL_ATTRIBUTES:
            if tag == t and attrs.get(attr):
                self.urls.append((tag, attrs[attr]))
        self._in_widget_state = tag == "script" and (attrs.get("type") or "").startswith(
            "application/vnd.jupyter.widget-state")

    def handle_data(self, data):
        if self._in_widget_state:
            self.urls += [("widget", html.unescape(u)) for u in WIDGET_HREF.findall(data)]

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_widget_state = False


def collect(path: Path) -> _Collector:
    parser = _Collector()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return parser


def classify(url: str) -> str:
    """'external', 'local' (a file, maybe with an anchor) or 'skip' (nothing to check).

    >>> [classify(u) for u in ["https://x.org/a", "//cdn.x/a.js", "mailto:a@b",
    ...                        "../a.html#b", "#top", "#", "", "data:image/png;base64,AA"]]
    ['external', 'external', 'external', 'local', 'local', 'skip', 'skip', 'external']
    """
    if url in ("", "#"):
        return "skip"
    parts = urlsplit(url)
    if parts.scheme in EXTERNAL_SCHEMES or url.startswith("//"):
        return "external"
    if parts.scheme:
        return "external"
    return "local"


def resolve(page: Path, url: str, html_dir: Path) -> tuple[Path, str]:
    """(target file, fragment) of a local URL on `page`; a folder means its index.html.

    >>> root = Path("/b")
    >>> resolve(root / "chapters" / "a.html", "../_static/x.js?v=1", root)
    (PosixPath('/b/_static/x.js'), '')
    >>> resolve(root / "chapters" / "a.html", "#sec-1", root)
    (PosixPath('/b/chapters/a.html'), 'sec-1')
    >>> resolve(root / "index.html", "chapters/", root)
    (PosixPath('/b/chapters/index.html'), '')
    """
    parts = urlsplit(url)
    if not parts.path:
        target = page
    else:
        target = Path(os.path.normpath(page.parent / unquote(parts.path)))
        if parts.path.endswith("/"):
            target = target / "index.html"
    return target, unquote(parts.fragment)


def test_internal_links_and_anchors():
    if not (HTML_DIR / "index.html").is_file():
        skip_or_fail(f"{HTML_DIR} has no built book; run `jupyter-book build .` first")
    pages = [p for p in sorted(HTML_DIR.rglob("*.html"))
             if p.relative_to(HTML_DIR).parts[0] not in SKIP_DIRS]
    parsed = {p: collect(p) for p in pages}
    ids = {p: c.ids for p, c in parsed.items()}

    broken: list[str] = []
    external: dict[str, set[str]] = defaultdict(set)
    n_local = n_anchor = 0
    for page, found in parsed.items():
        rel = page.relative_to(HTML_DIR).as_posix()
        for tag, url in found.urls:
            kind = classify(url)
            if kind == "external":
                if not url.startswith(("data:", "blob:", "javascript:")):
                    external[url].add(rel)
                continue
            if kind == "skip":
                continue
            target, fragment = resolve(page, url, HTML_DIR)
            n_local += 1
            if not target.resolve().is_relative_to(HTML_DIR.resolve()):
                broken.append(f"{rel}: <{tag}> {url} points outside the book")
            elif not target.is_file():
                broken.append(f"{rel}: <{tag}> {url}: no file {target.relative_to(HTML_DIR)}")
            elif fragment and target.suffix == ".html":
                n_anchor += 1
                if target not in ids:
                    ids[target] = collect(target).ids
                if fragment not in ids[target]:
                    broken.append(f"{rel}: <{tag}> {url}: no id {fragment!r} in "
                                  f"{target.relative_to(HTML_DIR).as_posix()}")

    REPORT_PATH.parent.mkdir(parents=True, exist_ok=True)
    REPORT_PATH.write_text(json.dumps({
        "pages": len(pages), "local_links": n_local, "anchors": n_anchor,
        "external": {u: sorted(p) for u, p in sorted(external.items())},
    }, indent=1), encoding="utf-8")
    print(f"\n[links] {len(pages)} pages: {n_local} local links ({n_anchor} with an anchor), "
          f"{len(external)} distinct external links (listed in {REPORT_PATH.name})")
    assert n_local > 0, "no local link found: is the build complete?"
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(sorted(set(broken))[:60])


def _linkcheck_config(tmp: Path, check_external: bool) -> Path:
    """A copy of _config.yml for the linkcheck build, written to tmp/_config.yml."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    sphinx = config.setdefault("sphinx", {})
    # local extension paths are resolved against the config file's folder
    sphinx["local_extensions"] = {name: str((ROOT / path).resolve())
                                  for name, path in (sphinx.get("local_extensions") or {}).items()}
    execute = config.setdefault("execute", {})
    if CACHE_DIR.is_dir():  # reuse the book's executed notebooks
        execute["cache"] = str(CACHE_DIR)
    else:  # nothing to reuse: links in the sources are checked, outputs are not
        execute["execute_notebooks"] = "off"
    options = sphinx.setdefault("config", {})
    options["linkcheck_anchors"] = True
    options["linkcheck_timeout"] = 20
    options["linkcheck_retries"] = 2
    options["linkcheck_report_timeouts_as_broken"] = True
    if not check_external:
        options["linkcheck_ignore"] = [r"^https?://"]
    path = tmp / "_config.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def test_sphinx_linkcheck(tmp_path):
    check_external = os.environ.get(EXTERNAL_VAR) == "1"
    config = _linkcheck_config(tmp_path, check_external)
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    done = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "--builder", "linkcheck",
         "--config", str(config), "--path-output", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=1200, cwd=ROOT,
    )
    outputs = sorted((tmp_path / "out").rglob("output.json"))
    assert outputs, f"linkcheck wrote no output.json ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    rows = [json.loads(line) for line in outputs[0].read_text(encoding="utf-8").splitlines() if line]
    by_status: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_status[row["status"]].append(row)
    external = sorted({r["uri"] for r in rows if r["uri"].startswith(("http:", "https:"))})
    print(f"\n[linkcheck] {len(rows)} links: "
          + ", ".join(f"{s} {len(v)}" for s, v in sorted(by_status.items()))
          + f"; external ({'checked' if check_external else 'listed, not fetched'}): {external}")
    bad = by_status["broken"] + by_status["timeout"]
    assert not bad, "broken links:\n" + "\n".join(
        f"{r['filename']}:{r['lineno']} {r['uri']} {r['info']}" for r in bad)
    if not check_external:
        fetched = [r["uri"] for r in by_status["working"] if r["uri"].startswith(("http:", "https:"))]
        assert not fetched, f"external links were fetched although {EXTERNAL_VAR} is not 1: {fetched}"
    assert done.returncode == 0, f"linkcheck exited {done.returncode}:\n{done.stdout[-3000:]}"
