"""Chapter 7's gradient-norm figure: how large ||grad C|| is after every epoch of a run.

Feng's stopping rule, repeat until ||grad C|| <= epsilon, is a two-line ``until=`` function
that the chapter writes out.  To show why it can stop too early, the chapter also needs the
norm after *every* epoch of a run that does not stop; :func:`gradient_norms` records it,
and :func:`plot_gradient_norm` draws the cost and the norm one above the other.
:func:`norms_at` reads a long run at a few epochs: the cost, the size ||theta|| of all the
weights and biases, and ||grad C||, to tell a minimum (finite weights) from a minimum at
infinity (weights that keep growing while the gradient vanishes).

>>> import bpcore
>>> x, y = bpcore.datasets.xor()
>>> start = bpcore.Network.random([2, 2, 1], "sigmoid", seed=5)
>>> run, norms = gradient_norms(start, x, y, epochs=3, learning_rate=0.5, progress=False)
>>> len(norms) == run.epochs_run == 3
True
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..engine import backprop, cost
from ..training import train

__all__ = ["gradient_norms", "norms_at", "plot_gradient_norm"]


def gradient_norms(net, x, y, *, loss="mse", **train_options):
    """Train ``net`` with :func:`bpcore.train` and record ||grad C|| after every epoch.

    ``x`` is (n_0, m) and ``y`` is (n_L, m), one column per sample; ``train_options`` are
    passed to :func:`bpcore.train` (``epochs`` and ``learning_rate`` are required there,
    ``until`` is taken by this function).  ||grad C|| is the Euclidean norm over every
    weight and bias of :func:`bpcore.backprop` on the whole of (x, y), at the network
    after the epoch.

    Returns ``(result, norms)``: the :class:`bpcore.TrainingResult`, the same as without
    the recording, and a list of ``result.epochs_run`` floats.
    """
    if "until" in train_options:
        raise TypeError("gradient_norms records the norm with its own until= rule and never "
                        "stops early; train without until=, or call bpcore.train directly")
    norms = []

    def record(current):
        norms.append(float(np.linalg.norm(backprop(current, x, y, loss).flat())))
        return False  # never stop: just record

    result = train(net, x, y, loss=loss, until=record, **train_options)
    return result, norms


def norms_at(net, x, y, at, *, loss="mse", **train_options):
    """Train ``net`` for ``max(at)`` epochs and read it after each epoch listed in ``at``.

    Returns one row ``(epoch, cost, theta_norm, grad_norm)`` per entry of ``at`` (sorted):
    the cost C on (x, y), the Euclidean norm of every weight and bias together, and ||grad C||
    as in :func:`gradient_norms`.  ``train_options`` go to :func:`bpcore.train` (``epochs``
    and ``until`` are set here).

    >>> import bpcore
    >>> x, y = bpcore.datasets.xor()
    >>> start = bpcore.Network.random([2, 2, 1], "sigmoid", seed=1)
    >>> rows = norms_at(start, x, y, [1, 3], learning_rate=0.5, progress=False)
    >>> [row[0] for row in rows]
    [1, 3]
    """
    epochs = sorted({int(e) for e in at})
    if not epochs or epochs[0] < 1:
        raise ValueError(f"expected epochs counted from 1 such as [100, 1000], got {at!r}")
    if "until" in train_options or "epochs" in train_options:
        raise TypeError("norms_at sets epochs= and until= itself; pass the epochs to read in at")
    rows, seen = [], []

    def record(current):
        seen.append(None)
        if len(seen) in epochs:
            theta = np.concatenate([p.ravel() for p in current.weights + current.biases])
            grad = backprop(current, x, y, loss).flat()
            rows.append((len(seen), float(cost(current, x, y, loss)),
                         float(np.linalg.norm(theta)), float(np.linalg.norm(grad))))
        return False

    train(net, x, y, loss=loss, epochs=epochs[-1], until=record, **train_options)
    return rows


def plot_gradient_norm(loss, norms, *, eps, stop_epoch):
    """Two panels over the epochs: the cost ``loss`` (top) and ``norms`` (bottom), both on a
    log scale, with the tolerance ``eps`` as a dotted line and a red line at ``stop_epoch``,
    the epoch where Feng's rule ||grad C|| <= eps stopped.  ``loss`` and ``norms`` hold one
    value per epoch, the same number each.  Returns the matplotlib figure.
    """
    if len(loss) != len(norms):
        raise ValueError(f"expected one cost and one norm per epoch, got {len(loss)} costs and "
                         f"{len(norms)} norms; pass result.loss and the norms of the same run")
    epochs = np.arange(1, len(norms) + 1)
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(7, 4.6), sharex=True)
    ax1.semilogy(epochs, loss, color="#1f4e9c", lw=2)
    ax1.set_ylabel("cost C")
    ax2.semilogy(epochs, norms, color="#1a7f37", lw=2)
    ax2.axhline(eps, color="grey", ls=":", lw=1)
    label = f"ε = {eps:.0e}".replace("e-0", "e-")          # 1e-04 -> 1e-4
    ax2.text(len(norms) - 50, eps * 1.3, label, ha="right", color="grey")
    ax2.set_ylabel("‖∇C‖")
    ax2.set_xlabel("epoch")
    for ax in (ax1, ax2):
        ax.axvline(stop_epoch, color="#cf222e", lw=1.5)
        ax.grid(True, which="major", alpha=0.3)
    ax1.text(stop_epoch + 40, 0.02, "Feng's rule\nstops here", color="#cf222e")
    fig.tight_layout()
    return fig
