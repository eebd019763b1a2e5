"""Tests for bpcore.jacobians.

Oracles: central finite differences written out here (not numerical_jacobian, which is
itself under test), sympy's derivation of the softmax Jacobian, BP2 as bpcore computes it.
(The reference answers of chapters 9 and 10 are tested in tests/test_exercises_catalog.py.)
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bpcore
from bpcore import jacobians, symbolic
from bpcore.activations import ACTIVATIONS, softmax


def _fd_columns(f, u, eps=1e-6):
    """Central differences of a vector function, column by column (the test's own oracle)."""
    cols = []
    for s in range(u.size):
        e = np.zeros_like(u)
        e[s] = eps
        cols.append((f(u + e) - f(u - e)) / (2 * eps))
    return np.stack(cols, axis=1)


def _layer_map(net, l):
    """z^l -> z^{l+1} for one sample, 1-D in and out."""
    f = ACTIVATIONS[net.activations[l - 1]].f
    return lambda z: net.weights[l] @ f(z[:, None])[:, 0] + net.biases[l]


def _random_case(seed, sizes, hidden):
    rng = np.random.default_rng(seed)
    acts = [hidden] * (len(sizes) - 2) + ["softmax"]
    net = bpcore.Network.random(sizes, acts, seed=rng)
    x = rng.normal(size=sizes[0])
    y = np.zeros(sizes[-1])
    y[rng.integers(sizes[-1])] = 1.0
    return net, x, y


# --------------------------------------------------------------------------------------
# activation_jacobian

@pytest.mark.parametrize("name", ["sigmoid", "tanh", "identity", "relu", "softmax"])
def test_activation_jacobian_matches_finite_differences(name):
    z = np.array([0.7, -1.3, 0.2, 2.1])
    f = ACTIVATIONS[name].f
    fd = _fd_columns(lambda u: f(u[:, None])[:, 0], z)
    np.testing.assert_allclose(jacobians.activation_jacobian(name, z), fd, atol=1e-8)


def test_elementwise_jacobian_is_diagonal_and_relu_uses_zero_at_the_kink():
    J = jacobians.activation_jacobian("relu", np.array([-1.0, 0.0, 3.0]))
    np.testing.assert_array_equal(J, np.diag([0.0, 0.0, 1.0]))


def test_softmax_jacobian_matches_sympy_and_has_its_structure():
    z = np.array([0.5, -0.2, 1.1])
    J = jacobians.activation_jacobian("softmax", z[:, None])   # a column works too
    derived = symbolic.softmax_jacobian(3)
    assert derived.holds
    np.testing.assert_allclose(J, derived.evaluate(*z), atol=1e-14)
    np.testing.assert_allclose(J, J.T, atol=1e-15)
    np.testing.assert_allclose(J.sum(axis=1), 0.0, atol=1e-15)


# --------------------------------------------------------------------------------------
# layer_jacobian and jacobian_chain

@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "identity"])
def test_layer_jacobian_matches_finite_differences_of_the_layer_map(hidden):
    net, x, _ = _random_case(3, [3, 4, 5, 2], hidden)
    zs = bpcore.forward(net, x).zs
    for l in (1, 2):
        fd = _fd_columns(_layer_map(net, l), zs[l - 1])
        got = jacobians.layer_jacobian(net, x, l)
        assert got.shape == (net.sizes[l + 1], net.sizes[l])
        np.testing.assert_allclose(got, fd, atol=1e-8)


def test_running_example_layer_jacobian_by_hand():
    ex = bpcore.examples.running_example()
    z1 = bpcore.forward(ex.net, ex.x).zs[0][:, 0]
    s = 1 / (1 + np.exp(-z1))
    by_hand = np.array([[ex.net.weights[1][r, c] * s[c] * (1 - s[c]) for c in range(3)]
                        for r in range(2)])
    np.testing.assert_allclose(jacobians.layer_jacobian(ex.net, ex.x, 1), by_hand, rtol=1e-13)


def test_chain_matches_finite_differences_of_the_composed_map():
    net, x, _ = _random_case(5, [2, 3, 4, 3, 2], "tanh")
    z1 = bpcore.forward(net, x).zs[0]

    def z1_to_z4(z):
        for l in (1, 2, 3):
            z = _layer_map(net, l)(z)
        return z

    np.testing.assert_allclose(jacobians.jacobian_chain(net, x, 1, 4),
                               _fd_columns(z1_to_z4, z1), atol=1e-8)
    np.testing.assert_array_equal(jacobians.jacobian_chain(net, x, 3, 3), np.eye(3))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000),
       sizes=st.lists(st.integers(1, 5), min_size=3, max_size=5),
       hidden=st.sampled_from(["sigmoid", "tanh", "relu", "identity"]))
