"""A convolution layer and pooling, forwards and backwards (chapter 16).

Images keep the layout every image library uses: ``x`` has shape (m, c, h, w), sample
first, then channel, row and column.  Flattening one sample's (c, h, w) image, row-major,
into a column gives the book's ``x`` of shape (n_in, m) with n_in = c h w:
``x.reshape(m, -1).T``.  :func:`conv_matrix` uses exactly that flattening.

``conv2d`` computes a **cross-correlation**, as PyTorch, TensorFlow and JAX do under the
name convolution: no kernel flip,

    z[s, o, r, q] = b[o] + sum_{c, i, j} K[o, c, i, j] x_pad[s, c, r S + i, q S + j]

with stride S and x_pad the input with P rows and columns of zeros on every side.  It is a
dense layer applied to patches: each column of ``im2col``'s matrix is one patch (c_in k_h
k_w numbers), and ``K.reshape(c_out, -1) @ patches`` is the book's ``W @ a``.  So the
backward pass is BP4 and BP2 of that dense layer:

    dC/dK = delta @ patches^T            (BP4: the sum runs over every position and sample)
    dC/db = delta summed over positions and samples
    dC/dx = col2im(K^T delta)            (BP2; for stride 1, a full correlation of delta with
                                          the flipped kernel)

``conv2d_gradients`` is a vector-Jacobian product: ``delta`` is dC/dz of the output, and
nothing is averaged here; with the book's mean cost the 1/m is already inside ``delta``.
Both functions work through the batch in chunks of a few samples (about ``CHUNK_BYTES`` of
work arrays each) and share the chunks out among ``THREADS`` threads; the loops run over
chunks and kernel offsets, never over pixels.  See "The engine" below.

Pooling uses windows of ``size`` x ``size`` that do not overlap (stride = size); ``size``
must divide h and w.  Max pooling sends each window's delta to the window's maximum; **on a
tie, the first maximum in reading order (row by row, left to right) receives all of it**,
the entry ``argmax`` picks, and the other tied entries receive 0.

>>> x = np.arange(16.0).reshape(1, 1, 4, 4)
>>> K = np.array([[[[1.0, 0.0], [0.0, -1.0]]]])
>>> conv2d(x, K, np.zeros(1))[0, 0]
array([[-5., -5., -5.],
       [-5., -5., -5.],
       [-5., -5., -5.]])
>>> max_pool2d(x, 2)[0, 0]
array([[ 5.,  7.],
       [13., 15.]])
"""
from __future__ import annotations

import numbers
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import _validate as v

__all__ = ["conv2d", "conv2d_gradients", "max_pool2d", "max_pool2d_gradients", "avg_pool2d",
           "avg_pool2d_gradients", "conv_matrix", "ConvMatrix", "output_size", "im2col",
           "col2im", "CHUNK_BYTES", "THREADS"]


# --------------------------------------------------------------------------------------
# Checks at the door.

def _int(value, name, lowest):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int >= {lowest} (the same for rows and columns), "
                        f"got {type(value).__name__} {value!r}")
    if value < lowest:
        raise ValueError(f"{name} must be an int >= {lowest}, got {value}")
    return int(value)


def _images(x, name="x"):
    """x as a float array of shape (m, c, h, w)."""
    arr = v.as_float_array(x, name)
    if arr.ndim == 4:
        if 0 in arr.shape:
            raise ValueError(f"{name} has shape {arr.shape}, with no samples, channels or "
                             "pixels; expected (m, c, h, w) with every size at least 1")
        return arr
    if arr.ndim == 3:
        raise ValueError(f"{name} must be 4-D (m, c, h, w), got 3-D shape {arr.shape}; for one "
                         f"image of shape (c, h, w) pass {name}[None], a batch of one")
    if arr.ndim == 2:
        raise ValueError(f"{name} must be 4-D (m, c, h, w), got 2-D shape {arr.shape}; images "
                         "keep their layout here. If the columns are flattened images (the "
                         f"book's (n_in, m)), use {name}.T.reshape(m, c, h, w)")
    raise ValueError(f"{name} must be 4-D (m, c, h, w), got {arr.ndim}-D shape {arr.shape}")


