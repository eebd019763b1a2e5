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
   ``None`` to ``''``) on Sphinx < 8.2 only, and stops the build with a clear
   message if the method it wraps no longer has the signature it expects.

4. **The page scripts** (``_ext/static/bp-*.js``, ``PAGE_SCRIPTS``) and
   ``bp-widgets.css`` are added to every page, the scripts in the order of
   ``PAGE_SCRIPTS`` with priority 450, i.e. before the extensions' scripts
   (500) such as myst-nb's RequireJS + widget manager, because they must set
   the Font Awesome config and the MathJax bridge before those run. One of
   them, ``bp-dom.js``, is written here from :mod:`bpcore.dom`: the class
   names the Python side emits, so the scripts read the same names. Another,
   ``bp-questions.js``, is written at ``env-updated`` from every page's
   doctree: the question ids of each page, which ``bp-progress.js`` counts
   (and two pages showing one id is a warning, so the build fails). What
   each script does, and every name: ``docs/page-contract.md``.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import re
import shutil
from pathlib import Path

import sphinx
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
DOM_PY = Path(__file__).parents[1] / "bpcore" / "dom.py"
VENDOR_DIRNAME = "vendor"
# Files in vendor/ that document or refresh the assets; not served.
VENDOR_NOT_COPIED = ("README.md", "refresh.sh", "node_modules", "*.tgz",
                     "axe-core")  # axe-core: injected by the accessibility test only

# The scripts on every page, in load order (all priority 450): bp-dom.js is written at
# build time (dom_script), the others are in _ext/static/. bp-requirejs-config.js is not here:
# _config.yml loads it, on pages with widgets only, between RequireJS and the manager.
PAGE_SCRIPTS = ("bp-fontawesome.js", "bp-mathjax-bridge.js", "bp-dom.js", "bp-on-render.js",
                "bp-a11y.js", "bp-stepper-nav.js", "bp-questions.js", "bp-progress.js")
PAGE_SCRIPT_PRIORITY = 450
DOM_SCRIPT = "bp-dom.js"
# Written at build time (questions_script): the question ids of every page, which
# bp-progress.js needs on every page to count each chapter's questions in the sidebar.
QUESTIONS_SCRIPT = "bp-questions.js"
GENERATED_SCRIPTS = (DOM_SCRIPT, QUESTIONS_SCRIPT)

# Scripts that only some pages load, as (path relative to _static, add_js_file keywords),
# keyed by the bpcore.dom name whose attribute in a page's body asks for them.  mathjs runs
# before RequireJS (500) and the page scripts (450): with an AMD `define` on the page, its
# UMD wrapper would register a module instead of setting window.math.
PER_PAGE_SCRIPTS = {"FORMULA_ATTRIBUTE": ("../vendor/mathjs/math.js", {"priority": 440})}

# sphinx-doc/sphinx#13402, the fix the backport below copies, is in Sphinx 8.2.
FIXED_IN = (8, 2)
# The signature of StandaloneHTMLBuilder.add_js_file that the backport wraps.
EXPECTED_PARAMETERS = ("self", "filename", "**kwargs")


def _parameters(function) -> tuple[str, ...]:
    """The parameters of ``function`` as written, without annotations or defaults.

    >>> _parameters(lambda self, filename, *, priority=500, **kwargs: None)
    ('self', 'filename', 'priority', '**kwargs')
    """
    stars = {inspect.Parameter.VAR_POSITIONAL: "*", inspect.Parameter.VAR_KEYWORD: "**"}
    return tuple(stars.get(p.kind, "") + p.name
                 for p in inspect.signature(function).parameters.values())


def backport_inline_js_dedup(builder=StandaloneHTMLBuilder,
                             version=sphinx.version_info[:2]) -> bool:
    """Backport sphinx-doc/sphinx#13402 onto ``builder`` if Sphinx ``version`` lacks it.

    Wraps ``builder.add_js_file`` so a filename ``None`` becomes ``''`` (what 8.2 does).
    Returns True when the wrapper is in place (also when it already was), False when
    ``version`` >= 8.2 has the fix. Raises ExtensionError when the method to wrap does not
    take (self, filename, **kwargs), rather than patch a method it does not know.
    """
    if tuple(version) >= FIXED_IN:
        return False
    original = builder.add_js_file
    if getattr(original, "_bpbook_patched", False):
        return True
    got = _parameters(original)
    if got != EXPECTED_PARAMETERS:
        raise ExtensionError(
            f"[bpbook_html] expected {builder.__name__}.add_js_file{EXPECTED_PARAMETERS} "
            f"on Sphinx {'.'.join(map(str, version))} to backport sphinx-doc/sphinx#13402, "
            f"got {got}; check whether this Sphinx still writes inline scripts twice "
            "and update or drop backport_inline_js_dedup in _ext/bpbook_html.py")

    def add_js_file(self, filename, **kwargs):  # noqa: ANN001, ANN003
        return original(self, filename or "", **kwargs)

    add_js_file._bpbook_patched = True  # type: ignore[attr-defined]
    builder.add_js_file = add_js_file  # type: ignore[method-assign]
    return True


