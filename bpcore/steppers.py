"""Equation steppers: backpropagation one step at a time, working in a page with no kernel.

Every stepper computes all of its steps up front with bpcore and returns a :class:`Stepper`
whose ``.widget`` shows them with core ipywidgets.  The views sit in a ``widgets.Stack``
whose ``selected_index`` is ``jslink``-ed to a slider, so the slider switches views in the
browser alone: the built HTML page needs no kernel.  ``.steps`` holds what each view shows:
its text (HTML with ``$...$`` math) and ``values``, the numbers behind it at full precision.

The seven steppers, each one call from a chapter:

* :func:`forward_stepper` - z^l_j = sum_k w^l_jk a^{l-1}_k + b^l_j and a^l_j = f(z^l_j)
* :func:`output_delta_stepper` - BP1, factor by factor, for each loss
* :func:`hidden_delta_stepper` - BP2, layer by layer backwards
* :func:`gradient_stepper` - BP3 and BP4, entry by entry
* :func:`training_step_stepper` - one gradient-descent update, cost before and after
* :func:`nudge_explorer` - a measured Delta C beside the prediction dC/dw Delta w
* :func:`cost_surface_stepper` - gradient descent on a two-parameter cost, three rates

DOM conventions (for the page script that wires Previous/Next with no kernel), all set in
:func:`stepper_widget` and nowhere else:

* outer container: classes ``bp-stepper`` and ``bp-stepper-<kind>``;
* the slider (``description="Step"``): ``bp-step-slider``; buttons ``bp-prev`` and
  ``bp-next`` (descriptions ``Previous`` / ``Next`` and a tooltip);
* each view in a Stack: ``bp-step``; in it, the picture (an ``<img>``): ``bp-figure``, and
  the paragraph that describes it in words (ipywidgets' Image has no alt text): ``bp-alt``;
  a choice's own picture sits with its words in a ``bp-figure-group``;
* a selector of a group of views (the weight, the learning rate): ``bp-choice``; the
  Previous / slider / Next row: ``bp-step-controls``.

Every stepper has exactly one slider and one pair of buttons.  The nudge explorer and the
cost surface nest Stacks (one per weight or learning rate, each linked to the same slider)
inside an outer Stack linked to the selector, so a page holds several ``bp-step`` views
per stepper; a Stack renders only its selected view.  ``MAX_NEURONS`` (per layer),
``MAX_LAYERS``, ``MAX_STEPS`` and ``MAX_EMBED_BYTES`` (the estimated page state of one
stepper) bound what a stepper accepts; each refusal says which limit and what to do.

>>> import bpcore
>>> ex = bpcore.examples.running_example()
>>> s = forward_stepper(ex.net, ex.x)
>>> len(s.steps), s.widget._dom_classes
(22, ('bp-stepper', 'bp-stepper-forward'))
>>> round(s.steps[3].values["z^1_1"], 4)
0.3775
"""
from __future__ import annotations

import html
import numbers
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import ipywidgets as widgets
import numpy as np

from . import _validate as v
from .activations import ACTIVATIONS, softmax_jacobian
from .diagrams import (describe_network, format_number, network_png, nudge_png,
                       surface_png, weight_name)
from .engine import _inputs, backprop, bias_gradients, cost, forward, hidden_deltas, \
    output_delta, weight_gradients
from .losses import grad_a
from .tex import plain as _plain
from .network import Network

__all__ = ["Step", "Stepper", "NudgeExplorer", "CostSurface", "stepper_widget",
           "forward_stepper", "output_delta_stepper", "hidden_delta_stepper",
           "gradient_stepper", "training_step_stepper", "nudge_explorer",
           "cost_surface_stepper", "MAX_NEURONS", "MAX_LAYERS", "MAX_EMBED_BYTES"]

MAX_NEURONS = 8          # per layer: more circles than this do not fit a readable picture
MAX_LAYERS = 4           # layers with weights, L
MAX_STEPS = 150          # views in one stepper
MAX_EMBED_BYTES = 600_000  # a stepper's share of a page that must stay under 2 MB


# ---------------------------------------------------------------------------------------
# What a stepper returns.

@dataclass(frozen=True, eq=False)
class Step:
    """One view of a stepper.

    ``title`` is a short plain-text heading, ``latex`` the explanation as HTML with inline
    ``$...$`` and display ``$$...$$`` math, ``values`` the numbers the view shows, at full
    precision, keyed by their book symbol in ASCII (``"z^1_2"``, ``"delta^2"``,
    ``"dC/dW^1"``...).  ``png`` is the picture (or None) and ``alt`` describes it in words.
    """
    title: str
    latex: str
    values: Mapping = field(default_factory=dict)
    png: bytes | None = None
    alt: str = ""


@dataclass(frozen=True, eq=False)
class Stepper:
    """A stepper: its widget, and the steps behind it for tests and for the curious.

    As the last line of a notebook cell it displays its widget.
    """
    kind: str
    title: str
    steps: tuple
    widget: widgets.Widget

    def __len__(self):
        return len(self.steps)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget)


@dataclass(frozen=True, eq=False)
class NudgeExplorer(Stepper):
    """The nudge explorer: ``steps`` is weight-major (every nudge of the first weight
    first); ``grid[(name, dw)]`` is the ``values`` of the view for that weight and nudge."""
    weight_names: tuple = ()
    nudges: tuple = ()
    grid: Mapping = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class CostSurface(Stepper):
    """The cost-surface stepper: ``steps`` is rate-major; ``paths[label]`` has shape
    (steps + 1, 2), the points p_0, ..., p_T, and ``costs[label]`` the costs there."""
    learning_rates: Mapping = field(default_factory=dict)
    paths: Mapping = field(default_factory=dict)
    costs: Mapping = field(default_factory=dict)


# ---------------------------------------------------------------------------------------
# The view: the one place where the DOM conventions live.

def _classes(widget, *names):
    for name in names:
        widget.add_class(name)
    return widget


def _png_width(png):
    """The width in pixels of a PNG, from its IHDR chunk."""
    return int.from_bytes(png[16:20], "big")


def _image(png, cache):
    """The Image widget of a picture, shown at its own pixel size (never wider than the
    page); equal pictures share one widget, so the page embeds each PNG once."""
    if png not in cache:
        # ipywidgets 8's Image has no alt attribute, and a tooltip on it breaks the view in
        # the static page (html-manager reads the missing description), so the words for
        # the picture go in a paragraph of class bp-alt beside it.
        cache[png] = _classes(widgets.Image(
            value=png, format="png", width=str(_png_width(png)),
            layout=widgets.Layout(max_width="100%", height="auto", align_self="flex-start")),
            "bp-figure")
    return cache[png]


def _alt_paragraph(alt):
    """The words for a picture, folded away under a summary so they do not crowd the page."""
    return ('<details style="font-size:0.85em;margin:0.2em 0"><summary>The picture in words'
            f'</summary><p class="bp-alt" style="margin:0.2em 0">{html.escape(alt)}</p>'
            "</details>")


def _step_view(step, number, total, cache, counter=True):
    count = f' <span style="opacity:0.75">(step {number} of {total})</span>' if counter else ""
    heading = f'<p style="margin:0.2em 0"><strong>{html.escape(step.title)}</strong>{count}</p>'
    text = heading + step.latex + (_alt_paragraph(step.alt) if step.png is not None else "")
    children = [widgets.HTMLMath(text)]
    if step.png is not None:
        children.append(_image(step.png, cache))
    return _classes(widgets.VBox(children), "bp-step")


def _stack(steps, cache, counter=True):
    views = [_step_view(s, i + 1, len(steps), cache, counter) for i, s in enumerate(steps)]
    return widgets.Stack(views, selected_index=0)


def _buttons(slider, step_name):
    """Previous/Next buttons that move ``slider`` in a live kernel; a page script wires
    them by their classes when there is none."""
    prev = _classes(widgets.Button(description="Previous", tooltip=f"Previous {step_name}",
                                   layout=widgets.Layout(width="auto")), "bp-prev")
    nxt = _classes(widgets.Button(description="Next", tooltip=f"Next {step_name}",
                                  layout=widgets.Layout(width="auto")), "bp-next")
    trait = "index" if isinstance(slider, widgets.SelectionSlider) else "value"
    top = len(slider.options) - 1 if trait == "index" else slider.max

    def move(by):
        def on_click(_button):
            setattr(slider, trait, min(max(getattr(slider, trait) + by, 0), top))
        return on_click

    prev.on_click(move(-1))
    nxt.on_click(move(+1))
    return prev, nxt


