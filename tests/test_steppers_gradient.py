"""bpcore.steppers.gradient: BP3 and BP4 entry by entry, against backprop and central
differences."""
import re

import numpy as np
import pytest

import bpcore
from bpcore import steppers
from test_steppers_forward import EX, TOL, softmax_net


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