def dom_names(path: Path = DOM_PY) -> dict[str, str]:
    """Every name that ``bpcore/dom.py`` defines, e.g. {'STEPPER': 'bp-stepper', ...}.

    Read from the file beside this extension (dom.py imports nothing from bpcore), so the
    page gets the names of the tree being built, whichever bpcore is installed.

    >>> dom_names()["STEPPER"]
    'bp-stepper'
    """
    spec = importlib.util.spec_from_file_location("_bpbook_dom", path)
    dom = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dom)
    return {name: getattr(dom, name) for name in dom.__all__
            if isinstance(getattr(dom, name), str)}


def dom_script(names: dict[str, str] | None = None) -> str:
    """The text of bp-dom.js: ``window.bpDom``, the names of :func:`dom_names`.

    >>> print(dom_script({"STEPPER": "bp-stepper"}))
    /* bp-dom.js: written by _ext/bpbook_html.py from bpcore/dom.py; see docs/page-contract.md. */
    window.bpDom = Object.freeze({
     "STEPPER": "bp-stepper"
    });
    <BLANKLINE>
    """
    names = dom_names() if names is None else names
    return ("/* bp-dom.js: written by _ext/bpbook_html.py from bpcore/dom.py; "
            "see docs/page-contract.md. */\n"
            f"window.bpDom = Object.freeze({json.dumps(names, indent=1)});\n")


def page_scripts(body: str, names: dict[str, str] | None = None) -> list[tuple[str, dict]]:
    """The scripts of :data:`PER_PAGE_SCRIPTS` that a page with this HTML ``body`` needs.

    >>> page_scripts('<div class="bp-formula" data-bp-formula="{}">')
    [('../vendor/mathjs/math.js', {'priority': 440})]
    >>> page_scripts('<p>No question here.</p>')
    []
    """
    names = dom_names() if names is None else names
    return [script for key, script in PER_PAGE_SCRIPTS.items()
            if f'{names[key]}="' in body]


def question_ids(body: str, names: dict[str, str] | None = None) -> list[str]:
    """The question ids (``data-bp-question``) in a page's HTML, each once, in page order.

    >>> question_ids('<div class="bp-quiz" data-bp-question="quiz-a"></div>'
    ...              '<div data-bp-question="formula-ch4-x"></div><div data-bp-question="quiz-a">')
    ['quiz-a', 'formula-ch4-x']
    """
    names = dom_names() if names is None else names
    found = re.findall(rf'{re.escape(names["QUESTION_ATTRIBUTE"])}="([^"]+)"', body)
    return list(dict.fromkeys(found))


def book_questions(bodies: dict[str, str],
                   names: dict[str, str] | None = None) -> tuple[dict, dict]:
    """({page: its question ids}, {id: the pages that show it, when more than one}).

    ``bodies`` maps a page name (``chapters/04_output_delta``) to its HTML.  Pages without a
    question are left out.  An id on two pages is a duplicate: the book would count one
    answer on both.

    >>> book_questions({"a": '<p data-bp-question="q1">', "b": "<p>none</p>",
    ...                 "c": '<p data-bp-question="q1"><p data-bp-question="q2">'})
    ({'a': ['q1'], 'c': ['q1', 'q2']}, {'q1': ['a', 'c']})
    """
    names = dom_names() if names is None else names
    pages, where = {}, {}
    for page in sorted(bodies):
        ids = question_ids(bodies[page], names)
        if ids:
            pages[page] = ids
        for qid in ids:
            where.setdefault(qid, []).append(page)
    return pages, {qid: found for qid, found in where.items() if len(found) > 1}