def test_transposed_chain_times_output_delta_is_bp2(seed, sizes, hidden):
    sizes[-1] = max(sizes[-1], 2)
    net, x, y = _random_case(seed, sizes, hidden)
    fp = bpcore.forward(net, x)
    deltas = bpcore.hidden_deltas(net, fp, bpcore.output_delta(net, fp, y, "cross_entropy"))
    L = net.n_layers
    for k in range(1, L + 1):
        T = jacobians.jacobian_chain(net, x, k, L)
        np.testing.assert_allclose(T.T @ deltas[L - 1], deltas[k - 1], atol=1e-12)
        if k < L:
            np.testing.assert_allclose(
                T, jacobians.jacobian_chain(net, x, k + 1, L)
                @ jacobians.layer_jacobian(net, x, k), atol=1e-12)


def test_jacobians_do_not_change_the_callers_arrays():
    ex = bpcore.examples.running_example()
    x = ex.x.copy()
    jacobians.jacobian_chain(ex.net, x, 1, 2)
    np.testing.assert_array_equal(x, ex.x)
    u = np.array([1.0, 2.0])
    jacobians.numerical_jacobian(lambda v: v * 2.0, u)
    np.testing.assert_array_equal(u, [1.0, 2.0])


# --------------------------------------------------------------------------------------
# numerical_jacobian

def test_numerical_jacobian_is_exact_for_a_linear_map_and_close_for_sin():
    A = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, 4.0]])
    np.testing.assert_allclose(jacobians.numerical_jacobian(lambda u: A @ u, np.ones(3)), A,
                               atol=1e-9)
    u = np.array([0.3, 1.2])
    J = jacobians.numerical_jacobian(np.sin, u, eps=1e-5)
    np.testing.assert_allclose(J, np.diag(np.cos(u)), atol=1e-9)


def test_numerical_jacobian_accepts_column_outputs():
    J = jacobians.numerical_jacobian(lambda u: softmax(u[:, None]), np.array([0.0, 0.0]))
    np.testing.assert_allclose(J, [[0.25, -0.25], [-0.25, 0.25]], atol=1e-9)


# --------------------------------------------------------------------------------------
# Errors

def test_errors_say_what_was_expected():
    ex = bpcore.examples.running_example()
    batch = np.ones((2, 3))
    with pytest.raises(ValueError, match=r"one sample at a time, but x has 3 columns"):
        jacobians.layer_jacobian(ex.net, batch, 1)
    with pytest.raises(ValueError, match=r"l must be from 1 to 1 .*got 2"):
        jacobians.layer_jacobian(ex.net, ex.x, 2)
    with pytest.raises(ValueError, match=r"k must be from 1 to 1 .*k <= l = 1\), got 2"):
        jacobians.jacobian_chain(ex.net, ex.x, 2, 1)
    with pytest.raises(TypeError, match="l must be an integer layer number, got float"):
        jacobians.jacobian_chain(ex.net, ex.x, 1, 2.0)
    with pytest.raises(TypeError, match="expected a bpcore.Network"):
        jacobians.layer_jacobian("net", ex.x, 1)
    with pytest.raises(ValueError, match="x has shape .*did you pass samples as rows"):
        jacobians.layer_jacobian(ex.net, np.ones((3, 2)), 1)
    with pytest.raises(ValueError, match="unknown activation 'softplus'"):
        jacobians.activation_jacobian("softplus", np.zeros(2))
    with pytest.raises(ValueError, match=r"z must be one sample.*got shape \(2, 2\)"):
        jacobians.activation_jacobian("sigmoid", np.zeros((2, 2)))
    with pytest.raises(TypeError, match="f must be a function"):
        jacobians.numerical_jacobian(np.ones(2), np.zeros(2))
    with pytest.raises(ValueError, match="eps must be a positive number"):
        jacobians.numerical_jacobian(np.sin, np.zeros(2), eps=-1.0)
    with pytest.raises(ValueError, match=r"f must return a 1-D array .*got shape \(2, 2\)"):
        jacobians.numerical_jacobian(lambda u: np.outer(u, u), np.zeros(2))