def stepper_widget(steps, title, kind="custom", *, choices=None, choice_description="",
                   choice_style="dropdown", choice_pictures=None, positions=None,
                   position_description="Step", start=0):
    """The widget for a list of :class:`Step` s; every stepper builds its view here.

    Without ``choices``: a slider (``description="Step"``, class ``bp-step-slider``),
    Previous/Next buttons (``bp-prev``/``bp-next``) and a ``widgets.Stack`` of the step
    views (``bp-step``), its ``selected_index`` jslinked to the slider's ``value``.

    With ``choices`` (a list of labels), ``steps`` is a list of equally long lists, one per
    choice.  A Dropdown (or ``choice_style="toggle"``: ToggleButtons) with class
    ``bp-choice`` selects, through a jslink on its ``index``, one child of an outer Stack;
    each child holds an optional picture (``choice_pictures[i]`` = (png, alt)) and an
    inner Stack of that choice's views, all inner Stacks linked to the same slider.  Two
    controls thus pick one view with links alone, no kernel.

    ``positions`` (labels) makes the slider a SelectionSlider over them, linked by its
    ``index``.  The container has classes ``bp-stepper`` and ``bp-stepper-<kind>``.
    """
    if not isinstance(kind, str) or not re.fullmatch(r"[a-z][a-z0-9-]*", kind):
        raise ValueError(f"kind names a CSS class, bp-stepper-<kind>: use lower-case letters, "
                         f"digits and hyphens, e.g. 'forward', got {kind!r}")
    cache = {}
    groups = [list(steps)] if choices is None else [list(g) for g in steps]
    for group in groups:
        for step in group:
            if not isinstance(step, Step):
                raise TypeError("steps must hold bpcore.steppers.Step objects (a list of them, "
                                "or one list per choice), got a "
                                f"{type(step).__name__}")
    if choices is not None and len(choices) != len(groups):
        raise ValueError(f"got {len(choices)} choices for {len(groups)} groups of steps")
    n = len(groups[0])
    if n == 0 or any(len(g) != n for g in groups):
        raise ValueError("every choice needs the same, non-zero number of steps; got "
                         f"{[len(g) for g in groups]}")
    if positions is None:
        slider = widgets.IntSlider(value=start, min=0, max=n - 1, description=position_description,
                                   readout=False, continuous_update=True,
                                   layout=widgets.Layout(width="auto", flex="1 1 auto"))
        trait = "value"
    else:
        if len(positions) != n:
            raise ValueError(f"got {len(positions)} position labels for {n} steps")
        slider = widgets.SelectionSlider(options=list(positions), index=start,
                                         description=position_description,
                                         continuous_update=True,
                                         layout=widgets.Layout(width="auto", flex="1 1 auto"))
        trait = "index"
    _classes(slider, "bp-step-slider")
    prev, nxt = _buttons(slider, position_description.lower())
    controls = _classes(widgets.HBox([prev, slider, nxt],
                                     layout=widgets.Layout(align_items="center")),
                        "bp-step-controls")
    inner = []
    for group in groups:
        stack = _stack(group, cache, counter=positions is None)
        stack.selected_index = start
        widgets.jslink((slider, trait), (stack, "selected_index"))
        inner.append(stack)
    header = widgets.HTML(f'<p class="bp-stepper-title" style="margin:0.3em 0">'
                          f"<strong>{html.escape(title)}</strong></p>")
    if choices is None:
        body, selectors = inner[0], []
    else:
        pictures = choice_pictures or [None] * len(groups)
        pages = []
        for stack, picture in zip(inner, pictures):
            # the picture and its words in a group, so the page script can give the
            # picture its words as alt text, as it does inside a step (bp-step)
            parts = [stack] if picture is None else [
                _classes(widgets.VBox([_image(picture[0], cache),
                                       widgets.HTML(_alt_paragraph(picture[1]))]),
                         "bp-figure-group"),
                stack]
            pages.append(widgets.VBox(parts))
        body = widgets.Stack(pages, selected_index=0)
        if choice_style == "toggle":
            selector = widgets.ToggleButtons(options=list(choices), index=0,
                                             description=choice_description,
                                             tooltips=list(choices),
                                             style={"button_width": "auto"})
        else:
            selector = widgets.Dropdown(options=list(choices), index=0,
                                        description=choice_description)
        _classes(selector, "bp-choice")
        widgets.jslink((selector, "index"), (body, "selected_index"))
        selectors = [selector]
    container = widgets.VBox([header, *selectors, controls, body],
                             layout=widgets.Layout(max_width="760px"))
    return _classes(container, "bp-stepper", f"bp-stepper-{kind}")


# ---------------------------------------------------------------------------------------
# Checks at the public entry points.

def _check_network(net, what):
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


def _one_sample(net, x, y=None, loss=None):
    """x (and y) as 1-D vectors of one sample, validated against ``net`` and ``loss``."""
    x2, y2, _ = _inputs(net, x, y, loss)
    if x2.shape[1] != 1:
        raise ValueError(f"a stepper follows one sample, but x has {x2.shape[1]} columns "
                         f"(shape {x2.shape}); pass one column, e.g. x[:, [0]]")
    return x2[:, 0], (None if y2 is None else y2[:, 0])


def _check_count(n_views, what, hint="use a network with fewer neurons"):
    """Refuse, before drawing anything, a stepper with more views than one can hold."""
    if n_views > MAX_STEPS:
        raise ValueError(f"{what} would show {n_views} views for this network, more than the "
                         f"{MAX_STEPS} one stepper can hold; {hint}")


def _check_budget(steps, what, extra_pngs=()):
    """Refuse a stepper whose embedded state would exceed MAX_EMBED_BYTES.

    The estimate: each distinct PNG once, base64-encoded (4/3), plus the text and about
    1.5 KB of widget state per view.  Set ``bpcore.steppers.MAX_EMBED_BYTES = None`` in a
    notebook of your own, where no page has to stay small, to lift the limit.
    """
    if MAX_EMBED_BYTES is None:
        return
    pictures = {s.png for s in steps if s.png is not None} | set(extra_pngs)
    size = sum(4 * len(p) // 3 for p in pictures) + sum(len(s.latex) + 1500 for s in steps)
    if size > MAX_EMBED_BYTES:
        raise ValueError(f"{what} would embed about {size // 1000} KB in the page, more than "
                         f"the {MAX_EMBED_BYTES // 1000} KB a stepper may use (a book page "
                         "must stay under 2 MB); use a network with fewer neurons, or, in a "
                         "notebook of your own, lift the limit with "
                         "bpcore.steppers.MAX_EMBED_BYTES = None")


# ---------------------------------------------------------------------------------------
# LaTeX helpers.  Math goes through _m / _dm, which escape &, < and > for the HTML.

def _m(tex):
    return "$" + html.escape(tex, quote=False) + "$"


def _dm(tex):
    return "$$" + html.escape(tex, quote=False) + "$$"


def _n(value):
    """A number in LaTeX, four significant digits."""
    return format_number(value, latex=True)


def _f(value):
    """A number as a factor: negative numbers in parentheses."""
    text = _n(value)
    return f"({text})" if value < 0 else text


def _sum(values):
    """v1 + v2 - |v3| ...: a sum of numbers with their signs written as operators."""
    out = _n(values[0])
    for value in values[1:]:
        out += f" - {_n(-value)}" if value < 0 else f" + {_n(value)}"
    return out


def _sym(name, l, *idx):
    """A symbol with a layer superscript and 1-based neuron subscripts, e.g. w^{2}_{13}."""
    sub = "".join(str(i) for i in idx)
    return f"{name}^{{{l}}}_{{{sub}}}" if sub else f"{name}^{{{l}}}"


def _key(name, l, *idx):
    """The ASCII key of a value, e.g. 'w^2_13'."""
    sub = "".join(str(i) for i in idx)
    return f"{name}^{l}_{sub}" if sub else f"{name}^{l}"


def _col(values):
    return r"\begin{pmatrix} " + r" \\ ".join(_n(x) for x in values) + r" \end{pmatrix}"


def _mat(matrix):
    rows = [" & ".join(_n(x) for x in row) for row in np.atleast_2d(matrix)]
    return r"\begin{pmatrix} " + r" \\ ".join(rows) + r" \end{pmatrix}"


def _p(text):
    return f'<p style="margin:0.3em 0">{text}</p>'


# Pieces of math used inside f-strings (Python 3.11 allows no backslash there).
DELTA = r"\delta"
ETA = r"\eta"
DELTA_W = r"\Delta w"
PERCENT = r"\%"
KRONECKER = _m(r"\delta_{ij}")
DELTA_L = _m(r"\delta^{L}")
CE_GRAD = _m(r"\partial C / \partial a^{L}_i = -y_i / a^{L}_i")
SUM_Y = _m(r"\sum_i y_i = 1")
SIGMOID_CE = _m(r"-\frac{y_j}{a_j} \cdot a_j (1 - a_j) = -y_j (1 - a_j)")
SIGMOID_PRIME = _m(r"\sigma'(z) = a (1 - a)")
FIRST_ORDER = _m(r"-\eta \lVert \nabla C \rVert^2")
SECOND_ORDER = _m(r"\tfrac{1}{2} \frac{\partial^2 C}{\partial w^2} (\Delta w)^2")


def _transposed(l):
    return rf"(W^{{{l}}})^{{\top}}"


_F = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\operatorname{relu}",
      "identity": r"\operatorname{id}", "softmax": r"\operatorname{softmax}"}


def _activation_tex(name, z, a):
    """f(z) = ... = a with the numbers, for an element-wise activation."""
    if name == "sigmoid":
        return rf"\sigma({_n(z)}) = \frac{{1}}{{1 + e^{{{_n(-z)}}}}} = {_n(a)}"
    if name == "tanh":
        return rf"\tanh({_n(z)}) = {_n(a)}"
    if name == "relu":
        return rf"\max(0, {_n(z)}) = {_n(a)}"
    return rf"\operatorname{{id}}({_n(z)}) = {_n(a)}"


def _derivative_tex(name, l, j, z, a, d):
    """f'(z^l_j) = ... = d with the numbers, for an element-wise activation."""
    zs, as_ = _sym("z", l, j), _sym("a", l, j)
    if name == "sigmoid":
        return (rf"\sigma'({zs}) = {as_}\,(1 - {as_}) = {_n(a)}\,(1 - {_n(a)}) = {_n(d)}")
    if name == "tanh":
        return rf"\tanh'({zs}) = 1 - ({as_})^2 = 1 - {_f(a)}^2 = {_n(d)}"
    if name == "relu":
        why = r"0 \text{ because } z \le 0" if z <= 0 else r"1 \text{ because } z > 0"
        return rf"\operatorname{{relu}}'({zs}) = {why}"
    return rf"\operatorname{{id}}'({zs}) = 1"


def _derivative(name, z, a):
    """f'(z) for an element-wise activation, from a where that is how bpcore computes it."""
    if name == "sigmoid":
        return a * (1.0 - a)
    if name == "tanh":
        return 1.0 - a * a
    return ACTIVATIONS[name][1](z)


def _all_edges(net):
    return {(i + 1, j, k): float(W[j, k]) for i, W in enumerate(net.weights)
            for j in range(W.shape[0]) for k in range(W.shape[1])}


