"""bpcore.steppers.checks: what every stepper refuses, with messages that say what to do,
and the page budget, which a reader can lift with bpcore.steppers.MAX_EMBED_BYTES = None."""
import importlib

import numpy as np
import pytest

import bpcore
from bpcore import steppers
from bpcore.steppers import checks

EX = bpcore.examples.running_example()


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
    with pytest.raises(TypeError, match=r"learning_rates must be a list of positive numbers"):
        steppers.cost_surface_stepper(learning_rates="0.1")
    with pytest.raises(ValueError, match=r"repeated entry: \u03b7 = 0.1000"):
        steppers.cost_surface_stepper(learning_rates=[0.1, 0.1])


def test_rate_labels():
    assert checks.check_rates({"slow": 0.1}) == {"\u03b7 = 0.1000 (slow)": 0.1}
    assert checks.check_rates([2]) == {"\u03b7 = 2.0000": 2.0}


def test_weights_are_read_in_the_books_numbering():
    net = EX.net
    assert checks.parse_weight("w^2_13", net) == (2, 1, 3)
    assert checks.parse_weight("w^{1}_{21}", net) == (1, 2, 1)
    assert checks.parse_weight((2, 2, 3), net) == (2, 2, 3)
    assert checks.parse_weights(None, net)[:2] == [(1, 1, 1), (1, 1, 2)]
    assert len(checks.parse_weights(None, net)) == sum(W.size for W in net.weights)
    assert checks.parse_weights("w^2_11", net) == [(2, 1, 1)]
    with pytest.raises(TypeError, match=r"a weight is a name like 'w\^2_13' or a tuple"):
        checks.parse_weight(2.5, net)
    with pytest.raises(TypeError, match=r"weights must be None or a non-empty list"):
        checks.parse_weights([], net)


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
    with pytest.raises(ValueError, match=r"either net .* or cost_fn, not both"):
        steppers.cost_surface_stepper("valley", net=EX.net, x=EX.x, y=EX.y)
    with pytest.raises(ValueError, match=r"grad_fn goes with a callable cost_fn"):
        steppers.cost_surface_stepper("bowl", lambda a, b: (a, b))
    with pytest.raises(TypeError, match=r"cost_fn must be None, 'valley', 'bowl' or a callable"):
        steppers.cost_surface_stepper(3.0)
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
    with pytest.raises(ValueError, match=r"steps must be a positive integer"):
        steppers.cost_surface_stepper(steps=0)


def test_refuses_a_stepper_over_the_page_budget(monkeypatch):
    monkeypatch.setattr(steppers, "MAX_EMBED_BYTES", 50_000)
    with pytest.raises(ValueError, match=r"would embed about \d+ KB in the page, more than "
                                         r"the 50 KB a stepper may use.*MAX_EMBED_BYTES = None"):
        steppers.forward_stepper(EX.net, EX.x)
    monkeypatch.setattr(steppers, "MAX_EMBED_BYTES", None)     # a reader's own notebook
    assert len(steppers.forward_stepper(EX.net, EX.x).steps) == 22


def test_setting_the_limit_as_documented_lifts_it():
    """``bpcore.steppers.MAX_EMBED_BYTES = None``, as the refusal says, with no monkeypatch:
    every stepper reads the package's value when it is built, the cost surface's early
    estimate included."""
    saved = bpcore.steppers.MAX_EMBED_BYTES
    try:
        bpcore.steppers.MAX_EMBED_BYTES = 1_000
        assert checks.embed_limit() == 1_000
        with pytest.raises(ValueError, match=r"more than the 1 KB a stepper may use"):
            steppers.cost_surface_stepper(steps=1, learning_rates=[0.1])
        bpcore.steppers.MAX_EMBED_BYTES = None
        s = steppers.cost_surface_stepper(steps=20, learning_rates=[0.1, 0.2, 0.3])
        assert len(s.steps) == 63
    finally:
        bpcore.steppers.MAX_EMBED_BYTES = saved
    assert checks.embed_limit() == 600_000


def test_refuses_too_many_views_before_drawing(monkeypatch):
    def no_drawing(*args, **kwargs):
        raise AssertionError("drew a picture before counting the views")
    monkeypatch.setattr(importlib.import_module("bpcore.steppers.pictures"), "network_png",
                        no_drawing)
    monkeypatch.setattr(importlib.import_module("bpcore.steppers.nudge"), "nudge_png",
                        no_drawing)
    big = bpcore.Network.random([8, 8, 8, 8, 8], seed=0)
    with pytest.raises(ValueError, match=r"gradient_stepper would show 265 views for this "
                                         r"network, more than the 150"):
        steppers.gradient_stepper(big, np.zeros(8), np.zeros(8))
    with pytest.raises(ValueError, match=r"nudge_explorer would show 1536 views.*256 weights "
                                         r"and you gave 6 nudges; pick fewer weights"):
        steppers.nudge_explorer(big, np.zeros(8), np.zeros(8))
