"""The small convolutional network of chapter 16: a convolution, ReLU, max pooling and the
book's dense softmax layer, trained with the mean cross-entropy cost.

    x (m, 1, 8, 8) --conv2d, K (c, 1, 3, 3), padding 1--> z^1 (m, c, 8, 8)
      --ReLU--> a^1 --max_pool2d(2)--> p (m, c, 4, 4)
      --flatten, one column per sample--> a (16 c, m) --W a + b, softmax--> a^L (10, m)

The dense layer is a :class:`bpcore.Network` with one layer, run by the engine's
``forward``, ``output_delta`` (BP1: delta^L = a^L - y for softmax with cross-entropy),
``weight_gradients`` and ``bias_gradients``.  What goes back into the image part is
dC/da = W^T delta^L / m, with the 1/m of the mean cost: from there on every gradient is a
plain vector-Jacobian product (pooling, ReLU, :func:`bpcore.conv.conv2d_gradients`), and
nothing else divides by m.

>>> import bpcore
>>> d = bpcore.datasets.digits()
>>> net = SmallCNN.random(channels=4, seed=0)
>>> net.n_parameters, cost(net, images(d.images_train[:5]), d.y_train[:, :5]) > 0
(690, True)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validate as v
from . import conv
from .engine import bias_gradients, forward, output_delta, weight_gradients
from .network import Network

__all__ = ["SmallCNN", "CNNGradients", "images", "forward_pass", "cost", "gradients",
           "accuracy", "train"]

LOSS = "cross_entropy"
POOL = 2


def images(stack):
    """An (m, h, w) stack of grey images (as ``digits().images_train``) as (m, 1, h, w)."""
    arr = v.as_float_array(stack, "stack")
    if arr.ndim != 3:
        raise ValueError(f"expected a stack of grey images of shape (m, h, w), got shape "
                         f"{arr.shape}")
    return arr[:, None]


@dataclass(frozen=True)
class SmallCNN:
    """The parameters: ``kernels`` (c, 1, 3, 3), ``conv_bias`` (c,), and ``dense``, a
    one-layer softmax :class:`bpcore.Network` from the 16 c pooled values to 10 classes."""
    kernels: np.ndarray
    conv_bias: np.ndarray
    dense: Network

    @classmethod
    def random(cls, channels=8, seed=0, image_size=8):
        """He-initialised kernels (variance 2/9, the fan-in of a 3x3 kernel on one channel),
        zero conv biases, and ``Network.random``'s softmax layer."""
        channels = v.positive_int(channels, "channels")
        rng = np.random.default_rng(seed)
        kernels = rng.normal(0.0, np.sqrt(2.0 / 9.0), size=(channels, 1, 3, 3))
        n_flat = channels * (image_size // POOL) ** 2
        dense = Network.random([n_flat, 10], "softmax", seed=rng)
        return cls(kernels, np.zeros(channels), dense)

    @property
    def n_parameters(self):
        return self.kernels.size + self.conv_bias.size + self.dense.n_parameters

    def params(self):
        return [self.kernels, self.conv_bias, self.dense.W(1), self.dense.b(1)]

    def with_params(self, params):
        K, cb, W, b = params
        return SmallCNN(K, cb, self.dense.replace(weights=[W], biases=[b]))


@dataclass(frozen=True)
class CNNGradients:
    """dC/d(each parameter), shaped like it."""
    kernels: np.ndarray
    conv_bias: np.ndarray
    W: np.ndarray
    b: np.ndarray

    def params(self):
        return [self.kernels, self.conv_bias, self.W, self.b]


def forward_pass(net, x):
    """(z1, a1, pooled, fp): the convolution's output, after ReLU, after pooling, and the
    dense layer's :class:`bpcore.ForwardPass` on the pooled values as columns."""
    z1 = conv.conv2d(x, net.kernels, net.conv_bias, padding=1)
    a1 = np.maximum(z1, 0.0)
    pooled = conv.max_pool2d(a1, POOL)
    fp = forward(net.dense, pooled.reshape(pooled.shape[0], -1).T)   # (16 c, m): columns
    return z1, a1, pooled, fp


def cost(net, x, y):
    """The mean cross-entropy over the m samples; y is one-hot, (10, m)."""
    a = forward_pass(net, x)[3].output
    return float(-np.sum(y * np.log(a)) / y.shape[1])


def accuracy(net, x, y):
    """The fraction of samples whose largest output is the target's class."""
    a = forward_pass(net, x)[3].output
    return float(np.mean(a.argmax(axis=0) == y.argmax(axis=0)))


def gradients(net, x, y):
    """dC/d(every parameter) of the mean cross-entropy cost, by backpropagation."""
    z1, a1, pooled, fp = forward_pass(net, x)
    m = x.shape[0]
    delta_L = output_delta(net.dense, fp, y, LOSS)                     # BP1: a^L - y
    grad_W = weight_gradients(fp, [delta_L])[0]                        # BP4, (1/m) delta a^T
    grad_b = bias_gradients([delta_L])[0]                              # BP3
    grad_a = net.dense.W(1).T @ delta_L / m                            # dC/da, the 1/m once
    grad_pooled = grad_a.T.reshape(pooled.shape)
    grad_a1 = conv.max_pool2d_gradients(a1, POOL, grad_pooled)         # to each window's max
    grad_z1 = grad_a1 * (z1 > 0)                                       # ReLU's slope
    _, grad_K, grad_cb = conv.conv2d_gradients(x, net.kernels, net.conv_bias, grad_z1,
                                               padding=1)
    return CNNGradients(grad_K, grad_cb, grad_W, grad_b)


def train(net, x, y, *, epochs, learning_rate, batch_size=32, momentum=0.9, seed=0):
    """Mini-batch gradient descent with momentum (the update of ``bpcore.train``).
    Returns the trained network and the training cost after each epoch."""
    epochs = v.positive_int(epochs, "epochs")
    learning_rate = v.positive_number(learning_rate, "learning_rate")
    rng = np.random.default_rng(seed)
    velocity = [np.zeros_like(p) for p in net.params()]
    losses = []
    m = x.shape[0]
    for _ in range(epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            cols = order[start:start + batch_size]
            g = gradients(net, x[cols], y[:, cols])
            velocity = [momentum * vel - learning_rate * gp
                        for vel, gp in zip(velocity, g.params())]
            net = net.with_params([p + vel for p, vel in zip(net.params(), velocity)])
        losses.append(cost(net, x, y))
    return net, losses