def _vmax(*arrays):
    return max(float(np.max(np.abs(a))) if np.size(a) else 0.0 for a in arrays) or 1.0


class _Pending:
    """A network picture not drawn yet: the stepper first counts its views, then draws."""

    def __init__(self, *args):
        self.args = args

    def draw(self):
        return network_png(*self.args)


def _picture(net, nodes=None, edges=None, highlight_nodes=(), highlight_edges=(),
             edge_labels=None, notes=None, node_vmax=None, edge_vmax=None, caption="",
             node_quantity="value", edge_quantity="weight"):
    """A network picture (drawn later, by _finish) and its alt text, as Step arguments."""
    png = _Pending(net.sizes, nodes, edges, highlight_nodes, highlight_edges, edge_labels,
                   notes, node_vmax, edge_vmax, caption)
    alt = describe_network(net.sizes, nodes, edges, highlight_nodes, highlight_edges,
                           node_quantity, edge_quantity)
    return {"png": png, "alt": f"{alt} {_ascii(caption)}".strip()}


_SUPERSCRIPTS = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"
_SUP = str.maketrans("0123456789", _SUPERSCRIPTS)
_ASCII = {"\u2202": "d", "\u03b4": "delta", "\u2212": "-", "\u00b7": ";",
          "\u221d": "proportional to", "\u2032": "'", "\u03b7": "eta", "\u0394": "Delta "}
_ASCII.update({sup: f"^{d}" for d, sup in zip("0123456789", _SUPERSCRIPTS)})


def _u(name, l):
    """A symbol with its layer as a Unicode superscript, for pictures: a\u00b2, \u03b4\u00b9."""
    return f"{name}{str(l).translate(_SUP)}"


def _ascii(text):
    """Picture text made plain for a description: \u03b4\u00b2 -> delta^2, \u2212 -> -."""
    return "".join(_ASCII.get(c, c) for c in text)


def _finish(kind, title, steps, what):
    """Count the views, draw the pictures, check the size, build the widget."""
    _check_count(len(steps), what)
    steps = [replace(s, png=s.png.draw()) if isinstance(s.png, _Pending) else s
             for s in steps]
    _check_budget(steps, what)
    return Stepper(kind, title, tuple(steps), stepper_widget(steps, title, kind))


# ---------------------------------------------------------------------------------------
# 1. The forward pass.

def forward_stepper(net, x):
    """Step through the forward pass of one sample, layer by layer and neuron by neuron.

    For each neuron j of layer l = 1..L four views: z^l_j = sum_k w^l_jk a^{l-1}_k + b^l_j
    in symbols, with the numbers substituted, the result, then a^l_j = f(z^l_j) (a softmax
    layer first computes all its z, then each a^L_j = e^{z_j} / sum_k e^{z_k}).  One view
    shows the input before, one the output after.

    ``x`` is one sample, shape (n_0,) or (n_0, 1).  The ``values`` of each step hold
    ``"z^l_j"``, ``"a^l_j"``, the weights and inputs substituted, and at the end ``"a^L"``.
    Raises TypeError for a non-Network, ValueError for x of the wrong shape or more than
    one sample, or a network too large to draw (see :data:`MAX_NEURONS`).

    >>> import bpcore
    >>> ex = bpcore.examples.running_example()
    >>> s = forward_stepper(ex.net, ex.x)
    >>> s.steps[-1].values["a^L"].round(4)
    array([0.7252, 0.7884])
    """
    what = "forward_stepper"
    _check_network(net, what)
    x, _ = _one_sample(net, x)
    fp = forward(net, x)
    zs, acts = fp.zs, fp.activations
    L = net.n_layers
    edges = _all_edges(net)
    node_vmax = _vmax(*zs, *acts)
    edge_vmax = _vmax(*net.weights)
    caption = "fill: a, or z where z is being computed (blue +, red \u2212) \u00b7 " \
              "lines: weights w (solid +, dashed \u2212, width \u221d |w|)"
    known = {(0, k): float(xk) for k, xk in enumerate(x)}

    def picture(nodes, hn=(), he=(), labels=None):
        return _picture(net, nodes, edges, hn, he, labels, None, node_vmax, edge_vmax,
                        caption, "value")

    steps = [Step("The input", _p(
        f"The forward pass starts from the input, the activations of layer 0: "
        f"{_m(r'a^{0} = x')}.") + _dm(r"a^{0} = " + _col(x)),
        {_key("a", 0, k + 1): float(xk) for k, xk in enumerate(x)},
        **picture(dict(known), hn=[(0, k) for k in range(len(x))]))]

    for l in range(1, L + 1):
        W, b, name = net.weights[l - 1], net.biases[l - 1], net.activations[l - 1]
        a_prev, z_l, a_l = acts[l - 1], zs[l - 1], acts[l]
        n_prev = len(a_prev)
        for j in range(1, W.shape[0] + 1):
            into = [(l, j - 1, k) for k in range(n_prev)]
            labels = {(l, j - 1, k): f"{weight_name(l, j - 1, k)} = {_plain(W[j - 1, k])}"
                      for k in range(n_prev)}
            zj, sym_z = float(z_l[j - 1]), _sym("z", l, j)
            terms_sym = " + ".join(f"{_sym('w', l, j, k)} {_sym('a', l - 1, k)}"
                                   for k in range(1, n_prev + 1))
            terms_num = " + ".join(f"{_f(W[j - 1, k])} \\cdot {_f(a_prev[k])}"
                                   for k in range(n_prev))
            products = [float(W[j - 1, k] * a_prev[k]) for k in range(n_prev)]
            inputs = {_key("w", l, j, k + 1): float(W[j - 1, k]) for k in range(n_prev)}
            inputs.update({_key("a", l - 1, k + 1): float(a_prev[k]) for k in range(n_prev)})
            inputs[_key("b", l, j)] = float(b[j - 1])
            before = picture(dict(known), hn=[(l, j - 1)], he=into, labels=labels)
            steps.append(Step(
                f"Layer {l}, neuron {j}: z in symbols",
                _p(f"Neuron {j} of layer {l} adds up its inputs {_m(_sym('a', l - 1, 'k'))}, "
                   f"each times the weight {_m(_sym('w', l, j, 'k'))} of its line, plus its "
                   f"bias {_m(_sym('b', l, j))}:")
                + _dm(rf"{sym_z} = \sum_{{k=1}}^{{{n_prev}}} {_sym('w', l, j, 'k')}"
                      rf"\, {_sym('a', l - 1, 'k')} + {_sym('b', l, j)} = {terms_sym} + "
                      rf"{_sym('b', l, j)}"),
                inputs, **before))
            steps.append(Step(
                f"Layer {l}, neuron {j}: the numbers",
                _p("The same sum with the numbers put in (the highlighted lines carry the "
                   "weights, the neurons on their left the activations):")
                + _dm(rf"{sym_z} = {terms_num} + {_f(b[j - 1])}"),
                inputs, **before))
            steps.append(Step(
                f"Layer {l}, neuron {j}: z",
                _p("Multiply, then add:")
                + _dm(rf"{sym_z} = {_sum(products + [float(b[j - 1])])} = {_n(zj)}"),
                {_key("z", l, j): zj},
                **picture({**known, (l, j - 1): zj}, hn=[(l, j - 1)], he=into, labels=labels)))
            if name != "softmax":
                aj = float(a_l[j - 1])
                known[(l, j - 1)] = aj
                steps.append(Step(
                    f"Layer {l}, neuron {j}: a",
                    _p(f"The activation function of layer {l}, {_m(_F[name])}, turns "
                       f"{_m(sym_z)} into the neuron's output:")
                    + _dm(rf"{_sym('a', l, j)} = {_F[name]}({sym_z}) = "
                          + _activation_tex(name, zj, aj)),
                    {_key("z", l, j): zj, _key("a", l, j): aj},
                    **picture(dict(known), hn=[(l, j - 1)])))
        if name == "softmax":
            e = np.exp(z_l - z_l.max())
            denominator = " + ".join(f"e^{{{_n(z)}}}" for z in z_l)
            for j in range(1, len(z_l) + 1):
                aj = float(a_l[j - 1])
                known[(l, j - 1)] = aj
                steps.append(Step(
                    f"Layer {l}, neuron {j}: a (softmax)",
                    _p(f"Softmax needs every {_m(_sym('z', l, 'k'))} of the layer: each output "
                       "is its exponential divided by the sum of all of them, so the outputs "
                       "are positive and add up to 1.")
                    + _dm(rf"{_sym('a', l, j)} = \frac{{e^{{{_sym('z', l, j)}}}}}"
                          rf"{{\sum_k e^{{{_sym('z', l, 'k')}}}}} = "
                          rf"\frac{{e^{{{_n(z_l[j - 1])}}}}}{{{denominator}}} = {_n(aj)}"),
                    {_key("z", l, j): float(z_l[j - 1]), _key("a", l, j): aj,
                     "sum of exponentials / e^max": float(e.sum())},
                    **picture(dict(known), hn=[(l, j - 1)])))

    aL = acts[L]
    steps.append(Step("The output", _p(
        f"Every neuron has fired; the output of the network is {_m(_sym('a', L))}:")
        + _dm(rf"{_sym('a', L)} = {_col(aL)}"),
        {"a^L": np.array(aL), **{_key("a", L, j + 1): float(a) for j, a in enumerate(aL)}},
        **picture(dict(known), hn=[(L, j) for j in range(len(aL))])))
    return _finish("forward", "The forward pass, neuron by neuron", steps, what)


# ---------------------------------------------------------------------------------------
# 2. BP1, the output delta.

