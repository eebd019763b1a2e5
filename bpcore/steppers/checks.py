"""Checks at the steppers' entry points: what a stepper accepts, and how large it may grow.

A stepper draws every neuron and embeds every view in the page, so besides the engine's
own checks of x, y and the loss it refuses networks too large to draw (``MAX_NEURONS``
per layer, ``MAX_LAYERS``), more views than one widget holds (``MAX_STEPS``) and more page
state than ``bpcore.steppers.MAX_EMBED_BYTES``.  Each message says which limit and what to
do instead.  Weights are named as the book does, ``'w^2_13'`` or ``(2, 1, 3)``, 1-based.

>>> import bpcore
>>> net = bpcore.examples.running_example().net
>>> parse_weight("w^{2}_{13}", net), parse_weight((1, 2, 1), net)
((2, 1, 3), (1, 2, 1))
>>> check_nudges([0.1, -0.1])
(-0.1, 0.1)
"""
from __future__ import annotations

import numbers
import sys
from collections.abc import Mapping, Sequence

import numpy as np

from .. import _validate as v
from ..engine import _inputs
from ..network import Network
from ..tex import format_number

__all__ = ["MAX_NEURONS", "MAX_LAYERS", "MAX_STEPS", "embed_limit", "check_network",
           "one_sample", "check_count", "embedded_size", "check_budget", "parse_weight",
           "parse_weights", "two_weights", "check_nudges", "check_rates"]

MAX_NEURONS = 8          # per layer: more circles than this do not fit a readable picture
MAX_LAYERS = 4           # layers with weights, L
MAX_STEPS = 150          # views in one stepper


def embed_limit():
    """``bpcore.steppers.MAX_EMBED_BYTES``, read when a stepper is built: setting it to None
    in a notebook of your own, where no page has to stay small, lifts the limit."""
    return sys.modules[__package__].MAX_EMBED_BYTES


def check_network(net, what):
    """Refuse what is not a Network, or a network too large to draw."""
    if not isinstance(net, Network):
        raise TypeError(f"{what} needs a bpcore.Network as net, got {type(net).__name__}; "
                        "build one with bpcore.Network(...) or bpcore.Network.random(sizes), "
                        "or use bpcore.examples.running_example().net")
    if net.n_layers > MAX_LAYERS:
        raise ValueError(f"{what} draws every layer and shows at most {MAX_LAYERS} layers with "
                         f"weights, but this network has L = {net.n_layers} "
                         f"(sizes {net.sizes}); use a shallower network")
    for l, n in enumerate(net.sizes):
        if n > MAX_NEURONS:
            raise ValueError(f"{what} draws every neuron and shows at most {MAX_NEURONS} "
                             f"neurons per layer, but layer {l} of this network has {n} "
                             f"(sizes {net.sizes}); use a smaller network, e.g. "
                             "bpcore.Network.random([2, 3, 2])")


def one_sample(net, x, y=None, loss=None):
    """x (and y) as 1-D vectors of one sample, validated against ``net`` and ``loss``."""
    x2, y2, _ = _inputs(net, x, y, loss)
    if x2.shape[1] != 1:
        raise ValueError(f"a stepper follows one sample, but x has {x2.shape[1]} columns "
                         f"(shape {x2.shape}); pass one column, e.g. x[:, [0]]")
    return x2[:, 0], (None if y2 is None else y2[:, 0])


def check_count(n_views, what, hint="use a network with fewer neurons"):
    """Refuse, before drawing anything, a stepper with more views than one can hold."""
    if n_views > MAX_STEPS:
        raise ValueError(f"{what} would show {n_views} views for this network, more than the "
                         f"{MAX_STEPS} one stepper can hold; {hint}")


