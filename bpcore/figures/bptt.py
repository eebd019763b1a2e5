"""Chapter 17's measurements and figures: how far back an error reaches in a recurrent
network, and what truncating backpropagation through time costs on a memory task.

* :func:`gradient_by_lag` measures ||delta^(T)_{T-k}|| / ||delta^(T)_T||, the share of the
  last step's error that reaches k steps back, for a W_hh with a chosen largest singular
  value sigma_max.  Each step back multiplies by diag(1 - h^2) W_hh^T, whose norm is at
  most sigma_max, so the ratio is at most sigma_max^k (Pascanu, Mikolov and Bengio, 2013).
* :func:`truncation_experiment` trains the same networks on the delayed-recall task of
  :func:`bpcore.rnn_training.recall_task` with several truncation lengths.

>>> r = gradient_by_lag(0.5, n_h=4, T=5, m=3, seed=0)
>>> r.ratios.shape, float(r.ratios[0])
((5,), 1.0)
"""
from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from .. import rnn as R
from .. import rnn_training as RT

__all__ = ["plot_unrolled", "unrolled_png", "orthogonal", "gradient_by_lag", "per_step_rate",
           "plot_gradient_by_lag", "TruncationResults", "truncation_experiment",
           "plot_training", "label"]

COLOURS = ["#1f4e9c", "#1a7f37", "#b35806", "#6a3d9a", "#b2182b", "#444444"]


def plot_unrolled(T=4, current=None):
    """The network unrolled over T steps: inputs x_t (bottom), states h_t (middle, h_0 at
    the left), outputs and losses (top).  Black arrows are the forward pass, labelled with
    the shared weights; red arrows the errors going back: e_t from each loss, and delta
    along the chain through W_hh^T.  ``current``: a step t whose column is shaded.
    A pyplot figure."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(1.7 * (T + 1), 3.6), facecolor="white")
    _draw_unrolled(ax, T, current)
    fig.tight_layout()
    return fig


def unrolled_png(T, current=None):
    """:func:`plot_unrolled` as compact PNG bytes, for a stepper's view."""
    from matplotlib.figure import Figure

    from ..diagrams import figure_to_png

    fig = Figure(figsize=(1.3 * (T + 1), 2.8), facecolor="white")
    _draw_unrolled(fig.subplots(), T, current)
    fig.subplots_adjust(left=0.01, right=0.99, top=0.99, bottom=0.01)
    return figure_to_png(fig, dpi=70)


def _draw_unrolled(ax, T, current):
    from matplotlib.patches import FancyArrowPatch, Rectangle

    ax.set_facecolor("white")
    ax.set_xlim(-0.6, T + 0.95)
    ax.set_ylim(-0.5, 2.6)
    ax.axis("off")
    levels = {"x": 0.0, "h": 1.0, "C": 2.1}

    def node(xc, yc, text, colour):
        ax.text(xc, yc, text, ha="center", va="center", fontsize=11,
                bbox=dict(boxstyle="round,pad=0.3", fc="white", ec=colour, lw=1.4))

    def arrow(p, q, colour, text=None, dx=0.0, dy=0.0, rad=0.0):
        ax.add_patch(FancyArrowPatch(p, q, arrowstyle="-|>", mutation_scale=12, lw=1.2,
                                     color=colour, shrinkA=14, shrinkB=14,
                                     connectionstyle=f"arc3,rad={rad}"))
        if text:
            ax.text((p[0] + q[0]) / 2 + dx, (p[1] + q[1]) / 2 + dy, text,
                    ha="center", va="center", fontsize=8, color=colour)

    node(0, levels["h"], "$h_0$", "#444444")
    for t in range(1, T + 1):
        node(t, levels["x"], f"$x_{t}$", "#444444")
        node(t, levels["h"], f"$h_{t}$", "#1f4e9c")
        node(t, levels["C"], f"$C_{{x,{t}}}$", "#444444")
        arrow((t, levels["x"]), (t, levels["h"]), "black", "$W_{xh}$", dx=0.18, dy=-0.1)
        arrow((t - 1, levels["h"]), (t, levels["h"]), "black", "$W_{hh}$", dy=0.12)
        arrow((t, levels["h"]), (t, levels["C"]), "black", "$W_{hy}$", dx=-0.2)
        arrow((t + 0.12, levels["C"]), (t + 0.12, levels["h"]), "#b2182b")
        ax.text(t + 0.3, 1.62, f"$e_{t}$", fontsize=9, color="#b2182b")
        if t > 1:
            arrow((t, levels["h"] - 0.08), (t - 1, levels["h"] - 0.08), "#b2182b",
                  rad=-0.35)
            ax.text(t - 0.5, 0.68, rf"$\delta_{t}$ via $W_{{hh}}^{{\top}}$", fontsize=8,
                    color="#b2182b", ha="center", va="top")
    ax.text(T + 0.5, levels["h"], r"$\delta_{T+1} = 0$", fontsize=8, color="#b2182b",
            ha="left", va="center")
    if current is not None:
        ax.add_patch(Rectangle((current - 0.45, -0.35), 0.9, 2.8, color="#fdd49e",
                               alpha=0.45, zorder=-1))


