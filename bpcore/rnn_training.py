"""Training a :class:`bpcore.rnn.RNN`, and the delayed-recall task of chapter 17.

:func:`train` is full-batch gradient descent with momentum on :func:`bpcore.rnn.cost`,
its gradient from backpropagation through time, optionally truncated and clipped;
:func:`accuracy` counts outputs on the right side of 0.5; :func:`recall_task` makes the
sequences.
"""
from __future__ import annotations

import numbers

import numpy as np

from . import _validate as v
from .rnn import (PARAMETERS, RNN, _cost, _forward, _gradients, _hidden_deltas, _inputs,
                  _loss_from, _output_deltas, _sequence, _targets, _truncation)

__all__ = ["train", "accuracy", "recall_task"]


def train(rnn, x, y, *, steps, learning_rate, loss="mse", truncation=None, loss_from=1,
          momentum=0.9, clip=None, h0=None):
    """Full-batch gradient descent with momentum on :func:`cost`, the gradient from
    :func:`bptt` (with ``truncation``), optionally clipped to norm ``clip``.

    Returns ``(trained_rnn, costs)``: the cost before each of the ``steps`` updates and
    after the last, ``steps + 1`` numbers."""
    x, h0 = _inputs(rnn, x, h0)
    y, s = _targets(rnn, x, y, loss, loss_from)
    K = _truncation(truncation)
    steps = v.positive_int(steps, "steps")
    eta = v.positive_number(learning_rate, "learning_rate")
    mu = v.nonnegative_number(momentum, "momentum", upper=1.0)
    clip = None if clip is None else v.positive_number(clip, "clip")
    params = {name: np.array(arr) for name, arr in rnn.params().items()}
    velocity = {name: np.zeros_like(arr) for name, arr in params.items()}
    costs = np.empty(steps + 1)
    current = rnn
    for i in range(steps):
        run = _forward(current, x, h0)
        costs[i] = _cost(current, run, y, loss, s)
        e = _output_deltas(current, run, y, loss, s)
        grads = _gradients(current, run, e, _hidden_deltas(current.W_hh, current.W_hy,
                                                           run.hs, e, K))
        if clip is not None:
            norm = np.sqrt(sum(np.sum(g * g) for g in grads.values()))
            if norm > clip:
                grads = {name: g * (clip / norm) for name, g in grads.items()}
        for name in PARAMETERS:
            velocity[name] = mu * velocity[name] - eta * grads[name]
            params[name] = params[name] + velocity[name]
        if not all(np.isfinite(p).all() for p in params.values()):
            raise ValueError(f"training diverged at step {i + 1} (a parameter became NaN or "
                             "inf); fix: lower learning_rate or pass clip=")
        current = RNN(**params, output=rnn.output)
    costs[steps] = _cost(current, _forward(current, x, h0), y, loss, s)
    return current, costs


def accuracy(rnn, x, y, h0=None, loss_from=1):
    """The fraction of scored outputs on the right side of 0.5, for 0/1 targets.

    >>> rnn = RNN.random(1, 2, 1, output="sigmoid", seed=0)
    >>> accuracy(rnn.replace(b_y=np.array([9.0])), np.zeros((2, 1, 3)), np.ones((2, 1, 3)))
    1.0
    """
    x, h0 = _inputs(rnn, x, h0)
    y = _sequence(y, "y", rnn.n_out, T=x.shape[0], m=x.shape[2])
    s = _loss_from(loss_from, x.shape[0])
    a = _forward(rnn, x, h0).outputs[s - 1:]
    return float(np.mean((a > 0.5) == (y[s - 1:] > 0.5)))


def recall_task(T, delay, m, seed=0):
    """The delayed-recall task: a stream of random bits, and the target at step t is the bit
    seen ``delay`` steps earlier, x_{t - delay}.  Returns ``(x, y, loss_from)`` with x and y
    of shape (T, 1, m) and ``loss_from = delay + 1``, the first step with a target.  The
    inputs are -1 and +1 (bits 0 and 1); the targets are 0 and 1.

    >>> x, y, s = recall_task(6, 2, 4, seed=0)
    >>> bool(np.array_equal(y[2:], (x[:-2] > 0).astype(float))), s
    (True, 3)
    """
    T, m = v.positive_int(T, "T"), v.positive_int(m, "m")
    if isinstance(delay, bool) or not isinstance(delay, numbers.Integral) or not 0 <= delay < T:
        raise ValueError(f"expected delay an int from 0 to T - 1 = {T - 1}, got {delay!r}; "
                         "fix: a longer sequence or a shorter delay")
    bits = np.random.default_rng(seed).integers(0, 2, size=(T, 1, m)).astype(float)
    y = np.zeros_like(bits)
    y[delay:] = bits[:T - delay]
    return 2.0 * bits - 1.0, y, delay + 1