def questions_script(pages: dict[str, list[str]]) -> str:
    """The text of bp-questions.js: ``window.bpQuestions``, {page: [question ids]}.

    >>> print(questions_script({"chapters/04_output_delta": ["formula-ch4-x"]}))
    /* bp-questions.js: written by _ext/bpbook_html.py; see docs/page-contract.md. */
    window.bpQuestions = Object.freeze({"chapters/04_output_delta": ["formula-ch4-x"]});
    <BLANKLINE>
    """
    return ("/* bp-questions.js: written by _ext/bpbook_html.py; see docs/page-contract.md. */\n"
            f"window.bpQuestions = Object.freeze({json.dumps(pages, sort_keys=True)});\n")


def _raw_html(doctree) -> str:  # noqa: ANN001
    """The raw HTML of a page's doctree: where myst-nb keeps a cell's text/html output."""
    from docutils import nodes
    return "\n".join(node.astext() for node in doctree.findall(nodes.raw)
                     if "html" in node.get("format", "").split())


def _collect_questions(app: Sphinx, env) -> list[str]:  # noqa: ANN001
    """env-updated: write bp-questions.js from every page's doctree, before any page is
    written (so its cache-busting checksum is right); warn about an id on two pages."""
    if app.builder.format != "html":
        return []
    bodies = {name: _raw_html(env.get_doctree(name)) for name in sorted(env.found_docs)}
    pages, duplicates = book_questions(bodies)
    for qid, found in duplicates.items():
        logger.warning("[bpbook_html] the question id %r is on %d pages (%s); give each "
                       "question its own id (bpcore.quiz: id=...)", qid, len(found),
                       ", ".join(found))
    dst = Path(app.outdir) / "_static"
    dst.mkdir(parents=True, exist_ok=True)
    (dst / QUESTIONS_SCRIPT).write_text(questions_script(pages), encoding="utf-8")
    return []


def _add_page_scripts(app: Sphinx, pagename: str, templatename: str, context: dict,
                      doctree) -> None:  # noqa: ANN001
    """html-page-context: add this page's own scripts (Sphinx keeps them to this page)."""
    if app.builder.format != "html":
        return
    for path, attributes in page_scripts(context.get("body", "")):
        app.add_js_file(path, **attributes)


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
    (dst / DOM_SCRIPT).write_text(dom_script(), encoding="utf-8")
    if not (dst / QUESTIONS_SCRIPT).is_file():   # filled in at env-updated
        (dst / QUESTIONS_SCRIPT).write_text(questions_script({}), encoding="utf-8")
    for name in PAGE_SCRIPTS:
        app.add_js_file(name, priority=PAGE_SCRIPT_PRIORITY)
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


# Where localStorage throws (some private modes, file:// pages in some browsers), the theme's
# inline script in <head> that reads the colour mode throws an uncaught error before any
# script of ours runs; wrapped here, it falls back to "auto" (bp-progress.js then gives the
# theme's later scripts an in-memory storage).
_THEME_STORAGE = re.compile(
    r'(?<!try \{ )(document\.documentElement\.dataset\.(mode|theme) = '
    r'localStorage\.getItem\("\w+"\) \|\| "auto";)')


def guard_theme_storage(html: str) -> str:
    """The theme's inline read of localStorage, in a try/catch.

    >>> guard_theme_storage('document.documentElement.dataset.mode = '
    ...                     'localStorage.getItem("mode") || "auto";')
    'try { document.documentElement.dataset.mode = localStorage.getItem("mode") || "auto"; } catch (e) { document.documentElement.dataset.mode = "auto"; }'
    >>> guard_theme_storage(_) == _         # a page fixed already is left as it is
    True
    """
    return _THEME_STORAGE.sub(lambda m: f"try {{ {m.group(1)} }} catch (e) {{ "
                              f'document.documentElement.dataset.{m.group(2)} = "auto"; }}', html)


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
        fixed = guard_theme_storage(fixed)
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")


def setup(app: Sphinx) -> dict:
    if backport_inline_js_dedup():
        logger.info("[bpbook_html] Sphinx %s < 8.2: backported sphinx-doc/sphinx#13402",
                    sphinx.__version__)
    app.set_html_assets_policy("always")
    app.connect("builder-inited", _copy_vendor)
    app.connect("builder-inited", _add_static)
    app.connect("env-updated", _collect_questions)
    app.connect("html-page-context", _add_page_scripts)
    app.connect("build-finished", _label_in_name)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
