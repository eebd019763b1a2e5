"""Input checks for the public API.  Each message says what was expected, what arrived
and how to fix it.  Inside the package, arrays that passed these checks are trusted."""
from __future__ import annotations

import numbers

import numpy as np

from . import losses
from .activations import ACTIVATIONS


def as_float_array(value, name, dtype=np.float64, *, finite=True):
    """``value`` as a float array, refusing strings, objects, and (unless ``finite`` is
    False, for a caller that checks it another way) NaN and inf."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be a numeric array, got {type(value).__name__}")
    try:
        arr = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a numeric array; could not convert it ({exc})") from None
    if finite:
        refuse_non_finite(arr, name)
    return arr


def refuse_non_finite(arr, name):
    if not np.isfinite(arr).all():
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise ValueError(f"{name} contains NaN or inf (first at index {tuple(int(i) for i in bad)}); "
                         "clean the data or lower the learning rate if training diverged")


def check_loss(name, output_activation):
    record = losses.get(name)
    # the rule of Loss.outputs() for this one activation; the list is built for the message
    activation = ACTIVATIONS.get(output_activation)
    if not record.needs_probabilities or (activation is not None and activation.probability):
        return name
    allowed = record.outputs()
    if output_activation not in allowed:
        raise ValueError(f"loss {name!r} needs outputs in (0, 1) so that ln a is defined, but the "
                         f"output layer uses {output_activation!r}; use one of "
                         f"{', '.join(repr(n) for n in allowed)}, or loss='mse'")
    return name


def columns(value, name, n_rows, dtype=np.float64, m=None, *, finite=True):
    """``value`` as a 2-D array of shape (n_rows, m), one column per sample.

    A 1-D array of length n_rows is one sample and becomes an (n_rows, 1) column.  Returns
    ``(array2d, was_1d)``.
    """
    arr = as_float_array(value, name, dtype, finite=finite)
    want_m = "m" if m is None else str(m)
    if arr.ndim == 1:
        if arr.shape[0] == n_rows and (m is None or m == 1):
            return arr.reshape(n_rows, 1), True
        if n_rows == 1 and m is not None and arr.shape[0] == m:
            raise ValueError(f"{name} has shape {arr.shape} but should be (1, {m}): samples are "
                             f"columns; use {name}.reshape(1, -1)")
        raise ValueError(f"{name} has shape {arr.shape} but should be ({n_rows}, {want_m}) "
                         f"with one column per sample, or ({n_rows},) for one sample")
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 1-D or 2-D with one column per sample, "
                         f"got {arr.ndim}-D shape {arr.shape}")
    rows, cols = arr.shape
    if rows == n_rows and (m is None or cols == m):
        if cols == 0:
            raise ValueError(f"{name} has no samples (shape {arr.shape})")
        return arr, False
    if cols == n_rows and (m is None or rows == m):
        raise ValueError(f"{name} has shape {arr.shape} but should be ({n_rows}, {rows}) with one "
                         f"column per sample; did you pass samples as rows? use {name}.T")
    raise ValueError(f"{name} has shape {arr.shape} but should be ({n_rows}, {want_m}) "
                     "with one column per sample")


def targets(y, n_rows, m, loss, output_activation, dtype=np.float64):
    """``y`` as the 2-D targets (n_rows, m) of a batch, checked for ``loss``."""
    y2, _ = columns(y, "y", n_rows, dtype, m=m, finite=False)
    check_targets(y2, loss, output_activation)
    return y2


def check_targets(y, loss, output_activation, name="y"):
    """Targets inside the loss's domain, NaN and inf refused."""
    record = losses.get(loss)
    if not record.unit_targets:
        refuse_non_finite(y, name)
        return
    low, high = y.min(), y.max()
    if not (low >= 0 and high <= 1):            # also true for NaN, which compares false
        refuse_non_finite(y, name)
        raise ValueError(f"loss {loss!r} needs targets in [0, 1], got values from "
                         f"{low:g} to {high:g}")
    if output_activation in record.distribution_with:
        sums = y.sum(axis=0)
        # |sum - 1| is largest at the smallest or the largest sum
        if max(abs(sums.min() - 1.0), abs(sums.max() - 1.0)) > 1e-6:
            j = int(np.argmax(np.abs(sums - 1.0)))
            raise ValueError(f"loss {loss!r} with a {output_activation} output needs each target "
                             f"column to be a distribution summing to 1; column {j} sums to "
                             f"{sums[j]:g} "
                             "(use one-hot targets, see bpcore.datasets.one_hot)")


def positive_number(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number, got {type(value).__name__}")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return float(value)


def nonnegative_number(value, name, upper=None):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if not np.isfinite(value) or value < 0 or (upper is not None and value >= upper):
        rng = f"in [0, {upper:g})" if upper is not None else "non-negative"
        raise ValueError(f"{name} must be {rng}, got {value!r}")
    return float(value)


def positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def layer(l, L, what="l", lowest=1):
    """A book layer number ``lowest <= l <= L`` (1-based like w^l_jk), as an int."""
    if isinstance(l, bool) or not isinstance(l, numbers.Integral):
        raise TypeError(f"{what} is a layer number, an int from {lowest} to {L}, "
                        f"got {type(l).__name__}")
    if not lowest <= l <= L:
        zero = " (layer 0 is the input x)" if lowest == 1 and l == 0 else ""
        raise ValueError(f"{what} = {l} is not a layer of this network: layers run from "
                         f"{lowest} to L = {L}{zero}; the book counts layers from 1, like w^l_jk")
    return int(l)
