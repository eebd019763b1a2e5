"""The live playground of the running example: change any number, see every equation respond.

:func:`playground` returns an object whose ``_repr_html_`` is the playground's root element,
carrying its initial state as JSON (``dom.PLAYGROUND_ATTRIBUTE``), followed by its style
sheet and scripts, the package files ``bpcore/static/bp-playground.css``,
``bpcore/static/bp-playground-engine.js`` (the arithmetic, which follows bpcore's engine
operation by operation) and ``bpcore/static/bp-playground.js`` (the page).  The scripts build
the inputs, the network diagram and the tables in the reader's page and recompute the
forward pass, the cost, BP1-BP4 and one gradient-descent step on every change, with no
kernel and no network.

The state comes from bpcore: the running example's W^l, b^l, x, y, activations and cost
(:func:`bpcore.examples.running_example`), and the activations and costs on offer are the
registries' (:mod:`bpcore.activations`, :mod:`bpcore.losses`), with the rules that restrict
them (output-only, probability outputs, targets in [0, 1], targets summing to 1).  The engine
script states, in one line of JSON, which activations, costs and delta^L shortcuts it implements;
:func:`offered` raises a ValueError for a registered one it lacks, so a new activation
cannot silently go missing from the page.

Every value the page shows carries ``dom.SYMBOL_ATTRIBUTE`` (plain ASCII, 1-based like the
book: ``W2[1,3]``, ``z2[1]``, ``delta1[2]``, ``dW2[1,3]``, ``C``) and ``dom.VALUE_ATTRIBUTE``
(the full double); :func:`symbol_values` computes the same symbols with bpcore, which is
what the browser test compares against.

>>> pg = playground()
>>> pg.spec["sizes"], pg.spec["activations"], pg.spec["loss"]
([2, 3, 2], ['sigmoid', 'sigmoid'], 'mse')
>>> html = pg._repr_html_()
>>> 'class="bp-playground"' in html and "http" not in html.replace(SVG_NAMESPACE, "")
True
"""
from __future__ import annotations

import html
import itertools
import json
import re
from importlib import resources

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import to_hex

from . import activations, dom, losses
from .diagrams import CMAP
from .examples import RunningExample, network_state, running_example
from .network import Network

__all__ = ["Playground", "playground", "spec", "offered", "implemented", "symbol_values",
           "ENGINE_FILE", "SCRIPT_FILE", "STYLE_FILE", "MAX_NEURONS", "MAX_LAYERS"]

ENGINE_FILE = "bp-playground-engine.js"   # the arithmetic, and the IMPLEMENTED line
SCRIPT_FILE = "bp-playground.js"          # the page: inputs, diagram, tables, training
STYLE_FILE = "bp-playground.css"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"   # the script draws SVG; not a request
MAX_NEURONS = 6      # per layer: the diagram and the tables stay readable on a phone
MAX_LAYERS = 4       # layers with weights
COLORMAP_SAMPLES = 21
# bpcore/_validate.py's check_targets: a target column may miss a sum of 1 by this much.
DISTRIBUTION_TOLERANCE = 1e-6

# How the page names each activation and cost; an unnamed one shows its registry name.
LABELS = {"sigmoid": "sigmoid σ", "tanh": "tanh", "relu": "ReLU", "identity": "identity",
          "softmax": "softmax"}
LOSS_LABELS = {"mse": "quadratic", "cross_entropy": "cross-entropy",
               "binary_cross_entropy": "binary cross-entropy"}
LOSS_FORMULAS = {"mse": "C = ½ Σⱼ (yⱼ − aᴸⱼ)²",
                 "cross_entropy": "C = −Σⱼ yⱼ ln aᴸⱼ",
                 "binary_cross_entropy": "C = −Σⱼ [yⱼ ln aᴸⱼ + (1 − yⱼ) ln(1 − aᴸⱼ)]"}

_IMPLEMENTED = re.compile(r"^\s*var IMPLEMENTED = (\{.*\});\s*$", re.M)
_ids = itertools.count(1)


def _static(name):
    return resources.files("bpcore").joinpath("static", name).read_text(encoding="utf-8")


def implemented(script=None):
    """What ``bp-playground-engine.js`` implements, from its ``var IMPLEMENTED = {...};`` line:
    ``{"activations": [...], "losses": [...], "shortcuts": {loss: [activation, ...]}}``.

    >>> sorted(implemented('  var IMPLEMENTED = {"activations": ["relu"], "losses": [], '
    ...                    '"shortcuts": {}};'))
    ['activations', 'losses', 'shortcuts']
    """
    text = _static(ENGINE_FILE) if script is None else script
    found = _IMPLEMENTED.findall(text)
    if len(found) != 1:
        raise ValueError(f"expected one line 'var IMPLEMENTED = {{...}};' in {ENGINE_FILE}, "
                         f"found {len(found)}; it lists what the page's script implements")
    return json.loads(found[0])


