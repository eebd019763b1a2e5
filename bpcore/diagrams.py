"""Pictures for the steppers: network diagrams, a nudge plot and a cost surface, as PNG bytes.

A network diagram draws layer l = 0..L as a column of circles (layer 0 on the left, neuron
j = 0 at the top) and the weight w^l_jk as a line from neuron k of layer l-1 to neuron j of
layer l.  Neurons and weights are coloured by the quantity in play with a diverging
colormap centred at 0 (blue positive, red negative).  Colour never carries meaning alone:

* every neuron that has a value prints it, with four significant digits;
* a weight's line is solid when its value is positive and dashed when negative, and its
  width grows with |value|;
* what the current step touches gets a thick black outline and its value printed.

Indices in this module are Python's: layer ``l`` as in the book (0 is the input), neuron
``j`` from 0.  An edge key ``(l, j, k)`` is the weight into neuron j of layer l from neuron
k of layer l-1, the entry ``W^l[j, k]`` (the book's w^l_{j+1, k+1}).

Figures are drawn on an opaque white background, so they read on a dark page theme too,
and saved as palette PNGs (64 colours, ``optimize``) at 75 dpi: a diagram of the running
example takes about 10 KB.  Identical pictures are drawn once (an LRU cache on the spec).

>>> png = network_png((2, 3, 2), nodes={(0, 0): 0.05, (0, 1): 0.1},
...                   edges={(1, 0, 0): 0.15, (1, 0, 1): -0.2},
...                   highlight_edges=[(1, 0, 0), (1, 0, 1)])
>>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n", len(png) < 25_000
(True, True)
>>> format_number(0.37754066879), format_number(-1.5e-6, latex=True)
('0.3775', '-1.500 \\\\times 10^{-6}')
"""
from __future__ import annotations

import functools
import io
import math
import textwrap
from collections.abc import Mapping

import numpy as np
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.patches import Circle
from PIL import Image

from .tex import MINUS, format_number, plain

__all__ = ["CMAP", "DPI", "format_number", "figure_to_png", "draw_network", "network_png",
           "weight_name", "describe_network", "nudge_png", "surface_png"]