def output_size(n, k, stride=1, padding=0, name="h"):
    """The output length of a correlation along one axis: (n + 2P - k)/S + 1.

    Raises ValueError when the kernel is longer than the padded input, or when the stride
    does not divide n + 2P - k (the last rows or columns would be dropped silently).

    >>> output_size(28, 3), output_size(28, 3, padding=1), output_size(7, 3, stride=2)
    (26, 28, 3)
    """
    span = n + 2 * padding - k
    if span < 0:
        raise ValueError(f"the kernel ({k} along {name}) is larger than the padded input "
                         f"({n} + 2*{padding} = {n + 2 * padding}); use a smaller kernel or "
                         f"padding >= {-(-(k - n) // 2)}")
    if span % stride:
        raise ValueError(f"stride {stride} does not divide {name} + 2*padding - k = {n} + "
                         f"2*{padding} - {k} = {span}, so the last positions along {name} "
                         f"would be dropped silently; change padding or stride so that it "
                         f"divides (e.g. stride 1)")
    return span // stride + 1


def _conv_inputs(x, kernels, bias, stride, padding):
    x = _images(x)
    kernels = v.as_float_array(kernels, "kernels")
    if kernels.ndim != 4:
        raise ValueError(f"kernels must be 4-D (c_out, c_in, k_h, k_w), got shape "
                         f"{kernels.shape}; for one 3x3 kernel on one channel use "
                         "K.reshape(1, 1, 3, 3)")
    c_out, c_in, k_h, k_w = kernels.shape
    if 0 in kernels.shape:
        raise ValueError(f"kernels has shape {kernels.shape}, with a size 0; expected "
                         "(c_out, c_in, k_h, k_w), each at least 1")
    if x.shape[1] != c_in:
        raise ValueError(f"x has {x.shape[1]} channels (shape {x.shape}) but the kernels "
                         f"expect c_in = {c_in} (shape {kernels.shape}); the second axis of "
                         "x and of kernels must agree")
    bias = v.as_float_array(bias, "bias")
    if bias.shape != (c_out,):
        raise ValueError(f"bias must have shape (c_out,) = ({c_out},), one per output "
                         f"channel, got {bias.shape}")
    stride, padding = _int(stride, "stride", 1), _int(padding, "padding", 0)
    h_out = output_size(x.shape[2], k_h, stride, padding, "h")
    w_out = output_size(x.shape[3], k_w, stride, padding, "w")
    return x, kernels, bias, stride, padding, (x.shape[0], c_out, h_out, w_out)


def _delta(delta, shape, what):
    delta = v.as_float_array(delta, "delta")
    if delta.shape != tuple(shape):
        raise ValueError(f"delta = dC/d(output) must have the shape of {what}'s output, "
                         f"{tuple(shape)}, got {delta.shape}; pass the gradient with respect "
                         "to this layer's output, nothing broadcast")
    return delta


# --------------------------------------------------------------------------------------
# im2col and its adjoint.

def im2col(x, k_h, k_w, stride=1, padding=0):
    """The patches of x as columns: shape (c k_h k_w, m h_out w_out).

    Row (c, i, j) of column (s, r, q) is x_pad[s, c, r S + i, q S + j]: column by column,
    the patches a kernel slides over.  Built from a strided view
    (``sliding_window_view``); the one copy is the reshape into a matrix.  Trusts its
    input.  This is the one-matrix form chapter 16 describes; ``conv2d`` and
    ``conv2d_gradients`` compute the same numbers a few samples at a time (see "The
    engine" below), and the tests check that the two agree.
    """
    m, c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding))) if padding else x
    windows = sliding_window_view(xp, (k_h, k_w), axis=(2, 3))[:, :, ::stride, ::stride]
    h_out, w_out = windows.shape[2], windows.shape[3]
    # (m, c, h_out, w_out, k_h, k_w) -> (c, k_h, k_w, m, h_out, w_out)
    return windows.transpose(1, 4, 5, 0, 2, 3).reshape(c * k_h * k_w, m * h_out * w_out)


def col2im(cols, x_shape, k_h, k_w, stride=1, padding=0):
    """The adjoint of :func:`im2col`: each patch entry added back where it came from.

    A pixel that lies in several patches receives the sum of their entries.  The loop runs
    over the k_h k_w kernel offsets, never over pixels.
    """
    m, c, h, w = x_shape
    h_out = (h + 2 * padding - k_h) // stride + 1
    w_out = (w + 2 * padding - k_w) // stride + 1
    blocks = cols.reshape(c, k_h, k_w, m, h_out, w_out)
    out = np.zeros((c, m, h + 2 * padding, w + 2 * padding), dtype=cols.dtype)   # (c, m, ...)
    for i in range(k_h):
        for j in range(k_w):
            out[:, :, i:i + stride * h_out:stride, j:j + stride * w_out:stride] += blocks[:, i, j]
    out = out[:, :, padding:padding + h, padding:padding + w] if padding else out
    return np.ascontiguousarray(out.transpose(1, 0, 2, 3))