def embedded_size(steps, extra_pngs=()):
    """About how many bytes the steps add to the page: each distinct PNG once,
    base64-encoded (4/3), plus the text and about 1.5 KB of widget state per view."""
    pictures = {s.png for s in steps if s.png is not None} | set(extra_pngs)
    return sum(4 * len(p) // 3 for p in pictures) + sum(len(s.latex) + 1500 for s in steps)


def check_budget(size, what, detail="", hint="use a network with fewer neurons"):
    """Refuse a stepper that would embed ``size`` bytes, more than :func:`embed_limit`.

    ``detail`` says what makes up the size, e.g. " (63 contour plots)"."""
    limit = embed_limit()
    if limit is not None and size > limit:
        raise ValueError(f"{what} would embed about {size // 1000} KB{detail} in the page, "
                         f"more than the {limit // 1000} KB a stepper may use (a book page "
                         f"must stay under 2 MB); {hint}, or, in a notebook of your own, "
                         "lift the limit with bpcore.steppers.MAX_EMBED_BYTES = None")


def parse_weight(spec, net):
    """A weight given as 'w^2_13' or (2, 1, 3), as the book's 1-based (l, j, k)."""
    if isinstance(spec, str):
        text = spec.replace("{", "").replace("}", "").replace(" ", "")
        ok = text.startswith("w^") and "_" in text
        if ok:
            layer, sub = text[2:].split("_", 1)
            ok = layer.isdigit() and sub.isdigit() and len(sub) == 2
        if not ok:
            raise ValueError(f"cannot read the weight {spec!r}; write it as 'w^l_jk', e.g. "
                             "'w^2_13' for the weight into neuron 1 of layer 2 from neuron 3 "
                             "of layer 1, or as a tuple (2, 1, 3)")
        l, j, k = int(layer), int(sub[0]), int(sub[1])
    elif _is_index_triple(spec):
        l, j, k = (int(i) for i in spec)
    else:
        raise TypeError(f"a weight is a name like 'w^2_13' or a tuple (l, j, k), got {spec!r}")
    if not 1 <= l <= net.n_layers:
        raise ValueError(f"there is no weight w^{l}_{j}{k}: layers with weights are 1 to "
                         f"{net.n_layers} (sizes {net.sizes})")
    if not (1 <= j <= net.sizes[l] and 1 <= k <= net.sizes[l - 1]):
        raise ValueError(f"there is no weight w^{l}_{j}{k}: W^{l} has shape "
                         f"({net.sizes[l]}, {net.sizes[l - 1]}), so j runs from 1 to "
                         f"{net.sizes[l]} and k from 1 to {net.sizes[l - 1]} (1-based)")
    return l, j, k


def _is_index_triple(spec):
    return isinstance(spec, Sequence) and not isinstance(spec, str) and len(spec) == 3 and all(
        isinstance(i, numbers.Integral) and not isinstance(i, bool) for i in spec)


def _is_list(value):
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def parse_weights(weights, net):
    """The nudge explorer's weights: None for every weight of ``net``, one weight, or a
    non-empty list of them, each as the book's 1-based (l, j, k)."""
    if weights is None:
        return [(l, j, k) for l in range(1, net.n_layers + 1)
                for j in range(1, net.sizes[l] + 1) for k in range(1, net.sizes[l - 1] + 1)]
    if isinstance(weights, str) or (isinstance(weights, tuple) and _is_index_triple(weights)):
        weights = [weights]      # one weight, given on its own
    if not _is_list(weights) or not weights:
        raise TypeError(f"weights must be None or a non-empty list of weight names such "
                        f"as ['w^2_13'], got {weights!r}")
    keys = [parse_weight(spec, net) for spec in weights]
    if len(set(keys)) != len(keys):
        raise ValueError(f"weights has repeated entries: {weights!r}")
    return keys


def two_weights(weights, net):
    """The cost surface's two different weights, each as the book's 1-based (l, j, k)."""
    if not _is_list(weights) or len(weights) != 2:
        raise ValueError(f"weights must name exactly two weights, e.g. ('w^2_11', 'w^2_21'), "
                         f"got {weights!r}")
    keys = [parse_weight(w, net) for w in weights]
    if keys[0] == keys[1]:
        raise ValueError(f"weights must be two different weights, got {weights!r}")
    return keys


def check_nudges(nudges):
    """Non-zero, finite, distinct nudges, in increasing order."""
    if not _is_list(nudges) or not nudges:
        raise TypeError(f"nudges must be a non-empty list of numbers, got {nudges!r}")
    out = []
    for dw in nudges:
        if isinstance(dw, bool) or not isinstance(dw, numbers.Real) or not np.isfinite(dw):
            raise TypeError(f"every nudge must be a finite number, got {dw!r}")
        if dw == 0:
            raise ValueError("a nudge of 0 changes nothing; leave it out of nudges")
        out.append(float(dw))
    if len(set(out)) != len(out):
        raise ValueError(f"nudges has repeated values: {nudges!r}")
    return tuple(sorted(out))


def check_rates(learning_rates):
    """1 to 4 positive learning rates, from a list or a dict {label: rate}, as
    {"η = <rate> (<label>)": rate}."""
    if isinstance(learning_rates, Mapping):
        items = list(learning_rates.items())
    elif _is_list(learning_rates):
        items = [(None, r) for r in learning_rates]
    else:
        raise TypeError("learning_rates must be a list of positive numbers or a dict "
                        f"{{label: rate}}, got {learning_rates!r}")
    if not 1 <= len(items) <= 4:
        raise ValueError(f"give 1 to 4 learning rates to compare, got {len(items)}")
    out = {}
    for label, rate in items:
        rate = v.positive_number(rate, "every learning rate")
        label = f"\u03b7 = {format_number(rate)}" + (f" ({label})" if label else "")
        if label in out:
            raise ValueError(f"learning_rates has a repeated entry: {label}")
        out[label] = rate
    return out