CMAP = "RdBu"          # diverging: red for negative, white at 0, blue for positive
DPI = 75
PNG_COLORS = 32        # palette size of the saved PNG: flat fills, lines and text
FONT = 11              # points; at 75 dpi about 11 pixels
_RADIUS = 0.36         # neuron radius in data units (columns are 2 apart, rows 1 apart)
_DX, _DY = 2.0, 1.0
_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def figure_to_png(fig, dpi=None, colors=None):
    """Render a matplotlib ``Figure`` to compact PNG bytes: opaque, palette, optimized.

    The figure is rasterised by Agg, reduced to ``colors`` palette entries without
    dithering (the pictures are flat fills, lines and text) and saved with PIL's
    ``optimize``.  Rendering is deterministic, so equal figures give equal bytes.
    """
    fig.set_dpi(DPI if dpi is None else dpi)
    colors = PNG_COLORS if colors is None else colors
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    rgb = np.asarray(canvas.buffer_rgba())[..., :3]
    image = Image.fromarray(np.ascontiguousarray(rgb)).quantize(
        colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _new_figure(width, height):
    fig = Figure(figsize=(width, height), dpi=DPI, facecolor="white")
    fig.patch.set_alpha(1.0)
    return fig


def _norm(vmax):
    vmax = float(vmax) if vmax and vmax > 0 else 1.0
    return TwoSlopeNorm(vcenter=0.0, vmin=-vmax, vmax=vmax)


def _visible(t):
    """Move a colormap position t in [0, 1] away from the white centre (0.5), keeping its
    side: a weight near 0 stays a visible pale red or blue line instead of vanishing."""
    return 0.5 + np.sign(t - 0.5) * (0.12 + 0.76 * abs(t - 0.5))


def _text_colour(rgba):
    """Black or white, whichever reads better on a fill of colour ``rgba``."""
    r, g, b = rgba[:3]
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def _positions(sizes):
    """Centre of every neuron: {(l, j): (x, y)}, layer 0 at x = 0, neuron 0 at the top."""
    pos = {}
    for l, n in enumerate(sizes):
        for j in range(n):
            pos[(l, j)] = (l * _DX, ((n - 1) / 2 - j) * _DY)
    return pos


def _edge_ends(pos, l, j, k):
    (x0, y0), (x1, y1) = pos[(l - 1, k)], pos[(l, j)]
    length = math.hypot(x1 - x0, y1 - y0)
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    return (x0 + ux * _RADIUS, y0 + uy * _RADIUS), (x1 - ux * _RADIUS, y1 - uy * _RADIUS)


def _label_fraction(edge, highlighted):
    """Where along a highlighted edge its label goes: edges into (or out of) one neuron meet
    there, so their midpoints, half a row apart, keep the labels apart and off the
    neurons; a single edge is labelled a little towards its source."""
    return 0.5 if len(highlighted) > 1 else 0.4


def draw_network(ax, sizes, nodes=None, edges=None, highlight_nodes=(), highlight_edges=(),
                 edge_labels=None, notes=None, node_vmax=None, edge_vmax=None,
                 layer_names=True, text_scale=1.0):
    """Draw a network on the matplotlib axes ``ax``.

    ``sizes`` is (n_0, ..., n_L).  ``nodes`` maps (l, j) to the value shown on that neuron
    (coloured and printed); neurons without a value are drawn white with a dotted outline,
    meaning "not computed yet".  ``edges`` maps (l, j, k) to the value of the weight
    W^l[j, k]'s quantity (colour, width, solid/dashed); edges without a value are thin grey.
    ``highlight_nodes`` / ``highlight_edges`` get a thick black outline, and highlighted
    edges print ``edge_labels[(l, j, k)]`` (default: their value, when at most four are
    highlighted, so that labels do not pile up).  ``notes`` maps (l, j) to
    a short text written to the right of that neuron; ``text_scale`` shrinks the numbers
    on neurons and lines along with the picture.  Colours are scaled symmetrically to
    ``node_vmax`` and ``edge_vmax`` (default: the largest |value|); ``node_vmax`` may also
    map each layer l to its own scale, for pictures that show a different quantity per layer.
    """
    nodes = dict(nodes or {})
    edges = dict(edges or {})
    edge_labels = dict(edge_labels or {})
    notes = dict(notes or {})
    highlight_nodes, highlight_edges = set(highlight_nodes), set(highlight_edges)
    cmap = colormaps[CMAP]
    pos = _positions(sizes)
    e_norm = _norm(edge_vmax or max((abs(v) for v in edges.values()), default=1.0))
    if isinstance(node_vmax, Mapping):     # one colour scale per layer
        n_norms = {l: _norm(node_vmax.get(l)) for l in range(len(sizes))}
    else:
        shared = _norm(node_vmax or max((abs(v) for v in nodes.values()), default=1.0))
        n_norms = {l: shared for l in range(len(sizes))}
    e_scale = max(abs(e_norm.vmin), e_norm.vmax)

    def draw_edge(key, on_top):
        l, j, k = key
        (x0, y0), (x1, y1) = _edge_ends(pos, l, j, k)
        if key in edges:
            value = edges[key]
            colour = cmap(_visible(e_norm(value)))
            width = 0.8 + 3.2 * min(abs(value) / e_scale, 1.0)
            style = "-" if value >= 0 else (0, (4, 2))
        else:
            colour, width, style = "#c8c8c8", 0.8, "-"
        if on_top:  # a black casing under the coloured line
            ax.plot([x0, x1], [y0, y1], color="black", lw=width + 3.0,
                    solid_capstyle="butt", zorder=3)
        ax.plot([x0, x1], [y0, y1], color=colour, lw=width, linestyle=style,
                solid_capstyle="butt", zorder=4 if on_top else 1)

    all_edges = [(l, j, k) for l in range(1, len(sizes))
                 for j in range(sizes[l]) for k in range(sizes[l - 1])]
    for key in all_edges:
        if key not in highlight_edges:
            draw_edge(key, on_top=False)
    for key in sorted(highlight_edges):
        draw_edge(key, on_top=True)
    for key in sorted(highlight_edges):
        l, j, k = key
        (x0, y0), (x1, y1) = _edge_ends(pos, l, j, k)
        t = _label_fraction(key, highlight_edges)
        default = plain(edges[key]) if key in edges and len(highlight_edges) <= 4 else ""
        text = edge_labels.get(key, default)
        if text:
            ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), text,
                    fontsize=(FONT - 1.5) * text_scale,
                    ha="center", va="center", zorder=6,
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="black", lw=0.6))

    for (l, j), (x, y) in pos.items():
        on = (l, j) in highlight_nodes
        if (l, j) in nodes:
            value = nodes[(l, j)]
            fill = cmap(n_norms[l](value))
            ax.add_patch(Circle((x, y), _RADIUS, fc=fill, ec="black" if on else "#555555",
                                lw=3.0 if on else 1.0, zorder=7))
            ax.text(x, y, plain(value), fontsize=(FONT - 0.5) * text_scale, ha="center",
                    va="center",
                    color=_text_colour(fill), zorder=8,
                    fontweight="bold" if on else "normal")
        else:
            ax.add_patch(Circle((x, y), _RADIUS, fc="white", ec="black" if on else "#777777",
                                lw=3.0 if on else 1.0, linestyle="-" if on else ":", zorder=7))
        if (l, j) in notes:
            ax.text(x + _RADIUS + 0.12, y, notes[(l, j)], fontsize=FONT - 1.5, ha="left",
                    va="center", zorder=8)

    top = (max(sizes) - 1) / 2 * _DY
    if layer_names:
        for l in range(len(sizes)):
            name = "input" if l == 0 else ("output" if l == len(sizes) - 1 else "hidden")
            ax.text(l * _DX, -top - _RADIUS - 0.12, f"layer {l}\n{name}", fontsize=FONT - 1.5,
                    ha="center", va="top", color="#333333", linespacing=1.1)
    x0, x1, y0, y1 = _extent(sizes, notes, layer_names)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.axis("off")


