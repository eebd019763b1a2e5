"""The engine against independent oracles: central differences over random networks,
the four step functions composed by hand, and a published hand-worked example."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import bpcore
from _helpers import random_targets
from bpcore.losses import pairs

HIDDEN = ["sigmoid", "tanh", "relu", "identity"]
PAIRS = pairs()


@st.composite
def problems(draw):
    sizes = draw(st.lists(st.integers(1, 4), min_size=2, max_size=4))
    hidden = [draw(st.sampled_from(HIDDEN)) for _ in sizes[2:]]
    out_act, loss = draw(st.sampled_from(PAIRS))
    if out_act == "softmax":  # softmax needs two or more outputs
        sizes[-1] = max(sizes[-1], 2)
    m = draw(st.integers(1, 5))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    net = bpcore.Network.random(sizes, hidden + [out_act], seed=rng)
    # non-zero biases, so BP3 is tested on a general point
    net = net.replace(biases=[rng.normal(size=b.shape) for b in net.biases])
    x = rng.normal(size=(sizes[0], m))
    y = random_targets(rng, loss, out_act, sizes[-1], m)
    return net, x, y, loss


@settings(max_examples=150, deadline=None)
@given(problems())
def test_backprop_matches_central_differences(problem):
    net, x, y, loss = problem
    analytic = bpcore.backprop(net, x, y, loss)
    numeric = bpcore.numerical_gradients(net, x, y, loss, eps=1e-6)
    for gA, gN, W in zip(analytic.weights, numeric.weights, net.weights):
        assert gA.shape == W.shape
        np.testing.assert_allclose(gA, gN, rtol=1e-5, atol=1e-7)
    for gA, gN, b in zip(analytic.biases, numeric.biases, net.biases):
        assert gA.shape == b.shape
        np.testing.assert_allclose(gA, gN, rtol=1e-5, atol=1e-7)


@settings(max_examples=60, deadline=None)
@given(problems())
def test_four_equations_compose_exactly_to_backprop(problem):
    net, x, y, loss = problem
    fp = bpcore.forward(net, x)
    delta_L = bpcore.output_delta(net, fp, y, loss)
    deltas = bpcore.hidden_deltas(net, fp, delta_L)
    assert deltas[-1] is not None and np.array_equal(deltas[-1], delta_L)
    grads = bpcore.backprop(net, x, y, loss)
    for a, b in zip(bpcore.weight_gradients(fp, deltas), grads.weights):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(bpcore.bias_gradients(deltas), grads.biases):
        np.testing.assert_array_equal(a, b)


def test_gradient_of_a_mean_is_the_mean_of_gradients():
    rng = np.random.default_rng(3)
    net = bpcore.Network.random([3, 4, 2], ["tanh", "sigmoid"], seed=rng)
    x, y = rng.normal(size=(3, 6)), rng.uniform(size=(2, 6))
    batch = bpcore.backprop(net, x, y).flat()
    singles = np.mean([bpcore.backprop(net, x[:, j], y[:, j]).flat() for j in range(6)], axis=0)
    np.testing.assert_allclose(batch, singles, rtol=1e-12, atol=1e-15)


def test_single_sample_layout_matches_a_batch_of_one():
    net = bpcore.Network.random([3, 2, 2], seed=4)
    x, y = np.array([0.1, -0.2, 0.3]), np.array([0.0, 1.0])
    fp1, fp2 = bpcore.forward(net, x), bpcore.forward(net, x.reshape(3, 1))
    assert fp1.zs[0].shape == (2,) and fp2.zs[0].shape == (2, 1)
    np.testing.assert_array_equal(fp1.output, fp2.output.ravel())
    d1 = bpcore.output_delta(net, fp1, y)
    assert d1.shape == (2,)
    np.testing.assert_array_equal(bpcore.backprop(net, x, y).flat(),
                                  bpcore.backprop(net, x.reshape(3, 1), y.reshape(2, 1)).flat())


def test_softmax_mse_uses_the_full_jacobian():
    rng = np.random.default_rng(5)
    net = bpcore.Network.random([2, 3], "softmax", seed=rng)
    x, y = rng.normal(size=(2, 1)), rng.uniform(size=(3, 1))
    fp = bpcore.forward(net, x)
    z, a = fp.zs[0][:, 0], fp.output[:, 0]
    J = bpcore.activations.softmax_jacobian(z)
    expected = J.T @ (a - y[:, 0])
    np.testing.assert_allclose(bpcore.output_delta(net, fp, y)[:, 0], expected, rtol=1e-12)
    # and it is not the element-wise shortcut
    assert not np.allclose(expected, (a - y[:, 0]) * a * (1 - a))


@pytest.mark.parametrize("act,loss", [("softmax", "cross_entropy"),
                                      ("sigmoid", "binary_cross_entropy")])
def test_matched_pairs_give_a_minus_y(act, loss):
    rng = np.random.default_rng(6)
    net = bpcore.Network.random([3, 4], act, seed=rng)
    x = rng.normal(size=(3, 5))
    y = random_targets(rng, loss, act, 4, 5)
    fp = bpcore.forward(net, x)
    np.testing.assert_allclose(bpcore.output_delta(net, fp, y, loss), fp.output - y, rtol=1e-15)


# Matt Mazur, "A Step by Step Backpropagation Example" (2015), cited in Punnen's chapter.
# A 2-2-2 sigmoid network; inputs .05/.10, targets .01/.99, learning rate 0.5.
MAZUR = bpcore.examples.mazur_example().net
MAZUR_X, MAZUR_Y = np.array([.05, .10]), np.array([.01, .99])


def published(value, text):
    """``value`` rounded to the digits ``text`` shows equals ``text``."""
    decimals = len(text.split(".")[1])
    return f"{value:.{decimals}f}" == text


def test_mazur_forward_pass_digit_for_digit():
    fp = bpcore.forward(MAZUR, MAZUR_X)
    assert published(fp.zs[0][0], "0.3775")
    assert published(fp.activations[1][0], "0.593269992")
    assert published(fp.activations[1][1], "0.596884378")
    assert published(fp.zs[1][0], "1.105905967")
    assert published(fp.activations[2][0], "0.75136507")
    assert published(fp.activations[2][1], "0.772928465")
    assert published(bpcore.cost(MAZUR, MAZUR_X, MAZUR_Y), "0.298371109")


def test_mazur_gradients_and_update_digit_for_digit():
    g = bpcore.backprop(MAZUR, MAZUR_X, MAZUR_Y)
    assert published(g.weights[1][0, 0], "0.082167041")  # dE/dw5
    assert published(g.weights[0][0, 0], "0.000438568")  # dE/dw1
    # one step with eta = 0.5; the published walk-through updates weights only
    W2 = MAZUR.weights[1] - 0.5 * g.weights[1]
    W1 = MAZUR.weights[0] - 0.5 * g.weights[0]
    for got, text in zip(W2.ravel(), ["0.35891648", "0.408666186", "0.511301270", "0.561370121"]):
        assert published(got, text)
    for got, text in zip(W1.ravel(), ["0.149780716", "0.19956143", "0.24975114", "0.29950229"]):
        assert published(got, text)


def test_large_preactivations_are_finite_without_warnings():
    x = np.array([[1.0, -1.0]])
    for act, loss in PAIRS:
        for n_out in (1, 3):
            if act == "softmax" and n_out == 1:
                continue
            W = np.full((n_out, 1), 1e3) * np.array([[1.0], [-1.0], [0.5]])[:n_out]
            net = bpcore.Network([np.full((2, 1), 1e3), W[:, :1] @ np.ones((1, 2)) / 2],
                                 [np.zeros(2), np.zeros(n_out)], ["tanh", act])
            y = random_targets(np.random.default_rng(0), loss, act, n_out, 2)
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                c = bpcore.cost(net, x, y, loss)
                g = bpcore.backprop(net, x, y, loss)
            assert np.isfinite(c), (act, loss)
            assert np.all(np.isfinite(g.flat())), (act, loss)


def test_network_copies_and_protects_parameters():
    W = np.ones((1, 2))
    net = bpcore.Network([W], [np.zeros(1)], "identity")
    W[0, 0] = 5.0
    assert net.weights[0][0, 0] == 1.0
    with pytest.raises(ValueError, match="read-only"):
        net.weights[0][0, 0] = 2.0


def test_random_initialisation_is_seeded_and_scaled():
    a = bpcore.Network.random([400, 300, 10], ["relu", "sigmoid"], seed=1)
    b = bpcore.Network.random([400, 300, 10], ["relu", "sigmoid"], seed=1)
    np.testing.assert_array_equal(a.weights[0], b.weights[0])
    assert abs(a.weights[0].std() - np.sqrt(2 / 400)) < 0.002   # He for ReLU
    assert abs(a.weights[1].std() - np.sqrt(1 / 300)) < 0.005   # LeCun otherwise
    assert all(np.all(bias == 0) for bias in a.biases)


def test_float32_network_computes_in_float32():
    net = bpcore.Network.random([3, 2, 1], seed=0, dtype="float32")
    g = bpcore.backprop(net, np.ones((3, 2)), np.ones((1, 2)))
    assert g.weights[0].dtype == np.float32
