"""The playground of the running example on the built book's page, in headless Debian chromium,
offline.

* Parity: for every activation of the hidden layer, every output activation and every cost
  the page offers (every valid combination), random weights, biases, inputs and targets are
  typed into the page's inputs, and every value the page shows (each element with
  ``data-bp-symbol`` and ``data-bp-value``) is compared with bpcore
  (:func:`bpcore.playground.symbol_values`, which runs bpcore's engine) to 1e-12 relative;
  every symbol bpcore computes must be shown.  "Take this step" and "Train N steps" give
  bpcore.train's parameters and costs.
* The script's tables are the ones it declares (``IMPLEMENTED``), which bpcore checks
  against its registries.
* Keyboard: every input is reached with Tab, the arrow keys nudge a number, a select and
  the diagram's view change from the keyboard, Enter on a button trains.
* Junk input gets its message (and ``aria-invalid``) and no console error; fixing it clears it.
* At 390 px the page has no horizontal overflow; in light and dark mode the text has a
  contrast of at least 4.5 with its background (in dark mode the theme shows an HTML output
  on its own light panel, as it does the quizzes) and the pictures keep their white ground.  Screenshots go to the screenshot
  folder (light and dark, 1280 and 390 px).

Build the book first (``jupyter-book build .``, or set ``BP_HTML_DIR``; see conftest.py).
"""
from __future__ import annotations

import itertools
import math
import re

import numpy as np
import pytest
from conftest import HTML_DIR, book_pages

import bpcore
from bpcore import dom, losses, playground

MAX_PAGE_BYTES = 2 * 1024 * 1024
PHONE = {"width": 390, "height": 844}
RTOL = 1e-12

# Every value shown, and every parameter's input, as [symbol, text of the value].
SHOWN = f"""
(root) => Array.from(root.querySelectorAll('[{dom.VALUE_ATTRIBUTE}]')).map(
  (e) => [e.getAttribute('{dom.SYMBOL_ATTRIBUTE}'), e.getAttribute('{dom.VALUE_ATTRIBUTE}')])
  .concat(Array.from(root.querySelectorAll('input[{dom.SYMBOL_ATTRIBUTE}]'))
    .map((e) => [e.getAttribute('{dom.SYMBOL_ATTRIBUTE}'), e.value])
    .filter((p) => p[0] !== 'eta' && p[0] !== 'steps'))
"""
VALUES = f"""
(root) => Array.from(root.querySelectorAll('[{dom.VALUE_ATTRIBUTE}]')).map(
  (e) => [e.getAttribute('{dom.SYMBOL_ATTRIBUTE}'), e.getAttribute('{dom.VALUE_ATTRIBUTE}')])
"""
INPUTS = f"""
(root) => Object.fromEntries(Array.from(root.querySelectorAll('input[{dom.SYMBOL_ATTRIBUTE}]'))
  .map((e) => [e.getAttribute('{dom.SYMBOL_ATTRIBUTE}'), e.value]))
"""


def playground_pages() -> list[str]:
    return [p for p in book_pages()
            if f'{dom.PLAYGROUND_ATTRIBUTE}="' in (HTML_DIR / p).read_text(encoding="utf-8")]


PAGES = playground_pages()


@pytest.fixture
def playground_page(html_dir):
    if not PAGES:
        pytest.fail(f"no page of {html_dir} holds a playground ({dom.PLAYGROUND_ATTRIBUTE})")
    return PAGES[0]


def valid_choices() -> list[tuple[str, str, str]]:
    """(hidden activation, output activation, cost) for every combination the page offers
    that bpcore accepts."""
    offered = playground.offered()
    hidden = [a["name"] for a in offered["activations"] if a["hidden"]]
    out = [a["name"] for a in offered["activations"] if a["output"]]
    costs = [c["name"] for c in offered["losses"]]
    return [(h, o, c) for h, o, c in itertools.product(hidden, out, costs)
            if (o, c) in losses.pairs()]