# --------------------------------------------------------------------------------------
# The convolution layer.

def conv2d(x, kernels, bias, stride=1, padding=0):
    """The cross-correlation of x with the kernels, plus a bias per output channel.

    x: (m, c_in, h, w); kernels: (c_out, c_in, k_h, k_w); bias: (c_out,).  Returns z of
    shape (m, c_out, h_out, w_out), h_out = (h + 2P - k_h)/S + 1.  Raises TypeError or
    ValueError (with expected, got and a fix) for shapes that do not fit, a stride that
    does not divide, NaN or inf.

    >>> x = np.ones((2, 3, 5, 5)); K = np.ones((4, 3, 3, 3))
    >>> z = conv2d(x, K, np.zeros(4), stride=2, padding=1)
    >>> z.shape, float(z[0, 0, 0, 0]), float(z[0, 0, 1, 1])
    ((2, 4, 3, 3), 12.0, 27.0)
    """
    x, kernels, bias, stride, padding, shape = _conv_inputs(x, kernels, bias, stride, padding)
    return _conv2d(x, kernels, bias, stride, padding, shape)


def conv2d_gradients(x, kernels, bias, delta, stride=1, padding=0):
    """The vector-Jacobian product of :func:`conv2d`: ``(grad_x, grad_kernels, grad_bias)``.

    ``delta`` is dC/dz for the layer's output z, shape (m, c_out, h_out, w_out).  Each
    result has the shape of its argument.  No averaging: what delta holds is summed, over
    positions (weight sharing) and over samples.

    >>> x = np.arange(9.0).reshape(1, 1, 3, 3); K = np.ones((1, 1, 2, 2))
    >>> gx, gK, gb = conv2d_gradients(x, K, np.zeros(1), np.ones((1, 1, 2, 2)))
    >>> gK[0, 0], gb, float(gx[0, 0, 1, 1])
    (array([[ 8., 12.],
           [20., 24.]]), array([4.]), 4.0)
    """
    x, kernels, bias, stride, padding, shape = _conv_inputs(x, kernels, bias, stride, padding)
    delta = _delta(delta, shape, "conv2d")
    return _conv2d_gradients(x, kernels, delta, stride, padding)



# --------------------------------------------------------------------------------------
# The engine behind conv2d and conv2d_gradients.
#
# Both walk the batch in chunks of a few samples, about CHUNK_BYTES of patches and work
# arrays each (7 samples of bench_conv.py's 8 x 28 x 28 images; 6 MB ran faster there than
# 1.5, 3 or 12 MB), which the matrix products read while they are still in the
# processor's cache.  The chunks are shared out among up to THREADS threads: numpy's
# copies and BLAS release the interpreter lock, so the copying runs on every core, as
# PyTorch's convolution does (one thread: 1.3 to 1.5 times slower there).  Per sample s
# the layer is the book's dense layer on that sample's patches:
#
#     z_s = [W | b] [patches_s ; 1]          dC/d[W | b] = sum_s delta_s [patches_s ; 1]^T
#
# (the row of ones makes BP3 the last column of BP4), and the gradient of the input is
# BP2's W^T delta added back where each patch entry came from (col2im).  For that step
# delta is first spread onto the padded input's grid, zero wherever no patch starts (and,
# with a stride, between the strided positions); then W^T delta has one long row per
# kernel offset (i, j) and channel, and adding it back is one shifted add per offset over
# whole images: the pixel at (rS + i, qS + j) receives entry (i, j) of the patch at (r, q).

CHUNK_BYTES = 6_000_000
THREAD_MIN_BYTES = 500_000        # less work than this per thread: one thread
THREADS = min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
              else os.cpu_count() or 1)
_pool, _pool_lock = None, threading.Lock()


def _forget_pool():
    global _pool
    _pool = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)    # a forked child has no pool threads


