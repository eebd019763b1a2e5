"""A small recurrent network and backpropagation through time (chapter 17).

One hidden layer of tanh units whose state is fed back, and a dense output layer, applied
at every time step t = 1..T to a batch of m sequences (columns are samples, as everywhere
in the book)::

    z_t = W_xh x_t + W_hh h_{t-1} + b_h,    h_t = tanh(z_t),    h_0 given (zeros by default)
    u_t = W_hy h_t + b_y,                   a_t = f(u_t)        (f: the output activation)

The cost sums the loss over the scored time steps t = s..T (s = ``loss_from``, 1 unless the
first outputs are not asked for) and averages over the m sequences:

    C = (1/m) sum_x sum_{t=s}^{T} C_{x,t}

Unrolled in time the network is a deep feed-forward network whose layers share their
weights, and backpropagation through time (BPTT) is the four equations on it.  For one
sequence x, delta_t = dC_x/dz_t and e_t = dC_x/du_t:

    BP1 at each step:      e_t = dC_{x,t}/da_t (.) f'(u_t)      (a_t - y_t for matched pairs)
    BP2 across time:       delta_t = (W_hy^T e_t + W_hh^T delta_{t+1}) (.) (1 - h_t^2),
                           with delta_{T+1} = 0
    BP3 summed over time:  dC/db_h = (1/m) sum_t sum_x delta_t,  dC/db_y likewise with e_t
    BP4 summed over time:  dC/dW_hh = (1/m) sum_t delta_t h_{t-1}^T,
                           dC/dW_xh = (1/m) sum_t delta_t x_t^T,
                           dC/dW_hy = (1/m) sum_t e_t h_t^T

Truncation (Williams and Peng, 1990): with ``truncation = K`` the error of the loss at step
t travels back at most K steps, to steps t, t-1, ..., t-K+1; the paths that are longer are
dropped.  K >= T (or None) is full BPTT.

Shapes: a sequence batch is a 3-D array (T, n, m); ``x[t-1]`` is x_t, one column per
sequence.  Helpers take the book's 1-based t: ``run.h(t)`` for t = 0..T, ``run.z(t)`` and
``run.a(t)`` for t = 1..T.  Training, and the task of chapter 17: :mod:`bpcore.rnn_training`.

>>> rnn = RNN.random(1, 3, 1, seed=0)
>>> x = np.ones((4, 1, 2)); y = np.zeros((4, 1, 2))
>>> g = bptt(rnn, x, y)
>>> g.W_hh.shape, g.b_y.shape
((3, 3), (1,))
"""
from __future__ import annotations

import dataclasses
import numbers

import numpy as np

from . import _validate as v
from . import losses
from .activations import ACTIVATIONS
from .engine import _output_delta

__all__ = ["RNN", "Unrolled", "BPTTGradients", "PARAMETERS", "forward", "cost", "bptt",
           "numerical_gradients", "deltas_from_step"]

PARAMETERS = ("W_xh", "W_hh", "b_h", "W_hy", "b_y")


def _readonly(arr):
    out = np.array(arr, dtype=np.float64, copy=True)
    out.setflags(write=False)
    return out


