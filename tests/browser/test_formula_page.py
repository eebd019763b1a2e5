"""Formula questions on the built book's pages, in headless Debian chromium, offline.

For every page that holds a formula question (``data-bp-formula``):

* each question's reference formula (the catalog's ``solution``) is accepted, typed and
  checked by keyboard, and its preview is typeset by MathJax;
* each catalogued mistake, typed as the catalog writes it, gets that mistake's own hint;
* every kind of bad input gets its message: an empty box, a syntax error (with where), an
  unknown symbol (with the list), a result of the wrong shape (expected and got), NaN,
  infinity, a huge power, a disabled function, an unknown function, a product without ``*``;
* nothing logs a console error, nothing fails to load, no request leaves the machine, and
  the page's HTML stays under 2 MB;
* mathjs is loaded by exactly the pages that have a question.

Also, for every content page at a phone's width (390 px): no display equation, in the text
or in a widget, reaches past the edge of the screen; an equation too wide for the column
scrolls inside its own box (the theme's rule for the chapters' math, and bp-widgets.css's for
widgets).  Screenshots of two narrow pages go to the screenshot folder.

Build the book first (``jupyter-book build .``, or set ``BP_HTML_DIR``; see conftest.py).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from _pagejs import ALL_WIDGETS_RENDERED, MATHJAX_IDLE, VIEW_SELECTOR, WIDGET_TIMEOUT_MS
from conftest import HTML_DIR, book_pages

from bpcore import dom, exercises, formula

MAX_PAGE_BYTES = 2 * 1024 * 1024
PHONE = {"width": 390, "height": 844}
MATHJS = "vendor/mathjs/math.js"


def formula_pages() -> list[str]:
    return [p for p in book_pages()
            if f'{dom.FORMULA_ATTRIBUTE}="' in (HTML_DIR / p).read_text(encoding="utf-8")]


FORMULA_PAGES = formula_pages()


def _feedback(root) -> str:
    return root.locator(f".{dom.FORMULA_FEEDBACK}").inner_text().strip()


def _answer(root, text: str, by_keyboard: bool = False) -> str:
    box = root.locator(f".{dom.FORMULA_INPUT}")
    box.fill(text)
    if by_keyboard:
        box.press("Enter")
    else:
        root.get_by_role("button", name="Check").click()
    return _feedback(root)


def bad_inputs(spec: dict) -> list[tuple[str, str, str]]:
    """(kind, what to type, what the message must contain) for one question."""
    first = spec["datasets"][0]
    symbols = [s["name"] for s in spec["symbols"]]
    out = [
        ("empty box", "", "Type a formula first, in the symbols " + ", ".join(symbols)),
        ("syntax error", f"({symbols[0]} +", "Syntax error at character"),
        ("unknown symbol", "qq + 1", "Unknown symbol qq. The symbols of this question are "
         + ", ".join(symbols)),
        ("NaN", "0/0", "gives NaN"),
        ("infinity", "1/0", "gives an infinite value"),
        ("huge power", "2^100", "is too large: the exponent is 100"),
        ("disabled function", 'evaluate("1 + 1")', "evaluate(...) is disabled"),
        ("import", "import(1)", "import(...) is disabled"),
        ("unknown function", "foo(1)", "Unknown function foo(...)"),
        ("product without *", f"2 {symbols[0]}", "Write every product with * (matrix product) "
         "or .* (entry by entry)"),
    ]
    answer = first["answer"]
    if isinstance(answer, list):
        shape = f"shape ({len(answer)}, {len(answer[0])})"
        out.append(("wrong shape", "1", f"Your formula gives a single number on {first['label']}, "
                    f"but {spec['quantity']} has {shape}."))
    else:
        arrays = [n for n in symbols if isinstance(first["values"][n], list)]
        if arrays:
            v = first["values"][arrays[0]]
            out.append(("wrong shape", arrays[0], f"Your formula gives shape ({len(v)}, "
                        f"{len(v[0])}) on {first['label']}, but {spec['quantity']} has a single "
                        "number."))
    return out


def test_the_book_has_formula_questions_on_every_numbered_chapter(html_dir):
    chapters = {int(Path(p).name[:2]) for p in FORMULA_PAGES if Path(p).name[:2].isdigit()}
    numbered = {int(p.name[:2]) for p in
                (Path(__file__).parents[2] / "chapters").glob("[0-9][0-9]_*.ipynb")}
    assert numbered <= chapters, sorted(numbered - chapters)


def test_mathjs_is_loaded_by_exactly_the_pages_with_a_question(html_dir):
    for page in book_pages():
        text = (html_dir / page).read_text(encoding="utf-8")
        has_question = f'{dom.FORMULA_ATTRIBUTE}="' in text
        assert (MATHJS in text) == has_question, page
        if has_question and "require.js" in text:     # before RequireJS defines `define`
            assert text.index(MATHJS) < text.index("require.js"), page


@pytest.mark.parametrize("formula_page", FORMULA_PAGES or [None],
                         ids=FORMULA_PAGES or ["no-build"])
def test_every_formula_question_on_the_page(formula_page, html_dir, open_page):
    if formula_page is None:
        pytest.skip("no built page holds a formula question")
    size = (html_dir / formula_page).stat().st_size
    assert size <= MAX_PAGE_BYTES, f"{formula_page} is {size / 1e6:.2f} MB"
    page, report = open_page(formula_page)
    page.evaluate(MATHJAX_IDLE)
    roots = page.locator(f".{dom.FORMULA}")
    assert roots.count() >= 1
    checked = 0
    for i in range(roots.count()):
        root = roots.nth(i)
        rid = root.get_attribute("id")
        exercise_id = rid[len(dom.FORMULA) + 1:]
        ex = exercises.get(exercise_id)
        spec = formula.page_spec(ex)
        root.scroll_into_view_if_needed()
        assert root.get_attribute(dom.READY_ATTRIBUTE) == ""
        assert root.locator("input").count() == 1
        assert root.get_by_role("button", name="Check").count() == 1
        assert root.locator("[aria-live=polite][role=status]").count() == 1
        assert not root.locator(f".{dom.FORMULA_NOJS}").is_visible()

        # The reference, typed and checked by keyboard, with its typeset preview.
        verdict = _answer(root, ex.formula.solution, by_keyboard=True)
        assert verdict.startswith("✓ Correct."), (exercise_id, verdict)
        assert root.get_attribute(dom.RESULT_ATTRIBUTE) == "correct"
        assert dom.FORMULA_OK in root.locator(f".{dom.FORMULA_FEEDBACK}").get_attribute("class")
        preview = root.locator(f".{dom.FORMULA_PREVIEW} mjx-container")
        preview.first.wait_for(state="visible", timeout=15_000)
        assert root.locator(f".{dom.FORMULA_PREVIEW}").inner_text().startswith("Preview:")

        # Each catalogued mistake gets its own hint.
        for name, text in ex.formula.mistakes.items():
            got = _answer(root, text)
            assert got == "✗ Not yet. " + ex.mistakes()[name], (exercise_id, name, got)
            assert root.get_attribute(dom.RESULT_ATTRIBUTE) == "wrong"

        # Every kind of bad input gets its message.
        for kind, text, expected in bad_inputs(spec):
            got = _answer(root, text)
            assert expected in got, (exercise_id, kind, text, got)
        root.locator(f".{dom.FORMULA_INPUT}").fill(f"({spec['symbols'][0]['name']} +")
        page.wait_for_function(
            "el => el.textContent.startsWith('Preview: not a formula yet')",
            arg=root.locator(f".{dom.FORMULA_PREVIEW}").element_handle(), timeout=5_000)
        checked += 1
    assert checked == roots.count()
    assert report.problems() == {}, report.problems()


# --------------------------------------------------------------------------------------
# A phone's width: display math stays on the screen.

# Every display equation (Sphinx's math blocks and widgets' $$...$$) whose box reaches past
# the viewport (what is inside a box that scrolls stays inside it).
MATH_OVERFLOW = """
() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  document.querySelectorAll('mjx-container[display="true"]').forEach((el) => {
    if (!el.getClientRects().length) { return; }            // folded away
    const r = el.getBoundingClientRect();
    if (r.left < -1 || r.right > width + 1) {
      out.push({text: (el.textContent || '').slice(0, 60), left: r.left, right: r.right,
                inWidget: !!el.closest('.jupyter-widgets')});
    }
  });
  return {width: width, overflowing: out};
}
"""

SCREENSHOT_PAGES = ("04_output_delta", "10_matrix_view")


@pytest.fixture
def open_narrow(open_page):
    """open_narrow(path) -> (page, report): a page at 390 px, offline."""
    return lambda path: open_page(path, viewport=PHONE)


def test_display_math_fits_a_phone_screen(page_path, open_narrow, screenshot_dir):
    if page_path is None:
        pytest.skip("no built book")
    page, report = open_narrow(page_path)
    if page.locator(VIEW_SELECTOR).count():
        page.wait_for_function(ALL_WIDGETS_RENDERED, timeout=WIDGET_TIMEOUT_MS)
    page.evaluate(MATHJAX_IDLE)
    page.wait_for_timeout(300)
    found = page.evaluate(MATH_OVERFLOW)
    if any(name in page_path for name in SCREENSHOT_PAGES):
        page.screenshot(path=str(screenshot_dir / f"phone-{Path(page_path).stem}.png"),
                        full_page=False)
    assert found["overflowing"] == [], (page_path, found)
    assert report.problems() == {}, report.problems()
