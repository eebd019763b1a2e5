"""The playground's Python side (bpcore.playground): its spec, what it offers, its HTML, and
the values it expects the page to show, against independent oracles.

The page's own arithmetic is checked against :func:`bpcore.playground.symbol_values` in
headless chromium by ``tests/browser/test_playground_page.py``.
"""
from __future__ import annotations

import html
import itertools
import json
import re

import numpy as np
import pytest

from bpcore import activations, dom, losses, playground as pg
from bpcore.activations import Activation
from bpcore.diagrams import CMAP
from bpcore.examples import RunningExample, running_example
from bpcore.network import Network


def _script():
    return pg._static(pg.ENGINE_FILE)


def valid_choices():
    """Every (hidden activation, output activation, cost) the page accepts."""
    offered = pg.offered()
    hidden = [a["name"] for a in offered["activations"] if a["hidden"]]
    out = [a["name"] for a in offered["activations"] if a["output"]]
    costs = [c["name"] for c in offered["losses"]]
    return [(h, o, c) for h, o, c in itertools.product(hidden, out, costs)
            if (o, c) in losses.pairs()]


def random_case(hidden, out, cost, seed):
    rng = np.random.default_rng(seed)
    net = Network([rng.uniform(-1.5, 1.5, (3, 2)), rng.uniform(-1.5, 1.5, (2, 3))],
                  [rng.uniform(-1, 1, 3), rng.uniform(-1, 1, 2)], [hidden, out])
    x = rng.uniform(-1, 1, (2, 1))
    if cost == "mse":
        y = rng.uniform(-0.5, 1.5, (2, 1))
    elif out in losses.get(cost).distribution_with:
        p = rng.uniform(0.05, 0.95)
        y = np.array([[p], [1 - p]])
    else:
        y = rng.uniform(0, 1, (2, 1))
    return net, x, y


# ------------------------------------------------------------------------------------------
# The spec: the running example's numbers, the registries' choices, the diagrams' colours.

def test_spec_holds_the_running_example():
    ex, s = running_example(), pg.spec()
    assert s["sizes"] == list(ex.net.sizes) == [2, 3, 2]
    for l in (1, 2):
        assert np.array_equal(np.array(s["W"][l - 1]), ex.net.W(l))
        assert np.array_equal(np.array(s["b"][l - 1]), ex.net.b(l))
    assert s["x"] == ex.x[:, 0].tolist() and s["y"] == ex.y[:, 0].tolist()
    assert s["activations"] == ["sigmoid", "sigmoid"] and s["loss"] == ex.loss == "mse"
    assert s["learning_rate"] == 0.5 and s["steps"] == 100
    assert json.loads(json.dumps(s)) == s      # plain JSON, full doubles


def test_spec_offers_every_registered_activation_and_cost_with_its_rules():
    offered = pg.offered()
    assert [a["name"] for a in offered["activations"]] == list(activations.names())
    assert [c["name"] for c in offered["losses"]] == list(losses.names())
    by_name = {a["name"]: a for a in offered["activations"]}
    assert by_name["softmax"]["hidden"] is False and by_name["softmax"]["output"] is True
    assert by_name["relu"]["hidden"] is True and by_name["relu"]["probability"] is False
    assert by_name["sigmoid"]["probability"] is True
    costs = {c["name"]: c for c in offered["losses"]}
    assert costs["cross_entropy"]["distribution_with"] == ["softmax"]
    assert costs["mse"]["needs_probabilities"] is False
    assert "½" in costs["mse"]["formula"]          # the book's quadratic cost, with the 1/2
    # the page's rule for a cost's outputs is the registry's (bpcore.losses.pairs)
    page_pairs = {(a["name"], c["name"]) for a in offered["activations"]
                  for c in offered["losses"] if a["probability"] or not c["needs_probabilities"]}
    assert page_pairs == set(losses.pairs())