_LOSS_TEX = {
    "mse": r"C = \tfrac{1}{2} \sum_j (y_j - a^{L}_j)^2",
    "cross_entropy": r"C = -\sum_j y_j \ln a^{L}_j",
    "binary_cross_entropy": r"C = -\sum_j \left[ y_j \ln a^{L}_j "
                            r"+ (1 - y_j) \ln(1 - a^{L}_j) \right]",
}
_GRAD_TEX = {
    "mse": r"\frac{\partial C}{\partial a^{L}_j} = a^{L}_j - y_j",
    "cross_entropy": r"\frac{\partial C}{\partial a^{L}_j} = -\frac{y_j}{a^{L}_j}",
    "binary_cross_entropy": r"\frac{\partial C}{\partial a^{L}_j} = "
                            r"\frac{a^{L}_j - y_j}{a^{L}_j (1 - a^{L}_j)}",
}


def _grad_row(loss, j, a, y, g):
    if loss == "mse":
        return rf"\frac{{\partial C}}{{\partial a^{{L}}_{{{j}}}}} = {_n(a)} - {_f(y)} = {_n(g)}"
    if loss == "cross_entropy":
        return (rf"\frac{{\partial C}}{{\partial a^{{L}}_{{{j}}}}} = "
                rf"-\frac{{{_n(y)}}}{{{_n(a)}}} = {_n(g)}")
    return (rf"\frac{{\partial C}}{{\partial a^{{L}}_{{{j}}}}} = \frac{{{_n(a)} - {_f(y)}}}"
            rf"{{{_n(a)}\,(1 - {_n(a)})}} = {_n(g)}")


def _rows(lines):
    r"""Several equations, one per line, aligned at their first = sign."""
    return r"\begin{aligned} " + r" \\ ".join(line.replace(" = ", " &= ", 1) for line in lines) \
        + r" \end{aligned}"


def output_delta_stepper(net, x, y, loss="mse"):
    """Step through BP1, delta^L = dC/da^L (.) f'(z^L), one factor at a time.

    The views: the output and the cost; the first factor dC/da^L for ``loss``; then, for an
    element-wise output activation, f'(z^L) and the Hadamard product; for softmax, the full
    Jacobian J_ij = a_i (delta_ij - a_j) and the product delta_j = sum_i J_ij dC/da_i.  For
    the matched pairs (softmax with cross_entropy, sigmoid with binary_cross_entropy) a last
    view shows the shortcut delta^L = a^L - y and why it holds.

    ``values`` keys: ``"a^L"``, ``"y"``, ``"C"``, ``"dC/da^L"``, ``"f'(z^L)"`` or ``"J"``,
    ``"delta^L"`` and, for the matched pairs, ``"a^L - y"``.  Raises as bpcore.backprop
    does for a bad y or loss, and ValueError for more than one sample or a network too
    large to draw.

    >>> import bpcore
    >>> ex = bpcore.examples.running_example()
    >>> s = output_delta_stepper(ex.net, ex.x, ex.y)
    >>> [st.title for st in s.steps]
    ['The output and the cost', 'First factor: dC/da', "Second factor: f'(z)",
     'BP1: the Hadamard product']
    """
    what = "output_delta_stepper"
    _check_network(net, what)
    x, y = _one_sample(net, x, y, loss)
    fp = forward(net, x)
    L = net.n_layers
    name = net.activations[L - 1]
    z, a = fp.zs[L - 1], fp.activations[L]
    C = cost(net, x, y, loss)
    dCda = grad_a(loss, y[:, None], a[:, None])[:, 0]
    delta = output_delta(net, fp, y, loss)
    n = len(a)
    out = [(L, j) for j in range(n)]
    targets = {(L, j): f"y = {_plain(y[j])}" for j in range(n)}
    nodes_a = {(L, j): float(a[j]) for j in range(n)}

    def picture(values, quantity, caption):
        return _picture(net, {(L, j): float(values[j]) for j in range(n)}, None, out, (),
                        None, targets, _vmax(values), None, caption, quantity)

    steps = [Step("The output and the cost", _p(
        f"The forward pass gave the output {_m('a^{L}')} (here {_m(f'L = {L}')}); the "
        f"target is {_m('y')}. "
        f"The cost for this sample:") + _dm(_LOSS_TEX[loss]) + _dm(
        rf"a^{{L}} = {_col(a)}, \quad y = {_col(y)}, \quad C = {_n(C)}"),
        {"a^L": a.copy(), "y": y.copy(), "C": C},
        **_picture(net, nodes_a, None, out, (), None, targets, _vmax(a), None,
                   f"fill: output {_u('a', L)} (blue +, red \u2212); targets y on the right",
                   "activation"))]
    steps.append(Step("First factor: dC/da", _p(
        f"How fast the cost changes with each output, for the {loss} cost:")
        + _dm(_GRAD_TEX[loss])
        + _dm(_rows([_grad_row(loss, j + 1, a[j], y[j], dCda[j]) for j in range(n)])),
        {"dC/da^L": dCda.copy()},
        **picture(dCda, "dC/da", f"fill: \u2202C/\u2202{_u('a', L)} (blue +, red \u2212)")))

    matched = (name, loss) in {("softmax", "cross_entropy"), ("sigmoid", "binary_cross_entropy")}
    if name == "softmax":
        J = softmax_jacobian(z)
        via_jacobian = J.T @ dCda
        steps.append(Step("Second factor: the softmax Jacobian", _p(
            "Softmax is not element-wise: every output depends on every z, so the second "
            "factor is the full Jacobian matrix. With the Kronecker delta "
            f"{KRONECKER} (1 when i = j, else 0; not the error {DELTA_L}):")
            + _dm(r"J_{ij} = \frac{\partial a^{L}_i}{\partial z^{L}_j} = "
                  rf"a^{{L}}_i (\delta_{{ij}} - a^{{L}}_j), \qquad J = {_mat(J)}"),
            {"J": J},
            **picture(a, "activation", f"fill: output {_u('a', L)}, from which J is built")))
        lines = [rf"\delta^{{L}}_{{{j + 1}}} = " + " + ".join(
            f"{_f(J[i, j])} \\cdot {_f(dCda[i])}" for i in range(n)) + f" = {_n(via_jacobian[j])}"
            for j in range(n)]
        steps.append(Step("BP1: the Jacobian product", _p(
            "The chain rule sums over every output the cost reaches through:")
            + _dm(r"\delta^{L}_j = \sum_i J_{ij} \frac{\partial C}{\partial a^{L}_i}, \qquad "
                  r"\delta^{L} = J^{\top} \frac{\partial C}{\partial a^{L}}")
            + _dm(_rows(lines)),
            {"delta^L": via_jacobian, "delta^L (bpcore)": np.array(delta)},
            **picture(via_jacobian, "delta", f"fill: {_u('δ', L)} (blue +, red \u2212)")))
        if matched:
            steps.append(Step("The shortcut: delta = a - y", _p(
                f"Put {CE_GRAD} into the sum: "
                f"the {_m('a^{L}_i')} cancels and, because the targets add up to 1, "
                f"{SUM_Y}, what is left is {_m(r'a^{L}_j - y_j')}:")
                + _dm(r"\delta^{L}_j = \sum_i \left(-\frac{y_i}{a^{L}_i}\right) a^{L}_i "
                      r"(\delta_{ij} - a^{L}_j) = -y_j + a^{L}_j \sum_i y_i = a^{L}_j - y_j")
                + _dm(rf"a^{{L}} - y = {_col(a)} - {_col(y)} = {_col(a - y)}")
                + _p("The same numbers as the full product, with no Jacobian and no division "
                     "by a small a. This is why softmax and cross-entropy come as a pair."),
                {"a^L - y": a - y, "delta^L": np.array(delta)},
                **picture(a - y, "delta", f"fill: {_u('δ', L)} = {_u('a', L)} \u2212 y")))
        return _finish("output-delta", f"BP1 for softmax with the {loss} cost", steps, what)

    fprime = _derivative(name, z, a)
    steps.append(Step("Second factor: f'(z)", _p(
        f"How fast each output changes with its weighted input, the derivative of "
        f"{_m(_F[name])} at {_m('z^{L}')}:")
        + _dm(_rows([_derivative_tex(name, "L", j + 1, z[j], a[j], fprime[j])
                     for j in range(n)])),
        {"f'(z^L)": fprime.copy(), "z^L": z.copy()},
        **picture(fprime, "f'(z)", f"fill: f\u2032({_u('z', L)}) (blue +, red \u2212)")))
    product = dCda * fprime
    lines = [rf"\delta^{{L}}_{{{j + 1}}} = {_f(dCda[j])} \cdot {_f(fprime[j])} = {_n(product[j])}"
             for j in range(n)]
    text = _p("BP1 multiplies the two factors entry by entry (the Hadamard product):") \
        + _dm(r"\delta^{L} = \frac{\partial C}{\partial a^{L}} \odot f'(z^{L})") + _dm(_rows(lines))
    if (name, loss) == ("sigmoid", "cross_entropy"):
        text += _p(f"Here {SIGMOID_CE}: "
                   "the a cancels, and bpcore computes it in that form.")
    steps.append(Step("BP1: the Hadamard product", text,
                      {"delta^L": product, "delta^L (bpcore)": np.array(delta)},
                      **picture(product, "delta", f"fill: {_u('δ', L)} (blue +, red \u2212)")))
    if matched:
        steps.append(Step("The shortcut: delta = a - y", _p(
            f"For a sigmoid output, {SIGMOID_PRIME} is exactly the denominator "
            "of the first factor, so the two cancel:")
            + _dm(r"\delta^{L}_j = \frac{a^{L}_j - y_j}{a^{L}_j (1 - a^{L}_j)} \cdot "
                  r"a^{L}_j (1 - a^{L}_j) = a^{L}_j - y_j")
            + _dm(rf"a^{{L}} - y = {_col(a)} - {_col(y)} = {_col(a - y)}")
            + _p("No division by a(1 - a), which is tiny when the output saturates: this is "
                 "why the sigmoid and binary cross-entropy come as a pair."),
            {"a^L - y": a - y, "delta^L": np.array(delta)},
            **picture(a - y, "delta", f"fill: {_u('δ', L)} = {_u('a', L)} \u2212 y")))
    return _finish("output-delta", f"BP1 with the {loss} cost", steps, what)


