"""The static quizzes in a real browser: headless Debian chromium driven by Playwright.

A standalone page holding two quizzes (numeric and multiple choice), exactly as
``_repr_html_`` renders them, is served on 127.0.0.1; every request to any other host is
blocked and recorded.  The quizzes are answered by keyboard and by mouse, and the feedback
text is read back.  No console error may appear.

Skipped with a message when chromium is missing, unless the CI environment variable is set,
in which case a missing browser is a failure (the ``browser`` fixture of ``conftest.py``).
"""
from __future__ import annotations

import functools
import http.server
import threading
from urllib.parse import urlparse

import pytest

from bpcore import dom, exercises, quiz

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Quiz page</title>
<link rel="icon" href="data:,"></head>
<body><main><h1>Two quizzes</h1>{body}<div id="late"></div></main></body></html>
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A directory served on 127.0.0.1; yields (folder, base URL)."""
    folder = tmp_path_factory.mktemp("quizsite")
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def page(browser):
    """A fresh page whose non-127.0.0.1 requests are blocked; collects console errors."""
    context = browser.new_context()
    blocked, errors = [], []

    def route(r):
        if urlparse(r.request.url).hostname == "127.0.0.1":
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.blocked, pg.errors = blocked, errors
    yield pg
    context.close()


def _numeric_quiz():
    return exercises.get("ch4-bp1-delta").quiz("What is δ²₁, the first entry of δ²?",
                                               index=(0, 0),
                                               explanation="BP1: δ² = (a² − y) ⊙ σ′(z²).")


def _choice_quiz():
    return quiz.multiple_choice(
        "BP1 multiplies ∂C/∂a by which factor?", ["σ′(z)", "σ′(a)", "σ(z)"], correct="σ′(z)",
        hints={"σ′(a)": "σ′ is evaluated at the pre-activation z, not at a."},
        explanation="δᴸ = ∂C/∂aᴸ ⊙ σ′(zᴸ).")


def _serve(site, name, body):
    folder, base = site
    (folder / name).write_text(PAGE.format(body=body), encoding="utf-8")
    return f"{base}/{name}"


def _feedback(quiz_root):
    return quiz_root.locator(f".{dom.QUIZ_FEEDBACK}").inner_text().strip()


def test_two_quizzes_answered_by_keyboard_and_by_click(site, page):
    url = _serve(site, "two.html", _numeric_quiz()._repr_html_() + _choice_quiz()._repr_html_())
    page.goto(url)
    quizzes = page.locator(f".{dom.QUIZ}")
    assert quizzes.count() == 2
    numeric_root, choice_root = quizzes.nth(0), quizzes.nth(1)
    assert page.locator(f".{dom.QUIZ_NOJS}:visible").count() == 0

    ref = float(exercises.reference("ch4-bp1-delta")[0, 0])
    missing = exercises.mistakes("ch4-bp1-delta")["missing σ′"]
    wrong_value = float(exercises.wrong_answers("ch4-bp1-delta")["missing σ′"][1][0, 0])

    # Numeric quiz, by keyboard only: Tab reaches the input first; type, press Enter.
    page.keyboard.press("Tab")
    box = numeric_root.get_by_label("Your answer")
    assert box.evaluate("el => el === document.activeElement")
    page.keyboard.type(f"{wrong_value:.4f}")
    page.keyboard.press("Enter")
    assert _feedback(numeric_root) == f"✗ Not yet. {missing}"
    box.fill("")
    page.keyboard.type("not a number")
    page.keyboard.press("Enter")
    assert _feedback(numeric_root).startswith("Type a number first")
    box.fill(f"\u2212{ref:.4f}")  # a Unicode minus: the sign mistake
    page.keyboard.press("Enter")
    assert _feedback(numeric_root) == (
        "✗ Not yet. " + exercises.mistakes("ch4-bp1-delta")["sign flipped"])
    box.fill(f"{ref:.4f}")
    page.keyboard.press("Tab")  # to the Check button, then Enter
    page.keyboard.press("Enter")
    assert _feedback(numeric_root) == "✓ Correct. BP1: δ² = (a² − y) ⊙ σ′(z²)."
    assert dom.QUIZ_OK in numeric_root.locator(f".{dom.QUIZ_FEEDBACK}").get_attribute("class")

    # Multiple choice, by click: a wrong option gets its own hint.
    choice_root.get_by_label("σ′(a)").click()
    choice_root.get_by_role("button", name="Check").click()
    assert _feedback(choice_root) == "✗ Not yet. σ′ is evaluated at the pre-activation z, not at a."
    choice_root.get_by_label("σ(z)").click()
    choice_root.get_by_role("button", name="Check").click()
    assert _feedback(choice_root).startswith("✗ Not yet. Not that one")
    # ... then by keyboard: arrow keys move the selection, Enter checks it.
    choice_root.get_by_label("σ(z)").focus()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert choice_root.get_by_label("σ′(z)").is_checked()
    page.keyboard.press("Enter")
    assert _feedback(choice_root) == "✓ Correct. δᴸ = ∂C/∂aᴸ ⊙ σ′(zᴸ)."

    # The first quiz's feedback was not touched by the second.
    assert _feedback(numeric_root).startswith("✓ Correct")
    assert page.locator("[aria-live=polite]").count() == 2
    assert page.blocked == []
    assert page.errors == []


def test_a_quiz_shown_twice_and_one_inserted_with_innerhtml_work(site, page):
    q = _choice_quiz()
    url = _serve(site, "twice.html", q._repr_html_() + q._repr_html_())
    page.goto(url)
    first, second = page.locator(f".{dom.QUIZ}").nth(0), page.locator(f".{dom.QUIZ}").nth(1)
    first.get_by_label("σ′(z)").check()
    second.get_by_label("σ′(a)").check()
    assert first.get_by_label("σ′(z)").is_checked()  # separate radio groups
    first.get_by_role("button", name="Check").click()
    second.get_by_role("button", name="Check").click()
    assert _feedback(first).startswith("✓ Correct")
    assert _feedback(second).startswith("✗ Not yet")

    # innerHTML does not run the inserted script; the page's delegated handler still works.
    page.evaluate("html => { document.getElementById('late').innerHTML = html; }",
                  _numeric_quiz()._repr_html_())
    late = page.locator(f"#late .{dom.QUIZ}")
    late.get_by_label("Your answer").fill("3/4")
    late.get_by_role("button", name="Check").click()
    assert _feedback(late) == "✗ Not yet. Check your working and try again."
    assert page.errors == [] and page.blocked == []


def test_without_any_script_the_quiz_says_it_needs_javascript(site, page):
    url = _serve(site, "empty.html", "")
    page.goto(url)
    page.evaluate("html => { document.getElementById('late').innerHTML = html; }",
                  _numeric_quiz()._repr_html_())
    note = page.locator(f"#late .{dom.QUIZ_NOJS}")
    assert note.is_visible()
    assert "needs JavaScript" in note.inner_text()
    page.locator(f"#late .{dom.QUIZ_CHECK}").click()
    assert _feedback(page.locator(f"#late .{dom.QUIZ}")) == ""
    assert page.url == url  # nothing navigated or reloaded
    assert page.errors == [] and page.blocked == []
