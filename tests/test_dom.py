"""The names shared by the Python that builds the page and the scripts that run in it.

``bpcore/dom.py`` defines every class name (and data attribute) once. The page scripts in
``_ext/static/`` read them from ``window.bpDom`` (``bp-dom.js``, written from dom.py at build
time by ``_ext/bpbook_html.py``); the style sheets and the quiz script
(``bpcore/static/bp-quiz.*``, shipped with the quiz's HTML, so it also runs in JupyterLab
where no book script is) write them as literals. These tests read those files as text and
fail when

* a page file uses a ``bp-`` name (or a ``bpDom.NAME``) that dom.py does not define;
* a page file reads a name that neither Python nor a page script puts in the page;
* dom.py defines a name that nothing uses;
* a bpcore module types a name as a string literal instead of importing it from dom.py.

What each name does is in ``docs/page-contract.md``.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bpcore import dom

ROOT = Path(__file__).resolve().parents[1]
PAGE_DIRS = (ROOT / "_ext" / "static", ROOT / "bpcore" / "static")
PACKAGE = ROOT / "bpcore"

# A name of the contract: a bp- class or a data-bp- attribute (not a file bp-x.js).
NAME = r"(?:data-)?bp-[a-z0-9]+(?:-[a-z0-9]+)*(?![a-z0-9-]|\.(?:js|css)\b)"
# Where a page file uses one: a class selector (.bp-x), a data attribute ([data-bp-x] or
# "data-bp-x"), or a whole string literal ("bp-x", as classList.add/contains take it).
SELECTOR = re.compile(rf"\.(bp-[a-z0-9]+(?:-[a-z0-9]+)*)|(?<![\w-])(data-bp-[a-z0-9-]+)"
                      rf"|[\"']({NAME})[\"']")
COMMENT = re.compile(r"/\*.*?\*/|(?<![:\"'\\])//[^\n]*", re.S)
# JavaScript that puts a name on the page itself (so no Python has to emit it).
ADDS = re.compile(r"classList\.(?:add|toggle)\(([^)]*)\)|setAttribute\(\s*([^,)]*)"
                  r"|new CustomEvent\(\s*([^,)]*)")
# window.bpDom read directly, or through a local alias (var D = window.bpDom; D.STEP).
BPDOM_ALIAS = re.compile(r"\b(\w+)\s*=\s*window\.bpDom\b")
# A name typed in Python: a string that starts with it, or an HTML attribute data-bp-x=.
PY_LITERAL = re.compile(rf"[\"']({NAME})|\s(data-bp-[a-z0-9-]+)=")

CONSTANTS = {name: value for name, value in vars(dom).items()
             if name.isupper() and isinstance(value, str)}   # {'STEPPER': 'bp-stepper', ...}
DEFINED = {value: name for name, value in CONSTANTS.items()}  # {'bp-stepper': 'STEPPER', ...}


def page_files() -> list[Path]:
    """The page's scripts and style sheets: _ext/static and bpcore/static (once it exists)."""
    return sorted(p for d in PAGE_DIRS if d.is_dir() for p in d.iterdir()
                  if p.suffix in (".js", ".css"))


def names_used(text: str) -> tuple[set[str], set[str]]:
    """({bp- names written as literals}, {NAME of each bpDom.NAME}) in a script or sheet.

    >>> literals, keys = names_used('''/* .bp-old */ var D = window.bpDom; // "bp-gone"
    ... el.closest(".bp-quiz .bp-quiz-input, [data-bp-ready]"); el.classList.add("bp-quiz-ok");
    ... D.STEP + window.bpDom.ALT; console.error("bp-widgets: failed", "bp-quiz.js");''')
    >>> sorted(literals), sorted(keys)
    (['bp-quiz', 'bp-quiz-input', 'bp-quiz-ok', 'data-bp-ready'], ['ALT', 'STEP'])
    """
    text = COMMENT.sub(" ", text)
    literals = {next(g for g in m.groups() if g) for m in SELECTOR.finditer(text)}
    aliases = {"window.bpDom", *BPDOM_ALIAS.findall(text)}
    keys = {k for a in aliases for k in re.findall(rf"(?<![\w.]){re.escape(a)}\.([A-Z_]+)", text)}
    return literals, keys


def names_added(text: str) -> set[str]:
    """The bp- names a script puts on the page itself (classList.add/toggle, setAttribute, an
    event it dispatches), written as literals or as ``bpDom`` names.

    >>> sorted(names_added('fb.classList.add(ok ? "bp-quiz-ok" : "bp-quiz-no"); '
    ...                    'r.setAttribute("data-bp-ready", ""); fb.classList.remove("bp-x"); '
    ...                    'box.classList.add(D.STEP); new CustomEvent("bp-quiz", {})'))
    ['bp-quiz', 'bp-quiz-no', 'bp-quiz-ok', 'bp-step', 'data-bp-ready']
    """
    found = set()
    for m in ADDS.finditer(COMMENT.sub(" ", text)):
        argument = next(g for g in m.groups() if g is not None)
        found |= set(re.findall(rf"[\"']({NAME})[\"']", argument))
        # classList.add(D.PROGRESS) with D = window.bpDom: the name PROGRESS stands for
        found |= {CONSTANTS[k] for k in re.findall(r"\.([A-Z][A-Z_]*)\b", argument)
                  if k in CONSTANTS}
    return found