def offered(script=None):
    """The activations and costs the playground offers: every registered one, each as the
    record the script reads.  ValueError names any registered activation, cost or delta^L
    shortcut that ``bp-playground-engine.js`` does not implement, and what to add where.

    >>> [a["name"] for a in offered()["activations"]]
    ['sigmoid', 'tanh', 'relu', 'identity', 'softmax']
    """
    impl = implemented(script)
    missing = [f"activation {n!r}" for n in activations.names() if n not in impl["activations"]]
    missing += [f"cost {n!r}" for n in losses.names() if n not in impl["losses"]]
    for name in losses.names():
        shortcuts = set(losses.get(name).shortcuts)
        lacking = sorted(shortcuts - set(impl["shortcuts"].get(name, ())))
        missing += [f"the delta^L shortcut of cost {name!r} for a {a} output" for a in lacking]
    if missing:
        raise ValueError(
            f"bpcore/static/{ENGINE_FILE} does not implement {', '.join(missing)}, which "
            "bpcore's registries hold (bpcore/activations.py, bpcore/losses.py); add "
            "it to the script's ACTIVATIONS or LOSSES table and to its IMPLEMENTED line, "
            "computed as bpcore computes it")
    acts = []
    for name in activations.names():
        rec = activations.get(name)
        acts.append({"name": name, "label": LABELS.get(name, name),
                     "hidden": rec.elementwise and not rec.output_only, "output": True,
                     "probability": rec.probability, "min_outputs": rec.min_outputs})
    costs = [{"name": name, "label": LOSS_LABELS.get(name, name),
              "formula": LOSS_FORMULAS.get(name, losses.get(name).tex),
              "needs_probabilities": losses.get(name).needs_probabilities,
              "unit_targets": losses.get(name).unit_targets,
              "distribution_with": list(losses.get(name).distribution_with)}
             for name in losses.names()]
    return {"activations": acts, "losses": costs}


def _colormap():
    """The diagrams' colormap (bpcore.diagrams.CMAP) sampled evenly, as hex colours."""
    cmap = colormaps[CMAP]
    return [to_hex(cmap(i / (COLORMAP_SAMPLES - 1))) for i in range(COLORMAP_SAMPLES)]


def _check_example(example):
    if not isinstance(example, RunningExample):
        raise TypeError(f"expected a bpcore.examples.RunningExample (a network, x, y and loss), "
                        f"got {type(example).__name__}; e.g. bpcore.examples.running_example()")
    net, x, y = example.net, np.asarray(example.x), np.asarray(example.y)
    if net.n_layers > MAX_LAYERS or max(net.sizes) > MAX_NEURONS:
        raise ValueError(f"the playground shows up to {MAX_LAYERS} layers of at most "
                         f"{MAX_NEURONS} neurons, got sizes {net.sizes}; use a smaller network")
    if x.shape != (net.sizes[0], 1) or y.shape != (net.sizes[-1], 1):
        raise ValueError(f"the playground takes one sample: x of shape ({net.sizes[0]}, 1) and "
                         f"y of shape ({net.sizes[-1]}, 1), got {x.shape} and {y.shape}; "
                         "pass one column, e.g. x[:, :1]")
    network_state(net, x, y, example.loss)     # bpcore's own checks of the loss and targets
    return net, x, y


def spec(example=None, *, learning_rate=0.5, steps=100, heading_level=3):
    """The playground's initial state and choices, as the JSON the script reads.

    ``example`` is a :class:`~bpcore.examples.RunningExample` with one sample (default: the
    running example).  ``learning_rate`` is the η the page starts with (0.5, Mazur's);
    ``steps`` the N of "Train N steps"; ``heading_level`` the level of the playground's
    headings (3 under a chapter's h2).

    >>> s = spec()
    >>> s["W"][1], s["b"][0], s["x"], s["y"]
    ([[0.4, 0.45, -0.3], [0.5, 0.55, 0.2]], [0.35, 0.35, -0.2], [0.05, 0.1], [0.01, 0.99])
    >>> spec(learning_rate=0)
    Traceback (most recent call last):
    ...
    ValueError: learning_rate must be a positive finite number, got 0
    """
    example = running_example() if example is None else example
    net, x, y = _check_example(example)
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, (int, float)) \
            or not np.isfinite(learning_rate) or learning_rate <= 0:
        raise ValueError(f"learning_rate must be a positive finite number, got {learning_rate!r}")
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= 10_000:
        raise ValueError(f"steps must be an int from 1 to 10000, got {steps!r}")
    if heading_level not in (2, 3, 4, 5):
        raise ValueError(f"heading_level must be 2, 3, 4 or 5, got {heading_level!r}")
    return {
        "sizes": [int(n) for n in net.sizes],
        "W": [W.tolist() for W in net.weights], "b": [b.tolist() for b in net.biases],
        "x": x[:, 0].tolist(), "y": y[:, 0].tolist(),
        "activations": list(net.activations), "loss": example.loss,
        "learning_rate": float(learning_rate), "steps": steps,
        "heading_level": heading_level, "offered": offered(), "colormap": _colormap(),
        "distribution_tolerance": DISTRIBUTION_TOLERANCE,
    }


