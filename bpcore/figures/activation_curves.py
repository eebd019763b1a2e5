"""The activation functions and their derivatives side by side (chapter 1's figure).

Each panel plots f(z) (solid) and f'(z) (dashed) from the registry's record
(``bpcore.activations.get(name)``), for z from -4 to 4.  Where the derivative jumps (ReLU at
0) the dashed curve is drawn in two pieces with no vertical line, a filled dot at the value
bpcore uses at the kink and an open circle at the other one-sided value.

>>> z, f, f_prime = curves("relu", np.array([-1.0, 0.0, 2.0]))
>>> f.tolist(), f_prime.tolist()
([0.0, 0.0, 2.0], [0.0, 0.0, 1.0])
"""
from __future__ import annotations

import numpy as np

from .. import activations

__all__ = ["NAMES", "Z", "curves", "plot"]

NAMES = ("sigmoid", "tanh", "relu", "identity")
Z = np.linspace(-4, 4, 401)


def curves(name, z=Z):
    """``(z, f(z), f'(z))`` for the registered element-wise activation ``name``.

    z: a 1-D array (default 401 points from -4 to 4); the results have its shape.
    Raises ValueError for an unknown name or one that is not element-wise (softmax).
    """
    act = activations.get(name)
    if not act.elementwise:
        raise ValueError(f"expected an element-wise activation such as {', '.join(NAMES)}, "
                         f"got {name!r}, which has a Jacobian rather than one curve f'(z)")
    return z, act.f(z), act.prime(z)


def _draw(ax, name):
    z, f, _ = curves(name)
    f_prime = activations.get(name).prime
    ax.axhline(0, color="0.8", lw=0.8)
    ax.axvline(0, color="0.8", lw=0.8)
    ax.plot(z, f, color="C0", lw=2, label="f(z)")
    dashed = dict(color="C1", lw=2, ls="--")
    if name == "relu":  # draw the jump honestly: no vertical line at 0
        for part in (z < 0, z > 0):
            ax.plot(z[part], f_prime(z[part]), **dashed)
        ax.plot([0], [f_prime(np.array(0.0))], "o", color="C1", ms=6)
        ax.plot([0], [1], "o", mfc="white", mec="C1", ms=6)
    else:
        ax.plot(z, f_prime(z), label="f′(z)", **dashed)
    ax.set_title(name)
    ax.set_xlabel("z")
    ax.set_ylim(-1.3, 2.3)


def plot(names=NAMES):
    """One panel per activation in ``names``, in a row (a pyplot figure, 9 x 2.6 inches)."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(names), figsize=(9, 2.6), sharex=True, sharey=True)
    for ax, name in zip(np.atleast_1d(axes), names):
        _draw(ax, name)
    np.atleast_1d(axes)[0].legend(loc="upper left", frameon=False)
    fig.tight_layout()
    return fig
