"""How the size of the deltas changes from layer to layer in a deep network (chapter 5's
table and figure).

The comparison keeps everything but the hidden activation fixed: the same weights (drawn by
:meth:`bpcore.Network.random` for sigmoid layers, variance 1/n_{l-1}), the same batch, a
sigmoid output layer.  Only then does a difference between sigmoid, tanh and ReLU come from
the slope f'(z^l) that BP2 multiplies by at each step back.  A ReLU network drawn by
``Network.random`` has weights sqrt(2) times larger (variance 2/n_{l-1}, He et al. 2015);
:func:`networks` adds it as its own row, so the two effects are not mixed up.

>>> import numpy as np, bpcore
>>> base = bpcore.Network.random([2, 3, 3, 1], seed=0)
>>> relu = with_hidden(base, "relu")
>>> relu.activations, np.array_equal(relu.W(1), base.W(1))
(('relu', 'relu', 'sigmoid'), True)
"""
from __future__ import annotations

import numpy as np

from ..engine import forward, hidden_deltas, output_delta
from ..network import Network

__all__ = ["with_hidden", "networks", "mean_abs_deltas", "step_factors", "plot"]

STYLES = {"sigmoid": ("o-", "#1f4e9c"), "tanh": ("s--", "#b35806"),
          "relu": ("^:", "#1a7f37"), "relu, 2/n": ("v-.", "#6a3d9a")}


def with_hidden(net, hidden):
    """The network ``net`` with every hidden layer's activation replaced by ``hidden`` (the
    same weights and biases; the output layer keeps its activation)."""
    names = [hidden] * (net.n_layers - 1) + [net.activations[-1]]
    return Network(net.weights, net.biases, names)


def networks(sizes, seed=0):
    """{row label: network} for the comparison: sigmoid, tanh and ReLU hidden layers on the
    SAME weights (variance 1/n_{l-1}), and "relu, 2/n", the ReLU network that
    ``Network.random`` draws (variance 2/n_{l-1}).  The output layer is sigmoid."""
    base = Network.random(sizes, "sigmoid", seed=seed)
    nets = {h: with_hidden(base, h) for h in ("sigmoid", "tanh", "relu")}
    L = len(sizes) - 1
    nets["relu, 2/n"] = Network.random(sizes, ["relu"] * (L - 1) + ["sigmoid"], seed=seed)
    return nets


def mean_abs_deltas(net, x, y):
    """[mean |delta^l_j| over neurons and samples, for l = 1..L] (quadratic cost); x is
    (n_0, m), y is (n_L, m)."""
    fp = forward(net, x)
    deltas = hidden_deltas(net, fp, output_delta(net, fp, y))
    return [float(np.abs(d).mean()) for d in deltas]


def step_factors(sizes_by_layer):
    """delta^l / delta^(l+1) for l = 1..L-1, from a list of per-layer sizes."""
    s = np.asarray(sizes_by_layer, dtype=float)
    return s[:-1] / s[1:]


def plot(table):
    """Mean |delta^l| against l, log scale, one line per row of ``table`` (label -> list of
    per-layer sizes); a pyplot figure, 5.5 x 3.4."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 3.4), facecolor="white")
    ax.set_facecolor("white")
    for label, values in table.items():
        marker, colour = STYLES.get(label, ("x-", "#444444"))
        layers = range(1, len(values) + 1)
        ax.semilogy(layers, values, marker, color=colour, label=label)
    L = max(len(values) for values in table.values())
    ax.set_xticks(range(1, L + 1))
    ax.set_xlabel(f"layer $l$ ({L} is the output)")
    ax.set_ylabel(r"mean $|\delta^l_j|$")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(title="hidden layers", fontsize=9)
    fig.tight_layout()
    return fig