def _freeze(mapping):
    return tuple(sorted((mapping or {}).items()))


def _extent(sizes, notes, layer_names):
    """The data rectangle a diagram occupies: (x0, x1, y0, y1)."""
    top = (max(sizes) - 1) / 2 * _DY
    right = (len(sizes) - 1) * _DX + _RADIUS + (1.5 if notes else 0.12)
    bottom = -top - _RADIUS - (0.62 if layer_names else 0.12)
    return -_RADIUS - 0.12, right, bottom, top + _RADIUS + 0.12


@functools.lru_cache(maxsize=512)
def _network_png(sizes, nodes, edges, highlight_nodes, highlight_edges, edge_labels, notes,
                 node_vmax, edge_vmax, caption):
    x0, x1, y0, y1 = _extent(sizes, notes, True)
    # one data unit is `scale` inches; big networks shrink so the picture stays within
    # about 600 x 420 pixels, and their numbers shrink with it
    scale = min(1.25, 8.0 / (x1 - x0), 5.6 / (y1 - y0))
    width = scale * (x1 - x0)
    # the caption wraps to the width of the picture: about 6.5 pixels a character
    lines = textwrap.wrap(caption, width=max(int(width * DPI / 6.5), 20)) if caption else []
    cap = 0.2 * len(lines) + (0.12 if lines else 0.0)
    height = scale * (y1 - y0) + cap
    fig = _new_figure(width, height)
    ax = fig.add_axes((0.0, cap / height, 1.0, 1.0 - cap / height))
    if isinstance(node_vmax, tuple):   # frozen per-layer scales
        node_vmax = dict(node_vmax)
    draw_network(ax, sizes, dict(nodes), dict(edges), highlight_nodes, highlight_edges,
                 dict(edge_labels), dict(notes), node_vmax, edge_vmax,
                 text_scale=min(1.0, max(0.75, scale)))
    if lines:
        fig.text(0.5, 0.06 / height, "\n".join(lines), fontsize=FONT - 2, ha="center",
                 va="bottom", color="#222222", linespacing=1.2)
    return figure_to_png(fig)