# ---------------------------------------------------------------------------------------
# 3. BP2, the hidden deltas.

def hidden_delta_stepper(net, x, y, loss="mse"):
    """Step through BP2, delta^l = ((W^{l+1})^T delta^{l+1}) (.) f'(z^l), for l = L-1 .. 1.

    The first view shows delta^L (from BP1).  For each hidden layer, going backwards: the
    equation with the matrix and vector, then for each neuron j the sum
    sum_k w^{l+1}_kj delta^{l+1}_k over the weights leaving it, then its product with
    f'(z^l_j); a last view per layer collects delta^l.

    ``values`` keys: ``"delta^L"``, ``"(W^{l+1})^T delta^{l+1}"`` (the vector),
    ``"sum^l_j"`` (its entry j), ``"f'(z^l_j)"``, ``"delta^l_j"`` and ``"delta^l"``.
    Raises ValueError for a network with no hidden layer (L = 1), besides the checks of
    :func:`output_delta_stepper`.

    >>> import bpcore
    >>> ex = bpcore.examples.running_example()
    >>> s = hidden_delta_stepper(ex.net, ex.x, ex.y)
    >>> len(s.steps), s.steps[-1].values["delta^1"].shape
    (9, (3,))
    """
    what = "hidden_delta_stepper"
    _check_network(net, what)
    if net.n_layers < 2:
        raise ValueError("hidden_delta_stepper needs a hidden layer, but this network has "
                         f"L = 1 (sizes {net.sizes}): its only delta is delta^L, which "
                         "output_delta_stepper shows")
    x, y = _one_sample(net, x, y, loss)
    fp = forward(net, x)
    L = net.n_layers
    deltas = hidden_deltas(net, fp, output_delta(net, fp, y, loss))
    edges = _all_edges(net)
    node_vmax = _vmax(*deltas)
    edge_vmax = _vmax(*net.weights)
    caption = "fill: \u03b4 (blue +, red \u2212) \u00b7 lines: weights w (solid +, dashed \u2212)"
    known = {(L, j): float(d) for j, d in enumerate(deltas[L - 1])}

    def picture(nodes, hn=(), he=(), labels=None):
        return _picture(net, nodes, edges, hn, he, labels, None, node_vmax, edge_vmax,
                        caption, "delta")

    steps = [Step("Start from the output delta", _p(
        f"BP1 gave {DELTA_L}, the error at the output; BP2 carries it back one "
        "layer at a time.") + _dm(rf"\delta^{{{L}}} = {_col(deltas[L - 1])}"),
        {"delta^L": np.array(deltas[L - 1]), _key("delta", L): np.array(deltas[L - 1])},
        **picture(dict(known), hn=[(L, j) for j in range(net.sizes[L])]))]
    for l in range(L - 1, 0, -1):
        W_next, d_next = net.weights[l], deltas[l]
        z, a, name = fp.zs[l - 1], fp.activations[l], net.activations[l - 1]
        back = W_next.T @ d_next
        fprime = _derivative(name, z, a)
        steps.append(Step(f"Layer {l}: BP2", _p(
            f"Each neuron of layer {l} collects the deltas of layer {l + 1}, weighted by the "
            f"lines that leave it: that is the transposed matrix {_m(_transposed(l + 1))} "
            f"times {_m(_sym(DELTA, l + 1))}. Then the slope of its activation scales it.")
            + _dm(rf"\delta^{{{l}}} = \left( (W^{{{l + 1}}})^{{\top}} \delta^{{{l + 1}}} \right) "
                  rf"\odot f'(z^{{{l}}})")
            + _dm(rf"(W^{{{l + 1}}})^{{\top}} \delta^{{{l + 1}}} = {_mat(W_next.T)} "
                  rf"{_col(d_next)} = {_col(back)}"),
            {f"W^{l + 1}": W_next.copy(), _key("delta", l + 1): np.array(d_next),
             f"(W^{l + 1})^T delta^{l + 1}": back},
            **picture(dict(known), hn=[(l + 1, k) for k in range(len(d_next))])))
        for j in range(1, len(z) + 1):
            out = [(l + 1, k, j - 1) for k in range(len(d_next))]
            labels = {(l + 1, k, j - 1): f"{weight_name(l + 1, k, j - 1)} = "
                      f"{_plain(W_next[k, j - 1])}" for k in range(len(d_next))}
            terms_sym = " + ".join(f"{_sym('w', l + 1, k, j)} {_sym(DELTA, l + 1, k)}"
                                   for k in range(1, len(d_next) + 1))
            terms_num = " + ".join(f"{_f(W_next[k, j - 1])} \\cdot {_f(d_next[k])}"
                                   for k in range(len(d_next)))
            steps.append(Step(f"Layer {l}, neuron {j}: the sum over k", _p(
                f"Neuron {j} of layer {l} feeds every neuron k of layer {l + 1} through "
                f"{_m(_sym('w', l + 1, 'k', j))} (note the order: to k, from {j}). Its share "
                "of their error:")
                + _dm(rf"\left( (W^{{{l + 1}}})^{{\top}} \delta^{{{l + 1}}} \right)_{{{j}}} = "
                      rf"\sum_k {_sym('w', l + 1, 'k', j)}\, {_sym(DELTA, l + 1, 'k')} = "
                      rf"{terms_sym}")
                + _dm(rf"= {terms_num} = {_n(back[j - 1])}"),
                {_key("sum", l, j): float(back[j - 1]),
                 **{_key("w", l + 1, k + 1, j): float(W_next[k, j - 1])
                    for k in range(len(d_next))}},
                **picture(dict(known), hn=[(l, j - 1)], he=out, labels=labels)))
            dj = float(deltas[l - 1][j - 1])
            known[(l, j - 1)] = dj
            steps.append(Step(f"Layer {l}, neuron {j}: times f'(z)", _p(
                f"Scale by the slope of {_m(_F[name])} at this neuron's {_m(_sym('z', l, j))}:")
                + _dm(_derivative_tex(name, l, j, z[j - 1], a[j - 1], fprime[j - 1]))
                + _dm(rf"{_sym(DELTA, l, j)} = {_f(back[j - 1])} \cdot {_f(fprime[j - 1])} = "
                      rf"{_n(dj)}"),
                {_key("f'(z", l, j) + ")": float(fprime[j - 1]), _key("delta", l, j): dj},
                **picture(dict(known), hn=[(l, j - 1)])))
        steps.append(Step(f"Layer {l}: delta^{l}", _p(
            f"All of layer {l} at once:")
            + _dm(rf"\delta^{{{l}}} = {_col(back)} \odot {_col(fprime)} = {_col(deltas[l - 1])}"),
            {_key("delta", l): np.array(deltas[l - 1])},
            **picture(dict(known), hn=[(l, j) for j in range(len(z))])))
    return _finish("hidden-delta", "BP2: the deltas of the hidden layers", steps, what)


# ---------------------------------------------------------------------------------------
# 4. BP3 and BP4, the gradients.

