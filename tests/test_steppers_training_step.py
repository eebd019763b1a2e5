"""bpcore.steppers.training_step: one update, against an update written here."""
import numpy as np
import pytest

import bpcore
from bpcore import steppers
from test_steppers_forward import EX, TOL


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
    np.testing.assert_allclose(values["network"].weights[0], W_new[0], **TOL)


def test_training_step_too_large_rate_raises_the_cost():
    # z = w x + b with x = 1, y = 0: one step multiplies z by (1 - 2 eta); eta = 1.5 doubles
    # |z| and quadruples the cost
    net = bpcore.Network([np.array([[1.0]])], [np.array([0.5])], "identity")
    s = steppers.training_step_stepper(net, [1.0], [0.0], 1.5)
    v = s.steps[-1].values
    assert v["C_before"] == pytest.approx(0.5 * 1.5 ** 2)
    assert v["C_after"] == pytest.approx(4 * v["C_before"])
    assert "too large" in s.steps[-1].latex