def network_png(sizes, nodes=None, edges=None, highlight_nodes=(), highlight_edges=(),
                edge_labels=None, notes=None, node_vmax=None, edge_vmax=None, caption=""):
    """A network diagram as PNG bytes; the arguments are those of :func:`draw_network`.

    ``caption`` is one line of small text under the diagram (say which quantity the
    colours show).  Equal arguments return the same (cached) bytes.
    """
    def num(v):
        if isinstance(v, Mapping):
            return tuple(sorted((int(l), float(x)) for l, x in v.items()))
        return None if v is None else float(v)
    return _network_png(
        tuple(int(n) for n in sizes),
        tuple((key, float(v)) for key, v in _freeze(nodes)),
        tuple((key, float(v)) for key, v in _freeze(edges)),
        frozenset(highlight_nodes), frozenset(highlight_edges),
        _freeze(edge_labels), _freeze(notes), num(node_vmax), num(edge_vmax), caption)


def weight_name(l, j, k, plain=False):
    """The name of the weight W^l[j, k] (0-based j, k): the book's w^l_jk, 1-based.

    >>> weight_name(2, 0, 2), weight_name(2, 0, 2, plain=True)
    ('w²₁₃', 'w^2_13')
    """
    if plain:
        return f"w^{l}_{j + 1}{k + 1}"
    return f"w{str(l).translate(_SUP)}{f'{j + 1}{k + 1}'.translate(_SUB)}"


def describe_network(sizes, nodes=None, edges=None, highlight_nodes=(), highlight_edges=(),
                     node_quantity="value", edge_quantity="value"):
    """Alt text for a :func:`network_png` picture: what is drawn and which values it shows.

    >>> print(describe_network((2, 1), nodes={(0, 0): 0.5}, highlight_edges=[(1, 0, 0)],
    ...                        edges={(1, 0, 0): -0.25}, edge_quantity="weight"))
    Diagram of a 2-1 network. Highlighted: weight w^1_11 = -0.2500. Neuron values:
    layer 0: 0.5000, blank; layer 1: blank.
    """
    nodes, edges = dict(nodes or {}), dict(edges or {})
    parts = []
    for l, j in sorted(highlight_nodes):
        value = f" ({node_quantity} = {format_number(nodes[(l, j)])})" if (l, j) in nodes else ""
        parts.append(f"neuron {j + 1} of layer {l}{value}")
    for l, j, k in sorted(highlight_edges):
        value = f" = {format_number(edges[(l, j, k)])}" if (l, j, k) in edges else ""
        parts.append(f"{edge_quantity} {weight_name(l, j, k, plain=True)}{value}")
    text = f"Diagram of a {'-'.join(str(n) for n in sizes)} network."
    if parts:
        text += " Highlighted: " + "; ".join(parts) + "."
    layers = []
    for l, n in enumerate(sizes):
        shown = [format_number(nodes[(l, j)]) if (l, j) in nodes else "blank" for j in range(n)]
        if any(s != "blank" for s in shown) or l == len(sizes) - 1:
            layers.append(f"layer {l}: " + ", ".join(shown))
    if nodes:
        text += " Neuron values: " + "; ".join(layers) + "."
    return text


