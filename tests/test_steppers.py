"""The steppers show bpcore's numbers, checked against independent oracles (hand-worked
numbers, central differences, a gradient-descent loop written here), and build the widget
structure the static page relies on: a Stack per slider, linked in the browser by jslink."""
import io
import json
import re

import ipywidgets as widgets
import numpy as np
import pytest
from ipywidgets.embed import dependency_state
from ipywidgets.widgets.widget import _instances
from ipywidgets.widgets.widget_link import Link
from PIL import Image

import bpcore
from bpcore import diagrams, steppers
from bpcore.activations import ACTIVATIONS, sigmoid, softmax_jacobian
from bpcore.diagrams import format_number

EX = bpcore.examples.running_example()
TOL = dict(rtol=1e-12, atol=1e-14)


# ---------------------------------------------------------------------------------------
# Helpers: walk the widget tree, find links, independent oracles.

def descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from descendants(child)


def with_class(widget, name):
    return [w for w in descendants(widget) if name in getattr(w, "_dom_classes", ())]


def one(widget, name):
    found = with_class(widget, name)
    assert len(found) == 1, f"expected one widget of class {name}, found {len(found)}"
    return found[0]


def linked(source, source_trait, target, target_trait):
    """Whether a jslink (a Link widget, which the browser runs) joins the two traits."""
    return any(isinstance(w, Link) and w.source == (source, source_trait)
               and w.target == (target, target_trait) for w in list(_instances.values()))


def stacks_of(widget):
    return [w for w in descendants(widget) if isinstance(w, widgets.Stack)]


def numeric_cost_gradient(f, p, eps=1e-6):
    """Central differences of f at p, an independent check on a gradient."""
    p = np.asarray(p, dtype=float)
    out = np.zeros_like(p)
    for i in range(p.size):
        e = np.zeros_like(p)
        e.flat[i] = eps
        out.flat[i] = (f(p + e) - f(p - e)) / (2 * eps)
    return out


def softmax_net():
    net = bpcore.Network.random([2, 3, 3], ["tanh", "softmax"], seed=1)
    return net.replace(biases=[np.array([0.1, -0.2, 0.3]), np.array([0.2, 0.0, -0.1])])


def mixed_net():
    net = bpcore.Network.random([3, 4, 2, 2], ["relu", "tanh", "sigmoid"], seed=3)
    return net.replace(biases=[np.array([0.1, -0.3, 0.2, 0.05]), np.array([0.1, -0.1]),
                               np.array([0.3, -0.2])])


X3 = np.array([0.5, -1.0, 2.0])


# ---------------------------------------------------------------------------------------
# 1. Forward.

def test_forward_running_example_matches_hand_worked_numbers():
    s = steppers.forward_stepper(EX.net, EX.x)
    assert len(s.steps) == 2 + 4 * (3 + 2)
    shown = {}
    for step in s.steps:
        shown.update(step.values)
    # by hand: z^1_1 = 0.15*0.05 + 0.20*0.10 + 0.35, etc.
    np.testing.assert_allclose([shown["z^1_1"], shown["z^1_2"], shown["z^1_3"]],
                               [0.3775, 0.3925, -0.1925], rtol=1e-12)
    np.testing.assert_allclose(shown["a^1_1"], 1 / (1 + np.exp(-0.3775)), rtol=1e-12)
    # the z step prints the sum of products and the result with four significant digits
    z11 = next(st for st in s.steps if st.title == "Layer 1, neuron 1: z")
    assert "0.007500 + 0.02000 + 0.3500 = 0.3775" in z11.latex


@pytest.mark.parametrize("net, x", [(EX.net, EX.x), (softmax_net(), [0.5, -1.0]),
                                    (mixed_net(), X3)])
def test_forward_values_equal_bpcore(net, x):
    s = steppers.forward_stepper(net, x)
    fp = bpcore.forward(net, np.ravel(x))
    seen = set()
    for step in s.steps:
        for key, value in step.values.items():
            m = re.fullmatch(r"([zaw])\^(\d)_(\d+)", key)
            if key == "a^L":
                np.testing.assert_allclose(value, fp.output, **TOL)
                seen.add(key)
            elif m:
                name, l, idx = m.group(1), int(m.group(2)), m.group(3)
                if name == "z":
                    expected = fp.zs[l - 1][int(idx) - 1]
                elif name == "a":
                    expected = fp.activations[l][int(idx) - 1]
                else:
                    expected = net.weights[l - 1][int(idx[0]) - 1, int(idx[1]) - 1]
                np.testing.assert_allclose(value, expected, **TOL)
                seen.add(key)
    n_neurons = sum(net.sizes[1:])
    assert sum(k.startswith("z^") for k in seen) == n_neurons
    assert sum(k.startswith("a^") and k != "a^L" for k in seen) == sum(net.sizes)
    assert "a^L" in seen
    assert len(s.steps) == 2 + 4 * n_neurons


