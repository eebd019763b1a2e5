"""Chapter 10's pictures of Jacobians: a matrix as a heat map with its values written in.

The colour scale is blue-white-red (``RdBu_r``), centred on zero and symmetric, so that a
sign reads as a colour and zero as white; a value larger than 0.6 of the scale's end is
written in white, the rest in black.  Rows follow the output (numerator layout).

>>> import numpy as np, matplotlib
>>> matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt
>>> fig, ax = plt.subplots()
>>> image = annotated_heatmap(ax, np.array([[0.25, -0.1]]), "J", ["a1"], ["z1", "z2"])
>>> [(t.get_text(), t.get_color()) for t in ax.texts]
[('0.250', 'white'), ('-0.100', 'black')]
>>> image.get_clim()
(-0.25, 0.25)
"""
from __future__ import annotations

import numpy as np

__all__ = ["annotated_heatmap", "CMAP", "WHITE_INK_ABOVE"]

CMAP = "RdBu_r"
WHITE_INK_ABOVE = 0.6   # values above this fraction of vmax are written in white


def annotated_heatmap(ax, M, title, row_labels, col_labels, *, vmax=None, fontsize=9):
    """Draw M, shape (rows, cols), on ``ax`` as a heat map with each value written in its
    cell to three decimals; return the image (for a colour bar).

    ``vmax`` is the end of the symmetric colour scale [-vmax, vmax], by default max |M|
    (give one value to several panels to put them on one scale).  ``row_labels`` and
    ``col_labels`` become the tick labels.  Raises ValueError when they do not match M.
    """
    M = np.asarray(M, dtype=float)
    if M.ndim != 2 or len(row_labels) != M.shape[0] or len(col_labels) != M.shape[1]:
        raise ValueError(f"expected a 2-D matrix with one label per row and per column, got M "
                         f"of shape {M.shape}, {len(row_labels)} row and {len(col_labels)} "
                         f"column labels")
    vmax = np.abs(M).max() if vmax is None else vmax
    image = ax.imshow(M, cmap=CMAP, vmin=-vmax, vmax=vmax)
    for (r, s), value in np.ndenumerate(M):
        ink = "white" if abs(value) > WHITE_INK_ABOVE * vmax else "black"
        ax.text(s, r, f"{value:.3f}", ha="center", va="center", fontsize=fontsize, color=ink)
    ax.set_title(title, fontsize=10)
    ax.set_xticks(range(M.shape[1]), col_labels)
    ax.set_yticks(range(M.shape[0]), row_labels)
    return image