def gradient_stepper(net, x, y, loss="mse"):
    """Step through BP3 (dC/db^l = delta^l) and BP4 (dC/dw^l_jk = a^{l-1}_k delta^l_j).

    For each layer l = L .. 1: the bias gradient; the weight gradient as the outer product
    delta^l (a^{l-1})^T; then each entry, with its weight highlighted in the diagram.  The
    last view lists every gradient.  One sample, so no mean over samples is needed (over a
    batch BP3 and BP4 average these over the columns).

    ``values`` keys: ``"dC/db^l"``, ``"dC/dW^l"`` (arrays), ``"dC/dw^l_jk"``.

    >>> import bpcore
    >>> ex = bpcore.examples.running_example()
    >>> s = gradient_stepper(ex.net, ex.x, ex.y)
    >>> len(s.steps), round(s.steps[2].values["dC/dw^2_11"], 6)
    (17, 0.084559)
    """
    what = "gradient_stepper"
    _check_network(net, what)
    x, y = _one_sample(net, x, y, loss)
    fp = forward(net, x)
    L = net.n_layers
    deltas = hidden_deltas(net, fp, output_delta(net, fp, y, loss))
    grad_W = weight_gradients(fp, deltas)
    grad_b = bias_gradients(deltas)
    steps = []
    for l in range(L, 0, -1):
        a_prev, d = fp.activations[l - 1], deltas[l - 1]
        gW, gb = grad_W[l - 1], grad_b[l - 1]
        layer_edges = {(l, j, k): float(gW[j, k]) for j in range(len(d))
                       for k in range(len(a_prev))}
        nodes = {**{(l - 1, k): float(v) for k, v in enumerate(a_prev)},
                 **{(l, j): float(v) for j, v in enumerate(d)}}
        node_vmax = {l - 1: _vmax(a_prev), l: _vmax(d)}
        edge_vmax = _vmax(gW)
        caption = (f"left: {_u('a', l - 1)}; right: {_u('δ', l)} (blue +, red \u2212) "
                   "\u00b7 lines: \u2202C/\u2202w (solid +, dashed \u2212)")

        def picture(hn=(), he=(), labels=None, nodes=nodes, edges=layer_edges,
                    node_vmax=node_vmax, edge_vmax=edge_vmax, caption=caption):
            return _picture(net, nodes, edges, hn, he, labels, None, node_vmax, edge_vmax,
                            caption, "value", "gradient of")

        steps.append(Step(f"Layer {l}: BP3, the biases", _p(
            f"A bias adds straight into z, so the cost changes with {_m(_sym('b', l, 'j'))} "
            f"exactly as it does with {_m(_sym('z', l, 'j'))}:")
            + _dm(rf"\frac{{\partial C}}{{\partial b^{{{l}}}}} = \delta^{{{l}}} = {_col(gb)}"),
            {_key("dC/db", l): np.array(gb)},
            **picture(hn=[(l, j) for j in range(len(d))])))
        steps.append(Step(f"Layer {l}: BP4, the weights", _p(
            f"The weight {_m(_sym('w', l, 'jk'))} multiplies {_m(_sym('a', l - 1, 'k'))} on its "
            f"way into {_m(_sym('z', l, 'j'))}, so its gradient is that activation times the "
            "delta at the end of the line. All of them at once form an outer product, a "
            "column times a row:")
            + _dm(rf"\frac{{\partial C}}{{\partial W^{{{l}}}}} = "
                  rf"\delta^{{{l}}} (a^{{{l - 1}}})^{{\top}} = {_col(d)} {_mat([a_prev])} = "
                  rf"{_mat(gW)}")
            + _p(f"Row j belongs to neuron j of layer {l}, column k to neuron k of layer "
                 f"{l - 1}: the entry in row j, column k is the gradient of "
                 f"{_m(_sym('w', l, 'jk'))}."),
            {_key("dC/dW", l): np.array(gW)},
            **picture()))
        for j in range(1, len(d) + 1):
            for k in range(1, len(a_prev) + 1):
                g = float(gW[j - 1, k - 1])
                edge = (l, j - 1, k - 1)
                label = f"\u2202C/\u2202{weight_name(*edge)} = {_plain(g)}"
                steps.append(Step(f"Layer {l}: dC/dw^{l}_{j}{k}", _p(
                    f"The line from neuron {k} of layer {l - 1} to neuron {j} of layer {l}, "
                    f"row {j} and column {k} of the matrix:")
                    + _dm(rf"\frac{{\partial C}}{{\partial {_sym('w', l, j, k)}}} = "
                          rf"{_sym('a', l - 1, k)}\, {_sym(DELTA, l, j)} = "
                          rf"{_f(a_prev[k - 1])} \cdot {_f(d[j - 1])} = {_n(g)}"),
                    {_key("dC/dw", l, j, k): g, _key("a", l - 1, k): float(a_prev[k - 1]),
                     _key("delta", l, j): float(d[j - 1])},
                    **picture(hn=[(l - 1, k - 1), (l, j - 1)], he=[edge], labels={edge: label})))
    summary = "".join(
        _dm(rf"\frac{{\partial C}}{{\partial W^{{{l}}}}} = {_mat(grad_W[l - 1])}, \quad "
            rf"\frac{{\partial C}}{{\partial b^{{{l}}}}} = {_col(grad_b[l - 1])}")
        for l in range(1, L + 1))
    all_edges = {(l, j, k): float(grad_W[l - 1][j, k]) for l in range(1, L + 1)
                 for j in range(net.sizes[l]) for k in range(net.sizes[l - 1])}
    steps.append(Step("Every gradient", _p(
        "Together, the gradient of the cost with respect to every parameter; these are "
        "the numbers bpcore.backprop returns.") + summary,
        {**{_key("dC/dW", l): np.array(grad_W[l - 1]) for l in range(1, L + 1)},
         **{_key("dC/db", l): np.array(grad_b[l - 1]) for l in range(1, L + 1)}},
        **_picture(net, None, all_edges, (), (), None, None, None, _vmax(*grad_W),
                   "lines: \u2202C/\u2202w (solid +, dashed \u2212, "
                   "width \u221d |\u2202C/\u2202w|)",
                   "value", "gradient of")))
    return _finish("gradient", "BP3 and BP4: the gradients", steps, what)


# ---------------------------------------------------------------------------------------
# 5. One training step.

def training_step_stepper(net, x, y, learning_rate, loss="mse"):
    """Step through one gradient-descent update: W^l <- W^l - eta dC/dW^l, b^l likewise.

    Views: the cost before; the gradients of each layer (from bpcore.backprop); the update
    of each layer with the numbers; the cost after, with the change it made and the
    first-order prediction -eta ||grad||^2, which says whether eta was small enough.

    ``values`` keys: ``"C_before"``, ``"dC/dW^l"``, ``"dC/db^l"``, ``"W^l new"``,
    ``"b^l new"``, ``"C_after"``, ``"Delta C"``, ``"predicted Delta C"``; the updated
    network is the last step's ``values["network"]``.  Raises ValueError/TypeError for a
    learning rate that is not a positive number, besides the usual checks.

    >>> import bpcore
    >>> ex = bpcore.examples.running_example()
    >>> s = training_step_stepper(ex.net, ex.x, ex.y, learning_rate=0.5)
    >>> s.steps[-1].values["C_after"] < s.steps[0].values["C_before"]
    True
    """
    what = "training_step_stepper"
    _check_network(net, what)
    eta = v.positive_number(learning_rate, "learning_rate")
    x, y = _one_sample(net, x, y, loss)
    L = net.n_layers
    C0 = cost(net, x, y, loss)
    grads = backprop(net, x, y, loss)
    new_W = [W - eta * g for W, g in zip(net.weights, grads.weights)]
    new_b = [b - eta * g for b, g in zip(net.biases, grads.biases)]
    new_net = net.replace(weights=new_W, biases=new_b)
    C1 = cost(new_net, x, y, loss)
    predicted = -eta * float(np.sum(grads.flat() ** 2))
    fp0, fp1 = forward(net, x), forward(new_net, x)
    weight_vmax = _vmax(*net.weights, *new_W)
    node_vmax = _vmax(*fp0.activations, *fp1.activations)

    def network_picture(weights, fp, caption, hn=(), he=()):
        edges = {(i + 1, j, k): float(W[j, k]) for i, W in enumerate(weights)
                 for j in range(W.shape[0]) for k in range(W.shape[1])}
        nodes = {(l, j): float(a) for l, acts in enumerate(fp.activations)
                 for j, a in enumerate(acts)}
        notes = {(L, j): f"y = {_plain(t)}" for j, t in enumerate(y)}
        return _picture(net, nodes, edges, hn, he, None, notes, node_vmax, weight_vmax, caption,
                        "activation", "weight")

    steps = [Step("The cost before", _p(
        "Run the sample forward with the current weights and measure the cost:")
        + _dm(rf"C = {_n(C0)}"), {"C_before": C0},
        **network_picture(net.weights, fp0,
                          "fill: a \u00b7 lines: weights (solid +, dashed \u2212)"))]
    for l in range(L, 0, -1):
        gW, gb = grads.weights[l - 1], grads.biases[l - 1]
        edges = {(l, j, k): float(gW[j, k]) for j in range(gW.shape[0]) for k in range(gW.shape[1])}
        steps.append(Step(f"Layer {l}: the gradients", _p(
            f"Backpropagation (BP1 to BP4) gives the gradients of layer {l}:")
            + _dm(rf"\frac{{\partial C}}{{\partial W^{{{l}}}}} = {_mat(gW)}, \quad "
                  rf"\frac{{\partial C}}{{\partial b^{{{l}}}}} = {_col(gb)}"),
            {_key("dC/dW", l): np.array(gW), _key("dC/db", l): np.array(gb)},
            **_picture(net, None, edges, (), (), None, None, None, _vmax(gW),
                       f"lines: \u2202C/\u2202{_u('W', l)} (solid +, dashed \u2212, "
                       "width \u221d size)",
                       "value", "gradient of")))
    for l in range(1, L + 1):
        W, gW = net.weights[l - 1], grads.weights[l - 1]
        b, gb = net.biases[l - 1], grads.biases[l - 1]
        steps.append(Step(f"Layer {l}: the update", _p(
            f"Step against the gradient, scaled by the learning rate {_m(ETA + ' = ' + _n(eta))}:")
            + _dm(rf"W^{{{l}}} \leftarrow W^{{{l}}} - \eta "
                  rf"\frac{{\partial C}}{{\partial W^{{{l}}}}} = {_mat(W)} - {_n(eta)} {_mat(gW)} "
                  rf"= {_mat(new_W[l - 1])}")
            + _dm(rf"b^{{{l}}} \leftarrow b^{{{l}}} - \eta "
                  rf"\frac{{\partial C}}{{\partial b^{{{l}}}}} = {_col(b)} - {_n(eta)} {_col(gb)} "
                  rf"= {_col(new_b[l - 1])}"),
            {_key("W", l) + " new": new_W[l - 1], _key("b", l) + " new": new_b[l - 1]},
            **network_picture(new_W[:l] + list(net.weights[l:]), fp0,
                              f"lines: weights, layer{'s 1 to' if l > 1 else ''} {l} updated")))
    change = C1 - C0
    if change < 0:
        verdict = (f"The cost went down by {_m(_n(-change))}, close to the prediction when "
                   f"{_m(ETA)} is small: the step followed the slope.")
    else:
        verdict = (f"The cost went up by {_m(_n(change))}: the learning rate "
                   f"{_m(ETA + ' = ' + _n(eta))} "
                   "is too large, so the step overshot the valley the gradient pointed into. "
                   "Try a smaller one.")
    steps.append(Step("The cost after", _p(
        "Run the sample forward again with the new weights:")
        + _dm(rf"C_{{\text{{after}}}} = {_n(C1)}, \quad "
              rf"\Delta C = {_n(C1)} - {_n(C0)} = {_n(change)}")
        + _p(f"To first order the change should be {FIRST_ORDER} = "
             f"{_m(_n(predicted))}. " + verdict),
        {"C_before": C0, "C_after": C1, "Delta C": change, "predicted Delta C": predicted,
         "network": new_net},
        **network_picture(new_W, fp1, "after the update \u00b7 fill: a \u00b7 lines: weights")))
    return _finish("training-step",
                   f"One step of gradient descent, learning rate {format_number(eta)}",
                   steps, what)


# ---------------------------------------------------------------------------------------
# 6. The nudge explorer.

