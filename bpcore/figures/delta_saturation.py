"""The size of the output delta of one saturating sigmoid neuron, for two costs (chapter 4's
figure).

One sigmoid neuron with weight 1 and bias 0 (so that z = x) and target y = 1.  With the
quadratic cost its delta is (sigma(z) - 1) sigma'(z), which collapses where the neuron is
confidently wrong (very negative z); with binary cross-entropy it is sigma(z) - 1, which
stays near -1 there.  Both come from :func:`bpcore.output_delta`.

>>> d = deltas(np.array([-6.0, 0.0]))
>>> np.round(d["mse"], 5).tolist(), np.round(d["binary_cross_entropy"], 4).tolist()
([0.00246, 0.125], [0.9975, 0.5])
"""
from __future__ import annotations

import numpy as np

from .. import _validate as v
from ..engine import forward, output_delta
from ..network import Network

__all__ = ["LOSSES", "Z", "deltas", "plot"]

LOSSES = ("mse", "binary_cross_entropy")
Z = np.linspace(-8, 8, 321)


def deltas(z=Z, y=1.0):
    """{loss: |delta|} for the one-neuron probe at the weighted inputs ``z`` (1-D, shape
    (m,)) with target ``y`` for every sample; each result has the shape of z."""
    z = v.as_float_array(z, "z")
    if z.ndim != 1:
        raise ValueError(f"expected z as a 1-D array of weighted inputs, got shape {z.shape}; "
                         "fix: pass np.ravel(z)")
    probe = Network([np.array([[1.0]])], [np.array([0.0])], "sigmoid")
    z_row = z[None, :]
    fp = forward(probe, z_row)
    target = np.full_like(z_row, y)
    return {loss: np.abs(output_delta(probe, fp, target, loss=loss)).ravel()
            for loss in LOSSES}


def plot():
    """|delta| against z from -8 to 8, log scale, target 1 (a pyplot figure, 7 x 3.8)."""
    import matplotlib.pyplot as plt

    d = deltas(Z)
    fig, ax = plt.subplots(figsize=(7, 3.8), facecolor="white")
    ax.set_facecolor("white")
    ax.semilogy(Z, d["mse"], color="#1b4f9c", lw=2.2, label="quadratic cost (mse)")
    ax.semilogy(Z, d["binary_cross_entropy"], color="#b34700", lw=2.2, ls="--",
                label="binary cross-entropy")
    ax.axvline(-6, color="#555555", ls=":", lw=1.2)
    ax.text(-5.8, 1e-6, "z = −6: output 0.0025,\ntarget 1", fontsize=10, color="#333333")
    ax.set_xlabel("weighted input z of the output neuron")
    ax.set_ylabel("|δ| for target y = 1")
    ax.set_ylim(1e-7, 3)
    ax.grid(True, which="major", color="#dddddd", lw=0.8)
    ax.legend(loc="upper right", frameon=True)
    return fig
