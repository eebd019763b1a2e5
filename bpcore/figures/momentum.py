"""Chapter 7's momentum figure: a fair comparison, at equal effective step.

With momentum α, a steady gradient g builds up steps of -η g / (1 - α): the *effective
step* η / (1 - α).  Comparing momentum with plain descent at the same η therefore credits
momentum with a ten times larger step (α = 0.9).  The figure compares at equal effective
step instead: on XOR (left) and on a long quadratic valley (right), where it shows what
momentum does buy: the large step along the valley floor stays stable across the steep
walls, where plain descent with that step diverges.

The valley is C(p) = ½ Σ_i λ_i p_i² with curvatures λ_i.  :func:`valley_costs` runs the
momentum rule of Rumelhart, Hinton & Williams on it (α = 0 is plain descent), and
:func:`contraction` is the factor by which the distance to the minimum shrinks per step in
the long run: |1 - ηλ| without momentum, the larger root modulus of
r² - (1 + α - ηλ) r + α = 0 with it.

>>> round(contraction(1 / 3, 0.0, (1, 5)), 4)          # chapter 2's valley, best rate
0.6667
>>> costs = valley_costs(0.5, 0.0, (1, 5), steps=3)     # |1 - 5 η| = 1.5 > 1: diverges
>>> bool(costs[3] > costs[0])
True
"""
from __future__ import annotations

import numpy as np

__all__ = ["valley_costs", "contraction", "plot"]


def _curvatures(curvatures):
    lam = np.asarray(curvatures, dtype=float)
    if lam.ndim != 1 or lam.size == 0 or np.any(lam <= 0):
        raise ValueError(f"expected a list of positive curvatures such as (1, 100), got "
                         f"{curvatures!r}; fix: pass the λ_i of C(p) = ½ Σ λ_i p_i²")
    return lam


def valley_costs(eta, alpha, curvatures, *, start=None, steps=100):
    """The cost C(p(t)) = ½ Σ λ_i p_i(t)² for t = 0..steps (an array of steps + 1 floats)
    of the momentum rule Δ(t) = -η ∇C(p(t-1)) + α Δ(t-1), Δ(0) = 0, from ``start``
    (default: every p_i = 1).  ``alpha = 0`` is plain gradient descent."""
    lam = _curvatures(curvatures)
    p = np.ones_like(lam) if start is None else np.array(start, dtype=float)
    if p.shape != lam.shape:
        raise ValueError(f"expected a start with one entry per curvature ({lam.size}), got "
                         f"shape {p.shape}")
    step = np.zeros_like(p)
    costs = [0.5 * np.sum(lam * p ** 2)]
    for _ in range(steps):
        step = -eta * lam * p + alpha * step
        p = p + step
        costs.append(0.5 * np.sum(lam * p ** 2))
    return np.array(costs)


def contraction(eta, alpha, curvatures):
    """The long-run factor per step by which momentum descent (α = 0: plain) shrinks the
    distance to the valley's minimum: the largest root modulus over the curvatures.  Below 1
    the run converges, above 1 it diverges."""
    lam = _curvatures(curvatures)
    return float(max(np.max(np.abs(np.roots([1.0, -(1.0 + alpha - eta * l), alpha])))
                     for l in lam))


def plot(xor_runs, valley_runs, *, valley_label):
    """Two panels: the cost per epoch of each XOR run (left; ``xor_runs`` maps a legend
    label to a list of costs) and the cost per step on the valley (right; ``valley_runs``
    maps a label to an array from :func:`valley_costs`).  Both on log scales; the same
    label order gets the same line style in both panels.  Returns the figure."""
    import matplotlib.pyplot as plt

    styles = [("#b35806", ":"), ("#1a7f37", "--"), ("#1f4e9c", "-")]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    for (label, costs), (colour, dash) in zip(xor_runs.items(), styles):
        left.semilogy(np.arange(1, len(costs) + 1), costs, dash, color=colour, lw=2,
                      label=label)
    left.set(xlabel="epoch", ylabel="cost C (log scale)", ylim=(1e-4, 0.4),
             title="XOR, 2-2-1 sigmoid network")
    for (label, costs), (colour, dash) in zip(valley_runs.items(), styles):
        right.semilogy(np.arange(len(costs)), costs, dash, color=colour, lw=2, label=label)
    right.set(xlabel="step", ylabel="cost C (log scale)", ylim=(1e-8, 1e4),
              title=valley_label)
    for ax in (left, right):
        ax.legend(loc="lower left", fontsize=8)
        ax.grid(True, which="major", alpha=0.3)
    fig.tight_layout()
    return fig
