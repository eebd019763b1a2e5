"""Training, against an independent plain gradient-descent loop."""
import numpy as np
import pytest

import bpcore
from bpcore import datasets


def plain_momentum_descent(net, x, y, epochs, lr, momentum, decay, loss="mse"):
    """The update rule written out from scratch, full batch, with backprop's gradients."""
    Ws, bs = [np.array(W) for W in net.weights], [np.array(b) for b in net.biases]
    vW = [np.zeros_like(W) for W in Ws]
    vb = [np.zeros_like(b) for b in bs]
    for _ in range(epochs):
        g = bpcore.backprop(bpcore.Network(Ws, bs, net.activations), x, y, loss)
        for i in range(len(Ws)):
            vW[i] = -lr * (g.weights[i] + decay * Ws[i]) + momentum * vW[i]
            vb[i] = -lr * g.biases[i] + momentum * vb[i]
            Ws[i] = Ws[i] + vW[i]
            bs[i] = bs[i] + vb[i]
    return Ws, bs


def test_full_batch_momentum_and_decay_match_the_update_rule():
    x, y = datasets.xor()
    net = bpcore.Network.random([2, 3, 1], ["tanh", "sigmoid"], seed=7)
    result = bpcore.train(net, x, y, epochs=25, learning_rate=0.5, momentum=0.9,
                          weight_decay=1e-3)
    Ws, bs = plain_momentum_descent(net, x, y, 25, 0.5, 0.9, 1e-3)
    for got, want in zip(result.network.weights + result.network.biases, Ws + bs):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)
    assert result.epochs_run == 25 and len(result.accuracy) == 25
    assert result.loss[-1] == pytest.approx(bpcore.cost(result.network, x, y), rel=1e-12)
    assert result.initial_loss == pytest.approx(bpcore.cost(net, x, y), rel=1e-12)


def test_input_network_is_not_modified():
    x, y = datasets.xor()
    net = bpcore.Network.random([2, 2, 1], seed=0)
    before = [np.array(W) for W in net.weights]
    bpcore.train(net, x, y, epochs=5, learning_rate=1.0)
    for W, W0 in zip(net.weights, before):
        np.testing.assert_array_equal(W, W0)


def test_minibatches_are_seeded_and_cover_every_sample():
    d = datasets.digits(seed=0)
    net = bpcore.Network.random([64, 16, 10], ["relu", "softmax"], seed=0)
    args = dict(epochs=2, learning_rate=0.1, loss="cross_entropy", batch_size=32)
    r1 = bpcore.train(net, d.x_train, d.y_train, rng=1, **args)
    r2 = bpcore.train(net, d.x_train, d.y_train, rng=1, **args)
    r3 = bpcore.train(net, d.x_train, d.y_train, rng=2, **args)
    assert r1.loss == r2.loss
    assert r1.loss != r3.loss


def test_digits_reach_good_held_out_accuracy():
    d = datasets.digits(seed=0)
    net = bpcore.Network.random([64, 32, 10], ["tanh", "softmax"], seed=0)
    r = bpcore.train(net, d.x_train, d.y_train, epochs=30, learning_rate=0.1, momentum=0.9,
                     loss="cross_entropy", batch_size=32, x_val=d.x_test, y_val=d.y_test,
                     rng=0)
    assert r.val_accuracy[-1] > 0.93
    assert r.val_accuracy[-1] == pytest.approx(bpcore.accuracy(r.network, d.x_test, d.y_test))
    assert r.loss[-1] < r.initial_loss / 10


def test_until_stops_early():
    x, y = datasets.xor()
    net = bpcore.Network.random([2, 3, 1], seed=2)
    solved = lambda n: np.all(np.abs(bpcore.forward(n, x).output - y) < 0.4)
    r = bpcore.train(net, x, y, epochs=5000, learning_rate=2.0, momentum=0.9, until=solved)
    assert r.stopped_early and r.epochs_run < 5000
    assert solved(r.network)
