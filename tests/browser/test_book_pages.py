"""Browser test of the built book: every page works offline, widgets included.

Run after building the book::

    jupyter-book build . -W -n --keep-going
    python -m pytest tests/browser -q

For every content page of ``_build/html`` (genindex/search skipped) the page is
opened in Debian's chromium with every non-local request blocked, and:

* no request left the machine, none failed (``requestfailed`` or HTTP >= 400),
  the console logged no error and no exception went uncaught;
* every embedded widget (``<script type="application/vnd.jupyter.widget-view+json">``)
  rendered into a ``.widget-subarea`` holding a ``.jupyter-widgets`` element,
  with no ``Loading widget...`` text and no widget error box left;
* no raw TeX (``$``, ``\\frac``, ``\\delta``, ``\\(`` ...) is visible in the
  rendered widgets' text, i.e. MathJax typeset the widgets' math;
* every visible widget control has an accessible name;
* every stepper steps: Next moves to the next step and Previous comes back,
  the slider moves (keyboard and mouse) and changes the visible step.

The class names the steppers carry come from ``bpcore.dom``; what each one does is in
``docs/page-contract.md``.

Pages with widgets are screenshotted into ``_build/screenshots/`` for review.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _pagejs import ALL_WIDGETS_RENDERED, MATHJAX_IDLE, VIEW_SELECTOR, WIDGET_TIMEOUT_MS
from playwright.sync_api import expect

from bpcore import dom

MAX_PAGE_BYTES = 2 * 1024 * 1024
MATH_TIMEOUT_MS = 20_000
STEP_TIMEOUT_MS = 10_000


# Raw TeX that MathJax should have replaced: a dollar, a TeX control word
# (\frac, \delta, ...) or the \( \) \[ \] delimiters.
RAW_TEX = re.compile(r"\$|\\[A-Za-z]+|\\[()\[\]]")



WIDGET_TEXTS = """
() => Array.from(document.querySelectorAll('.widget-subarea')).map((a) => a.innerText)
"""

NO_RAW_TEX_IN_WIDGETS = """
(pattern) => {
  const re = new RegExp(pattern);
  return Array.from(document.querySelectorAll('.widget-subarea'))
    .every((a) => !re.test(a.innerText));
}
"""

# The current step of a stepper: slider index + the visible steps' text.
STEP_STATE = """
(root) => {
  const own = (sel) => Array.from(root.querySelectorAll(sel))
    .filter((el) => el.closest('.%(STEPPER)s') === root);
  const slider = own('.%(STEP_SLIDER)s')[0] || own('.widget-hslider')[0];
  const handle = slider && slider.querySelector('.noUi-handle');
  const shown = own('.%(STEP)s').filter((el) => el.getClientRects().length > 0);
  const text = (shown.length ? shown : [root]).map((el) => el.innerText.trim()).join('\\n');
  return {
    index: handle ? parseFloat(handle.getAttribute('aria-valuenow')) : null,
    min: handle ? parseFloat(handle.getAttribute('aria-valuemin')) : null,
    max: handle ? parseFloat(handle.getAttribute('aria-valuemax')) : null,
    text: text,
  };
}
""" % vars(dom)


def _widget_state_blocks(html: str) -> list[str]:
    return re.findall(
        r'<script type="application/vnd\.jupyter\.widget-state\+json">(.*?)</script>', html, re.S
    )


def test_html_documents_within_size_budget(html_dir):
    documents = sorted(html_dir.rglob("*.html"))
    too_big = {
        p.relative_to(html_dir).as_posix(): p.stat().st_size
        for p in documents
        if p.stat().st_size > MAX_PAGE_BYTES
    }
    assert not too_big, f"HTML documents over {MAX_PAGE_BYTES} bytes: {too_big}"


def test_book_has_a_stepper(html_dir, pages):
    """At least one page embeds a stepper, so the stepper checks below run."""
    found = [
        p
        for p in pages
        if any(f'"{dom.STEPPER}"' in block for block in _widget_state_blocks(
            (html_dir / p).read_text(encoding="utf-8")))
    ]
    assert found, f"no page embeds a widget with the class {dom.STEPPER}"


def _visible_controls(page):
    controls = page.locator(
        ".widget-subarea :is(button, input, select, textarea, [role=slider], "
        "[role=textbox], [contenteditable=true])"
    )
    return [controls.nth(i) for i in range(controls.count()) if controls.nth(i).is_visible()]


def _wait_math(page, what: str) -> None:
    page.evaluate(MATHJAX_IDLE)
    try:
        page.wait_for_function(NO_RAW_TEX_IN_WIDGETS, arg=RAW_TEX.pattern, timeout=MATH_TIMEOUT_MS)
    except Exception:  # noqa: BLE001 - report what is left instead
        leftovers = [t for t in page.evaluate(WIDGET_TEXTS) if RAW_TEX.search(t)]
        pytest.fail(f"raw TeX visible in widgets {what}: {leftovers!r}")


def _wait_step(page, stepper, index: float, text: str | None = None, changed_from: str | None = None):
    """Wait until the stepper shows `index` (and `text`, or a text other than `changed_from`)."""
    deadline_ms = STEP_TIMEOUT_MS
    step = 100
    state = None
    for _ in range(deadline_ms // step):
        state = stepper.evaluate(STEP_STATE)
        ok = state["index"] == index
        if text is not None:
            ok = ok and state["text"] == text
        if changed_from is not None:
            ok = ok and state["text"] != changed_from
        if ok:
            return state
        page.wait_for_timeout(step)
    pytest.fail(
        f"stepper did not reach step index {index} "
        f"(text {'=' if text is not None else '!='} expected); last state: {state!r}"
    )


def _exercise_stepper(page, stepper, label: str, shot: Path) -> None:
    stepper.scroll_into_view_if_needed()
    first = stepper.evaluate(STEP_STATE)
    assert first["index"] is not None, f"{label}: no .{dom.STEP_SLIDER} slider found"
    assert first["max"] > first["min"], f"{label}: a stepper needs at least two steps"
    start, text0 = first["index"], first["text"]
    nxt = stepper.locator(f".{dom.NEXT}").first
    prev = stepper.locator(f".{dom.PREV}").first
    assert nxt.count() and prev.count(), f"{label}: needs .{dom.PREV} and .{dom.NEXT} buttons"

    # Next changes the visible step ...
    assert nxt.is_enabled(), f"{label}: Next is disabled at the first step"
    nxt.click()
    after = _wait_step(page, stepper, start + 1, changed_from=text0)
    _wait_math(page, f"after Next on {label}")
    stepper.screenshot(path=str(shot))
    # ... and Previous changes it back.
    prev.click()
    _wait_step(page, stepper, start, text=text0)
    if start == first["min"]:
        assert prev.is_disabled(), f"{label}: Previous should be disabled at the first step"

    # The slider, with the keyboard ...
    slider = stepper.locator(f".{dom.STEP_SLIDER}, .widget-hslider").first
    handle = slider.locator(".noUi-handle").first
    handle.focus()
    page.keyboard.press("ArrowRight")
    _wait_step(page, stepper, start + 1, text=after["text"])
    page.keyboard.press("ArrowLeft")
    _wait_step(page, stepper, start, text=text0)

    # ... and with the mouse: drag to the far right = last step.
    if handle.is_visible():
        track = slider.locator(".noUi-base").first
        box, hbox = track.bounding_box(), handle.bounding_box()
        page.mouse.move(hbox["x"] + hbox["width"] / 2, hbox["y"] + hbox["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] + 20, hbox["y"] + hbox["height"] / 2, steps=8)
        page.mouse.up()
        _wait_step(page, stepper, first["max"], changed_from=text0)
        _wait_math(page, f"after dragging the slider of {label}")
        assert nxt.is_disabled(), f"{label}: Next should be disabled at the last step"
        handle.focus()
        page.keyboard.press("Home")
        _wait_step(page, stepper, first["min"], text=text0 if start == first["min"] else None)


def test_page_works_offline(page_path, open_page, html_dir, screenshot_dir, skip_or_fail):
    if page_path is None:
        skip_or_fail(f"no built pages in {html_dir}; run `jupyter-book build .` first")
    page, report = open_page(page_path)
    stem = page_path.removesuffix(".html").replace("/", "__")

    n_views = page.locator(VIEW_SELECTOR).count()
    if n_views:
        try:
            page.wait_for_function(ALL_WIDGETS_RENDERED, timeout=WIDGET_TIMEOUT_MS)
        except Exception:  # noqa: BLE001
            pytest.fail(f"{page_path}: not all {n_views} widgets rendered; {report.problems()}")
        assert page.locator(".jupyter-widgets-error-widget").count() == 0, (
            f"{page_path}: a widget failed to render: "
            f"{page.locator('.jupyter-widgets-error-widget').first.inner_text()}"
        )
        assert page.get_by_text("Loading widget").count() == 0, f"{page_path}: 'Loading widget...' left"
        _wait_math(page, "after loading")

        for control in _visible_controls(page):
            expect(control).to_have_accessible_name(
                re.compile(r"\S"), timeout=2_000
            )

        # every visible stepper picture carries its description as real alt text
        for img in page.locator(f".{dom.STEP} img.{dom.FIGURE}").all():
            if img.is_visible():
                expect(img).to_have_attribute("alt", re.compile(r"\S{3}"), timeout=2_000)

        page.screenshot(path=str(screenshot_dir / f"{stem}.png"), full_page=True)

        steppers = page.locator(f".{dom.STEPPER}")
        for i in range(steppers.count()):
            _exercise_stepper(
                page, steppers.nth(i), f"{page_path} stepper #{i}",
                screenshot_dir / f"{stem}_stepper{i}_step2.png",
            )

    page.wait_for_timeout(300)  # let late console messages / requests arrive
    assert not report.problems(), f"{page_path}: {report.problems()}"