@dataclasses.dataclass(frozen=True)
class RNN:
    """The parameters of a recurrent network, copied and read-only.

    W_xh (n_h, n_in), W_hh (n_h, n_h), b_h (n_h,), W_hy (n_out, n_h), b_y (n_out,);
    ``output`` names the output activation (``"identity"``, ``"sigmoid"``, ``"softmax"``,
    ...).  Every shape is checked against the others; nothing is broadcast.

    >>> RNN(np.zeros((2, 1)), np.zeros((2, 2)), np.zeros(2), np.zeros((1, 2)), np.zeros(1))
    RNN(n_in=1, n_h=2, n_out=1, output='identity')
    >>> RNN(np.zeros((2, 1)), np.zeros((2, 3)), np.zeros(2), np.zeros((1, 2)), np.zeros(1))
    Traceback (most recent call last):
    ...
    ValueError: expected W_hh of shape (n_h, n_h) = (2, 2), the hidden state feeding itself, got (2, 3); fix: give W_hh one row and one column per hidden unit
    """
    W_xh: np.ndarray
    W_hh: np.ndarray
    b_h: np.ndarray
    W_hy: np.ndarray
    b_y: np.ndarray
    output: str = "identity"

    def __post_init__(self):
        for name in PARAMETERS:
            arr = v.as_float_array(getattr(self, name), name)
            object.__setattr__(self, name, _readonly(arr))
        if not isinstance(self.output, str) or self.output not in ACTIVATIONS:
            raise ValueError(f"expected output to be a registered activation "
                             f"({', '.join(ACTIVATIONS)}), got {self.output!r}")
        if self.W_xh.ndim != 2:
            raise ValueError(f"expected W_xh of shape (n_h, n_in), got {self.W_xh.shape}; fix: "
                             "one row per hidden unit, one column per input")
        n_h, n_out = self.W_xh.shape[0], self.W_hy.shape[0]
        want = [("W_hh", (n_h, n_h), "(n_h, n_h)", "the hidden state feeding itself",
                 "give W_hh one row and one column per hidden unit"),
                ("b_h", (n_h,), "(n_h,)", "one bias per hidden unit",
                 "use a 1-D array, b_h.ravel()"),
                ("W_hy", (n_out, n_h), "(n_out, n_h)", "one column per hidden unit",
                 "W_hy has one row per output and one column per hidden unit")]
        for name, shape, symbols, why, fix in want:
            got = getattr(self, name).shape
            if got != shape:
                raise ValueError(f"expected {name} of shape {symbols} = {shape}, {why}, got "
                                 f"{got}; fix: {fix}")
        if self.b_y.shape != (self.W_hy.shape[0],):
            raise ValueError(f"expected b_y of shape ({self.W_hy.shape[0]},), one bias per "
                             f"output, got {self.b_y.shape}; fix: use a 1-D array, b_y.ravel()")

    def __repr__(self):
        return (f"RNN(n_in={self.n_in}, n_h={self.n_h}, n_out={self.n_out}, "
                f"output={self.output!r})")

    @property
    def n_in(self):
        return self.W_xh.shape[1]

    @property
    def n_h(self):
        return self.W_hh.shape[0]

    @property
    def n_out(self):
        return self.W_hy.shape[0]

    def params(self):
        """The parameters as a dict name -> array, in the order of :data:`PARAMETERS`."""
        return {name: getattr(self, name) for name in PARAMETERS}

    def replace(self, **changes):
        """A new RNN with some parameters changed (checked like the constructor)."""
        return dataclasses.replace(self, **changes)

    def flat(self):
        """Every parameter in one vector, in the order of :data:`PARAMETERS`."""
        return np.concatenate([getattr(self, name).ravel() for name in PARAMETERS])

    @classmethod
    def random(cls, n_in, n_h, n_out, *, output="identity", seed=0, sigma_max=None):
        """Random weights N(0, 1/fan-in) and zero biases; with ``sigma_max``, W_hh is
        rescaled so that its largest singular value is ``sigma_max``.

        >>> rnn = RNN.random(2, 4, 1, seed=1, sigma_max=0.5)
        >>> round(float(np.linalg.norm(rnn.W_hh, 2)), 12)
        0.5
        """
        for value, name in [(n_in, "n_in"), (n_h, "n_h"), (n_out, "n_out")]:
            v.positive_int(value, name)
        rng = np.random.default_rng(seed)
        W_xh = rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_h, n_in))
        W_hh = rng.normal(0.0, 1.0 / np.sqrt(n_h), size=(n_h, n_h))
        W_hy = rng.normal(0.0, 1.0 / np.sqrt(n_h), size=(n_out, n_h))
        if sigma_max is not None:
            W_hh = W_hh * (v.positive_number(sigma_max, "sigma_max") / np.linalg.norm(W_hh, 2))
        return cls(W_xh, W_hh, np.zeros(n_h), W_hy, np.zeros(n_out), output)


