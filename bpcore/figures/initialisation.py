"""Initial weights and the size of the signals through depth (chapter 14).

Three ways to draw the initial weights of a layer with n_in inputs and n_out neurons, each
entry of W^l independent and normal with mean 0 and the variance of :func:`weight_variance`:

* ``"naive"``: variance 1, ``np.random.randn`` as in Nielsen's ``network.py``, the
  initialisation his chapter 3 improves on;
* ``"xavier"``: 2 / (n_in + n_out) (Glorot & Bengio, 2010);
* ``"he"``: 2 / n_in (He et al., 2015).

:meth:`bpcore.Network.random` draws N(0, gain / n_in) with the ``gain`` of the layer's
activation record (1 for sigmoid and tanh, 2 for ReLU), so on ReLU layers it is the He rule,
and on layers of equal width the sigmoid and tanh gain 1 is the Xavier rule.
:func:`network` draws in the same order, so in those cases it returns the same weights.

:func:`mean_field` is the variance argument of the chapter as a recursion, with the
Gaussian averages computed by :func:`gaussian_mean`; :func:`gradient_norms` and
:func:`delta_rms` measure what it predicts (:func:`anchored_prediction`);
:func:`depth_experiment` builds the chapter's twenty-layer comparison; the ``plot_*``
functions draw its figures.

>>> import bpcore
>>> he, book = network([50, 50, 50], "relu", "he", seed=1), bpcore.Network.random([50, 50, 50],
...                                                                             "relu", seed=1)
>>> [np.array_equal(A, B) for A, B in zip(he.weights, book.weights)]
[True, True]
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from matplotlib.ticker import MaxNLocator

from .. import _validate as v
from .. import activations as _activations
from ..engine import backprop, forward, hidden_deltas, output_delta
from ..network import Network

__all__ = ["SCHEMES", "ACTIVATIONS", "weight_variance", "network", "gaussian_mean",
           "mean_field", "gradient_norms", "delta_rms", "depth_experiment",
           "anchored_prediction", "plot_layers", "plot_rate_scan", "plot_curves"]

SCHEMES = ("naive", "xavier", "he")
ACTIVATIONS = ("sigmoid", "tanh", "relu")
COLOURS = {"naive": "#b2182b", "xavier": "#1f4e9c", "he": "#1a7f37"}
MARKERS = {"naive": "o-", "xavier": "s--", "he": "^:"}
LABELS = {"naive": "naive, Var(w) = 1", "xavier": "Xavier, 2/(n_in + n_out)",
          "he": "He, 2/n_in"}


def weight_variance(scheme, n_in, n_out):
    """Var(w) of every weight of a layer with ``n_in`` inputs and ``n_out`` neurons.

    >>> [weight_variance(scheme, 100, 300) for scheme in SCHEMES]
    [1.0, 0.005, 0.02]
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown initialisation scheme {scheme!r}; expected one of "
                         f"{', '.join(repr(s) for s in SCHEMES)}")
    n_in, n_out = v.positive_int(n_in, "n_in"), v.positive_int(n_out, "n_out")
    return {"naive": 1.0, "xavier": 2.0 / (n_in + n_out), "he": 2.0 / n_in}[scheme]


