"""The book's examples: the running network, Mazur's network, and everything bpcore
computes for them, keyed by the book's layer number l.

* :func:`running_example`, :func:`mazur_example` -- a network, one input column x, its
  target y and the loss, as a :class:`RunningExample`.
* :func:`network_state` -- for any network and batch, the chapters' quantities in dicts
  keyed by l: ``d.W[2]`` is W², ``d.z[1]`` is z¹, ``d.a[0]`` is the input x, ``d.delta[2]``
  is δ².  :func:`running`, :func:`running_batch` and :func:`mazur` are that state for the
  book's examples; the exercises draw their data from them.

>>> d = running()
>>> d.z[1].shape, d.delta[2].shape, d.m
((3, 1), (2, 1), 1)
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from .engine import (bias_gradients, cost, forward, hidden_deltas, output_delta,
                     weight_gradients)
from .network import Network

__all__ = ["RunningExample", "running_example", "mazur_example", "network_state", "running",
           "running_batch", "mazur"]


@dataclass(frozen=True)
class RunningExample:
    """A network, one input column x, its target y and the loss the chapters use."""
    net: Network
    x: np.ndarray
    y: np.ndarray
    loss: str = "mse"


def running_example():
    """The 2-3-2 sigmoid network with the quadratic cost, used throughout the book.

    Its inputs 0.05/0.10 and targets 0.01/0.99 are those of Mazur's well-known worked
    example; a third hidden neuron with a negative weight makes every layer non-square, so
    a transposed W or a swapped index shows up as a shape error.  x and y are single
    columns, shapes (2, 1) and (2, 1).

    >>> ex = running_example()
    >>> ex.net.sizes, ex.x.shape, ex.y.shape
    ((2, 3, 2), (2, 1), (2, 1))
    """
    net = Network(
        weights=[np.array([[0.15, 0.20], [0.25, 0.30], [0.35, -0.10]]),
                 np.array([[0.40, 0.45, -0.30], [0.50, 0.55, 0.20]])],
        biases=[np.array([0.35, 0.35, -0.20]), np.array([0.60, 0.60])],
        activations="sigmoid",
    )
    return RunningExample(net, np.array([[0.05], [0.10]]), np.array([[0.01], [0.99]]))


def mazur_example():
    """The 2-2-2 sigmoid network of Matt Mazur's "A Step by Step Backpropagation Example"
    (2015), cited in Punnen's chapter, in the book's matrix form.

    His w1..w4 are W^1 row by row (w1 = w^1_11, w2 = w^1_12, w3 = w^1_21, w4 = w^1_22), w5..w8
    likewise W^2; one bias b1 = 0.35 is shared by both hidden neurons and b2 = 0.60 by both
    outputs.  Inputs 0.05/0.10, targets 0.01/0.99, cost E = sum 1/2 (target - out)^2, which
    is bpcore's mse for one sample.  He uses a learning rate of 0.5.

    >>> ex = mazur_example()
    >>> round(cost(ex.net, ex.x, ex.y), 9)
    0.298371109
    """
    net = Network([np.array([[0.15, 0.20], [0.25, 0.30]]), np.array([[0.40, 0.45], [0.50, 0.55]])],
                  [np.array([0.35, 0.35]), np.array([0.60, 0.60])], "sigmoid")
    return RunningExample(net, np.array([[0.05], [0.10]]), np.array([[0.01], [0.99]]))


def network_state(net, x, y, loss="mse"):
    """Everything the chapters compute for ``net`` on the batch (x, y), keyed by layer l.

    Dicts keyed by the layer number l: ``W[l]``, ``b[l]``, ``z[l]``, ``a[l]`` (``a[0]`` is
    x), ``delta[l]``, ``grad_W[l]``, ``grad_b[l]``; plus ``net``, ``x``, ``y``, ``loss``,
    ``L``, the batch size ``m`` and the cost ``C``.  All computed with bpcore; x and y have
    one column per sample.

    >>> ex = running_example()
    >>> d = network_state(ex.net, ex.x, ex.y)
    >>> d.W[2].shape, d.a[0] is ex.x, d.L
    ((2, 3), True, 2)
    """
    fp = forward(net, x)
    L = net.n_layers
    deltas = hidden_deltas(net, fp, output_delta(net, fp, y, loss))
    grad_W, grad_b = weight_gradients(fp, deltas), bias_gradients(deltas)   # BP4, BP3
    layers = range(1, L + 1)
    return SimpleNamespace(
        net=net, x=x, y=y, loss=loss, L=L, m=x.shape[1],
        W={l: net.W(l) for l in layers}, b={l: net.b(l) for l in layers},
        z={l: fp.z(l) for l in layers}, a={l: fp.a(l) for l in range(L + 1)},
        delta={l: deltas.at(l) for l in layers},
        grad_W={l: grad_W.at(l) for l in layers}, grad_b={l: grad_b.at(l) for l in layers},
        C=cost(net, x, y, loss))


def running():
    """:func:`network_state` of the running example (one sample, quadratic cost)."""
    ex = running_example()
    return network_state(ex.net, ex.x, ex.y, ex.loss)


def running_batch(m=4, seed=6):
    """:func:`network_state` of the running example's network on a seeded batch of ``m``
    inputs and targets (entries rounded to 2 decimals), one column per sample.

    >>> d = running_batch()
    >>> d.x.shape, d.y.shape, d.m
    ((2, 4), (2, 4), 4)
    """
    ex = running_example()
    rng = np.random.default_rng(seed)
    x = np.round(rng.uniform(0.0, 1.0, size=(2, m)), 2)
    y = np.round(rng.uniform(0.01, 0.99, size=(2, m)), 2)
    return network_state(ex.net, x, y, ex.loss)


def mazur(eta=0.5, rounds=1):
    """:func:`network_state` of Mazur's example, with the learning rate ``eta`` and the
    weights after one round of his walk-through (weights updated, biases frozen):
    ``W_new[l]``.

    ``round[r]``, for r = 1 .. ``rounds``, is the state at the START of round r (the forward
    and backward pass at the weights of round r - 1), with that round's new weights in
    ``round[r].W_new``: round 2 runs the forward pass again at the round-1 weights,
    backpropagates and updates.  ``round[1]`` holds the same values as ``d`` itself.

    >>> d = mazur()
    >>> f"{d.W_new[2][0, 0]:.8f}"            # Mazur's w5+ = 0.35891648
    '0.35891648'
    >>> d = mazur(rounds=2)                  # w5 at the start of round 2, and after it
    >>> f"{d.round[2].W[2][0, 0]:.8f}", f"{d.round[2].W_new[2][0, 0]:.8f}"
    ('0.35891648', '0.31735386')
    """
    if isinstance(rounds, bool) or not isinstance(rounds, numbers.Integral):
        raise TypeError(f"rounds is how many rounds of the walk-through to run, an int, got "
                        f"{type(rounds).__name__}; e.g. mazur(rounds=2)")
    if rounds < 1:
        raise ValueError(f"rounds must be at least 1 (round 1 is Mazur's walk-through), got "
                         f"{rounds}")
    ex = mazur_example()
    states, net = {}, ex.net
    for r in range(1, rounds + 1):
        s = network_state(net, ex.x, ex.y, ex.loss)
        s.W_new = {l: s.W[l] - eta * s.grad_W[l] for l in s.W}
        states[r] = s
        net = net.replace(weights=[s.W_new[l] for l in range(1, s.L + 1)])
    return SimpleNamespace(**vars(states[1]), eta=eta, round=states)