def nudge_png(sizes, edge, dw_curve, dc_curve, slope, nudges, dc_nudges, weight_label,
              edges=None):
    """ΔC against Δw for one weight, beside a small diagram that highlights that weight.

    ``dw_curve``/``dc_curve`` trace the measured change of the cost over a fine range of
    nudges (solid line); the tangent ΔC ≈ (∂C/∂w) Δw with slope ``slope`` is dashed;
    ``nudges``/``dc_nudges`` are the nudges the reader can pick, marked with circles.
    ``edge`` is the (l, j, k) key of the weight and ``weight_label`` its name; ``edges``
    the values to colour the diagram's lines by (the weight alone, say).
    """
    dw_curve, dc_curve = np.asarray(dw_curve, float), np.asarray(dc_curve, float)
    fig = _new_figure(7.4, 3.0)
    ax_net = fig.add_axes((0.0, 0.02, 0.42, 0.92))
    label = weight_label + (f" = {plain(edges[edge])}" if edges and edge in edges else "")
    draw_network(ax_net, sizes, edges=edges, highlight_edges=[edge],
                 edge_labels={edge: ""}, layer_names=False)
    ax_net.set_title(f"the weight {label}", fontsize=FONT)
    ax = fig.add_axes((0.54, 0.2, 0.44, 0.68))
    ax.plot(dw_curve, dc_curve, color="#1f4e99", lw=2.0, label="measured ΔC")
    ax.plot(dw_curve, slope * dw_curve, color="#b2182b", lw=1.6, linestyle=(0, (4, 2)),
            label="tangent (∂C/∂w)Δw")
    ax.plot(nudges, dc_nudges, "o", color="black", ms=4, label="the nudges")
    ax.axhline(0.0, color="#999999", lw=0.6)
    ax.axvline(0.0, color="#999999", lw=0.6)
    ax.set_xlabel("Δw", fontsize=FONT, labelpad=1)
    ax.set_ylabel("ΔC", fontsize=FONT, labelpad=1)
    ax.tick_params(labelsize=FONT - 2, pad=1)
    ax.ticklabel_format(axis="y", style="sci", scilimits=(-2, 2))
    ax.yaxis.get_offset_text().set_fontsize(FONT - 2)
    ax.legend(fontsize=FONT - 2, loc="best", frameon=True, handlelength=2.2)
    ax.set_title(f"ΔC against Δw for {weight_label}", fontsize=FONT)
    return figure_to_png(fig)


def surface_png(p0_grid, p1_grid, cost_grid, path, current, labels, title, levels=9):
    """Contour lines of a cost over two parameters, with a gradient-descent path.

    ``cost_grid[i, j]`` is the cost at (p0_grid[j], p1_grid[i]).  ``path`` is an array of
    shape (t + 1, 2) of the points visited; the point ``path[current]`` is the current one
    (a large ring) and the path up to it is drawn as a line with dots.  Points outside the
    plotted square are clipped to its edge and marked with a triangle, so a diverging path
    stays visible.  ``labels`` names the two axes.
    """
    p0_grid, p1_grid = np.asarray(p0_grid, float), np.asarray(p1_grid, float)
    fig = _new_figure(5.2, 3.9)
    ax = fig.add_axes((0.13, 0.14, 0.83, 0.77))
    finite = cost_grid[np.isfinite(cost_grid)]
    # levels at quantiles of the cost (dense where the surface is flat), rounded to two
    # significant digits so that their labels are short
    qs = np.quantile(finite, np.linspace(0.0, 1.0, levels + 2)[1:-1])
    qs = np.unique([float(f"{q:.2g}") for q in qs])
    contours = ax.contour(p0_grid, p1_grid, cost_grid, levels=qs, colors="#7a7a7a",
                          linewidths=0.9)
    ax.clabel(contours, contours.levels[::2], fontsize=FONT - 2,
              fmt=lambda v: f"{v:g}".replace("-", MINUS))
    xlim = (p0_grid[0], p0_grid[-1])
    ylim = (p1_grid[0], p1_grid[-1])
    shown = np.asarray(path[: current + 1], float)
    clipped = np.column_stack([np.clip(shown[:, 0], *xlim), np.clip(shown[:, 1], *ylim)])
    outside = np.any(clipped != shown, axis=1)
    ax.plot(clipped[:, 0], clipped[:, 1], "-", color="black", lw=1.2, zorder=3)
    ax.plot(clipped[~outside, 0], clipped[~outside, 1], "o", color="black", ms=3, zorder=4)
    ax.plot(clipped[outside, 0], clipped[outside, 1], "^", color="#b2182b", ms=7, zorder=4,
            clip_on=False)
    ax.plot(*path[0], "s", mfc="white", mec="black", ms=6, zorder=5)
    ax.plot(*clipped[-1], "o", mfc="none", mec="#b2182b", mew=2.2, ms=11, zorder=6,
            clip_on=False)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel(labels[0], fontsize=FONT, labelpad=1)
    ax.set_ylabel(labels[1], fontsize=FONT, labelpad=1)
    ax.tick_params(labelsize=FONT - 2, pad=1)
    ax.set_title(title, fontsize=FONT)
    return figure_to_png(fig)
