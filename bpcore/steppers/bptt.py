"""Backpropagation through time, one step back at a time.

One sequence (m = 1) through a small :class:`bpcore.rnn.RNN`.  The first view shows what
the forward pass stored, h_t and the output deltas e_t (BP1 at each step).  Then the walk
goes back from t = T to 1: at each step, BP2 across time gives
delta_t = (W_hy^T e_t + W_hh^T delta_{t+1}) (.) (1 - h_t^2), and BP4 at that step gives
the term delta_t h_{t-1}^T, which is added to dC/dW_hh because the same W_hh is used at
every step.  The last view compares the sum with :func:`bpcore.rnn.bptt`.

>>> import numpy as np
>>> from bpcore import rnn
>>> net = rnn.RNN.random(1, 2, 1, seed=0)
>>> s = bptt_stepper(net, np.ones((3, 1)), np.zeros((3, 1)))
>>> [st.title for st in s.steps]
['What the forward pass stored', 'Step 3', 'Step 2', 'Step 1', 'Every step added']
>>> bool(np.allclose(s.steps[-1].values["dC/dW_hh"], rnn.bptt(net, np.ones((3, 1, 1)),
...                                                            np.zeros((3, 1, 1))).W_hh))
True
"""
from __future__ import annotations

import numpy as np

from .. import _validate as v
from .. import rnn as R
from ..figures.bptt import unrolled_png
from ..tex import display, inline, matrix, number, paragraph
from .assemble import assemble
from .model import Step
from .pictures import Pending

__all__ = ["bptt_stepper", "MAX_T", "MAX_HIDDEN"]

MAX_T = 8              # time steps that fit a readable unrolled picture
MAX_HIDDEN = 4         # hidden units whose numbers fit a view


def _one_sequence(value, name, rows):
    """A (T, rows) or (T, rows, 1) array as (T, rows, 1)."""
    arr = v.as_float_array(value, name)
    if arr.ndim == 2:
        arr = arr[:, :, None]
    if arr.ndim != 3 or arr.shape[2] != 1:
        raise ValueError(f"bptt_stepper follows one sequence: expected {name} of shape "
                         f"(T, {rows}) or (T, {rows}, 1), got {arr.shape}; fix: pick one "
                         f"column, {name}[:, :, 0]")
    return arr


def _col(a):
    return matrix(np.asarray(a).reshape(-1, 1))


