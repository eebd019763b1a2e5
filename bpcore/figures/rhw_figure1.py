"""Chapter 12's drawing of a trained 6-2-1 network in the style of Figure 1 of Rumelhart,
Hinton & Williams (1986): six input units in a row at the bottom, two hidden units above,
the output unit on top, the weights written on the connections and the biases inside the
units.

Lines into hidden unit 1 are blue and into hidden unit 2 orange, the hidden-to-output lines
dark grey; a line is dashed when its weight is negative and thicker the larger the weight
(full thickness from |w| = 12).  Unit 1's weight labels sit low on its lines
(a quarter of the way up) and unit 2's half way, so that the two sets do not overlap.
Numbers carry two decimals and a true minus sign.

>>> import numpy as np, matplotlib
>>> matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt
>>> W1 = np.array([[4.0, -2.0, 1.0, -1.0, 2.0, -4.0], [-4.0, 2.0, -1.0, 1.0, -2.0, 4.0]])
>>> fig, ax = plt.subplots()
>>> draw_figure1(ax, W1, [-1.0, -1.0], [[-6.0, -6.0]], [3.0])
>>> [t.get_text() for t in ax.texts][:3]
['4.00', '−2.00', '1.00']
"""
from __future__ import annotations

import numpy as np
from matplotlib.patches import Circle

from ._labels import two_decimals

__all__ = ["draw_figure1", "UNIT_COLOURS", "INPUTS", "HIDDEN", "OUTPUT"]

INPUTS = [(2.4 * i, 0.0) for i in range(6)]     # the six input units, bits 1..6
HIDDEN = [(3.0, 5.0), (9.0, 5.0)]               # hidden units 1 and 2
OUTPUT = (6.0, 8.6)
UNIT_COLOURS = ["#1f4e99", "#c25b00"]           # lines into hidden unit 1, hidden unit 2
OUTPUT_LINES = "#333333"
RADIUS = 0.6
LABEL_AT = (0.24, 0.5)    # where along its lines each hidden unit's weights are written
DASHED = (0, (4, 2))



def _connection(ax, p, q, w, t, colour):
    """The line from unit p to unit q, its weight w written a fraction t along it."""
    ax.plot([p[0], q[0]], [p[1], q[1]], color=colour, ls="-" if w >= 0 else DASHED,
            lw=0.9 + 2.0 * min(abs(w) / 12, 1), zorder=1)
    ax.text(p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]), two_decimals(w), fontsize=10,
            ha="center", va="center", color=colour, zorder=3,
            bbox=dict(boxstyle="round,pad=0.18", fc="white", ec=colour, lw=0.8))


def _check(W1, b1, W2, b2):
    shapes = [np.shape(p) for p in (W1, b1, W2, b2)]
    if shapes != [(2, 6), (2,), (1, 2), (1,)]:
        raise ValueError(f"expected a 6-2-1 network: W1 (2, 6), b1 (2,), W2 (1, 2), b2 (1,); "
                         f"got {shapes[0]}, {shapes[1]}, {shapes[2]}, {shapes[3]}")


def draw_figure1(ax, W1, b1, W2, b2):
    """Draw the 6-2-1 network with weights W1 (2, 6), biases b1 (2,), W2 (1, 2), b2 (1,)
    on ``ax``, as RHW's Figure 1 does.  Nested lists (as the experiment's saved results hold
    them) work as well as arrays.

    The labels go on in this order: the twelve input-to-hidden weights (unit 1's six, then
    unit 2's), the two hidden-to-output weights, "bit 1" .. "bit 6", then for hidden unit
    1, hidden unit 2 and the output its bias and its name.

    Raises ValueError when the shapes are not those of a 6-2-1 network.
    """
    _check(W1, b1, W2, b2)
    for h, (q, t) in enumerate(zip(HIDDEN, LABEL_AT)):
        for i, p in enumerate(INPUTS):
            _connection(ax, p, q, W1[h][i], t, UNIT_COLOURS[h])
    for h, p in enumerate(HIDDEN):
        _connection(ax, p, OUTPUT, W2[0][h], 0.5, OUTPUT_LINES)
    for i, (px, py) in enumerate(INPUTS):
        ax.add_patch(Circle((px, py), RADIUS, fc="white", ec="black", zorder=2))
        ax.text(px, py - RADIUS - 0.3, f"bit {i + 1}", ha="center", va="top", fontsize=10)
    units = list(zip(HIDDEN, b1, UNIT_COLOURS, ["hidden 1", "hidden 2"]))
    units.append((OUTPUT, b2[0], "black", "output"))
    for (px, py), bias, colour, name in units:
        ax.add_patch(Circle((px, py), RADIUS, fc="#f2f2f2", ec=colour, lw=2.2, zorder=2))
        ax.text(px, py, two_decimals(bias), ha="center", va="center", fontsize=10.5,
                fontweight="bold", zorder=3)
        ax.text(px + RADIUS + 0.25, py + 0.35, name, ha="left", va="center", fontsize=9.5,
                color=colour)
    ax.set_xlim(-1.0, 13.2)
    ax.set_ylim(-1.5, 9.5)
    ax.set_aspect("equal")
    ax.axis("off")
