"""Tests for bpcore/examples.py: the book's examples and the per-layer state of a network.

Oracles: the hand-worked and published numbers of Mazur's example, the definitions of z,
a and the cost written out with numpy, and central finite differences of the cost.
"""
from __future__ import annotations

import numpy as np
import pytest

import bpcore
from bpcore import examples
from bpcore.activations import sigmoid


def _sigmoid(u):
    return 1 / (1 + np.exp(-u))


def test_running_example_is_the_2_3_2_network_with_mazurs_inputs():
    ex = examples.running_example()
    assert ex.net.sizes == (2, 3, 2) and ex.loss == "mse"
    np.testing.assert_array_equal(ex.x, [[0.05], [0.10]])
    np.testing.assert_array_equal(ex.y, [[0.01], [0.99]])
    z1 = ex.net.weights[0] @ ex.x + ex.net.biases[0][:, None]
    np.testing.assert_allclose(z1, [[0.3775], [0.3925], [-0.1925]], atol=1e-12)


def test_mazurs_forward_pass_and_error_are_his_published_numbers():
    d = examples.mazur()
    np.testing.assert_allclose(d.a[1][:, 0], [0.593269992, 0.596884378], atol=1e-9)
    np.testing.assert_allclose(d.a[2][:, 0], [0.75136507, 0.772928465], atol=1e-8)
    assert d.C == pytest.approx(0.298371109, abs=1e-9)


def test_mazurs_updated_weights_are_his_published_numbers():
    d = examples.mazur()
    np.testing.assert_allclose(d.W_new[2], [[0.35891648, 0.408666186],
                                            [0.511301270, 0.561370121]], atol=1e-8)
    np.testing.assert_allclose(d.W_new[1], [[0.149780716, 0.19956143],
                                            [0.24975114, 0.29950229]], atol=1e-8)
    assert examples.mazur(eta=0.0).W_new[1] is not d.W[1]


def test_mazur_rounds_each_start_from_the_weights_the_last_one_left():
    d = examples.mazur(rounds=3)
    assert sorted(d.round) == [1, 2, 3]
    for l in (1, 2):
        np.testing.assert_array_equal(d.W_new[l], d.round[1].W_new[l])
        for r in (2, 3):
            np.testing.assert_array_equal(d.round[r].W[l], d.round[r - 1].W_new[l])
    # round 2's forward pass and error, written out with numpy at the round-1 weights
    W1, W2 = d.round[1].W_new[1], d.round[1].W_new[2]
    a2 = _sigmoid(W2 @ _sigmoid(W1 @ d.x + 0.35) + 0.60)
    np.testing.assert_allclose(d.round[2].a[2], a2, rtol=1e-14)
    assert d.round[2].C == pytest.approx(0.5 * np.sum((d.y - a2) ** 2), rel=1e-14)


def test_mazur_refuses_a_number_of_rounds_that_is_not_a_positive_int():
    with pytest.raises(ValueError, match="rounds must be at least 1.*got 0"):
        examples.mazur(rounds=0)
    with pytest.raises(TypeError, match="an int, got float"):
        examples.mazur(rounds=2.0)


def test_network_state_is_keyed_by_the_books_layer_number():
    ex = examples.running_example()
    d = examples.network_state(ex.net, ex.x, ex.y)
    assert sorted(d.W) == [1, 2] and sorted(d.a) == [0, 1, 2]
    assert d.a[0] is ex.x and d.W[2] is ex.net.weights[1] and d.b[1] is ex.net.biases[0]
    z1 = ex.net.weights[0] @ ex.x + ex.net.biases[0][:, None]
    np.testing.assert_allclose(d.z[1], z1)
    np.testing.assert_allclose(d.a[1], _sigmoid(z1))
    a2 = _sigmoid(ex.net.weights[1] @ d.a[1] + ex.net.biases[1][:, None])
    np.testing.assert_allclose(d.a[2], a2)
    assert d.C == pytest.approx(0.5 * np.sum((ex.y - a2) ** 2))
    assert (d.L, d.m, d.loss) == (2, 1, "mse")


def test_network_state_deltas_and_gradients_match_finite_differences():
    d = examples.running_batch()
    num = bpcore.numerical_gradients(d.net, d.x, d.y, "mse", 1e-6)
    for l in (1, 2):
        np.testing.assert_allclose(d.grad_W[l], num.weights[l - 1], rtol=1e-6, atol=1e-12)
        np.testing.assert_allclose(d.grad_b[l], num.biases[l - 1], rtol=1e-6, atol=1e-12)
    # BP1 for the quadratic cost, written out: delta^2 = (a^2 - y) * sigma'(z^2)
    s = sigmoid(d.z[2])
    np.testing.assert_allclose(d.delta[2], (d.a[2] - d.y) * s * (1 - s))


def test_running_batch_is_seeded_and_rounded():
    d1, d2 = examples.running_batch(), examples.running_batch()
    np.testing.assert_array_equal(d1.x, d2.x)
    assert d1.x.shape == (2, 4) and d1.m == 4
    np.testing.assert_array_equal(d1.x, np.round(d1.x, 2))
    assert examples.running_batch(m=3, seed=1).x.shape == (2, 3)
    assert not np.array_equal(examples.running_batch(seed=7).x, d1.x)


def test_running_is_the_state_of_the_running_example():
    d, ex = examples.running(), examples.running_example()
    np.testing.assert_array_equal(d.x, ex.x)
    np.testing.assert_allclose(d.delta[2], bpcore.output_delta(
        ex.net, bpcore.forward(ex.net, ex.x), ex.y))