def orthogonal(n, seed):
    """A random n x n orthogonal matrix (every singular value 1): QR of a normal matrix,
    with the signs fixed so that the draw is uniform."""
    A = np.random.default_rng(seed).normal(size=(n, n))
    Q, Rm = np.linalg.qr(A)
    return Q * np.sign(np.diag(Rm))


def gradient_by_lag(sigma_max, *, n_h=32, T=30, m=50, input_scale=0.1, equal=True, seed=0):
    """The share of the last step's error that reaches each earlier step.

    W_hh is ``sigma_max`` times a random orthogonal matrix when ``equal`` (every singular
    value sigma_max), or a normal matrix rescaled to largest singular value sigma_max
    otherwise.  Inputs are N(0, input_scale^2), h_0 = 0, a linear output with the quadratic
    cost against N(0, 1) targets.  Returns a namespace: ``ratios`` (T,), entry k =
    ||delta^(T)_{T-k}|| / ||delta^(T)_T|| (Frobenius norms over the batch); ``sigma_max``;
    ``rho``, the spectral radius of W_hh; ``mean_slope``, the mean of 1 - h_t^2.
    """
    rnn = R.RNN.random(1, n_h, 1, seed=seed, sigma_max=sigma_max)
    if equal:
        rnn = rnn.replace(W_hh=sigma_max * orthogonal(n_h, seed + 1))
    rng = np.random.default_rng(seed + 2)
    x = input_scale * rng.normal(size=(T, 1, m))
    y = rng.normal(size=(T, 1, m))
    deltas = R.deltas_from_step(rnn, x, y, T)
    norms = np.linalg.norm(deltas, axis=(1, 2))
    hs = R.forward(rnn, x).hs[1:]
    return SimpleNamespace(ratios=norms / norms[0], sigma_max=float(sigma_max),
                           rho=float(np.max(np.abs(np.linalg.eigvals(rnn.W_hh)))),
                           mean_slope=float(np.mean(1.0 - hs ** 2)))


def per_step_rate(ratios, start=10):
    """The geometric mean factor per step back, from lag ``start`` to the last lag."""
    k = len(ratios) - 1
    return float((ratios[k] / ratios[start]) ** (1.0 / (k - start)))