DEFAULT_NUDGES = (-0.5, -0.1, -0.01, 0.01, 0.1, 0.5)


def _parse_weight(spec, net):
    """A weight given as 'w^2_13' or (2, 1, 3) (1-based), as the 0-based (l, j, k)."""
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
    elif isinstance(spec, Sequence) and len(spec) == 3 and all(
            isinstance(i, numbers.Integral) and not isinstance(i, bool) for i in spec):
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
    return l, j - 1, k - 1


def _check_nudges(nudges):
    if isinstance(nudges, (str, bytes)) or not isinstance(nudges, Sequence) or not nudges:
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


def _with_weight(net, l, j, k, value):
    weights = [np.array(W) for W in net.weights]
    weights[l - 1][j, k] = value
    return net.replace(weights=weights)


def nudge_explorer(net, x, y, loss="mse", weights=None, nudges=DEFAULT_NUDGES):
    """Nudge one weight and compare the measured change of the cost with the prediction.

    For each chosen weight w and nudge Delta w the view shows the measured
    Delta C = C(w + Delta w) - C(w), two forward passes, beside the prediction
    dC/dw Delta w from backpropagation, and their difference, which shrinks like
    (Delta w)^2.  A Dropdown picks the weight, a slider the nudge; the views are all
    precomputed, in nested Stacks linked to those two controls, so the page needs no kernel.
    Each weight has a plot of Delta C against Delta w with the tangent line.

    ``weights``: None for every weight of the network, or a list of names like ``"w^2_13"``
    or 1-based tuples (l, j, k).  ``nudges``: non-zero numbers, shown in increasing order.
    ``grid[(name, dw)]`` holds ``"C"``, ``"C_nudged"``, ``"measured"``, ``"predicted"``,
    ``"dC/dw"``, ``"w"`` and ``"dw"``.

    >>> import bpcore
    >>> ex = bpcore.examples.running_example()
    >>> e = nudge_explorer(ex.net, ex.x, ex.y, weights=["w^2_11"], nudges=[-0.1, 0.1])
    >>> cell = e.grid[("w^2_11", 0.1)]
    >>> abs(cell["measured"] - cell["predicted"]) < 0.01 * abs(cell["predicted"])
    True
    """
    what = "nudge_explorer"
    _check_network(net, what)
    x, y = _one_sample(net, x, y, loss)
    if weights is None:
        keys = [(l, j, k) for l in range(1, net.n_layers + 1)
                for j in range(net.sizes[l]) for k in range(net.sizes[l - 1])]
    else:
        if isinstance(weights, str) or (isinstance(weights, tuple) and len(weights) == 3
                                        and all(isinstance(i, numbers.Integral) for i in weights)):
            weights = [weights]      # one weight, given on its own
        if isinstance(weights, (str, bytes)) or not isinstance(weights, Sequence) or not weights:
            raise TypeError(f"weights must be None or a non-empty list of weight names such "
                            f"as ['w^2_13'], got {weights!r}")
        keys = [_parse_weight(spec, net) for spec in weights]
        if len(set(keys)) != len(keys):
            raise ValueError(f"weights has repeated entries: {weights!r}")
    dws = _check_nudges(nudges)
    _check_count(len(keys) * len(dws), what,
                 f"this network has {len(keys)} weights and you gave {len(dws)} nudges; pick "
                 "fewer weights, e.g. weights=['w^2_11', 'w^1_21'], or fewer nudges")
    C0 = cost(net, x, y, loss)
    grads = backprop(net, x, y, loss)
    names, groups, pictures, grid = [], [], [], {}
    for l, j, k in keys:
        name = weight_name(l, j, k, plain=True)
        tex = _sym("w", l, j + 1, k + 1)
        w, g = float(net.weights[l - 1][j, k]), float(grads.weights[l - 1][j, k])
        curve_dw = np.unique(np.concatenate([np.linspace(dws[0], dws[-1], 41), [0.0], dws]))
        curve_dc = np.array([cost(_with_weight(net, l, j, k, w + d), x, y, loss) - C0
                             for d in curve_dw])
        group = []
        for dw in dws:
            C1 = cost(_with_weight(net, l, j, k, w + dw), x, y, loss)
            measured, predicted = C1 - C0, g * dw
            gap = measured - predicted
            rel = abs(gap) / abs(measured) if measured != 0 else float("inf")
            values = {"weight": name, "w": w, "dw": dw, "C": C0, "C_nudged": C1,
                      "measured": measured, "predicted": predicted, "dC/dw": g}
            grid[(name, dw)] = values
            group.append(Step(f"Nudge {name} by {'+' if dw > 0 else ''}{format_number(dw)}", _p(
                f"Move {_m(tex)} from {_m(_n(w))} to {_m(_n(w + dw))} "
                f"({_m(DELTA_W + ' = ' + _n(dw))}), keep every other parameter, and run the "
                "sample forward again.")
                + _dm(rf"\text{{measured: }} \Delta C = C(w + \Delta w) - C(w) = {_n(C1)} - "
                      rf"{_f(C0)} = {_n(measured)}")
                + _dm(rf"\text{{predicted: }} \frac{{\partial C}}{{\partial {tex}}} \Delta w = "
                      rf"{_f(g)} \cdot {_f(dw)} = {_n(predicted)}")
                + _p("(The costs are rounded to four digits; the difference comes from their "
                     "full values.)")
                + _p(f"They differ by {_m(_n(gap))}, "
                     + (f"{_m(_n(100 * rel) + PERCENT)} of the measured change. "
                        if np.isfinite(rel) else "")
                     + "The gradient describes the tangent line; the cost curves away from it "
                     f"by roughly {SECOND_ORDER}, "
                     "so a ten times smaller nudge makes the gap about a hundred times smaller."),
                values))
        names.append(name)
        groups.append(group)
        png = nudge_png(net.sizes, (l, j, k), curve_dw, curve_dc, g, dws,
                        [grid[(name, d)]["measured"] for d in dws], weight_name(l, j, k),
                        {(l, j, k): w})
        alt = (f"Left, the network with the weight {name} highlighted, from neuron {k + 1} of "
               f"layer {l - 1} to neuron {j + 1} of layer {l}. Right, a plot of the measured "
               f"change of the cost against the nudge, from {format_number(dws[0])} to "
               f"{format_number(dws[-1])}, as a solid curve, with the tangent line of slope "
               f"dC/dw = {format_number(g)} dashed; the curve follows the line near 0 and "
               "bends away from it for larger nudges. Dots mark the nudges you can pick.")
        pictures.append((png, alt))
    labels = [("+" if d > 0 else "\u2212") + format_number(abs(d)) for d in dws]
    flat = [s for group in groups for s in group]
    _check_budget(flat, what, extra_pngs=[png for png, _ in pictures])
    start = min(range(len(dws)), key=lambda i: (dws[i] < 0, abs(dws[i] - 0.1)))
    title = "Nudge a weight: measured change of the cost against the gradient's prediction"
    widget = stepper_widget(groups, title, "nudge", choices=names, choice_description="Weight",
                            choice_pictures=pictures, positions=labels,
                            position_description="Nudge \u0394w", start=start)
    return NudgeExplorer("nudge", title, tuple(flat), widget, tuple(names), dws, grid)


# ---------------------------------------------------------------------------------------
# 7. Gradient descent on a cost surface.

def _valley(kappa):
    def cost_fn(p0, p1):
        return 0.5 * (p0 ** 2 + kappa * p1 ** 2)

    def grad_fn(p0, p1):
        return np.array([p0, kappa * p1])
    return cost_fn, grad_fn


_SURFACES = {
    # an elongated valley C = (p1^2 + 5 p2^2) / 2: gradient descent converges for
    # eta < 2/5, fastest at eta = 2/(1 + 5), where each step shrinks the error by 2/3
    "valley": (_valley(5.0), (-2.5, 1.0), {"too small": 0.03, "good": 0.3, "too large": 0.45},
               (r"p_1", r"p_2"), r"C(p) = \tfrac{1}{2}(p_1^2 + 5\, p_2^2)"),
    # a round bowl C = (p0^2 + p1^2) / 2: converges for eta < 2
    "bowl": (_valley(1.0), (-2.0, 1.5), {"too small": 0.05, "good": 0.5, "too large": 2.1},
             (r"p_1", r"p_2"), r"C(p) = \tfrac{1}{2}(p_1^2 + p_2^2)"),
}


# what one view of the cost surface adds to the page, about: its PNG in base64 and the text
_SURFACE_VIEW_BYTES = 13_000


def _check_rates(learning_rates):
    if isinstance(learning_rates, Mapping):
        items = list(learning_rates.items())
    elif isinstance(learning_rates, Sequence) and not isinstance(learning_rates, (str, bytes)):
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


