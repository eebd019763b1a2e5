"""Progress the page remembers (``_ext/static/bp-progress.js``), in headless Debian chromium,
offline, on the built book.

* Answering a quiz and a formula question correctly raises the page's count ("k of n
  questions answered correctly") and the sidebar's badge for the chapter; a later wrong try
  does not lower it; both survive a reload, another page shows the chapter's count in its
  sidebar, and each question answered before says so.
* "Reset progress" asks for confirmation in the page (no ``confirm()`` dialog): "Keep it"
  clears nothing, "Clear progress" clears every chapter, and an aria-live message says so.
* Where storage throws (a private mode, a file:// page), the page still counts answers in
  memory, says once that it cannot store them, and logs no console error.
* axe-core finds no serious or critical violation in the box (confirmation open, a question
  answered) and the sidebar's badges, in light and dark mode.
* The question ids that the build collected (``bp-questions.js``) are those on the pages,
  each on one page only.

Build the book first (``jupyter-book build .``, or set ``BP_HTML_DIR``; see conftest.py).
Screenshots of the progress box and the sidebar go to the screenshot folder.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from _pagejs import MATHJAX_IDLE
from conftest import HTML_DIR, PageReport, book_pages

from bpcore import dom, exercises

from test_accessibility import (AXE_JS, INJECT_AXE, SET_DARK, TRANSITIONS_DONE,  # noqa: E402
                                WCAG_TAGS, serious_violations)

KEY = "bpbook-progress-v1"
PHONE = {"width": 390, "height": 844}

# Storage that throws, as in some private modes and on file:// pages in some browsers.
NO_STORAGE = """
Object.defineProperty(window, "localStorage", {
  configurable: true,
  get() { throw new DOMException("The operation is insecure.", "SecurityError"); },
});
"""
FULL_STORAGE = """
Storage.prototype.setItem = function () {
  throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
};
"""


def built_questions() -> dict[str, list[str]]:
    """window.bpQuestions of the built book: {page: [question ids]}."""
    path = HTML_DIR / "_static" / "bp-questions.js"
    if not path.is_file():
        return {}
    text = path.read_text(encoding="utf-8")
    return json.loads(re.search(r"Object\.freeze\((.*)\);", text, re.S).group(1))


def _page_with_quiz_and_formula() -> str | None:
    for page, ids in sorted(built_questions().items()):
        if any(i.startswith("formula-") for i in ids) and any(i.startswith("quiz-") for i in ids):
            return page + ".html"
    return None


PAGE = _page_with_quiz_and_formula()


@pytest.fixture
def open_book(browser, book_server):
    """open_book(path, init_script=None, viewport=None, context=None) -> (page, report):
    a page of the book, offline, in a fresh context (or ``context``), with an init script
    run before the page's own."""
    contexts = []

    def _open(path, init_script=None, viewport=None, context=None):
        if context is None:
            context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900},
                                          service_workers="block")
            contexts.append(context)
            local = urlsplit(book_server).netloc

            def route(r):
                if urlsplit(r.request.url).netloc == local:
                    r.continue_()
                else:
                    context.offsite.append(r.request.url)
                    r.abort("blockedbyclient")

            context.offsite = []
            context.route("**/*", route)
            if init_script:
                context.add_init_script(init_script)
        report = PageReport(url=book_server + path)
        page = context.new_page()
        page.on("console", lambda msg: msg.type == "error"
                and report.console_errors.append(msg.text))
        page.on("pageerror", lambda err: report.page_errors.append(str(err)))
        page.on("dialog", lambda d: report.page_errors.append(f"a {d.type} dialog: {d.message}"))
        page.goto(report.url, wait_until="load")
        page.wait_for_selector(f".{dom.PROGRESS} .{dom.PROGRESS_COUNT}")
        report.offsite = context.offsite
        return page, report

    yield _open
    for context in contexts:
        context.close()


def _count(page) -> str:
    return page.locator(f".{dom.PROGRESS_COUNT}").inner_text().strip()


def _badge(page, href: str) -> str:
    """The sidebar badge's words (for screen readers) after the link to page ``href``."""
    name = Path(href).name
    links = page.locator(f".bd-docs-nav a.reference.internal[href$='{name}'], "
                         ".bd-docs-nav a.current.reference.internal")
    for i in range(links.count()):
        link = links.nth(i)
        target = link.get_attribute("href")
        if target.endswith(name) or (target == "#" and page.url.endswith(name)):
            return link.locator(f".{dom.PROGRESS_BADGE}").text_content().strip()
    raise AssertionError(f"no sidebar link to {href}")