def random_numbers(rng, out: str, cost: str, sizes=(2, 3, 2)) -> dict[str, float]:
    """Random parameters, input and target, as {symbol: value}, within the cost's rules."""
    values = {}
    for l in range(1, len(sizes)):
        for j, k in itertools.product(range(1, sizes[l] + 1), range(1, sizes[l - 1] + 1)):
            values[f"W{l}[{j},{k}]"] = float(rng.uniform(-1.5, 1.5))
        for j in range(1, sizes[l] + 1):
            values[f"b{l}[{j}]"] = float(rng.uniform(-1, 1))
    for k in range(1, sizes[0] + 1):
        values[f"x[{k}]"] = float(rng.uniform(-1, 1))
    record = losses.get(cost)
    if out in record.distribution_with:
        p = float(rng.uniform(0.05, 0.95))
        values["y[1]"], values["y[2]"] = p, 1 - p
    else:
        low, high = (0.0, 1.0) if record.unit_targets else (-0.5, 1.5)
        for j in range(1, sizes[-1] + 1):
            values[f"y[{j}]"] = float(rng.uniform(low, high))
    return values


def network_of(values: dict[str, float], activations, sizes=(2, 3, 2)):
    W = [np.array([[values[f"W{l}[{j},{k}]"] for k in range(1, sizes[l - 1] + 1)]
                   for j in range(1, sizes[l] + 1)]) for l in range(1, len(sizes))]
    b = [np.array([values[f"b{l}[{j}]"] for j in range(1, sizes[l] + 1)])
         for l in range(1, len(sizes))]
    x = np.array([[values[f"x[{k}]"]] for k in range(1, sizes[0] + 1)])
    y = np.array([[values[f"y[{j}]"]] for j in range(1, sizes[-1] + 1)])
    return bpcore.Network(W, b, list(activations)), x, y


def _root(page):
    root = page.locator(f".{dom.PLAYGROUND}").first
    root.wait_for(state="visible")
    page.wait_for_function(f"el => el.hasAttribute('{dom.READY_ATTRIBUTE}')",
                           arg=root.element_handle(), timeout=10_000)
    return root


def _choose(page, root, hidden, out, cost, eta):
    rid = root.get_attribute("id")
    page.select_option(f"#{rid}-f1", hidden)
    page.select_option(f"#{rid}-f2", out)
    page.select_option(f"#{rid}-cost", cost)
    root.locator(f'input[{dom.SYMBOL_ATTRIBUTE}="eta"]').fill(repr(eta))


def _type(root, values: dict[str, float]) -> None:
    for symbol, value in values.items():
        root.locator(f'input[{dom.SYMBOL_ATTRIBUTE}="{symbol}"]').fill(repr(value))


def _status(root) -> str:
    return root.locator(f".{dom.PLAYGROUND_STATUS}").inner_text().strip()


def _compare(shown, expected) -> list[str]:
    problems = []
    for symbol, text in shown:
        if symbol not in expected:
            problems.append(f"{symbol}: shown ({text}) but bpcore has no such value")
        elif not math.isclose(float(text), expected[symbol], rel_tol=RTOL, abs_tol=0.0):
            problems.append(f"{symbol}: page {text}, bpcore {expected[symbol]!r}")
    missing = set(expected) - {s for s, _ in shown}
    problems += [f"{s}: bpcore computes it but the page does not show it" for s in sorted(missing)]
    return problems


def test_the_book_has_a_playground_page_under_two_megabytes(html_dir, playground_page):
    size = (html_dir / playground_page).stat().st_size
    assert size <= MAX_PAGE_BYTES, f"{playground_page} is {size / 1e6:.2f} MB"


def test_every_shown_value_matches_bpcore_for_every_activation_and_cost(playground_page, open_page):
    page, report = open_page(playground_page)
    root = _root(page)
    assert not root.locator(f".{dom.PLAYGROUND_NOJS}").is_visible()
    # the script's tables are what it declares, which bpcore checks against its registries
    tables = page.evaluate("window.bpPlayground.tables")
    implemented = page.evaluate("window.bpPlayground.implemented")
    assert implemented == playground.implemented()
    assert tables["activations"] == implemented["activations"]
    assert tables["losses"] == implemented["losses"]
    assert {k: sorted(v) for k, v in tables["shortcuts"].items() if v} == \
        {k: sorted(v) for k, v in implemented["shortcuts"].items()}

    # the running example as the page opens
    ex = bpcore.examples.running_example()
    expected = playground.symbol_values(ex.net, ex.x, ex.y, "mse", 0.5)
    assert _compare(page.evaluate(SHOWN, root.element_handle()), expected) == []

    choices = valid_choices()
    assert {h for h, _, _ in choices} >= {"sigmoid", "tanh", "relu", "identity"}
    assert {o for _, o, _ in choices} == set(bpcore.activations.names())
    assert {c for _, _, c in choices} == set(losses.names())
    rng = np.random.default_rng(2024)
    for hidden, out, cost in choices:
        eta = float(rng.uniform(0.05, 2.0))
        values = random_numbers(rng, out, cost)
        _type(root, values)
        _choose(page, root, hidden, out, cost, eta)
        assert _status(root) == "", (hidden, out, cost, _status(root))
        net, x, y = network_of(values, (hidden, out))
        expected = playground.symbol_values(net, x, y, cost, eta)
        shown = page.evaluate(SHOWN, root.element_handle())
        assert _compare(shown, expected) == [], (hidden, out, cost)
    assert report.problems() == {}, report.problems()