def network(sizes, activations, scheme, seed=0):
    """A network with layer sizes ``sizes`` = (n_0, ..., n_L) whose weights W^l are drawn
    from N(0, weight_variance(scheme, n_{l-1}, n_l)) and whose biases are 0.

    The draws come in the order :meth:`bpcore.Network.random` makes them (W^1, W^2, ...,
    from ``numpy.random.default_rng(seed)``), so ``network(sizes, "relu", "he", seed)`` and
    ``Network.random(sizes, "relu", seed)`` are the same network.  ``seed`` is an int or a
    Generator.

    >>> network([3, 4, 2], "tanh", "naive", seed=0).sizes
    (3, 4, 2)
    """
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 2:
        raise ValueError("sizes must list at least two layer sizes (inputs and outputs), "
                         f"e.g. [2, 3, 1], got {sizes!r}")
    sizes = [v.positive_int(n, "every layer size") for n in sizes]
    variances = [weight_variance(scheme, n_in, n_out)
                 for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    weights = [rng.normal(0.0, np.sqrt(var), size=(n_out, n_in))
               for var, n_in, n_out in zip(variances, sizes[:-1], sizes[1:])]
    return Network(weights, [np.zeros(n) for n in sizes[1:]], activations)


def gaussian_mean(f, q):
    """E[f(z)] for z ~ N(0, q), by Gauss-Legendre quadrature on each side of z = 0 (where
    ReLU and its derivative have their kink), out to 12 standard deviations.

    ``f`` acts element-wise on arrays, like the activations and their derivatives.

    >>> round(gaussian_mean(lambda z: z ** 2, 2.5), 12), round(gaussian_mean(np.abs, 1.0), 10)
    (2.5, 0.7978845608)
    """
    q = v.positive_number(q, "q (the variance of z)")
    return float(np.sum(_W * np.asarray(f(np.sqrt(q) * _T), dtype=float)))


def _nodes(n=120):
    """Nodes t (in standard deviations) and weights of the quadrature: n Gauss-Legendre
    nodes on [0, 12] and their mirror images, weighted by the standard normal density."""
    nodes, weights = np.polynomial.legendre.leggauss(n)
    t = 6.0 * (nodes + 1.0)
    t = np.concatenate([-t, t])
    w = np.concatenate([weights, weights]) * 6.0 * np.exp(-t * t / 2) / np.sqrt(2 * np.pi)
    return t, w


_T, _W = _nodes()


def mean_field(activation, gain, depth, q1):
    """The chapter's variance recursion for a network whose layers all have width n and
    weights of variance Var(w) = gain / n, biases 0, and ``activation`` in layers
    1 .. depth - 1.

    Forwards, q^l = Var(z^l):  q^1 = ``q1``,  q^{l+1} = gain E[f(z)^2] with z ~ N(0, q^l).
    Backwards (BP2), Var(delta^l) = chi^l Var(delta^{l+1}) with chi^l = gain E[f'(z)^2],
    z ~ N(0, q^l).  Returns ``(q, chi)``, each a list for l = 1 .. depth - 1.

    >>> q, chi = mean_field("relu", 2.0, 4, 1.0)
    >>> np.round(q, 12).tolist(), np.round(chi, 12).tolist()
    ([1.0, 1.0, 1.0], [1.0, 1.0, 1.0])
    """
    record = _activations.get(activation)
    if not record.elementwise:
        raise ValueError(f"mean_field needs an element-wise activation, got {activation!r}")
    gain = v.positive_number(gain, "gain")
    depth = v.positive_int(depth, "depth")
    q, chi = [v.positive_number(q1, "q1")], []
    for _ in range(1, depth):
        chi.append(gain * gaussian_mean(lambda z: record.prime(z) ** 2, q[-1]))
        q.append(gain * gaussian_mean(lambda z: record.f(z) ** 2, q[-1]))
    return q[:-1], chi


def gradient_norms(net, x, y, loss="mse"):
    """[||dC/dW^l|| for l = 1 .. L], Frobenius norms of :func:`bpcore.backprop`'s gradient
    (the mean over the m columns of x)."""
    g = backprop(net, x, y, loss)
    return [float(np.linalg.norm(g.W(l))) for l in range(1, net.n_layers + 1)]


def delta_rms(net, x, y, loss="mse"):
    """[root mean square of delta^l for l = 1 .. L]: the typical size of one sample's
    delta^l_j, the quantity whose variance the chapter's argument predicts."""
    fp = forward(net, x)
    deltas = hidden_deltas(net, fp, output_delta(net, fp, y, loss))
    return [float(np.sqrt(np.mean(d ** 2))) for d in deltas]


def depth_experiment(width=100, depth=20, batch=200, seed=0):
    """The chapter's comparison: for each hidden activation of ``ACTIVATIONS`` and each
    scheme of ``SCHEMES``, a network of ``depth`` layers, all ``width`` wide, the hidden
    layers using the activation and the output layer linear (identity); inputs ``x`` and
    targets ``y`` of shape (width, batch), every entry N(0, 1).

    Returns a namespace with ``x``, ``y`` and ``nets``, a dict keyed by (activation,
    scheme).  Every network is drawn from the same ``seed``, so the three schemes share one
    pattern of weights, scaled differently.
    """
    width, depth = v.positive_int(width, "width"), v.positive_int(depth, "depth")
    batch = v.positive_int(batch, "batch")
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(width, batch)), rng.normal(size=(width, batch))
    sizes = [width] * (depth + 1)
    nets = {(f, s): network(sizes, [f] * (depth - 1) + ["identity"], s, seed=seed + 1)
            for f in ACTIVATIONS for s in SCHEMES}
    return SimpleNamespace(x=x, y=y, nets=nets, width=width, depth=depth, batch=batch)


def _figure(ncols, width, height):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, ncols, figsize=(width, height), facecolor="white",
                             squeeze=False)
    for ax in axes[0]:
        ax.set_facecolor("white")
    return fig, axes[0]


