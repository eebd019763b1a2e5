"""Accessibility of the built book: axe-core on every page, in light and dark mode.

Run after building the book::

    jupyter-book build . -W -n --keep-going
    python -m pytest tests/browser/test_accessibility.py -q

Every content page of ``_build/html`` is opened offline (the ``open_page``
fixture of ``conftest.py``), its widgets are left to render and MathJax to
typeset, and then, once with the theme's light colours and once with its dark
ones (``<html data-theme="dark">``, what the theme's own switch sets):

* axe-core (``vendor/axe-core/axe.min.js``, injected by this test only; no book
  page loads it) runs the WCAG 2.0 and 2.1 level A and AA rules
  (tags ``wcag2a``, ``wcag2aa``, ``wcag21a``, ``wcag21aa``). A violation of
  impact ``serious`` or ``critical`` fails the test; ``moderate`` and ``minor``
  ones are listed in the report only.
* headings go down one level at a time (h1, then h2, then h3; never h1 to h3),
  starting from the page's single h1. axe's own ``heading-order`` rule is a
  best practice, not a WCAG rule, so it is checked here directly;
* every image in the page's content has a real text alternative: an ``alt``
  that is not empty, not a file name (Sphinx writes the image's path when a
  figure has no alt text) and not just "image".

Dark mode is checked twice over: the page background must really turn dark
(else the second axe run would test the light page again), then axe runs
again, which catches text whose colour was chosen for a light background.

Findings whose fix lies outside the test's reach (the theme, myst-nb, bpcore)
are listed in ``KNOWN_ISSUES`` with where the fix belongs. While one lasts it
is reported as a warning, not a failure; anything else serious fails. Once a
known issue no longer shows on any page, ``test_known_issues_still_occur``
fails, so the entry gets deleted and the check is strict again.

What every page produced, including the moderate and minor findings, is written
to ``_build/axe_report.json`` (one entry per page and mode).
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest
from _pagejs import ALL_WIDGETS_RENDERED, MATHJAX_IDLE, VIEW_SELECTOR, WIDGET_TIMEOUT_MS

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "vendor" / "axe-core" / "axe.min.js"
REPORT_PATH = ROOT / "_build" / "axe_report.json"

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")

# The page's own content (not the navigation sidebars, header and footer).
CONTENT = "main#main-content article"



# axe.min.js is a UMD bundle: on a page with RequireJS (every page with
# widgets) it would call define() anonymously, which RequireJS reports as
# "Mismatched anonymous define() module". Evaluating it with define, module and
# exports shadowed makes it take its plain-browser path (window.axe).
INJECT_AXE = """
(source) => {
  if (!window.axe) {
    (new Function('define', 'module', 'exports', source))(undefined, undefined, undefined);
  }
  return typeof window.axe === 'object' && window.axe.version;
}
"""

RUN_AXE = """
async (tags) => {
  const result = await window.axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({
      target: n.target.join(' '),
      html: n.html.slice(0, 200),
      summary: (n.failureSummary || '').slice(0, 300),
    })),
  }));
}
"""

SET_DARK = """
() => {
  document.documentElement.dataset.theme = 'dark';
  document.documentElement.dataset.mode = 'dark';
}
"""

# Resolves once the colour transitions that switching the theme started have run to the
# end: axe must not read a colour halfway between light and dark (a CI run under load
# once caught the search button's text mid-transition).  Animations that loop forever are
# not transitions, so they are not waited for.
TRANSITIONS_DONE = """
async () => {
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const running = document.getAnimations().filter((a) => a instanceof CSSTransition);
  await Promise.all(running.map((a) => a.finished.catch(() => null)));
  return running.length;
}
"""

# Relative luminance (WCAG 2) of the colour that is really behind the text.
BACKGROUND_LUMINANCE = """
() => {
  const lin = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  let el = document.querySelector('%s') || document.body;
  while (el) {
    const bg = getComputedStyle(el).backgroundColor;
    const m = bg.match(/rgba?\\(([\\d.]+), ([\\d.]+), ([\\d.]+)(?:, ([\\d.]+))?\\)/);
    if (m && (m[4] === undefined || parseFloat(m[4]) > 0.5)) {
      return 0.2126 * lin(+m[1]) + 0.7152 * lin(+m[2]) + 0.0722 * lin(+m[3]);
    }
    el = el.parentElement;
  }
  return 1.0;  // nothing painted: the canvas is white
}
""" % CONTENT

HEADINGS = """
(scope) => Array.from(document.querySelectorAll(scope + ' :is(h1, h2, h3, h4, h5, h6)'))
  .map((h) => ({level: parseInt(h.tagName[1]), text: h.textContent.trim().slice(0, 80)}))