def cost_surface_stepper(cost_fn=None, grad_fn=None, *, start=None, learning_rates=None,
                         steps=10, net=None, x=None, y=None, loss="mse",
                         weights=("w^2_11", "w^2_21"), extent=None):
    """Gradient descent p_{t+1} = p_t - eta grad C(p_t) on a two-parameter cost, drawn on
    its contour plot, for a few learning rates side by side.

    The cost is one of:

    * ``cost_fn=None`` with ``net=None``: the elongated valley C = (p_1^2 + 5 p_2^2) / 2
      (``cost_fn="valley"``; ``"bowl"`` is the round C = (p_1^2 + p_2^2) / 2), with rates
      that are too small (crawls), good (converges) and too large (oscillates and
      diverges, since eta > 2 / 5);
    * ``net`` with ``x``, ``y``, ``loss``: that network's cost as a function of the two
      ``weights`` (names like ``"w^2_11"``), all other parameters fixed, with the gradient
      from bpcore.backprop; give ``learning_rates`` (default 1, 10 and 100);
    * a callable ``cost_fn(p1, p2) -> float`` with ``grad_fn(p1, p2) -> (2,)``.

    ``learning_rates``: a list of positive numbers or a dict {label: rate}; a ToggleButtons
    picks one and the slider walks along its path, ``steps`` updates.  ``start`` is the
    first point (default: the weights' values, or the surface's own start); ``extent`` the
    plotted ((p1_min, p1_max), (p2_min, p2_max)), by default a box around the paths (points
    outside it are drawn on its edge as triangles).

    >>> s = cost_surface_stepper(steps=5)
    >>> list(s.learning_rates)
    ['η = 0.03000 (too small)', 'η = 0.3000 (good)', 'η = 0.4500 (too large)']
    >>> s.paths['η = 0.3000 (good)'][1]     # (-2.5, 1) - 0.3 * (-2.5, 5 * 1)
    array([-1.75, -0.5 ])
    """
    what = "cost_surface_stepper"
    steps = v.positive_int(steps, "steps")
    if net is not None:
        if cost_fn is not None or grad_fn is not None:
            raise ValueError("give either net (with x, y and weights) or cost_fn, not both")
        _check_network(net, what)
        if x is None or y is None:
            raise ValueError("with net, give the sample too: x and y")
        x, y = _one_sample(net, x, y, loss)
        if isinstance(weights, (str, bytes)) or not isinstance(weights, Sequence) \
                or len(weights) != 2:
            raise ValueError(f"weights must name exactly two weights, e.g. ('w^2_11', 'w^2_21'), "
                             f"got {weights!r}")
        keys = [_parse_weight(w, net) for w in weights]
        if keys[0] == keys[1]:
            raise ValueError(f"weights must be two different weights, got {weights!r}")

        def with_params(p0, p1):
            W = [np.array(M) for M in net.weights]
            for (l, j, k), value in zip(keys, (p0, p1)):
                W[l - 1][j, k] = value
            return net.replace(weights=W)

        def cost_fn(p0, p1):
            return cost(with_params(p0, p1), x, y, loss)

        def grad_fn(p0, p1):
            g = backprop(with_params(p0, p1), x, y, loss)
            return np.array([g.weights[l - 1][j, k] for l, j, k in keys])

        default_start = tuple(float(net.weights[l - 1][j, k]) for l, j, k in keys)
        default_rates = (1.0, 10.0, 100.0)
        axis_names = tuple(_sym("w", l, j + 1, k + 1) for l, j, k in keys)
        plot_names = tuple(weight_name(l, j, k) for l, j, k in keys)
        formula = (rf"C({axis_names[0]}, {axis_names[1]}) \text{{, the {loss} cost of the "
                   r"network with every other parameter fixed}")
    elif cost_fn is None or isinstance(cost_fn, str):
        name = "valley" if cost_fn is None else cost_fn
        if name not in _SURFACES:
            raise ValueError(f"unknown surface {name!r}; use 'valley' or 'bowl', or pass a "
                             "callable cost_fn with its grad_fn")
        if grad_fn is not None:
            raise ValueError("grad_fn goes with a callable cost_fn; the built-in surfaces have "
                             "their own gradient")
        (cost_fn, grad_fn), default_start, default_rates, axis_names, formula = _SURFACES[name]
        plot_names = ("p\u2081", "p\u2082")
    else:
        if not callable(cost_fn):
            raise TypeError("cost_fn must be None, 'valley', 'bowl' or a callable, got "
                            f"{cost_fn!r}")
        if not callable(grad_fn):
            raise TypeError("with a callable cost_fn, give grad_fn(p1, p2) returning its "
                            "gradient as two numbers; the stepper does not guess derivatives")
        if start is None:
            raise ValueError("with a callable cost_fn, give the start point, "
                             "e.g. start=(1.0, -0.5)")
        default_start, default_rates = None, (0.01, 0.1, 1.0)
        axis_names, plot_names = ("p_1", "p_2"), ("p\u2081", "p\u2082")
        formula = r"C(p_1, p_2)"
    p_start = np.array(default_start if start is None else start, dtype=float)
    if p_start.shape != (2,) or not np.all(np.isfinite(p_start)):
        raise ValueError(f"start must be two finite numbers, got {start!r}")
    rates = _check_rates(default_rates if learning_rates is None else learning_rates)
    n_views = len(rates) * (steps + 1)
    _check_count(n_views, what, "use fewer steps or learning rates")
    if MAX_EMBED_BYTES is not None and n_views * _SURFACE_VIEW_BYTES > MAX_EMBED_BYTES:
        raise ValueError(f"{what} would embed about {n_views * _SURFACE_VIEW_BYTES // 1000} KB "
                         f"({n_views} contour plots), more than the {MAX_EMBED_BYTES // 1000} "
                         "KB a stepper may use (a book page must stay under 2 MB); use fewer "
                         "steps or learning rates")

    paths, costs, grads = {}, {}, {}
    for label, eta in rates.items():
        p = p_start.copy()
        ps, cs, gs = [p.copy()], [float(cost_fn(*p))], []
        for _ in range(steps):
            g = np.asarray(grad_fn(*p), dtype=float)
            if g.shape != (2,):
                raise ValueError(f"grad_fn must return two numbers, got shape {g.shape}")
            gs.append(g)
            p = p - eta * g
            ps.append(p.copy())
            cs.append(float(cost_fn(*p)))
        gs.append(np.asarray(grad_fn(*p), dtype=float))
        paths[label], costs[label], grads[label] = np.array(ps), np.array(cs), np.array(gs)

    if extent is None:
        extent = _default_extent(p_start, list(paths.values()))
    (x0, x1), (y0, y1) = np.asarray(extent, dtype=float)
    if not (x0 < x1 and y0 < y1):
        raise ValueError(f"extent must be ((p1_min, p1_max), (p2_min, p2_max)), got {extent!r}")
    g0, g1 = np.linspace(x0, x1, 41), np.linspace(y0, y1, 41)
    surface = np.array([[cost_fn(a, b) for a in g0] for b in g1], dtype=float)

    groups = []
    for label, eta in rates.items():
        ps, cs, gs = paths[label], costs[label], grads[label]
        group = []
        for t in range(steps + 1):
            p, g = ps[t], gs[t]
            last = t == steps
            text = _p(f"The cost: {_m(formula)}. The learning rate: "
                      f"{_m(ETA + ' = ' + _n(eta))}.") + _dm(
                rf"p_{{{t}}} = ({_n(p[0])}, {_n(p[1])}), \quad C(p_{{{t}}}) = {_n(cs[t])}, \quad "
                rf"\nabla C(p_{{{t}}}) = ({_n(g[0])}, {_n(g[1])})")
            if not last:
                text += _dm(rf"p_{{{t + 1}}} = p_{{{t}}} - \eta \nabla C(p_{{{t}}}) = "
                            rf"({_n(p[0])}, {_n(p[1])}) - {_n(eta)} \cdot ({_n(g[0])}, {_n(g[1])})"
                            rf" = ({_n(ps[t + 1][0])}, {_n(ps[t + 1][1])})")
            else:
                text += _p(_verdict(cs, np.linalg.norm(gs, axis=1)))
            png = surface_png(g0, g1, surface, ps, t, plot_names, f"{label}, step {t}")
            alt = (f"Contour lines of the cost over {plot_names[0]} (across) and "
                   f"{plot_names[1]} (up), with the path of gradient descent from the square "
                   f"at ({format_number(ps[0][0])}, {format_number(ps[0][1])}) to the ringed "
                   f"point ({format_number(p[0])}, {format_number(p[1])}) after {t} steps"
                   + ("; triangles mark points outside the plotted area." if np.any(
                       (ps[:t + 1, 0] < x0) | (ps[:t + 1, 0] > x1) | (ps[:t + 1, 1] < y0)
                       | (ps[:t + 1, 1] > y1)) else "."))
            group.append(Step(f"{label}: step {t}", text,
                              {"eta": eta, "t": t, "p": p.copy(), "C": float(cs[t]),
                               "grad": g.copy()}, png, alt))
        groups.append(group)
    flat = [s for group in groups for s in group]
    _check_budget(flat, what)
    title = "Gradient descent on a cost surface: pick a learning rate, then step"
    widget = stepper_widget(groups, title, "cost-surface", choices=list(rates),
                            choice_description="Rate", choice_style="toggle")
    return CostSurface("cost-surface", title, tuple(flat), widget, rates, paths, costs)


def _verdict(cs, grad_norms):
    if not np.all(np.isfinite(cs)) or cs[-1] > cs[0]:
        return ("The cost went up: each step overshoots the valley floor, further every time. "
                "This learning rate is too large, and the path diverges.")
    if grad_norms[-1] < 0.01 * grad_norms[0]:
        return "The gradient is almost zero: the path has converged to the minimum."
    if np.any(np.diff(cs) > 0):
        return ("The cost went down overall, but not at every step: the path zigzags across "
                "the valley. A smaller learning rate would follow the floor more smoothly.")
    return ("The cost went down at every step, but the gradient is still far from zero: more "
            "steps are needed, or a larger learning rate.")


def _default_extent(p_start, paths):
    """A box around the paths, padded; a diverging path may leave it."""
    calm = np.vstack([p_start[None, :]] + [p for p in paths[:-1]]) if len(paths) > 1 \
        else np.vstack([p_start[None, :], paths[0]])
    lo, hi = calm.min(axis=0), calm.max(axis=0)
    span = np.maximum(hi - lo, 0.5)
    lo, hi = lo - 0.25 * span, hi + 0.25 * span
    every = np.vstack(paths)
    every = every[np.all(np.isfinite(every), axis=1)]
    centre, half = (lo + hi) / 2, (hi - lo) / 2
    wide_lo = np.maximum(every.min(axis=0) - 0.1 * span, centre - 2 * half)
    wide_hi = np.minimum(every.max(axis=0) + 0.1 * span, centre + 2 * half)
    lo, hi = np.minimum(lo, wide_lo), np.maximum(hi, wide_hi)
    return ((float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1])))