def plot_layers(values, ylabel, predicted=None):
    """A per-layer quantity against the layer l, log scale: one panel per activation of
    ``ACTIVATIONS``, one line per scheme.  ``values`` maps (activation, scheme) to the list
    for l = 1, 2, ...; ``predicted``, in the same form, is drawn as thin lines through the
    markers (for example :func:`anchored_prediction`)."""
    fig, axes = _figure(len(ACTIVATIONS), 11, 3.8)
    for ax, f in zip(axes, ACTIVATIONS):
        for s in SCHEMES:
            if (f, s) not in values:
                continue
            measured = values[f, s]
            layers = np.arange(1, len(measured) + 1)
            if predicted is None:
                ax.semilogy(layers, measured, MARKERS[s], color=COLOURS[s], ms=4,
                            label=LABELS[s])
                continue
            ax.semilogy(layers, measured, MARKERS[s][0], color=COLOURS[s], ms=5, mfc="none",
                        label=LABELS[s])
            pred = predicted[f, s]
            ax.semilogy(np.arange(1, len(pred) + 1), pred, "-", color=COLOURS[s], lw=1.2)
        ax.set_title(f"{f} hidden layers")
        ax.set_xlabel("layer $l$")
        ax.grid(True, which="major", color="#dddddd", lw=0.8)
    if predicted is not None:
        axes[0].plot([], [], "-", color="#444444", lw=1.2, label="lines: predicted")
    axes[0].set_ylabel(ylabel)
    axes[0].legend(fontsize=8, loc="best")
    fig.tight_layout()
    return fig


def anchored_prediction(chi, anchor):
    """The root mean square of delta^l that the recursion predicts for l = 1 .. len(chi),
    starting from the measured value ``anchor`` at l = len(chi) and multiplying by
    sqrt(chi^l) at every step back: rms(delta^l) = rms(delta^{l+1}) sqrt(chi^l).

    >>> anchored_prediction([4.0, 9.0, 1.0], 1.0)
    [6.0, 3.0, 1.0]
    """
    chi = np.asarray(chi, dtype=float)
    factors = np.sqrt(chi[:-1])                  # chi^1 .. chi^{k-1}, k = len(chi)
    back = np.cumprod(factors[::-1])[::-1]       # prod_{i=l}^{k-1} sqrt(chi^i)
    return [float(v) for v in anchor * np.append(back, 1.0)]


def plot_rate_scan(counts, n_seeds):
    """Seeds solved against the learning rate (log scale), one line per cost.  ``counts``
    maps a cost's name to ``{learning_rate: seeds solved}``."""
    fig, (ax,) = _figure(1, 6.5, 3.6)
    styles = {"mse": ("o-", "#1f4e9c", "quadratic cost"),
              "binary_cross_entropy": ("s--", "#b35806", "binary cross-entropy")}
    for loss, by_rate in counts.items():
        marker, colour, label = styles.get(loss, ("x-", "#444444", loss))
        rates = sorted(by_rate)
        ax.semilogx(rates, [by_rate[r] for r in rates], marker, color=colour, label=label,
                    lw=2, ms=6)
    ax.set_xticks(sorted({r for by_rate in counts.values() for r in by_rate}))
    ax.get_xaxis().set_major_formatter(_plain_numbers())
    ax.set_ylim(-0.5, n_seeds * 1.25)             # room for the legend above the lines
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # a count of seeds
    ax.set_xlabel("learning rate η on the mean cost (the paper's is 6.4)")
    ax.set_ylabel(f"seeds solved, of {n_seeds}")
    ax.grid(True, color="#dddddd", lw=0.8)
    ax.legend(loc="upper center", ncol=2)
    fig.tight_layout()
    return fig


def _plain_numbers():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _: f"{value:g}")


def plot_curves(curves, ylabel, xlabel="sweep", logy=False, hline=None, ylim=None):
    """One line per entry of ``curves`` (label -> values against the step 0, 1, ...);
    ``hline`` = (value, text) draws a dotted reference line; ``ylim`` = (low, high) fixes
    the vertical range (a curve that leaves it is cut at the edge)."""
    fig, (ax,) = _figure(1, 7, 3.6)
    palette = ["#1f4e9c", "#b35806", "#1a7f37", "#6a3d9a"]
    styles = ["-", "--", "-.", ":"]
    for i, (label, values) in enumerate(curves.items()):
        ax.plot(np.arange(len(values)), values, styles[i % 4], color=palette[i % 4], lw=2,
                label=label)
    if logy:
        ax.set_yscale("log")
    if hline is not None:
        ax.axhline(hline[0], color="#555555", ls=":", lw=1.2)
        ax.annotate(hline[1], (0.3, hline[0]), xycoords=("axes fraction", "data"),
                    xytext=(0, 4), textcoords="offset points", fontsize=9, color="#333333")
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, color="#dddddd", lw=0.8)
    ax.legend(fontsize=9)
    fig.tight_layout()
    return fig