def python_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name != "dom.py")


def docstring_lines(source: str) -> set[int]:
    r"""The line numbers (1-based) of the docstrings in a module, where prose may name a class.

    >>> sorted(docstring_lines("'''Doc,\n two lines'''\ndef f():\n    'x'\n    return 1\n"))
    [1, 2, 4]
    """
    lines = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)):
                lines |= set(range(first.lineno, first.end_lineno + 1))
    return lines


def python_literals(source: str) -> list[tuple[int, str]]:
    r"""(line, text) of each line outside docstrings that types a contract name.

    >>> python_literals("'A ``bp-step`` view, see \"bp-step\"'\n"
    ...                 "CSS = _static('bp-quiz.css')\n"
    ...                 "x = '<p class=\"bp-alt\">'\n"
    ...                 "y = f'<div data-bp-x=\"{s}\">'\n")
    [(3, 'x = \'<p class="bp-alt">\''), (4, 'y = f\'<div data-bp-x="{s}">\'')]
    """
    skip = docstring_lines(source)
    return [(i, line.strip()) for i, line in enumerate(source.splitlines(), 1)
            if i not in skip and PY_LITERAL.search(line)]


def dom_names_referenced(source: str) -> set[str]:
    r"""The dom.py constants a module uses: ``from .dom import X`` or ``dom.X``.

    >>> sorted(dom_names_referenced("from .dom import PREV, NEXT\nfrom bpcore import dom as D\n"
    ...                             "x = D.STEP + dom.ALT"))
    ['NEXT', 'PREV', 'STEP']
    """
    tree = ast.parse(source)
    names, aliases = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module == "dom" or module.endswith(".dom"):
                names |= {a.name for a in node.names}
            elif module in ("", "bpcore"):
                aliases |= {a.asname or a.name for a in node.names if a.name == "dom"}
        elif isinstance(node, ast.Import):
            aliases |= {a.asname for a in node.names if a.name == "bpcore.dom" and a.asname}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in aliases):
            names.add(node.attr)
    if "kind_class" in names:
        names.add("STEPPER")
    return names


def _page_reads() -> dict[Path, set[str]]:
    """{page file: the names it uses}, a bpDom.NAME counted as the name it stands for."""
    reads = {}
    for path in page_files():
        literals, keys = names_used(path.read_text(encoding="utf-8"))
        reads[path] = literals | {CONSTANTS[k] for k in keys if k in CONSTANTS}
    return reads


def _python_emits() -> set[str]:
    used = set()
    for path in python_files():
        used |= dom_names_referenced(path.read_text(encoding="utf-8"))
    return {CONSTANTS[n] for n in used if n in CONSTANTS}


def test_the_page_files_are_found():
    names = {p.name for p in page_files()}
    assert {"bp-stepper-nav.js", "bp-a11y.js", "bp-widgets.css"} <= names, names


def test_page_files_use_only_names_defined_in_dom():
    unknown = []
    for path in page_files():
        literals, keys = names_used(path.read_text(encoding="utf-8"))
        rel = path.relative_to(ROOT)
        unknown += [f"{rel}: {n!r} is not in bpcore/dom.py"
                    for n in sorted(literals - DEFINED.keys())]
        unknown += [f"{rel}: bpDom.{k} is not in bpcore/dom.py"
                    for k in sorted(keys - CONSTANTS.keys())]
    assert not unknown, "add the name to bpcore/dom.py (and docs/page-contract.md), " \
                        "or fix the typo:\n" + "\n".join(unknown)


def test_every_name_a_page_file_reads_is_put_on_the_page():
    added = set()
    for path in page_files():
        added |= names_added(path.read_text(encoding="utf-8"))
    emitted = _python_emits() | added
    missing = []
    for path, read in _page_reads().items():
        missing += [f"{path.relative_to(ROOT)} reads {n!r} ({DEFINED.get(n)}), which no bpcore "
                    "module imports from bpcore.dom and no page script adds"
                    for n in sorted(read - emitted)]
    assert not missing, "\n".join(missing)


def test_every_name_in_dom_is_used():
    used = _python_emits().union(*_page_reads().values())
    unused = sorted(f"{name} = {value!r}" for value, name in DEFINED.items() if value not in used)
    assert not unused, ("bpcore/dom.py defines names that no bpcore module and no page file "
                        "uses; use them or delete them:\n" + "\n".join(unused))


@pytest.mark.parametrize("path", python_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_python_takes_names_from_dom(path):
    hits = [f"{path.relative_to(ROOT)}:{i}: {line[:90]}"
            for i, line in python_literals(path.read_text(encoding="utf-8"))]
    assert not hits, ("write these names as bpcore.dom constants (from bpcore.dom import ...), "
                      "not string literals:\n" + "\n".join(hits))
