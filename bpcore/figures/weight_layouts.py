"""Chapter 11's figure of one layer's weights stored the ways the sources store them.

:func:`draw_matrix` draws a matrix as a grid of labelled cells, with chosen rows or
columns shaded (where a source keeps its bias) and, optionally, a bias vector drawn apart
beside it, as the book keeps b^l apart from W^l.  Numbers are written with two decimals and
a true minus sign.

>>> import numpy as np, matplotlib
>>> matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt
>>> fig, ax = plt.subplots()
>>> draw_matrix(ax, np.array([[0.15, -0.2]]), "W", ["to 1"], ["from 1", "from 2"])
>>> [t.get_text() for t in ax.texts]
['0.15', '−0.20', 'to 1', 'from 1', 'from 2']
"""
from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from ._labels import two_decimals

__all__ = ["draw_matrix", "BIAS_FILL"]

BIAS_FILL = "#fde2b8"   # the shade of a cell holding a bias
_EDGE = "#555555"



def _cell(ax, column, row, value, fill):
    """One cell, its top left corner at (column, -row)."""
    ax.add_patch(Rectangle((column, -row), 1, -1, fc=fill, ec=_EDGE, lw=0.8))
    ax.text(column + 0.5, -row - 0.5, two_decimals(value), ha="center", va="center",
            fontsize=10)


def draw_matrix(ax, M, title, row_labels, col_labels, shaded_rows=(), shaded_cols=(),
                apart=None):
    """Draw M, shape (rows, cols), on ``ax`` as a grid of numbers, one unit per cell.

    ``row_labels`` and ``col_labels`` name what each index refers to ("to 1", "from 2");
    cells in ``shaded_rows`` or ``shaded_cols`` are shaded as bias entries; ``apart``, a
    vector of length rows, is drawn as a shaded column beside the grid, headed "bias".
    The axes are fixed to the box x in [-1.6, 3.4], y in [-4.2, 1.2], enough for a 4 by 3
    grid and a bias column, so that panels drawn side by side share one scale.

    Raises ValueError when a label list does not match M's shape.
    """
    M = np.asarray(M, dtype=float)
    if M.ndim != 2:
        raise ValueError(f"expected M as a 2-D matrix, got shape {M.shape}")
    rows, cols = M.shape
    if len(row_labels) != rows or len(col_labels) != cols:
        raise ValueError(f"expected {rows} row labels and {cols} column labels for M of shape "
                         f"{M.shape}, got {len(row_labels)} and {len(col_labels)}")
    if apart is not None:
        if len(apart) != rows:
            raise ValueError(f"expected a vector apart of length {rows}, got {len(apart)}")
        for r, value in enumerate(apart):
            _cell(ax, cols + 0.35, r, value, BIAS_FILL)
        ax.text(cols + 0.85, 0.12, "bias", ha="center", va="bottom", fontsize=8.5,
                rotation=30)
    for r in range(rows):
        for c in range(cols):
            shaded = r in shaded_rows or c in shaded_cols
            _cell(ax, c, r, M[r, c], BIAS_FILL if shaded else "white")
    for r, label in enumerate(row_labels):
        ax.text(-0.1, -r - 0.5, label, ha="right", va="center", fontsize=8.5)
    for c, label in enumerate(col_labels):
        ax.text(c + 0.5, 0.12, label, ha="center", va="bottom", fontsize=8.5, rotation=30)
    ax.set_title(title, fontsize=10, pad=34)
    ax.set_xlim(-1.6, 3.4)
    ax.set_ylim(-4.2, 1.2)
    ax.set_aspect("equal")
    ax.axis("off")
