"""bpcore.cnn: the small convolutional network's gradients against central differences of
its mean cross-entropy cost, and a short training run that learns."""
import numpy as np
import pytest

import bpcore
from bpcore import cnn


@pytest.fixture(scope="module")
def batch():
    d = bpcore.datasets.digits(seed=0)
    return cnn.images(d.images_train[:6]), d.y_train[:, :6]


def test_gradients_are_central_differences(batch):
    x, y = batch
    net = cnn.SmallCNN.random(channels=3, seed=1)
    net = net.with_params([net.kernels, np.random.default_rng(0).normal(0, 0.1, 3),
                           net.dense.W(1), net.dense.b(1)])
    g = cnn.gradients(net, x, y)
    rng = np.random.default_rng(2)
    h = 1e-6
    for i, (p, gp) in enumerate(zip(net.params(), g.params())):
        assert gp.shape == p.shape
        for flat in rng.choice(p.size, size=min(p.size, 12), replace=False):
            idx = np.unravel_index(flat, p.shape)
            moved = []
            for step in (h, -h):
                params = [q.copy() for q in net.params()]
                params[i][idx] += step
                moved.append(cnn.cost(net.with_params(params), x, y))
            assert gp[idx] == pytest.approx((moved[0] - moved[1]) / (2 * h), rel=1e-5,
                                            abs=1e-9)


def test_counts_and_training(batch):
    x, y = batch
    net = cnn.SmallCNN.random(channels=8, seed=0)
    assert net.n_parameters == 8 * 9 + 8 + 128 * 10 + 10
    trained, losses = cnn.train(net, x, y, epochs=20, learning_rate=0.1, batch_size=3)
    assert losses[-1] < 0.1 * cnn.cost(net, x, y)
    assert cnn.accuracy(trained, x, y) == 1.0


def test_refusals():
    with pytest.raises(ValueError, match=r"stack of grey images of shape \(m, h, w\), got "
                                         r"shape \(2, 64\)"):
        cnn.images(np.zeros((2, 64)))
    with pytest.raises(ValueError, match="channels must be a positive integer, got 0"):
        cnn.SmallCNN.random(channels=0)
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        cnn.train(cnn.SmallCNN.random(2), np.zeros((1, 1, 8, 8)), np.eye(10)[:, :1],
                  epochs=0, learning_rate=0.1)
