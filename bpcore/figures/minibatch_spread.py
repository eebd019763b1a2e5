"""How far mini-batch gradients land from the full-batch gradient (chapter 2's figure).

Left panel: two entries of dC/dW^1 for many random mini-batches of two sizes, around the
full-batch value (a star).  Right panel: the mean relative distance |g_B - grad C| / |grad C|
against the mini-batch size |B| on log-log axes, with a dashed line proportional to
1/sqrt(|B|) through the first point.

The gradients come in as ``Gradients.flat()`` vectors, whose first n_1 * n_0 entries are
W^1 row by row: entry i is w^1_jk with j = i // n_0 + 1 and k = i % n_0 + 1.

>>> two_entries(np.array([0.1, -0.9, 0.3, 0.8, 5.0]), (2, 2))
(1, 3)
>>> entry_label(70, 64)
'∂C/∂w¹ to neuron 2 from pixel 7'
"""
from __future__ import annotations

import numpy as np

__all__ = ["two_entries", "entry_label", "plot"]


def _check_W1_shape(g_full, W1_shape):
    n_out, n_in = W1_shape
    if n_out < 2 or np.ndim(g_full) != 1 or np.size(g_full) < n_out * n_in:
        raise ValueError(f"expected a flat gradient (Gradients.flat()) that starts with a W^1 "
                         f"of shape {tuple(W1_shape)} with at least two rows, got an array of "
                         f"shape {np.shape(g_full)}; fix: pass grads.flat() and net.W(1).shape")
    return n_out * n_in, n_in


def two_entries(g_full, W1_shape):
    """Indices (into ``g_full``) of the largest |dC/dw^1_jk| and of the largest one into a
    different neuron j, so that the two entries belong to two hidden neurons."""
    n_W1, n_in = _check_W1_shape(g_full, W1_shape)
    first = int(np.argmax(np.abs(g_full[:n_W1])))
    others = [i for i in range(n_W1) if i // n_in != first // n_in]
    second = others[int(np.argmax(np.abs(g_full[others])))]
    return first, second


def entry_label(i, n_in):
    """The axis label of entry i of a flat gradient, a weight of W^1 (n_in inputs, pixels)."""
    return f"∂C/∂w¹ to neuron {i // n_in + 1} from pixel {i % n_in + 1}"


def plot(samples, spread, g_full, W1_shape, m, shown=(10, 100)):
    """The two panels (a pyplot figure, 9 x 3.6 inches).

    samples: {|B|: array (draws, n_params)}, one flat gradient per random mini-batch;
    spread: {|B|: mean relative distance}, in increasing |B|, starting at |B| = 1 for the
    dashed line; g_full: the flat full-batch gradient; W1_shape: (n_1, n_0); m: the number
    of samples, for the legend; shown: the two sizes drawn in the left panel.
    """
    import matplotlib.pyplot as plt

    first, second = two_entries(g_full, W1_shape)
    n_in = W1_shape[1]
    sizes = list(spread)
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6))
    for size, colour, marker in zip(shown, ["C1", "C0"], ["o", "s"]):
        G = samples[size]
        left.scatter(G[:, first], G[:, second], s=14, color=colour,
                     marker=marker, alpha=0.6, label=f"mini-batches of {size}")
    left.plot(g_full[first], g_full[second], "k*", ms=16, label=f"full batch ({m})")
    left.set(xlabel=entry_label(first, n_in), ylabel=entry_label(second, n_in))
    left.legend(fontsize=8, frameon=False)
    right.loglog(sizes, [spread[size] for size in sizes], "o-", label="measured")
    right.loglog(sizes, spread[sizes[0]] / np.sqrt(sizes), "k--", label="∝ 1/√|B|")
    right.set(xlabel="mini-batch size |B|", ylabel="mean |g_B − ∇C| / |∇C|")
    right.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    return fig