def test_forward_shows_each_result_in_the_text():
    s = steppers.forward_stepper(EX.net, EX.x)
    fp = bpcore.forward(EX.net, EX.x.ravel())
    for step in s.steps:
        for key, value in step.values.items():
            if re.fullmatch(r"[za]\^[12]_\d", key) and (": z" in step.title or ": a" in step.title):
                if key[0] == step.title[-1]:
                    assert f"= {format_number(value, latex=True)}$$" in step.latex
    assert format_number(fp.output[0], latex=True) in s.steps[-1].latex


# ---------------------------------------------------------------------------------------
# 2. BP1.

def dC_dz_numeric(net, x, y, loss):
    """dC/dz^L by central differences on z^L itself, through the output activation and
    the loss: an oracle independent of BP1's formulas."""
    fp = bpcore.forward(net, x)
    L = net.n_layers
    f = ACTIVATIONS[net.activations[L - 1]][0]

    def C(z):
        a = f(z.reshape(-1, 1))
        return bpcore.losses.value(loss, y.reshape(-1, 1), a, z.reshape(-1, 1),
                                   net.activations[L - 1])
    return numeric_cost_gradient(C, fp.zs[L - 1])


BP1_CASES = [
    ("sigmoid", "mse"), ("sigmoid", "binary_cross_entropy"), ("sigmoid", "cross_entropy"),
    ("softmax", "cross_entropy"), ("softmax", "mse"), ("softmax", "binary_cross_entropy"),
    ("tanh", "mse"), ("identity", "mse"),
]