def test_one_step_and_training_match_bpcore_train(playground_page, open_page):
    page, report = open_page(playground_page)
    root = _root(page)
    rng = np.random.default_rng(7)
    for hidden, out, cost, eta, steps in (("tanh", "sigmoid", "binary_cross_entropy", 0.9, 30),
                                          ("relu", "softmax", "cross_entropy", 0.4, 25),
                                          ("sigmoid", "identity", "mse", 0.3, 40)):
        values = random_numbers(rng, out, cost)
        _type(root, values)
        _choose(page, root, hidden, out, cost, eta)
        net, x, y = network_of(values, (hidden, out))

        root.get_by_role("button", name="Take this step").click()
        after = page.evaluate(INPUTS, root.element_handle())
        one = bpcore.train(net, x, y, epochs=1, learning_rate=eta, loss=cost, progress=False)
        stepped = {**values, **{s: v for s, v in playground.symbol_values(
            one.network, x, y, cost, eta).items() if re.match(r"[Wb]\d\[", s)}}
        for symbol, value in stepped.items():
            assert math.isclose(float(after[symbol]), value, rel_tol=RTOL), \
                (symbol, after[symbol], value)
        assert "Took one step" in _status(root)

        root.locator(f'input[{dom.SYMBOL_ATTRIBUTE}="steps"]').fill(str(steps))
        root.get_by_role("button", name="Train N steps").click()
        result = bpcore.train(one.network, x, y, epochs=steps, learning_rate=eta, loss=cost,
                              progress=False)
        after = page.evaluate(INPUTS, root.element_handle())
        trained = playground.symbol_values(result.network, x, y, cost, eta)
        for symbol in stepped:
            assert math.isclose(float(after[symbol]), trained[symbol], rel_tol=RTOL), symbol
        first = root.locator(f'[{dom.SYMBOL_ATTRIBUTE}="C_step[0]"]')
        last = root.locator(f'[{dom.SYMBOL_ATTRIBUTE}="C_step[{steps}]"]')
        assert math.isclose(float(first.get_attribute(dom.VALUE_ATTRIBUTE)), result.initial_loss,
                            rel_tol=RTOL)
        assert math.isclose(float(last.get_attribute(dom.VALUE_ATTRIBUTE)), result.loss[-1],
                            rel_tol=RTOL)
        assert root.locator(f".{dom.PLAYGROUND_CURVE} svg polyline").count() == 1
        assert f"Trained {steps} steps" in _status(root)
        shown = page.evaluate(SHOWN, root.element_handle())
        assert _compare([(s, v) for s, v in shown if not s.startswith("C_step")], trained) == []
    root.get_by_role("button", name="Reset to the running example").click()
    assert page.evaluate(INPUTS, root.element_handle())["W2[1,3]"] == "-0.3"
    assert root.locator(f".{dom.PLAYGROUND_CURVE} svg").count() == 0
    assert report.problems() == {}, report.problems()


# Networks other than the running example's 2-3-2 (an instructor's fork can pass any
# bpcore.examples.RunningExample with up to MAX_LAYERS layers of MAX_NEURONS neurons): each
# one is added to the built page as a second playground, built by the page's own script.
OTHER_SHAPES = [((3, 4, 3, 2), ("tanh", "relu", "softmax"), "cross_entropy"),
                ((1, 6, 1), ("relu", "identity"), "mse"),
                ((2, 2, 3, 2, 3), ("sigmoid", "tanh", "identity", "sigmoid"), "binary_cross_entropy"),
                ((6, 5, 6), ("identity", "sigmoid"), "mse")]
