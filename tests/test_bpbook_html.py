"""The book's Sphinx extension, ``_ext/bpbook_html.py``, without building the book.

* the backport of sphinx-doc/sphinx#13402 is applied only before Sphinx 8.2, really removes
  the duplicate inline script on this Sphinx, and refuses a method it does not know;
* ``bp-dom.js`` holds exactly the names of ``bpcore.dom``;
* the page scripts are all registered, each after the scripts it needs, with priority 450;
* mathjs is added to the pages that hold a formula question and to no other, before
  RequireJS and the page scripts.
"""
from __future__ import annotations

import doctest
import importlib.util
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.errors import ExtensionError

from bpcore import dom

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("bpbook_html", ROOT / "_ext" / "bpbook_html.py")
ext = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ext)

OLD, FIXED = (7, 4), (8, 2)


def _builder(cls):
    """A builder object with only the list add_js_file fills (no Sphinx app needed)."""
    builder = object.__new__(cls)
    builder._js_files = []
    return builder


def _inline_script_twice(builder):
    # what sphinx-thebe's app.add_js_file(None, body=...) leads to in Sphinx < 8.2
    builder.add_js_file(None, body="const THEBE_JS_URL = 1;")
    builder.add_js_file("", body="const THEBE_JS_URL = 1;")
    return builder._js_files


def test_extension_doctests():
    assert doctest.testmod(ext, optionflags=doctest.NORMALIZE_WHITESPACE).failed == 0


@pytest.mark.skipif(sphinx.version_info[:2] >= FIXED, reason="this Sphinx has the fix")
def test_backport_writes_an_inline_script_once_on_this_sphinx():
    class Builder(StandaloneHTMLBuilder):
        pass

    assert len(_inline_script_twice(_builder(StandaloneHTMLBuilder))) == 2  # the bug
    assert ext.backport_inline_js_dedup(Builder, sphinx.version_info[:2]) is True
    assert len(_inline_script_twice(_builder(Builder))) == 1


def test_backport_is_applied_once():
    class Builder(StandaloneHTMLBuilder):
        pass

    assert ext.backport_inline_js_dedup(Builder, OLD) is True
    wrapper = Builder.add_js_file
    assert ext.backport_inline_js_dedup(Builder, OLD) is True
    assert Builder.add_js_file is wrapper


@pytest.mark.parametrize("version", [FIXED, (8, 3), (9, 0)])
def test_backport_is_not_applied_from_sphinx_8_2(version):
    class Builder:
        def add_js_file(self, filename, **kwargs):
            pass

    original = Builder.add_js_file
    assert ext.backport_inline_js_dedup(Builder, version) is False
    assert Builder.add_js_file is original


def test_backport_refuses_a_method_it_does_not_know():
    class Builder:
        def add_js_file(self, filename, priority=500):
            pass

    original = Builder.add_js_file
    with pytest.raises(ExtensionError, match=re.escape(
            "expected Builder.add_js_file('self', 'filename', '**kwargs') on Sphinx 7.4 to "
            "backport sphinx-doc/sphinx#13402, got ('self', 'filename', 'priority')")):
        ext.backport_inline_js_dedup(Builder, OLD)
    assert Builder.add_js_file is original


def test_dom_script_holds_every_name_of_bpcore_dom():
    text = ext.dom_script()
    body = re.fullmatch(r"/\*.*?\*/\nwindow\.bpDom = Object\.freeze\((.*)\);\n", text, re.S)
    assert body, text[:200]
    expected = {name: getattr(dom, name) for name in dom.__all__
                if isinstance(getattr(dom, name), str)}
    assert json.loads(body.group(1)) == expected
    assert expected["STEPPER"] == "bp-stepper"


def test_every_script_is_registered_after_what_it_needs():
    on_disk = {p.name for p in ext.STATIC_DIR.glob("*.js")}
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    assert on_disk - set(ext.PAGE_SCRIPTS) == {"bp-requirejs-config.js"}
    assert '"bp-requirejs-config.js"' in config  # loaded by nb_ipywidgets_js instead
    assert set(ext.PAGE_SCRIPTS) - on_disk == set(ext.GENERATED_SCRIPTS)
    order = {name: i for i, name in enumerate(ext.PAGE_SCRIPTS)}
    for name in on_disk - {"bp-requirejs-config.js"}:
        text = (ext.STATIC_DIR / name).read_text(encoding="utf-8")
        if "window.bpDom" in text:
            assert order[ext.DOM_SCRIPT] < order[name], f"{name} reads bpDom before bp-dom.js"
        if "window.bpOnRender(" in text and name != "bp-on-render.js":
            assert order["bp-on-render.js"] < order[name], f"{name} needs bp-on-render.js first"


def test_add_static_copies_writes_and_registers_in_order(tmp_path):
    added = []
    app = SimpleNamespace(
        builder=SimpleNamespace(format="html"), outdir=str(tmp_path),
        add_js_file=lambda name, **kw: added.append(("js", name, kw.get("priority"))),
        add_css_file=lambda name, **kw: added.append(("css", name, None)))
    ext._add_static(app)
    static = tmp_path / "_static"
    assert (static / ext.DOM_SCRIPT).read_text(encoding="utf-8") == ext.dom_script()
    assert all((static / name).is_file() for name in ext.PAGE_SCRIPTS)
    assert added == [("js", name, 450) for name in ext.PAGE_SCRIPTS] + [
        ("css", "bp-widgets.css", None)]