def plot_gradient_by_lag(panels):
    """One panel per entry of ``panels`` (title -> list of :func:`gradient_by_lag` results):
    the ratios against the lag k on a log scale, markers, with the bound sigma_max^k as a
    dashed line of the same colour.  A pyplot figure."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(panels), figsize=(5.0 * len(panels), 3.6),
                             facecolor="white", squeeze=False)
    for ax, (title, results) in zip(axes[0], panels.items()):
        ax.set_facecolor("white")
        for colour, r in zip(COLOURS, results):
            k = np.arange(len(r.ratios))
            ax.semilogy(k, r.ratios, "o", ms=3.5, color=colour,
                        label=rf"$\sigma_{{\max}} = {r.sigma_max:g}$")
            ax.semilogy(k, r.sigma_max ** k, "--", lw=1, color=colour)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("steps back, $k$")
        ax.set_ylim(1e-8, 1e5)
        ax.grid(True, which="major", alpha=0.3)
    axes[0][0].set_ylabel(r"$\|\delta^{(T)}_{T-k}\| \,/\, \|\delta^{(T)}_T\|$")
    axes[0][-1].legend(fontsize=8, loc="upper right", framealpha=0.95)
    fig.tight_layout()
    return fig


def label(truncation):
    """How a truncation length reads in a legend: 'K = 3', or 'full BPTT' for None."""
    return "full BPTT" if truncation is None else f"K = {truncation}"


@dataclass(frozen=True)
class TruncationResults:
    """What :func:`truncation_experiment` measured.  ``costs[K][i]`` is the cost per scored
    step of seed i, before each update and after the last; ``accuracy[K][i]`` the test
    accuracy of the trained network; K runs over ``truncations`` (None: full BPTT)."""
    delay: int
    truncations: tuple
    seeds: tuple
    costs: dict
    accuracy: dict

    def mean_accuracy(self, truncation):
        return float(np.mean(self.accuracy[truncation]))


def truncation_experiment(*, delay=6, T=20, m=128, n_h=16, truncations=(1, 6, 7, None),
                          seeds=(0, 1, 2, 3), steps=200, learning_rate=0.1, momentum=0.9,
                          clip=1.0, m_test=1000):
    """Train a tanh RNN with a sigmoid output and binary cross-entropy on the delayed-recall
    task (:func:`bpcore.rnn_training.recall_task`: output the bit seen ``delay`` steps
    earlier), once per truncation length and initial seed, on the same training sequences;
    test on ``m_test`` fresh sequences."""
    x, y, s = RT.recall_task(T, delay, m, seed=1000)
    x_test, y_test, _ = RT.recall_task(T, delay, m_test, seed=2000)
    scored = T - s + 1
    costs, acc = {}, {}
    for K in truncations:
        costs[K], acc[K] = [], []
        for seed in seeds:
            rnn = R.RNN.random(1, n_h, 1, output="sigmoid", seed=seed)
            trained, c = RT.train(rnn, x, y, steps=steps, learning_rate=learning_rate,
                                 loss="binary_cross_entropy", truncation=K, loss_from=s,
                                 momentum=momentum, clip=clip)
            costs[K].append(c / scored)
            acc[K].append(RT.accuracy(trained, x_test, y_test, loss_from=s))
    return TruncationResults(delay, tuple(truncations), tuple(seeds), costs, acc)


def plot_training(results):
    """The training cost per scored step against the update, one colour per truncation
    length, one thin line per seed; a dotted line at ln 2, the cost of answering 1/2, named
    in the legend.  A pyplot figure."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.0, 3.6), facecolor="white")
    ax.set_facecolor("white")
    for colour, K in zip(COLOURS, results.truncations):
        for i, c in enumerate(results.costs[K]):
            ax.plot(np.arange(len(c)), c, "-", lw=1.0, alpha=0.85, color=colour,
                    label=f"{label(K)} ({results.mean_accuracy(K):.0%} correct)"
                    if i == 0 else None)
    # in the legend rather than on the plot, where the chance-level lines would hide it
    ax.axhline(np.log(2), ls=":", color="black", lw=1, label="ln 2: guessing")
    ax.set_xlabel("update")
    ax.set_ylabel("cost per scored step")
    ax.set_ylim(0, 1.2)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, title=f"delay {results.delay}", title_fontsize=8)
    fig.tight_layout()
    return fig