def _runs(m, per_sample_bytes):
    """The batch split for the threads: up to THREADS runs of consecutive samples, as equal
    as they can be, each a list of chunks (slices) of about CHUNK_BYTES of work arrays."""
    n = max(1, min(THREADS, m, m * per_sample_bytes // THREAD_MIN_BYTES))
    runs = []
    for r in range(n):
        start, stop = r * m // n, (r + 1) * m // n
        pieces = min(stop - start, -(-(stop - start) * per_sample_bytes // CHUNK_BYTES))
        runs.append([slice(start + i * (stop - start) // pieces,
                           start + (i + 1) * (stop - start) // pieces) for i in range(pieces)])
    return runs


def _in_threads(runs, work):
    """``work(run)`` for every run, the first on the calling thread and the others on the
    pool's threads; returns the results in order.  The runs depend only on the batch and
    THREADS, so the sums come out the same on every call."""
    if len(runs) == 1:
        return [work(runs[0])]
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(THREADS, thread_name_prefix="bpcore.conv")
        futures = [_pool.submit(work, run) for run in runs[1:]]
    try:
        first = work(runs[0])
    finally:
        rest = [future.result() for future in futures]   # waits even if the first run fails
    return [first, *rest]


def _padded(x, padding):
    if not padding:
        return x
    m, c, h, w = x.shape
    xp = np.zeros((m, c, h + 2 * padding, w + 2 * padding))
    xp[:, :, padding:padding + h, padding:padding + w] = x
    return xp


def _patch_buffer(n, rows, positions):
    """Room for n samples' patches, (n, rows + 1, positions), with the last row all ones."""
    buffer = np.empty((n, rows + 1, positions))
    buffer[:, -1] = 1.0
    return buffer


def _patches(xp, k_h, k_w, stride, buffer):
    """Copies each sample's patches into ``buffer``: row (c, i, j) of column (r, q) of
    sample s is xp[s, c, r S + i, q S + j].  Returns the filled part, ones row included."""
    k, c = xp.shape[:2]
    windows = sliding_window_view(xp, (k_h, k_w), axis=(2, 3))[:, :, ::stride, ::stride]
    h_out, w_out = windows.shape[2:4]
    filled = buffer[:k]
    np.copyto(filled[:, :-1].reshape(k, c, k_h, k_w, h_out, w_out),
              windows.transpose(0, 1, 4, 5, 2, 3))
    return filled


def _conv2d(x, kernels, bias, stride, padding, shape):
    m, c_out, h_out, w_out = shape
    _, c_in, k_h, k_w = kernels.shape
    xp = _padded(x, padding)
    Wb = np.concatenate([kernels.reshape(c_out, -1), bias[:, None]], axis=1)     # [W | b]
    z = np.empty(shape)
    rows = c_in * k_h * k_w
    runs = _runs(m, 8 * (rows + 1) * h_out * w_out)

    def work(run):
        buffer = _patch_buffer(max(p.stop - p.start for p in run), rows, h_out * w_out)
        for part in run:
            a = _patches(xp[part], k_h, k_w, stride, buffer)
            np.matmul(Wb, a, out=z[part].reshape(len(a), c_out, -1))          # W a + b

    _in_threads(runs, work)
    return z


def _conv2d_gradients(x, kernels, delta, stride, padding):
    m, c_in, h, w = x.shape
    c_out, _, k_h, k_w = kernels.shape
    h_out, w_out = delta.shape[2:]
    xp = _padded(x, padding)
    hp, wp = xp.shape[2:]
    rows = c_in * k_h * k_w
    W_T = kernels.transpose(2, 3, 1, 0).reshape(k_h * k_w * c_in, c_out)  # rows (i, j, c)
    grad_xp = np.empty(xp.shape)
    reach = stride * ((h_out - 1) * wp + w_out - 1) + 1      # the last patch's corner, + 1
    runs = _runs(m, 8 * ((rows + 1) * h_out * w_out + rows * hp * wp))

    def work(run):
        n = max(p.stop - p.start for p in run)
        buffer = _patch_buffer(n, rows, h_out * w_out)
        spread = np.zeros((n, c_out, hp, wp))                # delta on the input's grid
        back = np.zeros((n, k_h * k_w, c_in * hp * wp))      # W^T delta, a row per (i, j)
        per_sample = np.empty((n, c_out, rows + 1))
        grad_Wb = np.zeros((c_out, rows + 1))
        for part in run:
            a = _patches(xp[part], k_h, k_w, stride, buffer)
            k = len(a)
            d = delta[part].reshape(k, c_out, -1)
            np.matmul(d, a.transpose(0, 2, 1), out=per_sample[:k])      # BP4 (and BP3)
            grad_Wb += per_sample[:k].sum(axis=0)
            spread[:k, :, :stride * h_out:stride, :stride * w_out:stride] = delta[part]
            np.matmul(W_T, spread[:k].reshape(k, c_out, -1)[..., :reach],   # BP2's W^T delta
                      out=back[:k].reshape(k, -1, hp * wp)[..., :reach])   # (0 beyond reach)
            image = grad_xp[part].reshape(k, -1)                         # col2im
            np.copyto(image, back[:k, 0])
            for ij in range(1, k_h * k_w):
                shift = (ij // k_w) * wp + ij % k_w
                image[:, shift:] += back[:k, ij, :image.shape[1] - shift]
        return grad_Wb

    grad_Wb = sum(_in_threads(runs, work))
    grad_x = grad_xp[:, :, padding:padding + h, padding:padding + w] if padding else grad_xp
    grad_K = np.ascontiguousarray(grad_Wb[:, :-1]).reshape(kernels.shape)
    return np.ascontiguousarray(grad_x), grad_K, grad_Wb[:, -1].copy()


# --------------------------------------------------------------------------------------
# The dense-matrix form.

class ConvMatrix(NamedTuple):
    """A convolution as a dense layer: ``matrix`` M of shape (c_out h_out w_out, c_in h w)
    with ``conv2d(x)[s].ravel() == M @ x[s].ravel() + bias repeated``, ``kernel_index``
    of M's shape: the flat index into ``kernels`` of the weight each entry holds, or -1 for
    the entries that are structurally zero, and ``kernel_shape``."""
    matrix: np.ndarray
    kernel_index: np.ndarray
    kernel_shape: tuple

    def tie(self, grad_matrix):
        """Add up the entries of ``grad_matrix`` (M's shape) that share one kernel weight:
        the kernel gradient from a dense-layer gradient, in the kernels' shape."""
        grad_matrix = np.asarray(grad_matrix, dtype=float)
        if grad_matrix.shape != self.matrix.shape:
            raise ValueError(f"grad_matrix must have the shape of M, {self.matrix.shape}, got "
                             f"{grad_matrix.shape}")
        on = self.kernel_index >= 0
        return np.bincount(self.kernel_index[on], weights=grad_matrix[on],
                           minlength=int(np.prod(self.kernel_shape))).reshape(self.kernel_shape)


MAX_MATRIX_ENTRIES = 4_000_000


def conv_matrix(kernels, image_shape, stride=1, padding=0):
    """The sparse, weight-sharing matrix M of a convolution on images of shape (c_in, h, w).

    Row ``(o, r, q)`` (flattened row-major, as ``z[s].ravel()``) holds K[o, c, i, j] in
    column ``(c, r S + i - P, q S + j - P)`` wherever that pixel lies inside the image, and 0
    elsewhere.  Built by index arithmetic, independently of :func:`im2col`.  Meant for small
    cases: refuses more than MAX_MATRIX_ENTRIES entries.

    >>> cm = conv_matrix(np.array([[[[1.0, 2.0]]]]), (1, 1, 3))
    >>> cm.matrix
    array([[1., 2., 0.],
           [0., 1., 2.]])
    >>> cm.kernel_index
    array([[ 0,  1, -1],
           [-1,  0,  1]])
    """
    kernels = v.as_float_array(kernels, "kernels")
    if kernels.ndim != 4 or 0 in kernels.shape:
        raise ValueError(f"kernels must be 4-D (c_out, c_in, k_h, k_w), got shape "
                         f"{kernels.shape}")
    if (not isinstance(image_shape, (tuple, list)) or len(image_shape) != 3
            or not all(isinstance(n, numbers.Integral) and n >= 1 for n in image_shape)):
        raise ValueError(f"image_shape must be (c_in, h, w), three positive ints, got "
                         f"{image_shape!r}; for a batch x use x.shape[1:]")
    c_out, c_in, k_h, k_w = kernels.shape
    c, h, w = (int(n) for n in image_shape)
    if c != c_in:
        raise ValueError(f"image_shape has {c} channels but the kernels expect c_in = {c_in}")
    stride, padding = _int(stride, "stride", 1), _int(padding, "padding", 0)
    h_out = output_size(h, k_h, stride, padding, "h")
    w_out = output_size(w, k_w, stride, padding, "w")
    n_out, n_in = c_out * h_out * w_out, c * h * w
    if n_out * n_in > MAX_MATRIX_ENTRIES:
        raise ValueError(f"conv_matrix would have {n_out} x {n_in} = {n_out * n_in:,} entries, "
                         f"more than {MAX_MATRIX_ENTRIES:,}; it is for small cases, use "
                         "conv2d for real ones")
    o, r, q, ci, i, j = np.ix_(range(c_out), range(h_out), range(w_out), range(c_in),
                               range(k_h), range(k_w))
    row = (o * h_out + r) * w_out + q
    y, xx = r * stride + i - padding, q * stride + j - padding
    inside = (y >= 0) & (y < h) & (xx >= 0) & (xx < w)
    col = (ci * h + y) * w + xx
    flat = ((o * c_in + ci) * k_h + i) * k_w + j
    row, col, flat, inside = np.broadcast_arrays(row, col, flat, inside)
    index = np.full((n_out, n_in), -1, dtype=np.intp)
    index[row[inside], col[inside]] = flat[inside]
    matrix = np.where(index >= 0, kernels.ravel()[np.maximum(index, 0)], 0.0)
    return ConvMatrix(matrix, index, kernels.shape)


# --------------------------------------------------------------------------------------
# Pooling.

def _pool_input(x, size, what):
    x = _images(x)
    size = _int(size, "size", 1)
    m, c, h, w = x.shape
    if h % size or w % size:
        raise ValueError(f"{what} uses {size}x{size} windows that do not overlap, so size must "
                         f"divide h and w, but the input is {h}x{w} (shape {x.shape}); crop or "
                         f"pad the input, or choose a size that divides both")
    return x, size


def _windows(x, size):
    """(m, c, h/size, w/size, size*size): each window's entries in reading order."""
    m, c, h, w = x.shape
    return (x.reshape(m, c, h // size, size, w // size, size).transpose(0, 1, 2, 4, 3, 5)
            .reshape(m, c, h // size, w // size, size * size))


def _unwindows(win, size):
    m, c, ho, wo, _ = win.shape
    return (win.reshape(m, c, ho, wo, size, size).transpose(0, 1, 2, 4, 3, 5)
            .reshape(m, c, ho * size, wo * size))


def max_pool2d(x, size):
    """The largest entry of each size x size window: shape (m, c, h/size, w/size).

    >>> max_pool2d(np.array([[[[1.0, 3.0], [3.0, 0.0]]]]), 2)
    array([[[[3.]]]])
    """
    x, size = _pool_input(x, size, "max_pool2d")
    return _windows(x, size).max(axis=-1)


def max_pool2d_gradients(x, size, delta):
    """dC/dx for max pooling: each window's delta goes to its maximum, the rest get 0.

    Ties: the first maximum in reading order (row by row, left to right) gets all of the
    window's delta.  ``delta`` has the pooled shape (m, c, h/size, w/size).

    >>> max_pool2d_gradients(np.array([[[[1.0, 3.0], [3.0, 0.0]]]]), 2, np.array([[[[5.0]]]]))
    array([[[[0., 5.],
             [0., 0.]]]])
    """
    x, size = _pool_input(x, size, "max_pool2d_gradients")
    m, c, h, w = x.shape
    delta = _delta(delta, (m, c, h // size, w // size), "max_pool2d")
    win = _windows(x, size)
    first = win.argmax(axis=-1)                       # argmax returns the first maximum
    routed = (np.arange(size * size) == first[..., None]) * delta[..., None]
    return _unwindows(routed, size)


def avg_pool2d(x, size):
    """The mean of each size x size window: shape (m, c, h/size, w/size).

    >>> avg_pool2d(np.array([[[[1.0, 3.0], [3.0, 1.0]]]]), 2)
    array([[[[2.]]]])
    """
    x, size = _pool_input(x, size, "avg_pool2d")
    return _windows(x, size).mean(axis=-1)


def avg_pool2d_gradients(x, size, delta):
    """dC/dx for average pooling: each window's delta, divided by size², to every entry.

    >>> avg_pool2d_gradients(np.zeros((1, 1, 2, 2)), 2, np.array([[[[8.0]]]]))
    array([[[[2., 2.],
             [2., 2.]]]])
    """
    x, size = _pool_input(x, size, "avg_pool2d_gradients")
    m, c, h, w = x.shape
    delta = _delta(delta, (m, c, h // size, w // size), "avg_pool2d")
    spread = np.broadcast_to(delta[..., None] / (size * size), (*delta.shape, size * size))
    return _unwindows(spread, size)