def test_colours_are_the_diagrams_colormap():
    from matplotlib import colormaps
    from matplotlib.colors import to_hex
    colours = pg.spec()["colormap"]
    cmap = colormaps[CMAP]
    assert colours[0] == to_hex(cmap(0.0)) and colours[-1] == to_hex(cmap(1.0))
    assert colours[len(colours) // 2] == to_hex(cmap(0.5))
    # RdBu: red for negative, blue for positive, as in bpcore/diagrams.py
    r, g, b = (int(colours[0][i:i + 2], 16) for i in (1, 3, 5))
    assert r > b
    r, g, b = (int(colours[-1][i:i + 2], 16) for i in (1, 3, 5))
    assert b > r


# ------------------------------------------------------------------------------------------
# What the script implements, and the error for what it lacks.

def test_the_script_implements_what_it_says():
    impl = pg.implemented()
    script = _script()
    tables = {"activations": "ACTIVATIONS", "losses": "LOSSES"}
    for kind, table in tables.items():
        body = script.split(f"var {table} = {{", 1)[1]
        keys = re.findall(r"^    (\w+): \{", body.split("\n  };", 1)[0], re.M)
        assert keys == impl[kind], (kind, keys)
    for name, acts in impl["shortcuts"].items():
        assert set(acts) == set(losses.get(name).shortcuts), name


def test_a_registered_activation_the_script_lacks_is_an_error():
    record = Activation(name="softsign_test", f=lambda z: z / (1 + abs(z)),
                        prime=lambda z: 1 / (1 + abs(z)) ** 2, tex=r"\operatorname{ss}",
                        sympy=lambda u: u)
    activations.register(record)
    try:
        with pytest.raises(ValueError, match=r"bp-playground-engine\.js does not implement "
                                             r"activation "
                                             r"'softsign_test'.*add it to the script's "
                                             r"ACTIVATIONS or LOSSES table"):
            pg.spec()
    finally:
        del activations.ACTIVATIONS["softsign_test"]
    assert pg.spec()["offered"]["activations"][-1]["name"] == "softmax"


def test_a_missing_cost_or_shortcut_is_an_error():
    script = _script()
    line = re.search(r"^\s*var IMPLEMENTED = .*$", script, re.M).group(0)
    impl = json.loads(line.split("=", 1)[1].strip().rstrip(";"))
    no_bce = dict(impl, losses=["mse", "cross_entropy"])
    with pytest.raises(ValueError, match="does not implement cost 'binary_cross_entropy'"):
        pg.offered(script.replace(line, f"var IMPLEMENTED = {json.dumps(no_bce)};"))
    no_shortcut = dict(impl, shortcuts={"cross_entropy": ["softmax"],
                                        "binary_cross_entropy": ["sigmoid"]})
    with pytest.raises(ValueError, match="the delta\\^L shortcut of cost 'cross_entropy' for a "
                                         "sigmoid output"):
        pg.offered(script.replace(line, f"var IMPLEMENTED = {json.dumps(no_shortcut)};"))
    with pytest.raises(ValueError, match="expected one line 'var IMPLEMENTED"):
        pg.offered(script.replace(line, ""))


# ------------------------------------------------------------------------------------------
# The values the page must show, against independent oracles.

def _cost(net, x, y, loss):
    a = x
    for W, b, name in zip(net.weights, net.biases, net.activations):
        a = activations.get(name).f(W @ a + b[:, None])
    return _cost_from_scratch(a, y, loss)


def _cost_from_scratch(a, y, loss):
    a, y = a[:, 0], y[:, 0]
    if loss == "mse":
        return 0.5 * float(np.sum((y - a) ** 2))
    if loss == "cross_entropy":
        return -float(np.sum(y * np.log(a)))
    return -float(np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)))


def _perturbed(net, l, j, k, h, bias=False):
    Ws, bs = [np.array(W) for W in net.weights], [np.array(b) for b in net.biases]
    if bias:
        bs[l - 1][j] += h
    else:
        Ws[l - 1][j, k] += h
    return Network(Ws, bs, net.activations)


@pytest.mark.parametrize("hidden,out,cost", valid_choices())
def test_symbol_values_against_finite_differences(hidden, out, cost):
    net, x, y = random_case(hidden, out, cost, seed=hash((hidden, out, cost)) % 2**32)
    v = pg.symbol_values(net, x, y, cost, learning_rate=0.3)
    h = 1e-6
    # the forward pass by hand
    a0 = x[:, 0]
    z1 = net.W(1) @ a0 + net.b(1)
    assert np.allclose([v[f"z1[{j}]"] for j in (1, 2, 3)], z1, rtol=1e-13, atol=0)
    # C from scratch, and every gradient by central differences of it
    assert np.isclose(v["C"], _cost(net, x, y, cost), rtol=1e-12)
    for l in (1, 2):
        for j, k in np.ndindex(*net.W(l).shape):
            fd = (_cost(_perturbed(net, l, j, k, h), x, y, cost)
                  - _cost(_perturbed(net, l, j, k, -h), x, y, cost)) / (2 * h)
            assert np.isclose(v[f"dW{l}[{j + 1},{k + 1}]"], fd, rtol=1e-5, atol=1e-8), (l, j, k)
            assert v[f"W{l}_new[{j + 1},{k + 1}]"] == net.W(l)[j, k] - 0.3 * v[f"dW{l}[{j + 1},{k + 1}]"]
        for j in range(net.sizes[l]):
            fd = (_cost(_perturbed(net, l, j, 0, h, True), x, y, cost)
                  - _cost(_perturbed(net, l, j, 0, -h, True), x, y, cost)) / (2 * h)
            assert np.isclose(v[f"db{l}[{j + 1}]"], fd, rtol=1e-5, atol=1e-8), (l, j)
            assert v[f"db{l}[{j + 1}]"] == v[f"delta{l}[{j + 1}]"]       # BP3 with m = 1
    # BP4 for one sample: an outer product
    assert v["dW2[2,3]"] == v["delta2[2]"] * v["a1[3]"]
    # BP2's first factor
    assert np.isclose(v["WTdelta1[2]"], net.W(2)[0, 1] * v["delta2[1]"]
                      + net.W(2)[1, 1] * v["delta2[2]"], rtol=1e-13)
    # the cost after the step, from scratch
    stepped = Network([np.array([[v[f"W{l}_new[{j},{k}]"] for k in range(1, net.sizes[l - 1] + 1)]
                                 for j in range(1, net.sizes[l] + 1)]) for l in (1, 2)],
                      [np.array([v[f"b{l}_new[{j}]"] for j in range(1, net.sizes[l] + 1)])
                       for l in (1, 2)], net.activations)
    assert np.isclose(v["C_new"], _cost(stepped, x, y, cost), rtol=1e-12)
    assert ("fprime2[1]" in v) == (out != "softmax")