ADD_PLAYGROUND = f"""
([id, spec]) => {{
  const root = document.createElement('div');
  root.className = '{dom.PLAYGROUND}';
  root.id = id;
  root.setAttribute('{dom.PLAYGROUND_ATTRIBUTE}', JSON.stringify(spec));
  document.querySelector('.{dom.PLAYGROUND}').parentElement.appendChild(root);
  window.bpPlayground.init();
}}
"""


def test_other_network_shapes_match_bpcore(playground_page, open_page):
    page, report = open_page(playground_page)
    _root(page)
    rng = np.random.default_rng(11)
    for n, (sizes, activations, cost) in enumerate(OTHER_SHAPES):
        assert len(sizes) - 1 <= playground.MAX_LAYERS and max(sizes) <= playground.MAX_NEURONS
        net = bpcore.Network([rng.uniform(-1.5, 1.5, (m, k)) for k, m in zip(sizes, sizes[1:])],
                             [rng.uniform(-1, 1, m) for m in sizes[1:]], list(activations))
        x = rng.uniform(-1, 1, (sizes[0], 1))
        y = (rng.uniform(0, 1, (sizes[-1], 1)) if losses.get(cost).unit_targets
             else rng.uniform(-0.5, 1.5, (sizes[-1], 1)))
        if activations[-1] in losses.get(cost).distribution_with:
            y = y / y.sum()
        eta = float(rng.uniform(0.05, 1.0))
        example = bpcore.examples.RunningExample(net, x, y, cost)
        page.evaluate(ADD_PLAYGROUND, [f"extra-{n}", playground.spec(example, learning_rate=eta)])
        root = page.locator(f"#extra-{n}")
        root.wait_for(state="visible")
        assert root.get_attribute(dom.READY_ATTRIBUTE) is not None
        assert _status(root) == "", (sizes, _status(root))
        expected = playground.symbol_values(net, x, y, cost, eta)
        shown = page.evaluate(SHOWN, root.element_handle())
        assert _compare(shown, expected) == [], sizes
        # one step, as bpcore.train takes it
        root.get_by_role("button", name="Take this step").click()
        after = page.evaluate(INPUTS, root.element_handle())
        one = bpcore.train(net, x, y, epochs=1, learning_rate=eta, loss=cost, progress=False)
        stepped = playground.symbol_values(one.network, x, y, cost, eta)
        for symbol, value in after.items():
            if re.match(r"[Wb]\d\[", symbol):
                assert math.isclose(float(value), stepped[symbol], rel_tol=RTOL), (sizes, symbol)
        # no horizontal overflow of the page at a laptop's width with the larger playground
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert report.problems() == {}, report.problems()


def test_the_playground_works_from_the_keyboard(playground_page, open_page):
    page, report = open_page(playground_page)
    root = _root(page)
    rid = root.get_attribute("id")
    # Tab reaches every input, select and button of the playground, in page order
    page.locator(f"#{rid}-f1").focus()
    reached = set()
    for _ in range(80):
        reached.add(page.evaluate(
            f"() => document.activeElement.getAttribute('{dom.SYMBOL_ATTRIBUTE}') "
            "|| document.activeElement.id || document.activeElement.textContent"))
        page.keyboard.press("Tab")
    inputs = set(page.evaluate(INPUTS, root.element_handle()))
    assert inputs - reached == set()
    assert {f"{rid}-f2", f"{rid}-cost", "Train N steps", "Take this step",
            "Reset to the running example"} <= reached

    # the arrow keys nudge a number, and everything follows
    box = root.locator(f'input[{dom.SYMBOL_ATTRIBUTE}="W1[1,1]"]')
    box.focus()
    page.keyboard.press("ArrowUp")
    assert box.input_value() == "0.16"
    page.keyboard.press("Shift+ArrowDown")
    assert box.input_value() == "0.06"
    ex = bpcore.examples.running_example()
    net = ex.net.with_weight(1, 1, 1, 0.06)
    expected = playground.symbol_values(net, ex.x, ex.y, "mse", 0.5)
    assert _compare(page.evaluate(SHOWN, root.element_handle()), expected) == []

    # a select changes from the keyboard (sigmoid -> the next activation)
    select = page.locator(f"#{rid}-f1")
    select.focus()
    page.keyboard.press("ArrowDown")
    chosen = select.input_value()
    assert chosen != "sigmoid"
    net = bpcore.Network(net.weights, net.biases, [chosen, "sigmoid"])
    expected = playground.symbol_values(net, ex.x, ex.y, "mse", 0.5)
    assert _compare(page.evaluate(SHOWN, root.element_handle()), expected) == []

    # the diagram's view: arrow keys move between the radio buttons
    page.locator(f"#{rid}-view-forward").focus()
    page.keyboard.press("ArrowRight")
    assert page.locator(f"#{rid}-view-backward").is_checked()
    diagram = root.locator(f".{dom.PLAYGROUND_DIAGRAM} text[{dom.SYMBOL_ATTRIBUTE}]")
    assert diagram.first.get_attribute(dom.SYMBOL_ATTRIBUTE).startswith("delta")

    # Enter on the Train button trains
    root.get_by_role("button", name="Train N steps").focus()
    page.keyboard.press("Enter")
    assert "Trained 100 steps" in _status(root)
    assert report.problems() == {}, report.problems()


