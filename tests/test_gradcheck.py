"""numerical_gradients and relative_error: central differences of the cost, and the
comparison of two sets of gradients."""
import numpy as np
import pytest

import bpcore


def test_numerical_gradients_of_a_column_major_network():
    # a network built from transposed (Fortran-ordered) arrays, as the notation converters do
    W = np.asfortranarray([[.1, .2], [.3, .4], [.5, -.6]])
    net = bpcore.Network([W, np.ones((1, 3))], [np.zeros(3), np.zeros(1)], "sigmoid")
    x, y = np.array([[1.0], [2.0]]), np.array([[0.3]])
    numeric = bpcore.numerical_gradients(net, x, y)
    assert np.abs(numeric.weights[0]).max() > 1e-3
    assert bpcore.relative_error(numeric, bpcore.backprop(net, x, y)) < 1e-8


def test_central_differences_have_an_eps_squared_error_on_a_smooth_cost():
    # one sigmoid neuron: the analytic gradient is known, and halving eps quarters the error
    net = bpcore.Network([np.array([[0.7]])], [np.array([-0.2])], "sigmoid")
    x, y = np.array([[1.5]]), np.array([[0.1]])
    exact = bpcore.backprop(net, x, y).flat()
    errors = [np.abs(bpcore.numerical_gradients(net, x, y, eps=eps).flat() - exact).max()
              for eps in (1e-2, 5e-3)]
    assert errors[1] == pytest.approx(errors[0] / 4, rel=0.05)


def test_relative_error_is_zero_for_equal_and_symmetric():
    net = bpcore.Network.random([2, 3, 1], seed=1)
    x, y = np.array([[0.1], [0.9]]), np.array([[0.4]])
    g = bpcore.backprop(net, x, y)
    assert bpcore.relative_error(g, g) == 0.0
    h = bpcore.numerical_gradients(net, x, y)
    assert bpcore.relative_error(g, h) == bpcore.relative_error(h, g)
    with pytest.raises(ValueError, match="cannot compare gradients of"):
        bpcore.relative_error(g, np.zeros(3))
