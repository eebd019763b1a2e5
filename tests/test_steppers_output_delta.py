"""bpcore.steppers.output_delta: every factor of BP1 against bpcore and against central
differences on z^L, an oracle independent of BP1's formulas."""
import numpy as np
import pytest

import bpcore
from bpcore import steppers
from bpcore.activations import ACTIVATIONS, sigmoid, softmax_jacobian
from test_steppers_cost_surface import numeric_cost_gradient
from test_steppers_forward import EX, TOL, X3, softmax_net


def dC_dz_numeric(net, x, y, loss):
    """dC/dz^L by central differences on z^L itself, through the output activation and
    the loss: an oracle independent of BP1's formulas."""
    fp = bpcore.forward(net, x)
    L = net.n_layers
    f = ACTIVATIONS[net.activations[L - 1]].f

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
        np.testing.assert_allclose(values["f'(z^L)"], ACTIVATIONS[out_act].prime(z), rtol=1e-12)
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
    assert s.title == "BP1 with the mse cost"


def test_softmax_shortcut_explains_the_cancellation():
    s = steppers.output_delta_stepper(softmax_net(), [0.5, -1.0], [0, 1, 0], "cross_entropy")
    text = s.steps[-1].latex
    assert r"\sum_i y_i = 1" in text and r"a^{L}_i (\mathbb{1}[i = j] - a^{L}_j)" in text
    assert r"\delta_{ij}" not in text  # the error is the only delta
    assert "Jacobian" in s.steps[2].title
    assert s.title == "BP1 for softmax with the cross_entropy cost"


def test_sigmoid_with_cross_entropy_notes_the_cancelled_a():
    s = steppers.output_delta_stepper(EX.net, EX.x, EX.y, "cross_entropy")
    assert "the a cancels" in s.steps[-1].latex