def bptt_stepper(rnn, x, y, loss="mse", h0=None):
    """Step through BPTT on one sequence: x (T, n_in) and y (T, n_out), or the same with a
    third axis of length 1; ``h0`` (n_h,) or (n_h, 1), zeros by default.

    ``values`` of each backward view: ``"delta_t"``, ``"W_hh term"`` (delta_t h_{t-1}^T)
    and ``"dC/dW_hh so far"``; the last view has ``"dC/dW_hh"`` from rnn.bptt.  Raises
    TypeError or ValueError for what rnn.bptt refuses, more than ``MAX_T`` steps or more
    than ``MAX_HIDDEN`` hidden units.
    """
    what = "bptt_stepper"
    if not isinstance(rnn, R.RNN):
        raise TypeError(f"{what} needs a bpcore.rnn.RNN, got {type(rnn).__name__}; fix: "
                        "rnn.RNN.random(n_in, n_h, n_out)")
    if rnn.n_h > MAX_HIDDEN:
        raise ValueError(f"{what} writes every number and shows at most {MAX_HIDDEN} hidden "
                         f"units, got n_h = {rnn.n_h}; fix: a smaller network")
    x = _one_sequence(x, "x", rnn.n_in)
    y = _one_sequence(y, "y", rnn.n_out)
    if x.shape[0] > MAX_T:
        raise ValueError(f"{what} draws every step and shows at most {MAX_T} time steps, got "
                         f"T = {x.shape[0]}; fix: a shorter sequence, x[:{MAX_T}]")
    if h0 is not None:
        h0 = np.reshape(v.as_float_array(h0, "h0"), (-1, 1)) if np.ndim(h0) == 1 else h0
    g = R.bptt(rnn, x, y, loss, h0=h0)          # validates the rest; the reference
    T, hs, e = x.shape[0], g.run.hs[:, :, 0], g.output_deltas[:, :, 0]
    steps = [Step("What the forward pass stored", paragraph(
        f"The forward pass ran the {T} steps and kept every hidden state $h_t$; BP1 at each "
        "step gave the output delta $e_t$ of that step's loss. The backward pass starts at "
        r"the last step with $\delta_{" + str(T + 1) + r"} = 0$, since nothing comes after.")
        + display(r"\begin{aligned} " + r" \\ ".join(
            f"h_{t} &= {_col(hs[t])}, & e_{t} &= {_col(e[t - 1])}" for t in range(1, T + 1))
            + r" \end{aligned}"),
        {"h": hs[1:].copy(), "e": e.copy()}, png=Pending(unrolled_png, T), alt=(
            f"The network unrolled over {T} steps: inputs at the bottom, hidden states in "
            "the middle, one loss per step at the top."))]
    after = np.zeros(rnn.n_h)
    so_far = np.zeros_like(rnn.W_hh)
    for t in range(T, 0, -1):
        slope = 1.0 - hs[t] ** 2
        delta = (rnn.W_hy.T @ e[t - 1] + rnn.W_hh.T @ after) * slope
        term = np.outer(delta, hs[t - 1])
        so_far = so_far + term
        feeds = (f"the output of step {t} and $z_{{{t + 1}}}$, so both errors come back"
                 if t < T else f"only the output of step {t} ($\\delta_{{{t + 1}}} = 0$)")
        text = (paragraph(f"Step {t}. BP2 across time: $h_{t}$ feeds {feeds}, and the slope "
                          f"of tanh, $1 - h_{t}^2$, turns that into $\\delta_{t}$:")
                + display(f"\\delta_{t} = \\Big( W_{{hy}}^\\top {_col(e[t - 1])} + "
                          f"W_{{hh}}^\\top {_col(after)} \\Big) \\odot {_col(slope)} = "
                          f"{_col(delta)}")
                + paragraph(f"BP4 at this step: $W_{{hh}}$ multiplied $h_{{{t - 1}}}$ here, so "
                            "its share of the gradient is the outer product, added to the "
                            "shares of the later steps:")
                + display(f"\\delta_{t} h_{{{t - 1}}}^\\top = {matrix(term)}, \\qquad "
                          f"\\sum_{{s={t}}}^{{{T}}} \\delta_s h_{{s-1}}^\\top = "
                          f"{matrix(so_far)}"))
        steps.append(Step(f"Step {t}", text, {"delta_t": delta, "W_hh term": term,
                                              "dC/dW_hh so far": so_far.copy()},
                          png=Pending(unrolled_png, T, t), alt=(
                              f"The unrolled network with step {t} shaded: its error "
                              f"delta_{t} goes back to step {t - 1} through W_hh transposed.")))
        after = delta
    gap = float(np.max(np.abs(so_far - g.W_hh)))
    steps.append(Step("Every step added", paragraph(
        f"The {T} shares of the one matrix $W_{{hh}}$ add up to its gradient "
        f"(m = 1, so there is no average). rnn.bptt computes all of them in one sum over "
        f"time; the two differ by at most {inline(number(gap))}.")
        + display(r"\frac{\partial C}{\partial W_{hh}} = \sum_{t=1}^{" + str(T) + r"} "
                  r"\delta_t h_{t-1}^\top = " + matrix(g.W_hh)),
        {"dC/dW_hh": g.W_hh.copy(), "dC/dW_hh so far": so_far.copy()},
        png=Pending(unrolled_png, T), alt=f"The network unrolled over {T} steps."))
    return assemble("bptt", "Backpropagation through time, step by step", steps, what)