@pytest.mark.parametrize("out_act, loss", BP1_CASES)
def test_output_delta_every_factor(out_act, loss):
    net = bpcore.Network.random([3, 2, 3], ["tanh", out_act], seed=7)
    net = net.replace(biases=[np.array([0.2, -0.1]), np.array([0.3, -0.4, 0.1])])
    y = np.array([0.2, 0.7, 0.1])
    s = steppers.output_delta_stepper(net, X3, y, loss)
    fp = bpcore.forward(net, X3)
    z, a = fp.zs[-1], fp.output
    values = {}
    for step in s.steps:
        values.update(step.values)
    np.testing.assert_allclose(values["a^L"], a, **TOL)
    np.testing.assert_allclose(values["C"], bpcore.cost(net, X3, y, loss), **TOL)
    expected_dCda = {"mse": a - y, "cross_entropy": -y / a,
                     "binary_cross_entropy": (a - y) / (a * (1 - a))}[loss]
    np.testing.assert_allclose(values["dC/da^L"], expected_dCda, rtol=1e-12)
    if out_act == "softmax":
        np.testing.assert_allclose(values["J"], softmax_jacobian(z), **TOL)
    else:
        np.testing.assert_allclose(values["f'(z^L)"], ACTIVATIONS[out_act][1](z), rtol=1e-12)
    bp = bpcore.output_delta(net, fp, y, loss)
    np.testing.assert_allclose(values["delta^L"], bp, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(values["delta^L"], dC_dz_numeric(net, X3, y, loss), rtol=1e-6,
                               atol=1e-9)
    matched = (out_act, loss) in {("softmax", "cross_entropy"),
                                  ("sigmoid", "binary_cross_entropy")}
    assert ("a^L - y" in values) == matched
    if matched:
        np.testing.assert_allclose(values["a^L - y"], a - y, **TOL)
        assert s.steps[-1].title == "The shortcut: delta = a - y"


def test_output_delta_running_example_steps():
    s = steppers.output_delta_stepper(EX.net, EX.x, EX.y)
    assert [st.title for st in s.steps] == [
        "The output and the cost", "First factor: dC/da", "Second factor: f'(z)",
        "BP1: the Hadamard product"]
    d = s.steps[-1].values["delta^L"]
    a = sigmoid(np.array([0.97029905, 1.31532602]))  # z^2 by hand from the forward pass
    np.testing.assert_allclose(d, (a - [0.01, 0.99]) * a * (1 - a), rtol=1e-7)
    assert r"\odot" in s.steps[-1].latex


def test_softmax_shortcut_explains_the_cancellation():
    s = steppers.output_delta_stepper(softmax_net(), [0.5, -1.0], [0, 1, 0], "cross_entropy")
    text = s.steps[-1].latex
    assert r"\sum_i y_i = 1" in text and r"a^{L}_i (\delta_{ij} - a^{L}_j)" in text
    assert "Jacobian" in s.steps[2].title


# ---------------------------------------------------------------------------------------
# 3. BP2.

@pytest.mark.parametrize("net, x, y, loss", [
    (EX.net, EX.x, EX.y, "mse"),
    (mixed_net(), X3, np.array([0.0, 1.0]), "binary_cross_entropy"),
])
def test_hidden_deltas_equal_bpcore_and_bias_differences(net, x, y, loss):
    s = steppers.hidden_delta_stepper(net, x, y, loss)
    fp = bpcore.forward(net, np.ravel(x))
    deltas = bpcore.hidden_deltas(net, fp, bpcore.output_delta(net, fp, np.ravel(y), loss))
    # for one sample delta^l = dC/db^l, so central differences on the biases are an oracle
    numeric = bpcore.numerical_gradients(net, x, y, loss, eps=1e-6).biases
    values = {}
    for step in s.steps:
        values.update(step.values)
    L = net.n_layers
    for l in range(1, L):
        np.testing.assert_allclose(values[f"delta^{l}"], deltas[l - 1], **TOL)
        np.testing.assert_allclose(values[f"delta^{l}"], numeric[l - 1], rtol=1e-6, atol=1e-9)
        back = net.weights[l].T @ deltas[l]
        np.testing.assert_allclose(values[f"(W^{l + 1})^T delta^{l + 1}"], back, **TOL)
        for j in range(1, net.sizes[l] + 1):
            np.testing.assert_allclose(values[f"sum^{l}_{j}"], back[j - 1], **TOL)
            np.testing.assert_allclose(values[f"delta^{l}_{j}"], deltas[l - 1][j - 1], **TOL)
    # one start, then per hidden layer: an intro, two views per neuron, a summary
    assert len(s.steps) == 1 + sum(2 + 2 * n for n in net.sizes[1:L])


def test_hidden_delta_sum_runs_over_the_weights_leaving_the_neuron():
    s = steppers.hidden_delta_stepper(EX.net, EX.x, EX.y)
    step = next(st for st in s.steps if st.title == "Layer 1, neuron 3: the sum over k")
    # w^2_13 = -0.30 and w^2_23 = 0.20 leave neuron 3 of layer 1
    assert step.values["w^2_13"] == -0.3 and step.values["w^2_23"] == 0.2
    assert r"(-0.3000) \cdot 0.1425" in step.latex


# ---------------------------------------------------------------------------------------
# 4. BP3 and BP4.

@pytest.mark.parametrize("net, x, y, loss", [
    (EX.net, EX.x, EX.y, "mse"),
    (softmax_net(), [0.5, -1.0], [0.0, 0.0, 1.0], "cross_entropy"),
])
def test_gradients_equal_backprop_and_central_differences(net, x, y, loss):
    s = steppers.gradient_stepper(net, x, y, loss)
    g = bpcore.backprop(net, x, y, loss)
    numeric = bpcore.numerical_gradients(net, x, y, loss, eps=1e-6)
    entries = 0
    for step in s.steps:
        for key, value in step.values.items():
            m = re.fullmatch(r"dC/dw\^(\d)_(\d)(\d)", key)
            if m:
                l, j, k = (int(i) for i in m.groups())
                np.testing.assert_allclose(value, g.weights[l - 1][j - 1, k - 1], **TOL)
                np.testing.assert_allclose(value, numeric.weights[l - 1][j - 1, k - 1],
                                           rtol=1e-6, atol=1e-9)
                # BP4 entry: a^{l-1}_k delta^l_j, both shown with it
                assert value == pytest.approx(step.values[f"a^{l - 1}_{k}"]
                                              * step.values[f"delta^{l}_{j}"], rel=1e-12)
                entries += 1
    assert entries == sum(W.size for W in net.weights)
    last = s.steps[-1].values
    for l in range(1, net.n_layers + 1):
        np.testing.assert_allclose(last[f"dC/dW^{l}"], g.weights[l - 1], **TOL)
        np.testing.assert_allclose(last[f"dC/db^{l}"], g.biases[l - 1], **TOL)
    assert len(s.steps) == 1 + sum(2 + W.size for W in net.weights)


def test_gradient_entry_highlights_its_weight():
    s = steppers.gradient_stepper(EX.net, EX.x, EX.y)
    step = next(st for st in s.steps if "dC/dw^2_13" in st.values)
    assert "gradient of w^2_13" in step.alt
    assert r"\frac{\partial C}{\partial w^{2}_{13}}" in step.latex


# ---------------------------------------------------------------------------------------
# 5. A training step.

def test_training_step_cost_before_and_after():
    eta = 0.5
    s = steppers.training_step_stepper(EX.net, EX.x, EX.y, eta)
    g = bpcore.backprop(EX.net, EX.x, EX.y)
    W_new = [W - eta * gW for W, gW in zip(EX.net.weights, g.weights)]
    b_new = [b - eta * gb for b, gb in zip(EX.net.biases, g.biases)]
    after = bpcore.Network(W_new, b_new, "sigmoid")
    values = {}
    for step in s.steps:
        values.update(step.values)
    assert values["C_before"] == pytest.approx(bpcore.cost(EX.net, EX.x, EX.y), rel=1e-14)
    assert values["C_after"] == pytest.approx(bpcore.cost(after, EX.x, EX.y), rel=1e-14)
    for l in (1, 2):
        np.testing.assert_allclose(values[f"W^{l} new"], W_new[l - 1], **TOL)
        np.testing.assert_allclose(values[f"b^{l} new"], b_new[l - 1], **TOL)
        np.testing.assert_allclose(values[f"dC/dW^{l}"], g.weights[l - 1], **TOL)
    assert values["Delta C"] < 0
    assert values["predicted Delta C"] == pytest.approx(-eta * np.sum(g.flat() ** 2))
    assert "went down" in s.steps[-1].latex
    assert len(s.steps) == 2 + 2 * EX.net.n_layers


def test_training_step_too_large_rate_raises_the_cost():
    # z = w x + b with x = 1, y = 0: one step multiplies z by (1 - 2 eta); eta = 1.5 doubles
    # |z| and quadruples the cost
    net = bpcore.Network([np.array([[1.0]])], [np.array([0.5])], "identity")
    s = steppers.training_step_stepper(net, [1.0], [0.0], 1.5)
    v = s.steps[-1].values
    assert v["C_before"] == pytest.approx(0.5 * 1.5 ** 2)
    assert v["C_after"] == pytest.approx(4 * v["C_before"])
    assert "too large" in s.steps[-1].latex


# ---------------------------------------------------------------------------------------
# 6. The nudge explorer.

def test_nudge_grid_measured_and_predicted():
    names = ["w^2_13", "w^1_21"]
    nudges = (0.5, -0.1, 0.01, -0.5)
    e = steppers.nudge_explorer(EX.net, EX.x, EX.y, weights=names, nudges=nudges)
    assert e.weight_names == tuple(names)
    assert e.nudges == (-0.5, -0.1, 0.01, 0.5)
    C0 = bpcore.cost(EX.net, EX.x, EX.y)
    g = bpcore.backprop(EX.net, EX.x, EX.y)
    for name, (l, j, k) in zip(names, [(2, 0, 2), (1, 1, 0)]):
        for dw in e.nudges:
            W = [np.array(M) for M in EX.net.weights]
            W[l - 1][j, k] += dw
            measured = bpcore.cost(bpcore.Network(W, EX.net.biases, "sigmoid"), EX.x, EX.y) - C0
            cell = e.grid[(name, dw)]
            assert cell["measured"] == pytest.approx(measured, rel=1e-12, abs=1e-15)
            assert cell["predicted"] == pytest.approx(g.weights[l - 1][j, k] * dw, rel=1e-12)
    assert len(e.steps) == len(names) * len(nudges)


def test_nudge_prediction_error_shrinks_quadratically():
    e = steppers.nudge_explorer(EX.net, EX.x, EX.y, weights=["w^2_11"],
                                nudges=(0.1, 0.01, 0.001))
    gaps = [abs(e.grid[("w^2_11", d)]["measured"] - e.grid[("w^2_11", d)]["predicted"])
            for d in (0.1, 0.01, 0.001)]
    # second order: ten times smaller nudge, about a hundred times smaller gap
    assert 50 < gaps[0] / gaps[1] < 200 and 50 < gaps[1] / gaps[2] < 200


def test_nudge_explorer_widget_links_two_controls_to_one_view():
    e = steppers.nudge_explorer(EX.net, EX.x, EX.y, weights=["w^2_13", "w^1_11", "w^2_22"])
    root = e.widget
    assert {"bp-stepper", "bp-stepper-nudge"} <= set(root._dom_classes)
    dropdown = one(root, "bp-choice")
    slider = one(root, "bp-step-slider")
    assert isinstance(dropdown, widgets.Dropdown) and list(dropdown.options) == list(e.weight_names)
    assert isinstance(slider, widgets.SelectionSlider)
    assert list(slider.options) == ["\u2212" + "0.5000", "\u2212" + "0.1000", "\u2212" + "0.01000",
                                    "+0.01000", "+0.1000", "+0.5000"]
    inner = [st for st in stacks_of(root) if all("bp-step" in c._dom_classes for c in st.children)]
    [outer] = [st for st in stacks_of(root) if st not in inner]
    assert len(outer.children) == 3 and len(inner) == 3
    assert linked(dropdown, "index", outer, "selected_index")
    for stack in inner:
        assert len(stack.children) == len(e.nudges)
        assert all("bp-step" in v._dom_classes for v in stack.children)
        assert linked(slider, "index", stack, "selected_index")
    # Previous/Next move the slider's index in a live kernel
    slider.index = 0
    one(root, "bp-next").click()
    assert slider.index == 1
    one(root, "bp-prev").click()
    one(root, "bp-prev").click()
    assert slider.index == 0


# ---------------------------------------------------------------------------------------
# 7. The cost surface.

def gd_loop(grad, p0, eta, steps):
    p, path = np.array(p0, float), [np.array(p0, float)]
    for _ in range(steps):
        p = p - eta * grad(p)
        path.append(p.copy())
    return np.array(path)


def test_valley_paths_equal_an_independent_loop_and_behave_as_labelled():
    s = steppers.cost_surface_stepper(steps=10)
    rates = dict(zip(["small", "good", "large"], s.learning_rates.values()))
    grad = lambda p: np.array([p[0], 5.0 * p[1]])      # C = (p1^2 + 5 p2^2) / 2
    for label, eta in s.learning_rates.items():
        np.testing.assert_allclose(s.paths[label], gd_loop(grad, (-2.5, 1.0), eta, 10), **TOL)
        np.testing.assert_allclose(
            s.costs[label], [0.5 * (p[0] ** 2 + 5 * p[1] ** 2) for p in s.paths[label]], **TOL)
    small, good, large = (s.costs[k] for k in s.learning_rates)
    assert good[-1] < 1e-3 * good[0]                    # converges
    assert small[-1] > 0.3 * small[0]                   # crawls
    assert large[-1] > large[0]                         # diverges, by oscillating:
    p2 = s.paths[list(s.learning_rates)[2]][:, 1]
    assert np.all(np.sign(p2[1:]) == -np.sign(p2[:-1]))
    assert rates["small"] < rates["good"] < 2 / 5 < rates["large"]
    assert "diverges" in s.steps[-1].latex


def test_network_surface_uses_backprop_gradients():
    s = steppers.cost_surface_stepper(net=EX.net, x=EX.x, y=EX.y, weights=("w^2_11", "w^1_21"),
                                      learning_rates=[5.0], steps=4)
    W0 = [np.array(M) for M in EX.net.weights]

    def net_at(p):
        W = [M.copy() for M in W0]
        W[1][0, 0], W[0][1, 0] = p
        return bpcore.Network(W, EX.net.biases, "sigmoid")

    def grad(p):
        g = bpcore.backprop(net_at(p), EX.x, EX.y)
        return np.array([g.weights[1][0, 0], g.weights[0][1, 0]])

    path = s.paths["\u03b7 = 5.000"]
    np.testing.assert_allclose(path, gd_loop(grad, (0.40, 0.25), 5.0, 4), **TOL)
    # and the gradient itself agrees with central differences of the cost
    cost_at = lambda p: bpcore.cost(net_at(p), EX.x, EX.y)
    np.testing.assert_allclose(grad(path[2]), numeric_cost_gradient(cost_at, path[2]),
                               rtol=1e-6)
    np.testing.assert_allclose(s.costs["\u03b7 = 5.000"], [cost_at(p) for p in path], **TOL)


def test_callable_surface_and_its_widget():
    s = steppers.cost_surface_stepper(lambda a, b: (a - 1) ** 2 + b ** 2,
                                      lambda a, b: np.array([2 * (a - 1), 2 * b]),
                                      start=(3.0, -2.0), learning_rates={"slow": 0.1, "fast": 0.4},
                                      steps=6)
    grad = lambda p: np.array([2 * (p[0] - 1), 2 * p[1]])
    for label, eta in s.learning_rates.items():
        np.testing.assert_allclose(s.paths[label], gd_loop(grad, (3.0, -2.0), eta, 6), **TOL)
    root = s.widget
    toggle = one(root, "bp-choice")
    slider = one(root, "bp-step-slider")
    assert isinstance(toggle, widgets.ToggleButtons)
    assert list(toggle.options) == ["\u03b7 = 0.1000 (slow)", "\u03b7 = 0.4000 (fast)"]
    assert slider.max == 6 and slider.description == "Step"
    inner = [st for st in stacks_of(root) if all("bp-step" in c._dom_classes for c in st.children)]
    outer = [st for st in stacks_of(root) if st not in inner]
    assert len(inner) == 2 and len(outer) == 1
    assert linked(toggle, "index", outer[0], "selected_index")
    for st in inner:
        assert len(st.children) == 7
        assert linked(slider, "value", st, "selected_index")


# ---------------------------------------------------------------------------------------
# The widget structure every flat stepper shares.

FLAT = [
    ("forward", lambda: steppers.forward_stepper(EX.net, EX.x)),
    ("output-delta", lambda: steppers.output_delta_stepper(EX.net, EX.x, EX.y)),
    ("hidden-delta", lambda: steppers.hidden_delta_stepper(EX.net, EX.x, EX.y)),
    ("gradient", lambda: steppers.gradient_stepper(EX.net, EX.x, EX.y)),
    ("training-step", lambda: steppers.training_step_stepper(EX.net, EX.x, EX.y, 0.5)),
]


@pytest.mark.parametrize("kind, make", FLAT, ids=[k for k, _ in FLAT])
def test_flat_stepper_widget_structure(kind, make):
    s = make()
    root = s.widget
    assert root is s.widget and s.kind == kind
    assert {"bp-stepper", f"bp-stepper-{kind}"} <= set(root._dom_classes)
    slider = one(root, "bp-step-slider")
    prev, nxt = one(root, "bp-prev"), one(root, "bp-next")
    assert isinstance(slider, widgets.IntSlider) and slider.description == "Step"
    assert (slider.min, slider.max, slider.value) == (0, len(s.steps) - 1, 0)
    assert (prev.description, nxt.description) == ("Previous", "Next")
    assert prev.tooltip and nxt.tooltip
    [stack] = stacks_of(root)
    assert len(stack.children) == len(s.steps)
    assert all("bp-step" in view._dom_classes for view in stack.children)
    assert len(with_class(root, "bp-step")) == len(s.steps)
    assert linked(slider, "value", stack, "selected_index")
    # each view: the HTMLMath with the step's text, then its picture
    for view, step in zip(stack.children, s.steps):
        math, image = view.children
        assert isinstance(math, widgets.HTMLMath) and isinstance(image, widgets.Image)
        assert step.latex in math.value and "bp-alt" in math.value
        assert image.value == step.png and "bp-figure" in image._dom_classes
    # equal pictures share one Image widget, so the page holds each PNG once
    images = {id(v.children[1]) for v in stack.children}
    assert len(images) == len({st.png for st in s.steps})
    # in a live kernel the buttons move the slider, and stop at the ends
    nxt.click()
    assert slider.value == 1
    prev.click()
    prev.click()
    assert slider.value == 0
    slider.value = slider.max
    nxt.click()
    assert slider.value == slider.max
    # a cell ending in the stepper displays the widget
    assert "application/vnd.jupyter.widget-view+json" in s._repr_mimebundle_()


@pytest.mark.parametrize("kind, make", FLAT, ids=[k for k, _ in FLAT])
def test_text_is_well_formed_math(kind, make):
    """Every $...$ and $$...$$ closes and its braces balance, so MathJax typesets it."""
    for step in make().steps:
        text = re.sub(r"<[^>]+>", "", step.latex)
        displays = text.split("$$")
        assert len(displays) % 2 == 1, step.title
        inline = "".join(displays[0::2]).split("$")
        assert len(inline) % 2 == 1, step.title
        for math in displays[1::2] + inline[1::2]:
            depth = 0
            for ch in re.sub(r"\\[{}]", "", math):
                depth += {"{": 1, "}": -1}.get(ch, 0)
                assert depth >= 0, (step.title, math)
            assert depth == 0, (step.title, math)
        assert "&" not in re.sub(r"&(amp|lt|gt);", "", step.latex), step.title


# ---------------------------------------------------------------------------------------
# Size: small pictures, and each stepper well within a page's budget.

ALL = FLAT + [
    ("nudge", lambda: steppers.nudge_explorer(EX.net, EX.x, EX.y)),
    ("cost-surface", lambda: steppers.cost_surface_stepper()),
]


@pytest.mark.parametrize("kind, make", ALL, ids=[k for k, _ in ALL])
def test_pictures_are_small_opaque_pngs_and_the_state_fits(kind, make):
    s = make()
    images = [w for w in descendants(s.widget) if isinstance(w, widgets.Image)]
    assert images
    for image in images:
        png = image.value
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(png) <= 25_000
        pic = Image.open(io.BytesIO(png))
        assert "A" not in pic.getbands() and "transparency" not in pic.info   # opaque
        rgb = pic.convert("RGB")
        assert rgb.getpixel((0, 0)) == (255, 255, 255)                       # white ground
        assert rgb.size[0] <= 620
    state = dependency_state([s.widget])
    size = len(json.dumps({"version_major": 2, "version_minor": 0, "state": state}))
    assert size < steppers.MAX_EMBED_BYTES


def test_identical_pictures_are_drawn_once():
    a = diagrams.network_png((2, 2), nodes={(0, 0): 0.5}, edges={(1, 0, 1): -0.3})
    b = diagrams.network_png((2, 2), nodes={(0, 0): 0.5}, edges={(1, 0, 1): -0.3})
    assert a is b


def test_format_number_keeps_four_significant_digits():
    assert [format_number(v) for v in (0.15, -0.10, 0.37754, 1234.5, 0.0)] == [
        "0.1500", "-0.1000", "0.3775", "1234", "0"]
    assert format_number(-2.5e-7, latex=True) == r"-2.500 \times 10^{-7}"


# ---------------------------------------------------------------------------------------
# Input validation.

def test_rejects_what_is_not_a_network():
    with pytest.raises(TypeError, match=r"forward_stepper needs a bpcore.Network as net, got list"):
        steppers.forward_stepper([np.eye(2)], [0.0, 0.0])


def test_rejects_networks_too_large_to_draw():
    wide = bpcore.Network.random([2, 9, 1], seed=0)
    with pytest.raises(ValueError, match=r"at most 8 neurons per layer, but layer 1 of this "
                                         r"network has 9.*Network.random\(\[2, 3, 2\]\)"):
        steppers.forward_stepper(wide, [0.0, 0.0])
    deep = bpcore.Network.random([2, 2, 2, 2, 2, 2], seed=0)
    with pytest.raises(ValueError, match=r"at most 4 layers with weights, but this network "
                                         r"has L = 5"):
        steppers.gradient_stepper(deep, [0.0, 0.0], [0.0, 0.0])
    digits = bpcore.Network.random([64, 8, 10], seed=0)
    with pytest.raises(ValueError, match=r"layer 0 of this network has 64"):
        steppers.nudge_explorer(digits, np.zeros(64), np.zeros(10))


def test_rejects_more_than_one_sample_and_bad_shapes():
    with pytest.raises(ValueError, match=r"follows one sample, but x has 3 columns.*x\[:, \[0\]\]"):
        steppers.forward_stepper(EX.net, np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"x has shape \(3,\) but should be \(2, m\)"):
        steppers.forward_stepper(EX.net, [0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match=r"y has shape \(3,\)"):
        steppers.output_delta_stepper(EX.net, EX.x, [0.0, 1.0, 0.0])


def test_rejects_losses_that_do_not_fit_the_output():
    relu_out = bpcore.Network.random([2, 2], "relu", seed=0)
    with pytest.raises(ValueError, match=r"loss 'cross_entropy' needs outputs in \(0, 1\)"):
        steppers.output_delta_stepper(relu_out, [0.0, 1.0], [0.0, 1.0], "cross_entropy")
    with pytest.raises(ValueError, match=r"unknown loss 'hinge'"):
        steppers.gradient_stepper(EX.net, EX.x, EX.y, "hinge")


def test_hidden_stepper_needs_a_hidden_layer():
    net = bpcore.Network.random([2, 2], seed=0)
    with pytest.raises(ValueError, match=r"needs a hidden layer, but this network has L = 1"):
        steppers.hidden_delta_stepper(net, [0.0, 1.0], [0.0, 1.0])


def test_rejects_bad_learning_rates():
    with pytest.raises(ValueError, match=r"learning_rate must be a positive number, got -0.1"):
        steppers.training_step_stepper(EX.net, EX.x, EX.y, -0.1)
    with pytest.raises(TypeError, match=r"learning_rate must be a positive number, got str"):
        steppers.training_step_stepper(EX.net, EX.x, EX.y, "0.1")
    with pytest.raises(ValueError, match=r"every learning rate must be a positive number"):
        steppers.cost_surface_stepper(learning_rates=[0.1, 0.0])
    with pytest.raises(ValueError, match=r"give 1 to 4 learning rates"):
        steppers.cost_surface_stepper(learning_rates=[0.1] * 5)


def test_nudge_explorer_rejects_bad_weights_and_nudges():
    with pytest.raises(ValueError, match=r"cannot read the weight 'w2_13'.*'w\^2_13'"):
        steppers.nudge_explorer(EX.net, EX.x, EX.y, weights=["w2_13"])
    with pytest.raises(ValueError, match=r"no weight w\^3_11: layers with weights are 1 to 2"):
        steppers.nudge_explorer(EX.net, EX.x, EX.y, weights=["w^3_11"])
    with pytest.raises(ValueError, match=r"no weight w\^2_31: W\^2 has shape \(2, 3\)"):
        steppers.nudge_explorer(EX.net, EX.x, EX.y, weights=[(2, 3, 1)])
    with pytest.raises(ValueError, match=r"repeated entries"):
        steppers.nudge_explorer(EX.net, EX.x, EX.y, weights=["w^2_13", (2, 1, 3)])
    with pytest.raises(ValueError, match=r"a nudge of 0 changes nothing"):
        steppers.nudge_explorer(EX.net, EX.x, EX.y, nudges=(0.1, 0.0))
    with pytest.raises(ValueError, match=r"nudges has repeated values"):
        steppers.nudge_explorer(EX.net, EX.x, EX.y, nudges=(0.1, 0.1))
    with pytest.raises(TypeError, match=r"every nudge must be a finite number"):
        steppers.nudge_explorer(EX.net, EX.x, EX.y, nudges=(0.1, float("nan")))
    with pytest.raises(TypeError, match=r"nudges must be a non-empty list"):
        steppers.nudge_explorer(EX.net, EX.x, EX.y, nudges=())


def test_cost_surface_rejects_bad_arguments():
    with pytest.raises(ValueError, match=r"unknown surface 'saddle'"):
        steppers.cost_surface_stepper("saddle")
    with pytest.raises(TypeError, match=r"give grad_fn\(p1, p2\)"):
        steppers.cost_surface_stepper(lambda a, b: a * a + b * b, start=(1, 1))
    with pytest.raises(ValueError, match=r"give the start point"):
        steppers.cost_surface_stepper(lambda a, b: a * a, lambda a, b: (2 * a, 0.0))
    with pytest.raises(ValueError, match=r"grad_fn must return two numbers"):
        steppers.cost_surface_stepper(lambda a, b: a * a, lambda a, b: 2 * a, start=(1, 1))
    with pytest.raises(ValueError, match=r"with net, give the sample too: x and y"):
        steppers.cost_surface_stepper(net=EX.net)
    with pytest.raises(ValueError, match=r"two different weights"):
        steppers.cost_surface_stepper(net=EX.net, x=EX.x, y=EX.y, weights=("w^2_11", "w^2_11"))
    with pytest.raises(ValueError, match=r"exactly two weights"):
        steppers.cost_surface_stepper(net=EX.net, x=EX.x, y=EX.y, weights=("w^2_11",))
    with pytest.raises(ValueError, match=r"would show 164 views for this network, more than "
                                         r"the 150.*fewer steps or learning rates"):
        steppers.cost_surface_stepper(steps=40, learning_rates=[0.1, 0.2, 0.3, 0.4])
    with pytest.raises(ValueError, match=r"would embed about 819 KB \(63 contour plots\)"):
        steppers.cost_surface_stepper(steps=20)
    with pytest.raises(ValueError, match=r"start must be two finite numbers"):
        steppers.cost_surface_stepper(start=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match=r"extent must be"):
        steppers.cost_surface_stepper(extent=((1.0, 0.0), (0.0, 1.0)))


def test_stepper_widget_checks_its_input():
    step = steppers.Step("One", "<p>$a = 1$</p>")
    w = steppers.stepper_widget([step, step], "Two views", "demo")
    assert {"bp-stepper", "bp-stepper-demo"} <= set(w._dom_classes)
    assert one(w, "bp-step-slider").max == 1
    with pytest.raises(TypeError, match=r"steps must hold bpcore.steppers.Step objects.*got a str"):
        steppers.stepper_widget(["<p>text</p>"], "Bad")
    with pytest.raises(ValueError, match=r"kind names a CSS class.*got 'Forward Pass'"):
        steppers.stepper_widget([step], "Bad", "Forward Pass")
    with pytest.raises(ValueError, match=r"every choice needs the same, non-zero number of "
                                         r"steps; got \[2, 1\]"):
        steppers.stepper_widget([[step, step], [step]], "Bad", choices=["a", "b"])


def test_refuses_a_stepper_over_the_page_budget(monkeypatch):
    monkeypatch.setattr(steppers, "MAX_EMBED_BYTES", 50_000)
    with pytest.raises(ValueError, match=r"would embed about \d+ KB in the page, more than "
                                         r"the 50 KB a stepper may use.*MAX_EMBED_BYTES = None"):
        steppers.forward_stepper(EX.net, EX.x)
    monkeypatch.setattr(steppers, "MAX_EMBED_BYTES", None)     # a reader's own notebook
    assert len(steppers.forward_stepper(EX.net, EX.x).steps) == 22


def test_refuses_too_many_views_before_drawing(monkeypatch):
    def no_drawing(*args, **kwargs):
        raise AssertionError("drew a picture before counting the views")
    monkeypatch.setattr(steppers, "network_png", no_drawing)
    monkeypatch.setattr(steppers, "nudge_png", no_drawing)
    big = bpcore.Network.random([8, 8, 8, 8, 8], seed=0)
    with pytest.raises(ValueError, match=r"gradient_stepper would show 265 views for this "
                                         r"network, more than the 150"):
        steppers.gradient_stepper(big, np.zeros(8), np.zeros(8))
    with pytest.raises(ValueError, match=r"nudge_explorer would show 1536 views.*256 weights "
                                         r"and you gave 6 nudges; pick fewer weights"):
        steppers.nudge_explorer(big, np.zeros(8), np.zeros(8))
