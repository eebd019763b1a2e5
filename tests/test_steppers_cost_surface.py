"""bpcore.steppers.cost_surface and .surfaces: paths against a gradient-descent loop
written here, the network's gradient against central differences."""
import ipywidgets as widgets
import numpy as np
import pytest

import bpcore
from bpcore import steppers
from bpcore.steppers.surfaces import default_extent, verdict

EX = bpcore.examples.running_example()
TOL = dict(rtol=1e-12, atol=1e-14)


def numeric_cost_gradient(f, p, eps=1e-6):
    """Central differences of f at p, an independent check on a gradient."""
    p = np.asarray(p, dtype=float)
    out = np.zeros_like(p)
    for i in range(p.size):
        e = np.zeros_like(p)
        e.flat[i] = eps
        out.flat[i] = (f(p + e) - f(p - e)) / (2 * eps)
    return out


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


def test_bowl_is_round():
    s = steppers.cost_surface_stepper("bowl", steps=3)
    for label, eta in s.learning_rates.items():
        np.testing.assert_allclose(s.paths[label], gd_loop(lambda p: p, (-2.0, 1.5), eta, 3),
                                   **TOL)


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

    path = s.paths["\u03b7 = 5.0000"]
    np.testing.assert_allclose(path, gd_loop(grad, (0.40, 0.25), 5.0, 4), **TOL)
    # and the gradient itself agrees with central differences of the cost
    cost_at = lambda p: bpcore.cost(net_at(p), EX.x, EX.y)
    np.testing.assert_allclose(grad(path[2]), numeric_cost_gradient(cost_at, path[2]),
                               rtol=1e-6)
    np.testing.assert_allclose(s.costs["\u03b7 = 5.0000"], [cost_at(p) for p in path], **TOL)


def test_callable_surface_and_its_widget():
    from test_steppers_view import inner_and_outer_stacks, linked, one
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
    inner, outer = inner_and_outer_stacks(root)
    assert len(inner) == 2 and len(outer) == 1
    assert linked(toggle, "index", outer[0], "selected_index")
    for st in inner:
        assert len(st.children) == 7
        assert linked(slider, "value", st, "selected_index")


def test_verdict_names_what_the_path_did():
    assert "diverges" in verdict(np.array([1.0, 2.0]), np.array([1.0, 2.0]))
    assert "converged" in verdict(np.array([1.0, 0.1]), np.array([1.0, 0.001]))
    assert "zigzags" in verdict(np.array([1.0, 0.5, 0.6, 0.4]), np.array([1.0, 1.0, 1.0, 0.5]))
    assert "more steps" in verdict(np.array([1.0, 0.9]), np.array([1.0, 0.9]))


def test_default_extent_holds_the_calm_paths():
    start = np.array([0.0, 0.0])
    paths = [np.array([[0.0, 0.0], [1.0, 2.0]]), np.array([[0.0, 0.0], [100.0, 0.0]])]
    (x0, x1), (y0, y1) = default_extent(start, paths)
    assert x0 < 0.0 and x1 >= 1.0 and y0 < 0.0 and y1 > 2.0     # the calm path inside
    assert x1 < 100.0                                           # the diverging one may leave