def test_symbol_values_name_every_quantity_with_one_based_indices():
    ex = running_example()
    v = pg.symbol_values(ex.net, ex.x, ex.y)
    expected = {"C", "C_new", "x[1]", "x[2]", "y[1]", "y[2]", "dCda2[1]", "dCda2[2]",
                "W2[1,3]", "dW2[1,3]", "W2_new[1,3]", "b1[3]", "db1[3]", "b1_new[3]",
                "z1[3]", "a1[3]", "fprime1[3]", "WTdelta1[3]", "delta1[3]", "z2[2]", "a2[2]",
                "fprime2[2]", "delta2[2]"}
    assert expected <= set(v)
    assert "W2[3,1]" not in v and "x[0]" not in v and "WTdelta2[1]" not in v
    assert all(re.fullmatch(r"C(_new)?|[A-Za-z]+\d?(_new)?\[\d(,\d)?\]", s) for s in v), v.keys()
    assert v["W2[1,3]"] == -0.30 and v["x[2]"] == 0.10
    # chapter 4's delta^2_1 of the running example
    assert f"{v['delta2[1]']:.4f}" == "0.1425"


def test_symbol_values_refuse_a_batch():
    ex = running_example()
    with pytest.raises(ValueError, match=r"one sample: x with 2 entries and y with 2, got "
                                         r"shapes \(2, 3\) and \(2, 1\)"):
        pg.symbol_values(ex.net, np.ones((2, 3)), np.ones((2, 1)))


# ------------------------------------------------------------------------------------------
# Bad arguments.

def test_spec_refuses_what_the_page_cannot_show():
    with pytest.raises(TypeError, match="expected a bpcore.examples.RunningExample"):
        pg.spec(running_example().net)
    ex = running_example()
    batch = RunningExample(ex.net, np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"one sample: x of shape \(2, 1\).*got \(2, 3\)"):
        pg.spec(batch)
    big = RunningExample(Network.random([2, 7, 2], seed=0), ex.x, ex.y)
    with pytest.raises(ValueError, match="at most 6 neurons, got sizes"):
        pg.spec(big)
    with pytest.raises(ValueError, match="steps must be an int from 1 to 10000, got 0"):
        pg.spec(steps=0)
    with pytest.raises(ValueError, match="learning_rate must be a positive finite number"):
        pg.spec(learning_rate=float("nan"))
    with pytest.raises(ValueError, match="heading_level must be"):
        pg.spec(heading_level=1)
    wrong_targets = RunningExample(ex.net, ex.x, np.array([[2.0], [0.5]]), "binary_cross_entropy")
    with pytest.raises(ValueError, match="needs targets in"):
        pg.spec(wrong_targets)


# ------------------------------------------------------------------------------------------
# The HTML.

def test_html_is_one_root_with_its_spec_style_and_script():
    p = pg.playground()
    out = p._repr_html_()
    root = re.match(rf'<div class="{dom.PLAYGROUND}" id="({dom.PLAYGROUND}-\d+)" '
                    rf'{dom.PLAYGROUND_ATTRIBUTE}="([^"]*)">', out)
    assert root, out[:200]
    assert json.loads(html.unescape(root.group(2))) == p.spec
    assert f'class="{dom.PLAYGROUND_NOJS}"' in out
    assert out.count("<script>") == 2 and out.count("<style>") == 1
    assert out.index("window.bpPlaygroundEngine =") < out.index("window.bpPlayground =")
    assert "window.bpPlayground" in out and ".bp-playground" in out
    assert "eval(" not in out and "new Function" not in out
    # no request leaves the page: the one URL is the SVG namespace
    assert re.findall(r"https?://[^\s\"']+", out) == [pg.SVG_NAMESPACE]
    second = pg.playground()._repr_html_()
    assert re.search(r'id="([^"]+)"', second).group(1) != root.group(1)
    assert "2-3-2 network" in repr(p)


def test_the_page_is_small():
    assert len(pg.playground()._repr_html_().encode()) < 80_000