@dataclasses.dataclass(frozen=True)
class Unrolled:
    """What the forward pass computed over the sequence.

    ``zs`` (T, n_h, m), ``hs`` (T+1, n_h, m) with ``hs[0]`` = h_0, ``us`` and ``outputs``
    (T, n_out, m); ``x`` the input (T, n_in, m).
    """
    x: np.ndarray
    zs: np.ndarray
    hs: np.ndarray
    us: np.ndarray
    outputs: np.ndarray

    @property
    def T(self):
        return self.zs.shape[0]

    def _t(self, t, lowest=1):
        return _step(t, self.T, lowest)

    def h(self, t):
        """h_t for t = 0..T (h_0 the initial state)."""
        return self.hs[self._t(t, lowest=0)]

    def z(self, t):
        """z_t, the hidden pre-activation at step t = 1..T."""
        return self.zs[self._t(t) - 1]

    def a(self, t):
        """a_t, the output at step t = 1..T."""
        return self.outputs[self._t(t) - 1]


@dataclasses.dataclass(frozen=True)
class BPTTGradients:
    """dC/d(parameter) for each parameter, named and shaped like it, with what BPTT
    computed on the way: ``deltas`` (T, n_h, m), delta_t of each sequence (the truncated
    sum when truncation was asked for), ``output_deltas`` (T, n_out, m), e_t, zero at the
    steps that carry no loss, and the forward pass ``run``."""
    W_xh: np.ndarray
    W_hh: np.ndarray
    b_h: np.ndarray
    W_hy: np.ndarray
    b_y: np.ndarray
    deltas: np.ndarray
    output_deltas: np.ndarray
    run: Unrolled

    def params(self):
        return {name: getattr(self, name) for name in PARAMETERS}

    def flat(self):
        """Every gradient in one vector, in the order of :data:`PARAMETERS`."""
        return np.concatenate([getattr(self, name).ravel() for name in PARAMETERS])

    def W_hh_terms(self):
        """The T terms of BP4 summed over time, (1/m) delta_t h_{t-1}^T, shape (T, n_h, n_h);
        their sum is ``W_hh``."""
        m = self.deltas.shape[2]
        return np.matmul(self.deltas, np.swapaxes(self.run.hs[:-1], 1, 2)) / m


# ---------------------------------------------------------------------------------------
# Validation at the door.

def _step(t, T, lowest=1):
    """A book time step ``lowest <= t <= T`` (1-based; h_0 is the initial state)."""
    if isinstance(t, bool) or not isinstance(t, numbers.Integral):
        raise TypeError(f"expected a time step t, an int from {lowest} to {T}, "
                        f"got {type(t).__name__}")
    if not lowest <= t <= T:
        raise ValueError(f"expected a time step from {lowest} to T = {T}, got {t}; fix: the "
                         "book counts time steps from 1 (h_0 is the initial state)")
    return int(t)


def _check_rnn(rnn):
    if not isinstance(rnn, RNN):
        raise TypeError(f"expected a bpcore.rnn.RNN, got {type(rnn).__name__}; fix: build one "
                        "with RNN(W_xh, W_hh, b_h, W_hy, b_y) or RNN.random(n_in, n_h, n_out)")


def _sequence(value, name, n_rows, T=None, m=None):
    """A (T, n_rows, m) float array, refusing other shapes, NaN, inf and empty sequences."""
    arr = v.as_float_array(value, name)
    want = f"({'T' if T is None else T}, {n_rows}, {'m' if m is None else m})"
    if arr.ndim != 3:
        fix = (f"; fix: for one sequence use {name}[:, :, None]" if arr.ndim == 2 and
               arr.shape[1] == n_rows else "; fix: stack the steps, np.stack([x_1, ..., x_T])")
        raise ValueError(f"expected {name} of shape {want}: T time steps, {n_rows} rows, one "
                         f"column per sequence; got {arr.ndim}-D shape {arr.shape}{fix}")
    if arr.shape[0] == 0:
        raise ValueError(f"expected a sequence of at least one time step, got {name} of "
                         f"length 0 (shape {arr.shape}); fix: pass T >= 1 steps")
    if arr.shape[2] == 0:
        raise ValueError(f"expected at least one sequence (column), got {name} of shape "
                         f"{arr.shape}; fix: pass m >= 1 sequences")
    ok = (arr.shape[1] == n_rows and (T is None or arr.shape[0] == T)
          and (m is None or arr.shape[2] == m))
    if not ok:
        fix = ""
        if arr.shape[2] == n_rows and (m is None or arr.shape[1] == m):
            fix = f"; fix: samples are columns, use np.swapaxes({name}, 1, 2)"
        elif arr.shape[1] == n_rows and T is not None and arr.shape[0] != T:
            fix = f"; fix: {name} needs one entry per time step of x (T = {T})"
        raise ValueError(f"expected {name} of shape {want}, got {arr.shape}{fix}")
    return arr