BAD_INPUTS = [  # (symbol, what to type, what the message must say)
    ("W2[1,3]", "abc", "w²₁₃: “abc” is not a number"),
    ("b1[2]", "", "b¹₂ is empty"),
    ("x[1]", "1e999", "is too large for a double"),
    ("eta", "0", "The learning rate η must be a positive number"),
    ("eta", "-1", "The learning rate η must be a positive number"),
    ("y[1]", "0.5.5", "y₁: “0.5.5” is not a number"),
]


def test_junk_input_gets_a_message_and_no_console_error(playground_page, open_page):
    page, report = open_page(playground_page)
    root = _root(page)
    rid = root.get_attribute("id")
    good = page.evaluate(VALUES, root.element_handle())
    for symbol, text, message in BAD_INPUTS:
        box = root.locator(f'input[{dom.SYMBOL_ATTRIBUTE}="{symbol}"]')
        before = box.input_value()
        box.fill(text)
        assert message in _status(root), (symbol, text, _status(root))
        assert "The values shown are those of the last valid numbers" in _status(root)
        assert dom.PLAYGROUND_STALE in root.get_attribute("class")
        assert box.get_attribute("aria-invalid") == "true"
        assert page.evaluate(VALUES, root.element_handle()) == good
        root.get_by_role("button", name="Train N steps").click()     # refused, quietly
        root.get_by_role("button", name="Take this step").click()
        box.fill(before)
        assert _status(root) == "" and box.get_attribute("aria-invalid") is None
        assert dom.PLAYGROUND_STALE not in root.get_attribute("class")

    # numbers too large for the arithmetic: a linear output of 1e200 squares to infinity
    page.select_option(f"#{rid}-f2", "identity")
    root.locator(f'input[{dom.SYMBOL_ATTRIBUTE}="b2[1]"]').fill("1e200")
    assert "C overflows (∞): make the weights or inputs smaller" in _status(root)
    assert dom.PLAYGROUND_STALE in root.get_attribute("class")
    root.locator(f'input[{dom.SYMBOL_ATTRIBUTE}="b2[1]"]').fill("0.6")
    assert _status(root) == ""
    page.select_option(f"#{rid}-f2", "sigmoid")

    # choices that break a cost's rules
    page.select_option(f"#{rid}-cost", "cross_entropy")
    page.select_option(f"#{rid}-f2", "relu")
    assert "needs outputs in (0, 1)" in _status(root) and "choose sigmoid or softmax" in _status(root)
    page.select_option(f"#{rid}-f2", "softmax")
    assert _status(root) == ""
    root.locator(f'input[{dom.SYMBOL_ATTRIBUTE}="y[2]"]').fill("0.5")
    assert "targets that sum to 1" in _status(root)
    root.locator(f'input[{dom.SYMBOL_ATTRIBUTE}="y[2]"]').fill("1.5")
    assert "needs targets in [0, 1], but y₂ = 1.5000" in _status(root)
    page.select_option(f"#{rid}-cost", "mse")
    assert _status(root) == ""
    for steps, message in (("0", "a whole number from 1 to 10000"), ("2.5", "a whole number"),
                           ("many", "got “many”"), ("20000", "from 1 to 10000")):
        root.locator(f'input[{dom.SYMBOL_ATTRIBUTE}="steps"]').fill(steps)
        root.get_by_role("button", name="Train N steps").click()
        assert message in _status(root), (steps, _status(root))
    # a learning rate that makes training diverge (bpcore.train raises FloatingPointError)
    # is reported, and the parameters are left alone
    page.select_option(f"#{rid}-f2", "identity")
    root.locator(f'input[{dom.SYMBOL_ATTRIBUTE}="eta"]').fill("1e200")
    root.locator(f'input[{dom.SYMBOL_ATTRIBUTE}="steps"]').fill("50")
    assert "One step with η = 1e+200 goes too far: C_new overflows (∞)" in _status(root)
    assert dom.PLAYGROUND_STALE not in root.get_attribute("class")
    before = page.evaluate(INPUTS, root.element_handle())
    root.get_by_role("button", name="Take this step").click()
    assert "This step goes too far" in _status(root)
    assert page.evaluate(INPUTS, root.element_handle()) == before
    root.get_by_role("button", name="Train N steps").click()
    assert "The cost became ∞ at step 1: η = 1e+200 is probably too large" in _status(root)
    assert page.evaluate(INPUTS, root.element_handle()) == before
    ex = bpcore.examples.running_example()
    net = bpcore.Network(ex.net.weights, ex.net.biases, ["sigmoid", "identity"])
    with pytest.raises(FloatingPointError, match="after epoch 1"):
        bpcore.train(net, ex.x, ex.y, epochs=50, learning_rate=1e200, progress=False)
    page.wait_for_timeout(200)
    assert report.problems() == {}, report.problems()


