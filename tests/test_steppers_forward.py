"""bpcore.steppers.forward: the forward stepper shows bpcore's numbers, checked against
hand-worked numbers and bpcore.forward.  The small networks here serve the other stepper
tests too."""
import re

import numpy as np
import pytest

import bpcore
from bpcore import steppers
from bpcore.tex import format_number

EX = bpcore.examples.running_example()
TOL = dict(rtol=1e-12, atol=1e-14)
X3 = np.array([0.5, -1.0, 2.0])


def softmax_net():
    net = bpcore.Network.random([2, 3, 3], ["tanh", "softmax"], seed=1)
    return net.replace(biases=[np.array([0.1, -0.2, 0.3]), np.array([0.2, 0.0, -0.1])])


def mixed_net():
    net = bpcore.Network.random([3, 4, 2, 2], ["relu", "tanh", "sigmoid"], seed=3)
    return net.replace(biases=[np.array([0.1, -0.3, 0.2, 0.05]), np.array([0.1, -0.1]),
                               np.array([0.3, -0.2])])


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
    assert "0.0075 + 0.0200 + 0.3500 = 0.3775" in z11.latex
    # the a step writes the sigmoid out with the numbers
    a11 = next(st for st in s.steps if st.title == "Layer 1, neuron 1: a")
    assert r"\frac{1}{1 + e^{-0.3775}} = 0.5933" in a11.latex


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


def test_forward_softmax_layer_computes_every_z_first():
    s = steppers.forward_stepper(softmax_net(), [0.5, -1.0])
    titles = [st.title for st in s.steps]
    # layer 2 (softmax): three z views per neuron, then the three a views together
    assert titles[-4:-1] == [f"Layer 2, neuron {j}: a (softmax)" for j in (1, 2, 3)]
    z = bpcore.forward(softmax_net(), np.array([0.5, -1.0])).zs[1]
    assert s.steps[-2].values["sum of exponentials / e^max"] == pytest.approx(
        np.exp(z - z.max()).sum(), rel=1e-14)


def test_forward_shows_each_result_in_the_text():
    s = steppers.forward_stepper(EX.net, EX.x)
    fp = bpcore.forward(EX.net, EX.x.ravel())
    for step in s.steps:
        for key, value in step.values.items():
            if re.fullmatch(r"[za]\^[12]_\d", key) and (": z" in step.title or ": a" in step.title):
                if key[0] == step.title[-1]:
                    assert f"= {format_number(value, latex=True)}$$" in step.latex
    assert format_number(fp.output[0], latex=True) in s.steps[-1].latex