def symbol_values(net, x, y, loss="mse", learning_rate=0.5):
    """The value of every symbol the page shows, computed by bpcore, for one sample.

    ``{"x[1]": ..., "z1[1]": ..., "a2[2]": ..., "C": ..., "dCda2[1]": ..., "fprime1[3]": ...,
    "delta2[1]": ..., "WTdelta1[2]": ..., "dW2[1,3]": ..., "db1[2]": ..., "W2_new[1,3]": ...,
    "b1_new[2]": ..., "C_new": ...}`` with 1-based indices; ``WTdelta{l}`` is
    ((W^{l+1})^T delta^{l+1}), the first factor of BP2, ``dCda{L}`` the first factor of BP1
    and ``fprime{l}`` f'(z^l) (absent for softmax, which has a Jacobian).  The step is
    W - learning_rate dC/dW, as :func:`bpcore.train` takes it.

    >>> ex = running_example()
    >>> v = symbol_values(ex.net, ex.x, ex.y)
    >>> f'{v["a1[1]"]:.6f}', f'{v["C"]:.6f}'
    ('0.593270', '0.276061')
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    if x.size != net.sizes[0] or y.size != net.sizes[-1]:
        raise ValueError(f"the playground takes one sample: x with {net.sizes[0]} entries and "
                         f"y with {net.sizes[-1]}, got shapes {x.shape} and {y.shape}; pass "
                         "one column of a batch, e.g. x[:, :1]")
    d = network_state(net, x.reshape(-1, 1), y.reshape(-1, 1), loss)
    L = d.L
    values = {"C": d.C}
    values.update({f"x[{k + 1}]": float(v) for k, v in enumerate(d.x[:, 0])})
    values.update({f"y[{j + 1}]": float(v) for j, v in enumerate(d.y[:, 0])})
    grad_a = losses.grad_a(loss, d.y, d.a[L])
    values.update({f"dCda{L}[{j + 1}]": float(v) for j, v in enumerate(grad_a[:, 0])})
    new_W, new_b = [], []
    for l in range(1, L + 1):
        rec = activations.get(net.activations[l - 1])
        columns = {"z": d.z[l], "a": d.a[l], "delta": d.delta[l], "db": d.grad_b[l][:, None],
                   "b": d.b[l][:, None], "b_new": (d.b[l] - learning_rate * d.grad_b[l])[:, None]}
        if rec.elementwise:
            columns["fprime"] = rec.derivative(d.z[l], d.a[l])
        if l < L:
            columns["WTdelta"] = d.W[l + 1].T @ d.delta[l + 1]
        for name, col in columns.items():
            sym = f"b{l}_new" if name == "b_new" else f"{name}{l}"
            values.update({f"{sym}[{j + 1}]": float(v) for j, v in enumerate(col[:, 0])})
        W_new = d.W[l] - learning_rate * d.grad_W[l]
        for (j, k), w in np.ndenumerate(d.W[l]):
            i = f"[{j + 1},{k + 1}]"
            values[f"W{l}{i}"] = float(w)
            values[f"dW{l}{i}"] = float(d.grad_W[l][j, k])
            values[f"W{l}_new{i}"] = float(W_new[j, k])
        new_W.append(W_new)
        new_b.append(d.b[l] - learning_rate * d.grad_b[l])
    stepped = Network(new_W, new_b, net.activations)
    values["C_new"] = network_state(stepped, d.x, d.y, loss).C
    return values


class Playground:
    """The playground, shown by displaying it in a cell; ``spec`` is what the script reads."""

    def __init__(self, spec):
        self.spec = spec

    def __repr__(self):
        sizes = "-".join(str(n) for n in self.spec["sizes"])
        return f"<bpcore.playground of the {sizes} network: open the book's page to use it>"

    def _repr_html_(self):
        n = next(_ids)
        rid = f"{dom.PLAYGROUND}-{n}"
        data = html.escape(json.dumps(self.spec, ensure_ascii=False), quote=True)
        nojs = ("The playground needs JavaScript: it runs in the book's web page (and in a "
                "trusted notebook). Its numbers are those of the running example.")
        return (f'<div class="{dom.PLAYGROUND}" id="{rid}" {dom.PLAYGROUND_ATTRIBUTE}="{data}">'
                f"<style>{_static(STYLE_FILE)}</style>"
                f'<p class="{dom.PLAYGROUND_NOJS}">{html.escape(nojs)}</p></div>'
                f"<script>\n{_static(ENGINE_FILE)}</script>"
                f"<script>\n{_static(SCRIPT_FILE)}</script>")


def playground(example=None, *, learning_rate=0.5, steps=100, heading_level=3):
    """The live playground of ``example`` (default: the running example); see :func:`spec`."""
    return Playground(spec(example, learning_rate=learning_rate, steps=steps,
                           heading_level=heading_level))