def _answer_quiz(page, qid: str, right: bool = True) -> str:
    """Answer the quiz with this id from its own spec (right or wrong); its feedback."""
    root = page.locator(f".{dom.QUIZ}[{dom.QUESTION_ATTRIBUTE}='{qid}']").first
    root.scroll_into_view_if_needed()
    spec = json.loads(root.get_attribute(dom.SPEC_ATTRIBUTE))
    if spec["kind"] == "numeric":
        value = spec["answer"] if right else spec["answer"] + 1000 * spec["tol"] + 1
        root.locator(f".{dom.QUIZ_INPUT}").fill(repr(value))
    else:
        radios = root.locator("input[type=radio]")
        pick = spec["correct"] if right else (spec["correct"] + 1) % radios.count()
        root.locator(f"input[type=radio][value='{pick}']").check()
    root.locator(f".{dom.QUIZ_CHECK}").click()
    return root.locator(f".{dom.QUIZ_FEEDBACK}").inner_text().strip()


def _answer_formula(page, qid: str) -> str:
    root = page.locator(f".{dom.FORMULA}[{dom.QUESTION_ATTRIBUTE}='{qid}']").first
    root.scroll_into_view_if_needed()
    solution = exercises.get(qid[len("formula-"):]).formula.solution
    root.locator(f".{dom.FORMULA_INPUT}").fill(solution)
    root.locator(f".{dom.FORMULA_CHECK}").click()
    return root.locator(f".{dom.FORMULA_FEEDBACK}").inner_text().strip()


def _ids(page_html: str) -> tuple[str, str, int]:
    ids = built_questions()[page_html[:-len(".html")]]
    quiz = next(i for i in ids if i.startswith("quiz-"))
    formula = next(i for i in ids if i.startswith("formula-"))
    return quiz, formula, len(ids)


def _skip_without_page():
    if PAGE is None:
        pytest.skip("no built page holds both a quiz and a formula question")


def test_the_build_lists_each_page_s_questions_once(html_dir):
    questions = built_questions()
    assert questions, "bp-questions.js is missing or empty"
    on_pages = {}
    for page in book_pages():
        text = (html_dir / page).read_text(encoding="utf-8")
        ids = list(dict.fromkeys(re.findall(rf'{dom.QUESTION_ATTRIBUTE}="([^"]+)"', text)))
        if ids:
            on_pages[page[:-len(".html")]] = ids
        if f'{dom.FORMULA_ATTRIBUTE}="' in text or f'{dom.SPEC_ATTRIBUTE}="' in text:
            assert ids, f"{page} has a question without an id"
    assert questions == on_pages
    every = [i for ids in questions.values() for i in ids]
    assert len(every) == len(set(every)), "a question id is on two pages"
    chapters = {int(Path(p).name[:2]) for p in questions if Path(p).name[:2].isdigit()}
    assert set(range(1, 16)) <= chapters, sorted(chapters)


def test_answers_count_survive_a_reload_and_reset(open_book, screenshot_dir):
    _skip_without_page()
    quiz, formula, n = _ids(PAGE)
    page, report = open_book(PAGE)
    page.evaluate(MATHJAX_IDLE)
    assert _count(page) == f"Your progress on this page: 0 of {n} questions answered correctly."
    assert _badge(page, PAGE) == f"0/{n} (0 of {n} questions answered correctly)"

    assert _answer_quiz(page, quiz).startswith("✓ Correct.")
    assert _count(page).endswith(f"1 of {n} questions answered correctly.")
    assert _answer_formula(page, formula).startswith("✓ Correct.")
    assert _count(page).endswith(f"2 of {n} questions answered correctly.")
    # Answered correctly once counts: a later wrong try does not undo it.
    assert _answer_quiz(page, quiz, right=False).startswith("✗ Not yet.")
    assert _count(page).endswith(f"2 of {n} questions answered correctly.")
    assert _badge(page, PAGE).endswith(f"(2 of {n} questions answered correctly)")
    stored = json.loads(page.evaluate(f"localStorage.getItem('{KEY}')"))
    assert stored["version"] == 1 and sorted(stored["correct"]) == sorted([quiz, formula])

    page.reload(wait_until="load")
    page.wait_for_selector(f".{dom.PROGRESS_COUNT}")
    assert _count(page).endswith(f"2 of {n} questions answered correctly.")
    assert _badge(page, PAGE).startswith(f"2/{n}")
    done = page.locator(f".{dom.PROGRESS_DONE}")
    assert done.count() == 2
    assert done.first.inner_text().startswith("✓ You answered this question correctly before")
    page.locator(f".{dom.PROGRESS}").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "progress-box.png"))

    # Another page of the book shows the chapter's count in its sidebar.
    other = next(p + ".html" for p in sorted(built_questions()) if p + ".html" != PAGE)
    page2, report2 = open_book(other, context=page.context)
    assert _badge(page2, PAGE).startswith(f"2/{n}")

    # Reset: confirmed in the page, not with a dialog; "Keep it" keeps everything.
    reset = page.get_by_role("button", name="Reset progress")
    reset.click()
    assert reset.get_attribute("aria-expanded") == "true"
    keep = page.get_by_role("button", name="Keep it")
    assert keep.is_visible() and page.evaluate("document.activeElement.textContent") == "Keep it"
    keep.click()
    assert page.locator(f".{dom.PROGRESS_STATUS}").inner_text() == "Nothing was cleared."
    assert _count(page).endswith(f"2 of {n} questions answered correctly.")
    reset.click()
    page.keyboard.press("Escape")
    assert not keep.is_visible()
    assert page.evaluate("document.activeElement.textContent") == "Reset progress"
    reset.click()
    page.get_by_role("button", name="Clear progress").click()
    status = page.locator(f".{dom.PROGRESS_STATUS}")
    assert status.get_attribute("aria-live") == "polite"
    assert status.inner_text().startswith("Progress cleared")
    assert _count(page).endswith(f"0 of {n} questions answered correctly.")
    assert _badge(page, PAGE).startswith(f"0/{n}")
    assert page.locator(f".{dom.PROGRESS_DONE}").count() == 0
    page.reload(wait_until="load")
    page.wait_for_selector(f".{dom.PROGRESS_COUNT}")
    assert _count(page).endswith(f"0 of {n} questions answered correctly.")
    for r in (report, report2):
        assert r.problems() == {}, r.problems()