@pytest.fixture
def open_sized(open_page):
    """open_sized(path, viewport) -> (page, report): a page at the given size, offline."""
    return lambda path, viewport: open_page(path, viewport=viewport)


OVERFLOW = """
() => ({page: document.documentElement.scrollWidth, width: document.documentElement.clientWidth,
        body: document.body.scrollWidth})
"""

LUMINANCE = """
(el) => {
  const lum = (c) => {
    const m = c.match(/[\\d.]+/g).map(Number);
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(m[0]) + 0.7152 * f(m[1]) + 0.0722 * f(m[2]);
  };
  let bg = el, colour = 'rgba(0, 0, 0, 0)';
  while (bg && (colour === 'rgba(0, 0, 0, 0)' || colour === 'transparent')) {
    colour = getComputedStyle(bg).backgroundColor; bg = bg.parentElement;
  }
  return {text: lum(getComputedStyle(el).color), background: lum(colour)};
}
"""


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_phone_width_and_dark_mode(playground_page, open_sized, screenshot_dir, width, mode):
    page, report = open_sized(playground_page, {"width": width, "height": 900})
    root = _root(page)
    if mode == "dark":
        page.evaluate("document.documentElement.setAttribute('data-theme', 'dark')")
        page.wait_for_timeout(400)      # the theme's colour transitions
    sizes = page.evaluate(OVERFLOW)
    assert sizes["page"] <= sizes["width"], sizes
    box = root.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= sizes["width"] + 1, box
    for selector in (f"td[{dom.SYMBOL_ATTRIBUTE}]", "caption", f".{dom.PLAYGROUND_STATUS} ~ h3",
                     f'input[{dom.SYMBOL_ATTRIBUTE}="W1[1,1]"]', "select"):
        lum = page.evaluate(LUMINANCE, root.locator(selector).first.element_handle())
        contrast = (max(lum.values()) + 0.05) / (min(lum.values()) + 0.05)
        assert contrast >= 4.5, (selector, mode, lum)
    # the pictures keep their white ground, like the steppers' pictures
    for picture in (f".{dom.PLAYGROUND_DIAGRAM} svg rect",):
        assert root.locator(picture).first.get_attribute("fill") == "#fff"
    root.locator(f'input[{dom.SYMBOL_ATTRIBUTE}="steps"]').fill("200")
    root.get_by_role("button", name="Train N steps").click()
    assert page.evaluate(OVERFLOW)["page"] <= sizes["width"]
    root.screenshot(path=str(screenshot_dir / f"playground_{width}_{mode}.png"))
    assert report.problems() == {}, report.problems()