def _truncation(truncation):
    if truncation is None:
        return None
    if isinstance(truncation, bool) or not isinstance(truncation, numbers.Integral):
        raise TypeError(f"expected truncation to be None or an int >= 1 (the number of steps "
                        f"an error travels back), got {type(truncation).__name__}; fix: "
                        "truncation=None for full BPTT")
    if truncation < 1:
        raise ValueError(f"expected truncation >= 1 (1 keeps only each step's own error), got "
                         f"{truncation}; fix: truncation=None for full BPTT")
    return int(truncation)


def _loss_from(loss_from, T):
    if isinstance(loss_from, bool) or not isinstance(loss_from, numbers.Integral):
        raise TypeError(f"expected loss_from to be an int time step, got "
                        f"{type(loss_from).__name__}")
    if not 1 <= loss_from <= T:
        raise ValueError(f"expected loss_from between 1 and T = {T} (the first scored step), "
                         f"got {loss_from}; fix: loss_from=1 scores every step")
    return int(loss_from)


def _inputs(rnn, x, h0):
    _check_rnn(rnn)
    x = _sequence(x, "x", rnn.n_in)
    m = x.shape[2]
    if h0 is None:
        return x, np.zeros((rnn.n_h, m))
    h0 = v.as_float_array(h0, "h0")
    if h0.shape != (rnn.n_h, m):
        raise ValueError(f"expected h0 of shape ({rnn.n_h}, {m}) = (n_h, m), got {h0.shape}; "
                         "fix: one column per sequence, or h0=None for zeros")
    return x, h0


def _targets(rnn, x, y, loss, loss_from):
    if not isinstance(loss, str):
        raise TypeError(f"expected loss to be a loss name such as 'mse', got "
                        f"{type(loss).__name__}")
    losses.get(loss)
    v.check_loss(loss, rnn.output)
    y = _sequence(y, "y", rnn.n_out, T=x.shape[0], m=x.shape[2])
    s = _loss_from(loss_from, x.shape[0])
    for t in range(s - 1, y.shape[0]):
        v.check_targets(y[t], loss, rnn.output)
    return y, s


# ---------------------------------------------------------------------------------------
# Trusted internals.

def _forward(rnn, x, h0):
    T, m = x.shape[0], x.shape[2]
    zs = np.empty((T, rnn.n_h, m))
    hs = np.empty((T + 1, rnn.n_h, m))
    hs[0] = h0
    # W_xh x_t for every t at once: one matrix product over the stacked steps
    zs[:] = np.matmul(rnn.W_xh, x) + rnn.b_h[:, None]
    for t in range(T):                       # step t + 1
        zs[t] += rnn.W_hh @ hs[t]            # z_t = W_xh x_t + b_h + W_hh h_{t-1}
        hs[t + 1] = np.tanh(zs[t])           # h_t = tanh(z_t)
    us = np.matmul(rnn.W_hy, hs[1:]) + rnn.b_y[:, None]
    outputs = _unstack(ACTIVATIONS[rnn.output].f(_stack(us)), us.shape)
    return Unrolled(x, zs, hs, us, outputs)


def _stack(arr):
    """(T, n, m) -> (n, T m): every step's columns side by side, so that a function of
    the book's (n, m) batches handles all the steps in one call."""
    return np.swapaxes(arr, 0, 1).reshape(arr.shape[1], -1)


def _unstack(arr, shape):
    """The inverse of :func:`_stack`."""
    return np.swapaxes(arr.reshape(shape[1], shape[0], shape[2]), 0, 1)


