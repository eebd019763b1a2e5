"""Local Sphinx extension: offline ipywidgets + MathJax for the static book.

Loaded through ``sphinx: local_extensions`` in ``_config.yml``. It does only
what plain configuration cannot do:

1. **vendor/ -> <outdir>/vendor/.**  The committed front-end assets (widget
   manager, RequireJS, MathJax 3; see ``vendor/README.md``) are copied into the
   HTML output as a ``vendor/`` folder. They are *not* under ``_static/``
   because Jupyter Book 1 adds every ``.js``/``.css`` found under
   ``html_static_path`` to every page. ``_config.yml`` points at them with
   paths relative to ``_static`` (``../vendor/...``), which is how Sphinx
   resolves ``mathjax_path`` and ``nb_ipywidgets_js`` entries.

2. **MathJax on every page.**  Sphinx only loads MathJax on pages that contain
   Sphinx math nodes; a page whose only math is inside widgets would get none.
   ``set_html_assets_policy("always")`` is Sphinx's switch for that.

3. **No duplicated inline scripts** (``SyntaxError: Identifier 'THEBE_JS_URL'
   has already been declared`` on every page).  Sphinx < 8.2 registers an
   inline script added after ``Builder.init()`` (``app.add_js_file(None,
   body=...)``, as sphinx-thebe does) twice: once with filename ``None`` and
   again in ``prepare_writing`` with filename ``''``; the two do not compare
   equal, so both are written and the second ``const THEBE_JS_URL`` throws.
   This backports the upstream fix (sphinx-doc/sphinx#13402: normalise
   ``None`` to ``''``), so sphinx-thebe keeps working and is emitted once.

4. **bp-widgets.js / bp-widgets.css** (in ``_ext/static/``) are added to every
   page with priority 450, i.e. before the extensions' scripts (500) such as
   myst-nb's RequireJS + widget manager, because the JS must set the widget
   manager's asset path and the Font Awesome config before those run. What the
   JS does is documented at its top.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util import logging

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
VENDOR_DIRNAME = "vendor"
# Files in vendor/ that document or refresh the assets; not served.
VENDOR_NOT_COPIED = ("README.md", "refresh.sh", "node_modules", "*.tgz",
                     "axe-core")  # axe-core: injected by the accessibility test only


def _backport_inline_js_dedup() -> None:
    """Backport of sphinx-doc/sphinx#13402 (fixed upstream in Sphinx 8.2)."""
    original = StandaloneHTMLBuilder.add_js_file
    if getattr(original, "_bpbook_patched", False):
        return

    def add_js_file(self, filename, **kwargs):  # noqa: ANN001, ANN003
        return original(self, filename or "", **kwargs)

    add_js_file._bpbook_patched = True  # type: ignore[attr-defined]
    StandaloneHTMLBuilder.add_js_file = add_js_file  # type: ignore[method-assign]


def _copy_vendor(app: Sphinx) -> None:
    """Copy <srcdir>/vendor to <outdir>/vendor before pages are written.

    Done at ``builder-inited`` (not at the end like ``html_extra_path``) so the
    files exist when pages are written and Sphinx adds its ``?v=<checksum>``
    cache-buster to the script URLs consistently.
    """
    if app.builder.format != "html":
        return
    src = Path(app.srcdir) / VENDOR_DIRNAME
    if not src.is_dir():
        logger.warning("[bpbook_html] %s not found: widgets and math will not render", src)
        return
    dst = Path(app.outdir) / VENDOR_DIRNAME
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(*VENDOR_NOT_COPIED))


def _add_static(app: Sphinx) -> None:
    """Copy _ext/static/* to <outdir>/_static/ and add them to every page.

    Not in the book's _static/, where Jupyter Book would add them a second time
    with the default priority. Copied here (not via html_static_path) so an
    incremental build with no changed page still updates them.
    """
    if app.builder.format != "html":
        return
    dst = Path(app.outdir) / "_static"
    dst.mkdir(parents=True, exist_ok=True)
    for path in STATIC_DIR.iterdir():
        if path.is_file():
            shutil.copy2(path, dst / path.name)
    app.add_js_file("bp-widgets.js", priority=450)
    app.add_css_file("bp-widgets.css")


# WCAG 2.5.3 (Label in Name): controls whose aria-label differs from the text they show.
# Dropping the label lets the visible text name the control (axe rule
# label-content-name-mismatch): myst-nb's hide-input <summary> ("Toggle hidden content"
# over "Show code cell source"), the theme's search field button ("Search" over
# "Search Ctrl+K"; the icon-only search button keeps its label), and the colour-mode
# button's icon titles ("Light", "Dark", ... inside a button named "Color mode").
_LABEL_IN_NAME = (
    (re.compile(r'(<summary) aria-label="Toggle hidden content"'), r"\1"),
    (re.compile(r'(<button class="btn search-button-field[^"]*"[^>]*?) aria-label="Search"'), r"\1"),
    (re.compile(r'(<i class="theme-switch [^"]*" data-mode="\w+")\s+title="[^"]*"'), r"\1"),
)


def _label_in_name(app: Sphinx, exc: Exception | None) -> None:
    if exc is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for path in outdir.rglob("*.html"):
        if path.relative_to(outdir).parts[0] in (VENDOR_DIRNAME, "_static"):
            continue
        text = path.read_text(encoding="utf-8")
        fixed = text
        for pattern, repl in _LABEL_IN_NAME:
            fixed = pattern.sub(repl, fixed)
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")


def setup(app: Sphinx) -> dict:
    _backport_inline_js_dedup()
    app.set_html_assets_policy("always")
    app.connect("builder-inited", _copy_vendor)
    app.connect("builder-inited", _add_static)
    app.connect("build-finished", _label_in_name)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