"""

IMAGES = """
(scope) => Array.from(document.querySelectorAll(scope + ' img')).map((img) => {
  const section = img.closest('section[id]');
  const classes = Array.from(img.classList).filter((c) => c.startsWith('bp-'));
  return {
    element: 'img' + classes.map((c) => '.' + c).join('') + ' in #' + (section ? section.id : '?'),
    src: (img.getAttribute('src') || '').slice(0, 120),
    alt: img.getAttribute('alt'),
    hidden: img.closest('[aria-hidden="true"]') !== null || img.getAttribute('role') === 'presentation',
  };
})
"""

# An alt text that is no description: empty, a file name or path, or a placeholder.
NOT_A_DESCRIPTION = re.compile(
    r"^\s*$|\.(png|jpe?g|gif|svg|webp)\s*$|^\.{0,2}/|^_images/|^(image|figure|picture|img)\s*\d*$",
    re.IGNORECASE,
)



@dataclass(frozen=True)
class KnownIssue:
    """A serious finding that is not this test's to fix: ``rule`` (an axe rule id or
    one of this test's ``bp-*`` checks) on the elements whose selector or markup
    matches ``element`` (a regex)."""

    rule: str
    element: str
    what: str
    fix: str

    def matches(self, rule: str, element: str) -> bool:
        return rule == self.rule and re.search(self.element, element) is not None


# Findings let through as warnings, each with where its fix belongs; empty now that the
# theme and myst-nb labels are mended in _ext/bpbook_html.py and every stepper picture
# gets alt text. A new entry must name its owner and fix.
KNOWN_ISSUES: tuple = ()

_REPORT: dict[str, dict] = {}
_SEEN_KNOWN: set[KnownIssue] = set()


@pytest.fixture(scope="module", autouse=True)
def write_report():
    """Write what every page produced to _build/axe_report.json at the end."""
    yield
    if _REPORT:
        REPORT_PATH.parent.mkdir(parents=True, exist_ok=True)
        REPORT_PATH.write_text(json.dumps(_REPORT, indent=1, sort_keys=True), encoding="utf-8")


@pytest.fixture(scope="module")
def axe_source(skip_or_fail) -> str:
    if not AXE_JS.is_file():
        skip_or_fail(f"{AXE_JS} is missing; run `bash vendor/refresh.sh`")
    return AXE_JS.read_text(encoding="utf-8")


def heading_problems(headings: list[dict]) -> list[str]:
    """Skipped heading levels, a missing or second h1, in document order.

    >>> heading_problems([{"level": 1, "text": "A"}, {"level": 2, "text": "B"},
    ...                   {"level": 3, "text": "C"}, {"level": 2, "text": "D"}])
    []
    >>> heading_problems([{"level": 1, "text": "A"}, {"level": 3, "text": "B"}])
    ['h1 "A" is followed by h3 "B": level h2 skipped']
    >>> heading_problems([{"level": 2, "text": "A"}])
    ['the page has no h1 (first heading: h2 "A")', 'the page starts at h2 "A", not at h1']
    """
    problems = []
    h1s = [h for h in headings if h["level"] == 1]
    if not h1s:
        first = f'h{headings[0]["level"]} "{headings[0]["text"]}"' if headings else "none"
        problems.append(f"the page has no h1 (first heading: {first})")
    elif len(h1s) > 1:
        problems.append(f"the page has {len(h1s)} h1 headings: {[h['text'] for h in h1s]}")
    previous = None
    for h in headings:
        if previous is None:
            if h["level"] != 1:
                problems.append(f'the page starts at h{h["level"]} "{h["text"]}", not at h1')
        elif h["level"] > previous["level"] + 1:
            problems.append(
                f'h{previous["level"]} "{previous["text"]}" is followed by '
                f'h{h["level"]} "{h["text"]}": level h{previous["level"] + 1} skipped'
            )
        previous = h
    return problems


def image_problems(images: list[dict]) -> list[tuple[str, str]]:
    """(element, problem) for each image in the content whose alt text describes nothing.

    >>> image_problems([{"element": "img in #a", "src": "a.png",
    ...                  "alt": "A curve rising from 0 to 1", "hidden": False}])
    []
    >>> image_problems([
    ...     {"element": "img in #a", "src": "a.png", "alt": "../_images/a.png", "hidden": False},
    ...     {"element": "img in #b", "src": "b.png", "alt": None, "hidden": False},
    ...     {"element": "img in #c", "src": "c.png", "alt": "", "hidden": False},
    ...     {"element": "img in #d", "src": "d.png", "alt": "", "hidden": True}])
    ... # doctest: +NORMALIZE_WHITESPACE
    [('img in #a', "a.png: alt '../_images/a.png' is a file name or placeholder"),
     ('img in #b', 'b.png: no alt attribute'),
     ('img in #c', 'c.png: empty alt, which marks a picture as decorative')]
    """
    problems = []
    for img in images:
        if img["hidden"]:
            continue
        src = img["src"] if not img["src"].startswith("data:") else img["src"][:30] + "..."
        if img["alt"] is None:
            problems.append((img["element"], f"{src}: no alt attribute"))
        elif not img["alt"].strip():
            problems.append((img["element"], f"{src}: empty alt, which marks a picture as decorative"))
        elif NOT_A_DESCRIPTION.search(img["alt"]):
            problems.append((img["element"], f'{src}: alt {img["alt"]!r} is a file name or placeholder'))
    return problems


def serious_violations(violations: list[dict]) -> list[tuple[str, str, str]]:
    """(rule, element, line) for each element of a serious or critical axe violation.

    >>> serious_violations([{"id": "image-alt", "impact": "critical", "help": "Alt text",
    ...                      "nodes": [{"target": "img.x", "html": "<img class=x>"}]},
    ...                     {"id": "region", "impact": "moderate", "help": "Landmarks",
    ...                      "nodes": [{"target": "div", "html": "<div>"}]}])
    [('image-alt', 'img.x <img class=x>', 'image-alt [critical] Alt text: img.x')]
    """
    return [
        (v["id"], f'{n["target"]} {n["html"]}', f'{v["id"]} [{v["impact"]}] {v["help"]}: {n["target"]}')
        for v in violations
        if v["impact"] in BLOCKING_IMPACTS
        for n in v["nodes"]
    ]


def known_issue(rule: str, element: str) -> KnownIssue | None:
    """The KNOWN_ISSUES entry that covers this finding, if any.

    >>> known_issue("color-contrast", '.theme-switch-button <button>') is None
    True
    """
    return next((k for k in KNOWN_ISSUES if k.matches(rule, element)), None)


def _settle(page) -> None:
    if page.locator(VIEW_SELECTOR).count():
        page.wait_for_function(ALL_WIDGETS_RENDERED, timeout=WIDGET_TIMEOUT_MS)
    page.evaluate(MATHJAX_IDLE)


def test_page_is_accessible(page_path, open_page, axe_source, html_dir, skip_or_fail):
    if page_path is None:
        skip_or_fail(f"no built pages in {html_dir}; run `jupyter-book build .` first")
    page, report = open_page(page_path)
    _settle(page)
    version = page.evaluate(INJECT_AXE, axe_source)
    assert version, f"{page_path}: axe-core did not load"

    findings: list[tuple[str, str, str]] = []  # (rule, element, line)
    entry: dict[str, object] = {"axe_version": version}

    headings = page.evaluate(HEADINGS, CONTENT)
    entry["headings"] = [f'h{h["level"]} {h["text"]}' for h in headings]
    findings += [("bp-heading-order", p, f"headings: {p}") for p in heading_problems(headings)]

    images = page.evaluate(IMAGES, CONTENT)
    entry["images"] = len(images)
    findings += [("bp-image-alt", f"{el} {p}", f"images: {el}: {p}") for el, p in image_problems(images)]

    for mode in ("light", "dark"):
        if mode == "dark":
            page.evaluate(SET_DARK)
            page.evaluate(TRANSITIONS_DONE)  # let the theme's colour transitions finish
            luminance = page.evaluate(BACKGROUND_LUMINANCE)
            assert luminance < 0.1, (
                f"{page_path}: data-theme=dark left the content background light "
                f"(relative luminance {luminance:.2f})"
            )
        violations = page.evaluate(RUN_AXE, WCAG_TAGS)
        entry[mode] = violations
        findings += [(rule, el, f"axe, {mode} mode: {line}")
                     for rule, el, line in serious_violations(violations)]

    failures, known = [], {}
    for rule, element, line in findings:
        issue = known_issue(rule, element)
        if issue is None:
            failures.append(line)
        else:
            _SEEN_KNOWN.add(issue)
            known.setdefault(issue, []).append(line)
    entry["known_issues"] = [line for lines in known.values() for line in lines]
    _REPORT[page_path] = entry
    if known:  # one warning per page, so the summary stays readable
        warnings.warn(
            f"{page_path}: known accessibility issues (see KNOWN_ISSUES): "
            + "; ".join(f"{k.rule} x{len(lines)} ({k.what.split(':')[0]})" for k, lines in known.items()),
            UserWarning, stacklevel=1,
        )

    assert not report.problems(), f"{page_path}: {report.problems()}"
    assert not failures, f"{page_path}:\n  " + "\n  ".join(dict.fromkeys(failures))


def test_known_issues_still_occur(pages, skip_or_fail):
    """Every KNOWN_ISSUES entry was seen on some page: a fixed issue must leave the list."""
    if not pages:
        skip_or_fail("no built pages; run `jupyter-book build .` first")
    unchecked = sorted(set(pages) - set(_REPORT))
    if unchecked:
        pytest.skip(f"only meaningful after every page was checked; not checked: {unchecked}")
    gone = [k for k in KNOWN_ISSUES if k not in _SEEN_KNOWN]
    assert not gone, (
        "these known issues no longer occur on any page; delete them from KNOWN_ISSUES: "
        + "; ".join(f"{k.rule} on {k.element}" for k in gone)
    )
