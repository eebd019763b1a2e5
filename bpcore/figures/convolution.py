"""Figures of chapter 16: grids of numbers with a highlighted window (the steppers' views),
the sparse shared-weight matrix of a small convolution, and learned kernels.

Every grid shows its numbers in the cells, coloured on a diverging scale centred on 0, so
the picture reads without colour too.  ``*_png`` functions return compact PNG bytes for a
stepper; ``plot_*`` functions return a pyplot figure for a chapter; ``describe_*`` say the
same in words (alt text).

>>> import numpy as np
>>> describe_grid("x", np.array([[1.0, -2.0]]), window=(0, 1, 1, 1))
'x, 1 by 2: row 1: 1.00, −2.00. Highlighted: rows 1 to 1, columns 2 to 2.'
"""
from __future__ import annotations

import numpy as np
from matplotlib.colors import TwoSlopeNorm
from matplotlib.patches import Rectangle

from ..diagrams import figure_to_png
from ._labels import two_decimals

__all__ = ["draw_grid", "grids_png", "describe_grid", "plot_conv_matrix",
           "describe_conv_matrix", "plot_kernels", "CMAP"]

CMAP = "RdBu_r"
HIGHLIGHT = "#d95f02"
MARK = "#1b7837"


def draw_grid(ax, values, title, window=None, mark=(), vmax=None, blank=None):
    """One 2-D array as a grid of coloured cells with its numbers.

    ``window`` = (row, col, height, width) draws a thick frame; ``mark`` lists (row, col)
    cells drawn with a second, dashed frame; ``blank`` is a boolean array of cells shown
    empty (not yet computed).
    """
    values = np.asarray(values, dtype=float)
    h, w = values.shape
    scale = vmax if vmax else (float(np.max(np.abs(values))) or 1.0)
    shown = np.where(blank, 0.0, values) if blank is not None else values
    ax.imshow(shown, cmap=CMAP, norm=TwoSlopeNorm(0.0, -scale, scale))
    for r in range(h):
        for q in range(w):
            if blank is not None and blank[r, q]:
                continue
            strong = abs(values[r, q]) > 0.6 * scale
            ax.text(q, r, two_decimals(values[r, q]), ha="center", va="center", fontsize=8,
                    color="white" if strong else "black")
    if window is not None:
        r0, c0, hh, ww = window
        ax.add_patch(Rectangle((c0 - 0.5, r0 - 0.5), ww, hh, fill=False, lw=3,
                               edgecolor=HIGHLIGHT))
    for r, q in mark:
        ax.add_patch(Rectangle((q - 0.42, r - 0.42), 0.84, 0.84, fill=False, lw=2,
                               edgecolor=MARK, linestyle="--"))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=10)


def grids_png(panels, width_per_cell=0.42):
    """Several grids side by side as PNG bytes: ``panels`` is a list of dicts with the
    keyword arguments of :func:`draw_grid` (``values``, ``title``, ...)."""
    from matplotlib.figure import Figure

    widths = [np.shape(p["values"])[1] for p in panels]
    height = max(np.shape(p["values"])[0] for p in panels)
    fig = Figure(figsize=(max(3.0, width_per_cell * (sum(widths) + 1.2 * len(panels))),
                          0.42 * height + 0.7), facecolor="white")
    axes = fig.subplots(1, len(panels), gridspec_kw={"width_ratios": widths})
    for ax, panel in zip(np.atleast_1d(axes), panels):
        draw_grid(ax, **panel)
    fig.subplots_adjust(left=0.02, right=0.98, top=0.84, bottom=0.03, wspace=0.15)
    return figure_to_png(fig, dpi=80)


def describe_grid(name, values, window=None, mark=(), blank=None):
    """A grid in words: its shape, its numbers row by row, and what is highlighted."""
    values = np.asarray(values, dtype=float)
    rows = []
    for r, row in enumerate(values):
        cells = ["blank" if blank is not None and blank[r, q] else two_decimals(v)
                 for q, v in enumerate(row)]
        rows.append(f"row {r + 1}: {', '.join(cells)}")
    text = f"{name}, {values.shape[0]} by {values.shape[1]}: {'; '.join(rows)}."
    if window is not None:
        r0, c0, hh, ww = window
        text += (f" Highlighted: rows {r0 + 1} to {r0 + hh}, columns {c0 + 1} to "
                 f"{c0 + ww}.")
    if mark:
        text += " Marked: " + ", ".join(f"row {r + 1} column {q + 1}" for r, q in mark) + "."
    return text


def plot_conv_matrix(cm, kernel_labels):
    """The chapter's figure: the dense matrix M of a small convolution, each nonzero entry
    coloured by the kernel weight it holds and labelled with that weight's name
    (``kernel_labels[flat index]``); structural zeros are white."""
    import matplotlib.pyplot as plt

    index = cm.kernel_index
    n_out, n_in = index.shape
    n_k = int(index.max()) + 1
    fig, ax = plt.subplots(figsize=(0.36 * n_in + 1.4, 0.36 * n_out + 0.9), facecolor="white")
    colours = plt.get_cmap("Set3" if n_k <= 12 else "tab20")
    image = np.ones((n_out, n_in, 3))
    for f in range(n_k):
        image[index == f] = colours(f % colours.N)[:3]
    ax.imshow(image)
    for r, q in zip(*np.nonzero(index >= 0)):
        ax.text(q, r, kernel_labels[index[r, q]], ha="center", va="center", fontsize=7)
    ax.set_xticks(range(n_in))
    ax.set_yticks(range(n_out))
    ax.set_xticklabels([str(i + 1) for i in range(n_in)], fontsize=7)
    ax.set_yticklabels([str(i + 1) for i in range(n_out)], fontsize=7)
    ax.set_xlabel("column: input pixel (row-major)")
    ax.set_ylabel("row: output position")
    ax.set_xticks(np.arange(-0.5, n_in), minor=True)
    ax.set_yticks(np.arange(-0.5, n_out), minor=True)
    ax.grid(which="minor", color="#cccccc", lw=0.5)
    ax.tick_params(which="minor", length=0)
    fig.tight_layout()
    return fig


def describe_conv_matrix(cm, kernel_labels):
    """The matrix in words: its shape, how many entries hold each weight, the zeros."""
    index = cm.kernel_index
    counts = np.bincount(index[index >= 0])
    uses = ", ".join(f"{kernel_labels[f]} {c} times" for f, c in enumerate(counts))
    return (f"A {index.shape[0]} by {index.shape[1]} grid, the matrix M. Of its {index.size} "
            f"entries, {int((index < 0).sum())} are zero (white); the others hold a kernel "
            f"weight, coloured and labelled by which one: {uses}. Each row holds the kernel "
            "once, shifted along the row as the output position moves.")


def plot_kernels(kernels, title="kernel"):
    """The kernels of a one-channel convolution, (c, 1, k, k), as small images side by
    side on one symmetric colour scale."""
    import matplotlib.pyplot as plt

    kernels = np.asarray(kernels)[:, 0]
    n = len(kernels)
    scale = float(np.max(np.abs(kernels))) or 1.0
    fig, axes = plt.subplots(1, n, figsize=(1.25 * n, 1.5), facecolor="white")
    for i, (ax, K) in enumerate(zip(np.atleast_1d(axes), kernels)):
        ax.imshow(K, cmap=CMAP, norm=TwoSlopeNorm(0.0, -scale, scale))
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"{title} {i + 1}", fontsize=8)
    fig.tight_layout()
    return fig
