"""Adding an activation is one call: register a leaky ReLU and every part of bpcore takes it.

The engine trains with it, the gradient check agrees with backprop, sympy differentiates a
network that uses it to the same numbers, and the steppers show its formula.
"""
import numpy as np
import pytest
import sympy

import bpcore
from bpcore import activations, losses, steppers, symbolic

ALPHA = 0.1


@pytest.fixture
def leaky_relu():
    record = activations.register(activations.Activation(
        name="leaky_relu",
        f=lambda z: np.where(z > 0, z, ALPHA * z),
        prime=lambda z: np.where(z > 0, 1.0, ALPHA),
        tex=r"\operatorname{lrelu}",
        sympy=lambda u: sympy.Piecewise((u, u > 0), (ALPHA * u, True)),
        kink=f"f'(0) = {ALPHA}, the slope of the left piece",
        gain=2.0 / (1.0 + ALPHA ** 2)))
    yield record
    del activations.ACTIVATIONS["leaky_relu"]


def _problem():
    rng = np.random.default_rng(5)
    net = bpcore.Network.random([2, 3, 2], ["leaky_relu", "sigmoid"], seed=rng)
    net = net.replace(biases=[rng.normal(size=b.shape) for b in net.biases])
    return net, rng.normal(size=(2, 4)), rng.uniform(0.1, 0.9, size=(2, 4))


def test_engine_and_gradient_check_accept_it(leaky_relu):
    net, x, y = _problem()
    grads = bpcore.backprop(net, x, y, "mse")
    check = bpcore.numerical_gradients(net, x, y, "mse")
    assert bpcore.relative_error(grads, check) < 1e-7
    result = bpcore.train(net, x, y, epochs=50, learning_rate=0.5, rng=0)
    assert result.loss[-1] < result.initial_loss
    # and it is a valid output for the quadratic cost, not for the log losses
    assert ("leaky_relu", "mse") in losses.pairs()
    assert ("leaky_relu", "cross_entropy") not in losses.pairs()


def test_sympy_differentiates_it_to_the_same_numbers(leaky_relu):
    net, x, y = _problem()
    sym = symbolic.SymbolicNetwork(net.sizes, net.activations, "mse")
    values = sym.numeric(net, x, y)
    grads = bpcore.backprop(net, x, y, "mse")
    np.testing.assert_allclose(values.gradients.flat(), grads.flat(), rtol=1e-10)


def test_steppers_show_it(leaky_relu):
    net, x, y = _problem()
    forward = steppers.forward_stepper(net, x[:, [0]])
    assert any(r"\operatorname{lrelu}" in step.latex for step in forward.steps)
    hidden = steppers.hidden_delta_stepper(net, x[:, [0]], y[:, [0]])
    fp = bpcore.forward(net, x[:, [0]])
    want = leaky_relu.prime(fp.z(1))[:, 0]
    shown = [step.values[f"f'(z^1_{j + 1})"] for j in range(3)
             for step in hidden.steps if f"f'(z^1_{j + 1})" in step.values]
    np.testing.assert_allclose(shown, want)


def test_the_registry_forgets_it_after_the_test():
    with pytest.raises(ValueError, match="unknown activation 'leaky_relu'"):
        bpcore.Network.random([2, 2], "leaky_relu")