@pytest.mark.parametrize("blocked", [NO_STORAGE, FULL_STORAGE], ids=["throws", "full"])
def test_the_page_works_where_storage_is_unavailable(blocked, open_book):
    _skip_without_page()
    quiz, formula, n = _ids(PAGE)
    page, report = open_book(PAGE, init_script=blocked)
    page.evaluate(MATHJAX_IDLE)
    status = page.locator(f".{dom.PROGRESS_STATUS}")
    assert "does not let the page store data" in status.inner_text()
    assert page.evaluate("window.bpProgress.stored()") is False
    assert _answer_quiz(page, quiz).startswith("✓ Correct.")
    assert _answer_formula(page, formula).startswith("✓ Correct.")
    assert _count(page).endswith(f"2 of {n} questions answered correctly.")
    assert _badge(page, PAGE).startswith(f"2/{n}")
    page.get_by_role("button", name="Reset progress").click()
    page.get_by_role("button", name="Clear progress").click()
    assert _count(page).endswith(f"0 of {n} questions answered correctly.")
    assert report.problems() == {}, report.problems()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_progress_at_a_phone_s_width(theme, open_book, screenshot_dir):
    _skip_without_page()
    quiz, formula, n = _ids(PAGE)
    init = f"localStorage.setItem('theme', '{theme}'); localStorage.setItem('mode', '{theme}');"
    page, report = open_book(PAGE, init_script=init, viewport=PHONE)
    assert page.evaluate("document.documentElement.dataset.theme") == theme
    assert _answer_quiz(page, quiz).startswith("✓ Correct.")
    box = page.locator(f".{dom.PROGRESS}")
    box.scroll_into_view_if_needed()
    right = box.evaluate("el => el.getBoundingClientRect().right")
    assert right <= PHONE["width"], right
    page.screenshot(path=str(screenshot_dir / f"progress-phone-{theme}.png"))
    assert report.problems() == {}, report.problems()


RUN_AXE_ON = """
async ([selectors, tags]) => {
  const result = await window.axe.run({include: selectors.map((s) => [s])}, {
    runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
  });
  return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(' '), html: n.html.slice(0, 200)}))}));
}
"""


def test_the_progress_box_and_badges_are_accessible(open_book, skip_or_fail):
    _skip_without_page()
    if not AXE_JS.is_file():
        skip_or_fail(f"{AXE_JS} is missing; run `bash vendor/refresh.sh`")
    quiz, formula, n = _ids(PAGE)
    page, report = open_book(PAGE)
    assert _answer_quiz(page, quiz).startswith("✓ Correct.")
    page.reload(wait_until="load")
    page.wait_for_selector(f".{dom.PROGRESS_DONE}")
    page.get_by_role("button", name="Reset progress").click()
    assert page.evaluate(INJECT_AXE, AXE_JS.read_text(encoding="utf-8"))
    found = []
    for mode in ("light", "dark"):
        if mode == "dark":
            page.evaluate(SET_DARK)
            page.evaluate(TRANSITIONS_DONE)
        violations = page.evaluate(RUN_AXE_ON, [[f".{dom.PROGRESS}", ".bd-docs-nav",
                                                 f".{dom.PROGRESS_DONE}"], WCAG_TAGS])
        found += [f"{mode}: {line}" for _, _, line in serious_violations(violations)]
    assert found == []
    assert report.problems() == {}, report.problems()
