"""bpcore.steppers.hidden_delta: BP2's deltas against bpcore and, since for one sample
delta^l = dC/db^l, against central differences on the biases."""
import numpy as np
import pytest

import bpcore
from bpcore import steppers
from test_steppers_forward import EX, TOL, X3, mixed_net


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


def test_relu_derivative_says_why():
    s = steppers.hidden_delta_stepper(mixed_net(), X3, [0.0, 1.0], "binary_cross_entropy")
    relu_views = [st for st in s.steps if st.title.startswith("Layer 1, neuron")
                  and st.title.endswith("times f'(z)")]
    z1 = bpcore.forward(mixed_net(), X3).zs[0]
    for step, z in zip(relu_views, z1):
        # > is escaped for the HTML
        assert (r"= 1 \text{ because } z &gt; 0" in step.latex) == (z > 0)
        assert (r"= 0 \text{ because } z \le 0" in step.latex) == (z <= 0)