def test_mathjs_is_added_to_pages_with_a_formula_question_only():
    added = []
    app = SimpleNamespace(builder=SimpleNamespace(format="html"),
                          add_js_file=lambda name, **kw: added.append((name, kw)))
    with_question = f'<div class="{dom.FORMULA}" {dom.FORMULA_ATTRIBUTE}="{{}}"></div>'
    ext._add_page_scripts(app, "chapters/04_output_delta", "page.html",
                          {"body": "<p>text</p>" + with_question}, None)
    assert added == [("../vendor/mathjs/math.js", {"priority": 440})]
    added.clear()
    for body in ("<p>No question.</p>", f"<p>The attribute {dom.FORMULA_ATTRIBUTE} in prose.</p>"):
        ext._add_page_scripts(app, "chapters/01_forward_pass", "page.html", {"body": body},
                              None)
    ext._add_page_scripts(app, "genindex", "genindex.html", {}, None)   # no body at all
    assert added == []


def test_per_page_scripts_name_dom_attributes_and_vendored_files():
    for key, (path, keywords) in ext.PER_PAGE_SCRIPTS.items():
        # before the page scripts and RequireJS (default 500), not deferred: see the module
        assert keywords["priority"] < ext.PAGE_SCRIPT_PRIORITY and "defer" not in keywords
        assert getattr(dom, key).startswith("data-bp-")
        # paths are relative to _static/, like _config.yml's; vendor/ is copied beside it
        assert path.startswith("../vendor/")
        assert (ROOT / path[len("../"):]).is_file(), path


def test_setup_connects_the_per_page_scripts():
    connected = []
    app = SimpleNamespace(set_html_assets_policy=lambda policy: None,
                          connect=lambda event, fn: connected.append((event, fn)))
    ext.setup(app)
    assert ("html-page-context", ext._add_page_scripts) in connected


# --------------------------------------------------------------------------------------
# The question ids of every page, collected at build time for bp-progress.js.

def _raw_page(*ids):
    """A doctree like myst-nb's for a page whose cells show questions with these ids."""
    from docutils import nodes
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document

    document = new_document("page", get_default_settings(Parser))
    for qid in ids:
        cell = nodes.container()
        cell += nodes.raw("", f'<div class="{dom.QUIZ}" {dom.QUESTION_ATTRIBUTE}="{qid}">'
                              "</div>", format="html")
        cell += nodes.literal_block("", f"<bpcore.quiz {qid}>")   # text/plain beside it
        document += cell
    document += nodes.paragraph("", f'prose naming {dom.QUESTION_ATTRIBUTE}="not-an-id"')
    return document


def _collect(tmp_path, pages, monkeypatch):
    warnings = []
    monkeypatch.setattr(ext.logger, "warning", lambda msg, *args: warnings.append(msg % args))
    env = SimpleNamespace(found_docs=set(pages), get_doctree=lambda name: pages[name])
    app = SimpleNamespace(builder=SimpleNamespace(format="html"), outdir=str(tmp_path))
    assert ext._collect_questions(app, env) == []
    text = (tmp_path / "_static" / ext.QUESTIONS_SCRIPT).read_text(encoding="utf-8")
    body = re.fullmatch(r"/\*.*?\*/\nwindow\.bpQuestions = Object\.freeze\((.*)\);\n", text,
                        re.S)
    assert body, text
    return json.loads(body.group(1)), warnings


def test_the_build_writes_every_page_s_question_ids(tmp_path, monkeypatch):
    pages = {"chapters/04_output_delta": _raw_page("formula-ch4-a", "quiz-ch4-b-1-1",
                                                   "formula-ch4-a"),
             "chapters/01_forward_pass": _raw_page("quiz-0123456789"),
             "chapters/preface": _raw_page()}
    questions, warnings = _collect(tmp_path, pages, monkeypatch)
    # each id once per page, in page order; prose and text/plain are not questions
    assert questions == {"chapters/01_forward_pass": ["quiz-0123456789"],
                         "chapters/04_output_delta": ["formula-ch4-a", "quiz-ch4-b-1-1"]}
    assert warnings == []


def test_an_id_on_two_pages_is_a_build_warning(tmp_path, monkeypatch):
    pages = {"a": _raw_page("quiz-same", "quiz-a"), "b": _raw_page("quiz-same")}
    questions, warnings = _collect(tmp_path, pages, monkeypatch)
    assert questions == {"a": ["quiz-same", "quiz-a"], "b": ["quiz-same"]}
    assert len(warnings) == 1
    assert "the question id 'quiz-same' is on 2 pages (a, b)" in warnings[0]
    assert "id=" in warnings[0]


def test_book_questions_reads_the_attribute_only():
    pages, duplicates = ext.book_questions({
        "p": f'<p {dom.QUESTION_ATTRIBUTE}="q1"></p><p data-bp-quiz="q2"></p>',
        "r": "<p>nothing</p>"})
    assert pages == {"p": ["q1"]} and duplicates == {}


def test_the_questions_script_is_a_page_script_after_bp_dom():
    order = list(ext.PAGE_SCRIPTS)
    assert order.index(ext.DOM_SCRIPT) < order.index(ext.QUESTIONS_SCRIPT) \
        < order.index("bp-progress.js")
    text = (ext.STATIC_DIR / "bp-progress.js").read_text(encoding="utf-8")
    assert "window.bpQuestions" in text and "window.bpDom" in text


def test_setup_collects_the_questions_before_pages_are_written():
    connected = []
    app = SimpleNamespace(set_html_assets_policy=lambda policy: None,
                          connect=lambda event, fn: connected.append((event, fn)))
    ext.setup(app)
    assert ("env-updated", ext._collect_questions) in connected