def _cost(rnn, run, y, loss, s):
    record, act = losses.LOSSES[loss], ACTIVATIONS[rnn.output]
    per_column = record.per_sample(_stack(y[s - 1:]), _stack(run.outputs[s - 1:]),
                                   _stack(run.us[s - 1:]), act)
    return float(np.sum(per_column) / y.shape[2])    # sum over steps, mean over sequences


def _output_deltas(rnn, run, y, loss, s):
    """BP1 at each scored step; zero where no loss is scored."""
    e = np.zeros_like(run.outputs)
    scored = run.outputs[s - 1:].shape
    e[s - 1:] = _unstack(_output_delta(rnn.output, loss, _stack(run.us[s - 1:]),
                                       _stack(run.outputs[s - 1:]), _stack(y[s - 1:])), scored)
    return e


def _hidden_deltas(W_hh, W_hy, hs, e, K):
    """BP2 across time.  Without truncation one delta carries every later error back.  With
    truncation K, ``ages[j]`` is the share of the error made j steps later, kept apart so
    that the share older than K - 1 steps can be dropped."""
    T = e.shape[0]
    slope = 1.0 - hs[1:] ** 2                # tanh'(z_t) = 1 - h_t^2
    inject = np.matmul(W_hy.T, e)            # W_hy^T e_t, the error made at step t
    deltas = np.empty_like(slope)
    if K is None or K >= T:
        after = np.zeros_like(slope[0])      # delta_{T+1} = 0
        for t in range(T - 1, -1, -1):
            deltas[t] = (inject[t] + W_hh.T @ after) * slope[t]
            after = deltas[t]
        return deltas
    ages = np.zeros((K,) + slope.shape[1:])
    for t in range(T - 1, -1, -1):
        older = np.matmul(W_hh.T, ages[:-1]) * slope[t]   # each share one step further back
        ages[1:] = older                                  # the share of age K - 1 drops out
        ages[0] = inject[t] * slope[t]
        deltas[t] = ages.sum(axis=0)
    return deltas


def _gradients(rnn, run, e, deltas):
    m = run.x.shape[2]
    axes = ((0, 2), (0, 2))                  # sum over time steps and sequences
    return {"W_xh": np.tensordot(deltas, run.x, axes) / m,         # BP4, summed over t
            "W_hh": np.tensordot(deltas, run.hs[:-1], axes) / m,   # BP4, summed over t
            "b_h": deltas.sum(axis=(0, 2)) / m,                     # BP3, summed over t
            "W_hy": np.tensordot(e, run.hs[1:], axes) / m,
            "b_y": e.sum(axis=(0, 2)) / m}


# ---------------------------------------------------------------------------------------
# The public API.

def forward(rnn, x, h0=None):
    """Run the network over the sequences ``x`` (T, n_in, m) from ``h0`` (n_h, m), zeros by
    default.  Returns an :class:`Unrolled`.

    >>> rnn = RNN.random(1, 2, 1, seed=0)
    >>> forward(rnn, np.zeros((3, 1, 5))).hs.shape
    (4, 2, 5)
    """
    x, h0 = _inputs(rnn, x, h0)
    return _forward(rnn, x, h0)


def cost(rnn, x, y, loss="mse", h0=None, loss_from=1):
    """C = (1/m) sum over sequences of sum_{t = loss_from}^{T} C_{x,t}: summed over the scored
    steps, averaged over the m sequences.  ``y`` has shape (T, n_out, m); its entries before
    ``loss_from`` are not used."""
    x, h0 = _inputs(rnn, x, h0)
    y, s = _targets(rnn, x, y, loss, loss_from)
    return _cost(rnn, _forward(rnn, x, h0), y, loss, s)


def bptt(rnn, x, y, loss="mse", h0=None, truncation=None, loss_from=1):
    """The gradient of :func:`cost` by backpropagation through time, a
    :class:`BPTTGradients` whose fields W_xh, W_hh, b_h, W_hy, b_y have the parameters'
    names and shapes.  With ``truncation = K`` each step's error travels back at most K
    steps (itself and K - 1 earlier ones); None is the exact gradient.

    Raises TypeError or ValueError for a wrong type, a shape that does not fit, NaN or inf,
    a sequence of length 0, or a truncation below 1.

    >>> rnn = RNN.random(1, 2, 1, seed=0)
    >>> bptt(rnn, np.zeros((3, 1, 1)), np.zeros((3, 1, 1)), truncation=0)
    Traceback (most recent call last):
    ...
    ValueError: expected truncation >= 1 (1 keeps only each step's own error), got 0; fix: truncation=None for full BPTT
    """
    x, h0 = _inputs(rnn, x, h0)
    y, s = _targets(rnn, x, y, loss, loss_from)
    K = _truncation(truncation)
    run = _forward(rnn, x, h0)
    e = _output_deltas(rnn, run, y, loss, s)                 # BP1 at every step
    deltas = _hidden_deltas(rnn.W_hh, rnn.W_hy, run.hs, e, K)  # BP2 across time
    return BPTTGradients(**_gradients(rnn, run, e, deltas), deltas=deltas, output_deltas=e,
                         run=run)


def numerical_gradients(rnn, x, y, loss="mse", h0=None, truncation=None, loss_from=1,
                        eps=1e-6):
    """Central differences (C(p + eps) - C(p - eps)) / (2 eps) for every parameter entry,
    as a flat vector in the order of :meth:`BPTTGradients.flat`: the oracle for
    :func:`bptt`.  With ``truncation = K`` the differentiated function is the truncated
    cost: the loss of each scored step t computed from h_{t-K} held at its value in the
    unperturbed forward pass, so that no path longer than K steps is followed.

    >>> rnn = RNN.random(1, 2, 1, seed=0)
    >>> x, y = np.ones((3, 1, 2)), np.zeros((3, 1, 2))
    >>> bool(np.allclose(numerical_gradients(rnn, x, y), bptt(rnn, x, y).flat(), atol=1e-8))
    True
    """
    x, h0 = _inputs(rnn, x, h0)
    y, s = _targets(rnn, x, y, loss, loss_from)
    K = _truncation(truncation)
    eps = v.positive_number(eps, "eps")
    held = _forward(rnn, x, h0).hs                 # the states the truncated cost holds

    def cost_of(theta):
        params, at = {}, 0
        for name, arr in rnn.params().items():
            params[name] = theta[at:at + arr.size].reshape(arr.shape)
            at += arr.size
        net = RNN(**params, output=rnn.output)
        if K is None:
            return _cost(net, _forward(net, x, h0), y, loss, s)
        total = 0.0
        for t in range(s, x.shape[0] + 1):         # the loss of step t, from h_{t-K}
            start = max(t - K, 0)
            run = _forward(net, x[start:t], held[start])
            total += _cost(net, run, y[start:t], loss, t - start)
        return total

    theta = rnn.flat()
    grad = np.empty_like(theta)
    for i in range(theta.size):
        up, down = theta.copy(), theta.copy()
        up[i] += eps
        down[i] -= eps
        grad[i] = (cost_of(up) - cost_of(down)) / (2 * eps)
    return grad


def deltas_from_step(rnn, x, y, t, loss="mse", h0=None):
    """The error that the loss of step ``t`` alone sends back: delta^(t)_{t-k} =
    dC_{x,t}/dz_{t-k} for k = 0..t-1, shape (t, n_h, m), row k the lag k.

    Each step back multiplies by diag(1 - h^2) W_hh^T, whose norm is at most the largest
    singular value of W_hh, so ||delta^(t)_{t-k}|| <= sigma_max^k ||delta^(t)_t||."""
    x, h0 = _inputs(rnn, x, h0)
    y, _ = _targets(rnn, x, y, loss, 1)
    t = _step(t, x.shape[0])
    run = _forward(rnn, x[:t], h0)
    e = _output_delta(rnn.output, loss, run.us[t - 1], run.outputs[t - 1], y[t - 1])
    out = np.empty((t, rnn.n_h, x.shape[2]))
    out[0] = (rnn.W_hy.T @ e) * (1.0 - run.hs[t] ** 2)
    for k in range(1, t):                    # to step t - k
        out[k] = (rnn.W_hh.T @ out[k - 1]) * (1.0 - run.hs[t - k] ** 2)
    return out
