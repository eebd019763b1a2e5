"""bpcore.conv: the convolution layer and pooling against three oracles -- central
differences on random shapes, strides and paddings; bpcore.autodiff.Tensor through the
dense-matrix form (conv_matrix, built by index arithmetic, not by im2col); and scalar
bpcore.autodiff.Values on tiny shapes, one graph node per multiply -- plus every refusal."""
import itertools
import os
import signal
import time

import numpy as np
import pytest

from bpcore import conv
from bpcore.autodiff import Tensor, Value

CASES = [  # m, c_in, h, w, c_out, k_h, k_w, stride, padding
    (2, 3, 6, 7, 4, 3, 2, 1, 0),
    (1, 2, 7, 7, 3, 3, 3, 2, 1),
    (3, 1, 7, 8, 2, 2, 3, 3, 2),
    (2, 2, 4, 4, 2, 4, 4, 1, 1),
    (1, 1, 9, 5, 1, 1, 1, 2, 0),
]


def problem(case, seed):
    m, c_in, h, w, c_out, k_h, k_w, stride, padding = case
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(m, c_in, h, w))
    K = rng.normal(size=(c_out, c_in, k_h, k_w))
    b = rng.normal(size=c_out)
    z = conv.conv2d(x, K, b, stride, padding)
    D = rng.normal(size=z.shape)          # dC/dz of the cost C = sum(D * tanh-free z)
    return x, K, b, D, stride, padding


def central(f, arr, h=1e-6):
    """Central differences of the scalar f() with respect to every entry of arr."""
    grad = np.zeros_like(arr)
    for idx in np.ndindex(arr.shape):
        keep = arr[idx]
        arr[idx] = keep + h
        up = f()
        arr[idx] = keep - h
        down = f()
        arr[idx] = keep
        grad[idx] = (up - down) / (2 * h)
    return grad


@pytest.mark.parametrize("case", CASES)
def test_conv2d_gradients_are_central_differences(case):
    x, K, b, D, s, p = problem(case, seed=sum(case))

    def C():                              # a nonlinear cost, so delta differs from D
        return float(np.sum(np.sin(conv.conv2d(x, K, b, s, p)) * D))

    delta = np.cos(conv.conv2d(x, K, b, s, p)) * D
    gx, gK, gb = conv.conv2d_gradients(x, K, b, delta, s, p)
    for got, arr in [(gx, x), (gK, K), (gb, b)]:
        assert got.shape == arr.shape
        np.testing.assert_allclose(got, central(C, arr), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("case", CASES)
def test_conv_matrix_is_conv2d_and_autodiff_through_it_gives_the_gradients(case):
    x, K, b, D, s, p = problem(case, seed=7 + sum(case))
    m, c_out = x.shape[0], K.shape[0]
    z = conv.conv2d(x, K, b, s, p)
    cm = conv.conv_matrix(K, x.shape[1:], s, p)
    n_pos = z.shape[2] * z.shape[3]
    x_cols = x.reshape(m, -1).T                                   # the book's (n_in, m)
    np.testing.assert_allclose(cm.matrix @ x_cols + np.repeat(b, n_pos)[:, None],
                               z.reshape(m, -1).T, rtol=1e-12, atol=1e-12)
    # autodiff: z = M x + E b 1^T, C = sum(D * z); M itself is the weight of a dense layer
    M = Tensor(cm.matrix, requires_grad=True)
    X = Tensor(x_cols, requires_grad=True)
    B = Tensor(b[:, None], requires_grad=True)
    E = Tensor(np.repeat(np.eye(c_out), n_pos, axis=0))              # b^o to its positions
    ones = Tensor(np.ones((1, m)))
    Z = M @ X + (E @ B) @ ones
    (Z * Tensor(D.reshape(m, -1).T)).sum().backward()
    gx, gK, gb = conv.conv2d_gradients(x, K, b, D, s, p)
    np.testing.assert_allclose(X.grad.T.reshape(x.shape), gx, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(B.grad[:, 0], gb, rtol=1e-12, atol=1e-12)
    # BP4 on the dense matrix, summed over the entries that share a weight
    np.testing.assert_allclose(cm.tie(M.grad).reshape(K.shape), gK, rtol=1e-12, atol=1e-12)
    # and the dense BP4 is delta x^T, the chapter's form
    np.testing.assert_allclose(M.grad, D.reshape(m, -1).T @ x_cols.T, rtol=1e-12)


def test_scalar_values_on_a_tiny_case():
    rng = np.random.default_rng(3)
    m, c_in, h, w, c_out, k, s, p = 1, 2, 4, 4, 2, 2, 2, 1
    x, K, b = (rng.normal(size=shape) for shape in [(m, c_in, h, w), (c_out, c_in, k, k),
                                                    (c_out,)])
    vx = np.vectorize(Value, otypes=[object])(x)
    vK = np.vectorize(Value, otypes=[object])(K)
    vb = [Value(float(t)) for t in b]
    xp = np.full((m, c_in, h + 2 * p, w + 2 * p), Value(0.0), dtype=object)
    xp[:, :, p:p + h, p:p + w] = vx
    h_out = (h + 2 * p - k) // s + 1
    D = rng.normal(size=(m, c_out, h_out, h_out))
    C = Value(0.0)
    for n, o, r, q in itertools.product(range(m), range(c_out), range(h_out), range(h_out)):
        z = vb[o]
        for c, i, j in itertools.product(range(c_in), range(k), range(k)):
            z = z + vK[o, c, i, j] * xp[n, c, r * s + i, q * s + j]
        C = C + z * float(D[n, o, r, q])
    C.backward()
    gx, gK, gb = conv.conv2d_gradients(x, K, b, D, s, p)
    grads = np.vectorize(lambda t: t.grad)
    np.testing.assert_allclose(grads(vx), gx, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(grads(vK), gK, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose([t.grad for t in vb], gb, rtol=1e-12)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_stride_one_input_gradient_is_a_full_correlation_with_the_flipped_kernel(k):
    rng = np.random.default_rng(k)
    x, K = rng.normal(size=(2, 3, 6, 5)), rng.normal(size=(4, 3, k, k))
    D = rng.normal(size=(2, 4, 7 - k, 6 - k))
    gx, _, _ = conv.conv2d_gradients(x, K, np.zeros(4), D, padding=0)
    flipped = K[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)     # (c_in, c_out, k, k), rotated
    full = conv.conv2d(D, flipped, np.zeros(3), padding=k - 1)
    np.testing.assert_allclose(gx, full, rtol=1e-12, atol=1e-12)


def test_conv2d_is_a_cross_correlation_and_gradients_do_not_average():
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 0, 0] = 1.0                                      # an impulse in the corner
    K = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    assert conv.conv2d(x, K, np.zeros(1), padding=2)[0, 0, 2, 2] == K[0, 0, 0, 0]
    assert conv.conv2d(x, K, np.zeros(1), padding=2)[0, 0, 0, 0] == K[0, 0, 2, 2]
    xs = np.ones((5, 1, 3, 3))
    _, gK, gb = conv.conv2d_gradients(xs, K, np.zeros(1), np.ones((5, 1, 1, 1)))
    assert gb[0] == 5.0 and np.all(gK == 5.0)                 # summed over 5 samples


def test_im2col_and_col2im_are_adjoint():
    rng = np.random.default_rng(0)
    for case in CASES:
        x, K, *_ , s, p = problem(case, seed=1)
        cols = conv.im2col(x, K.shape[2], K.shape[3], s, p)
        other = rng.normal(size=cols.shape)
        back = conv.col2im(other, x.shape, K.shape[2], K.shape[3], s, p)
        assert np.sum(cols * other) == pytest.approx(np.sum(x * back), rel=1e-12)


@pytest.mark.parametrize("case", CASES)
def test_the_engine_is_the_im2col_formulation(case):
    # the chapter's form, one matrix for the whole batch: z = W patches + b, dC/dW = delta
    # patches^T, dC/db = delta summed, dC/dx = col2im(W^T delta); the engine computes the
    # same numbers per sample, in chunks and threads, with col2im as shifted adds
    x, K, b, D, s, p = problem(case, seed=3)
    c_out, _, k_h, k_w = K.shape
    W = K.reshape(c_out, -1)
    patches = conv.im2col(x, k_h, k_w, s, p)
    cols = D.transpose(1, 0, 2, 3).reshape(c_out, -1)              # a column per patch
    z = (W @ patches + b[:, None]).reshape(c_out, *D.shape[:1], *D.shape[2:]).transpose(1, 0, 2, 3)
    gx, gK, gb = conv.conv2d_gradients(x, K, b, D, s, p)
    np.testing.assert_allclose(conv.conv2d(x, K, b, s, p), z, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(gK, (cols @ patches.T).reshape(K.shape), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(gb, cols.sum(axis=1), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(gx, conv.col2im(W.T @ cols, x.shape, k_h, k_w, s, p),
                               rtol=1e-12, atol=1e-12)


# --------------------------------------------------------------------------------------
# Pooling.

def distinct(shape, seed):
    """Random entries without ties, so the max is differentiable."""
    rng = np.random.default_rng(seed)
    return rng.permutation(np.prod(shape)).reshape(shape) * 0.1 + rng.uniform(0, 0.01, shape)


@pytest.mark.parametrize("shape,size", [((2, 3, 4, 6), 2), ((1, 2, 6, 3), 3), ((2, 1, 3, 3), 1)])
def test_pooling_gradients_are_central_differences(shape, size):
    x = distinct(shape, seed=size)
    rng = np.random.default_rng(9)
    D = rng.normal(size=(shape[0], shape[1], shape[2] // size, shape[3] // size))
    for pool, grad in [(conv.max_pool2d, conv.max_pool2d_gradients),
                       (conv.avg_pool2d, conv.avg_pool2d_gradients)]:
        def C():
            return float(np.sum(pool(x, size) ** 2 * D))
        delta = 2 * pool(x, size) * D
        np.testing.assert_allclose(grad(x, size, delta), central(C, x, h=1e-5),
                                   rtol=1e-6, atol=1e-8)


def test_pooling_against_autodiff():
    x = distinct((1, 2, 4, 4), seed=5)
    D = np.random.default_rng(2).normal(size=(1, 2, 2, 2))
    # max with Values: max(a, b) = b + relu(a - b), differentiable away from ties
    vx = np.vectorize(Value, otypes=[object])(x)
    C = Value(0.0)
    for c, r, q in itertools.product(range(2), range(2), range(2)):
        window = vx[0, c, 2 * r:2 * r + 2, 2 * q:2 * q + 2].ravel()
        best = window[0]
        for t in window[1:]:
            best = t + (best - t).relu()
        C = C + best * float(D[0, c, r, q])
    C.backward()
    np.testing.assert_allclose(np.vectorize(lambda t: t.grad)(vx),
                               conv.max_pool2d_gradients(x, 2, D), rtol=1e-14)
    # average pooling is a dense layer with weights 1/4: Tensor through that matrix
    P = np.zeros((8, 32))
    for c, r, q, i, j in itertools.product(range(2), range(2), range(2), range(2), range(2)):
        P[(c * 2 + r) * 2 + q, (c * 4 + 2 * r + i) * 4 + 2 * q + j] = 0.25
    X = Tensor(x.reshape(1, -1).T, requires_grad=True)
    np.testing.assert_allclose((P @ x.reshape(1, -1).T).T.reshape(1, 2, 2, 2),
                               conv.avg_pool2d(x, 2), rtol=1e-14)
    ((Tensor(P) @ X) * Tensor(D.reshape(1, -1).T)).sum().backward()
    np.testing.assert_allclose(X.grad.T.reshape(x.shape), conv.avg_pool2d_gradients(x, 2, D),
                               rtol=1e-14)


def test_max_pooling_ties_go_to_the_first_maximum_in_reading_order():
    x = np.array([[[[1.0, 4.0, 2.0, 2.0],
                    [4.0, 4.0, 2.0, 2.0],
                    [0.0, 0.0, 5.0, 3.0],
                    [0.0, 0.0, 3.0, 5.0]]]])
    D = np.array([[[[10.0, 20.0], [30.0, 40.0]]]])
    g = conv.max_pool2d_gradients(x, 2, D)
    want = np.array([[[[0.0, 10.0, 20.0, 0.0],
                       [0.0, 0.0, 0.0, 0.0],
                       [30.0, 0.0, 40.0, 0.0],
                       [0.0, 0.0, 0.0, 0.0]]]])
    np.testing.assert_array_equal(g, want)
    assert g.sum() == D.sum()                   # nothing split, nothing lost
    # the two one-sided derivatives at a tie: the rule gives the right-hand one of the first
    h = 1e-6
    up = x.copy()
    up[0, 0, 0, 1] += h
    assert (conv.max_pool2d(up, 2) - conv.max_pool2d(x, 2))[0, 0, 0, 0] / h == \
        pytest.approx(1.0)


def test_pooling_shapes():
    x = np.arange(2 * 3 * 4 * 6, dtype=float).reshape(2, 3, 4, 6)
    assert conv.max_pool2d(x, 2).shape == (2, 3, 2, 3)
    np.testing.assert_array_equal(conv.avg_pool2d(x, 1), x)
    np.testing.assert_array_equal(conv.max_pool2d(x, 2)[1, 2], x[1, 2, 1::2, 1::2])


# --------------------------------------------------------------------------------------
# Refusals: expected, got, fix.

X, K3, B = np.zeros((2, 3, 5, 5)), np.zeros((4, 3, 3, 3)), np.zeros(4)


@pytest.mark.parametrize("call,error,match", [
    (lambda: conv.conv2d(np.zeros((3, 5, 5)), K3, B), ValueError,
     r"must be 4-D \(m, c, h, w\), got 3-D shape \(3, 5, 5\); .* pass x\[None\]"),
    (lambda: conv.conv2d(np.zeros((75, 2)), K3, B), ValueError,
     r"got 2-D shape \(75, 2\); .*use x.T.reshape\(m, c, h, w\)"),
    (lambda: conv.conv2d(np.zeros((2, 2, 5, 5)), K3, B), ValueError,
     r"x has 2 channels .* kernels expect c_in = 3"),
    (lambda: conv.conv2d(X, np.zeros((4, 3, 3)), B), ValueError,
     r"kernels must be 4-D \(c_out, c_in, k_h, k_w\), got shape \(4, 3, 3\)"),
    (lambda: conv.conv2d(X, K3, np.zeros(3)), ValueError,
     r"bias must have shape \(c_out,\) = \(4,\), one per output channel, got \(3,\)"),
    (lambda: conv.conv2d(X, K3, np.zeros((4, 1))), ValueError, r"got \(4, 1\)"),
    (lambda: conv.conv2d(X, np.zeros((4, 3, 7, 7)), B), ValueError,
     r"kernel \(7 along h\) is larger than the padded input \(5 \+ 2\*0 = 5\); .*padding >= 1"),
    (lambda: conv.conv2d(X, K3, B, stride=3), ValueError,
     r"stride 3 does not divide h \+ 2\*padding - k = 5 \+ 2\*0 - 3 = 2, .*dropped silently"),
    (lambda: conv.conv2d(X, K3, B, stride=0), ValueError, r"stride must be an int >= 1, got 0"),
    (lambda: conv.conv2d(X, K3, B, stride=1.5), TypeError, r"stride must be an int >= 1"),
    (lambda: conv.conv2d(X, K3, B, padding=-1), ValueError, r"padding must be an int >= 0"),
    (lambda: conv.conv2d(X, K3, B, padding=True), TypeError, r"padding must be an int"),
    (lambda: conv.conv2d(np.full((1, 3, 5, 5), np.nan), K3, B), ValueError,
     r"x contains NaN or inf"),
    (lambda: conv.conv2d(X, np.full((4, 3, 3, 3), np.inf), B), ValueError,
     r"kernels contains NaN or inf"),
    (lambda: conv.conv2d("image", K3, B), TypeError, r"x must be a numeric array, got str"),
    (lambda: conv.conv2d(np.zeros((0, 3, 5, 5)), K3, B), ValueError, r"with no samples"),
    (lambda: conv.conv2d_gradients(X, K3, B, np.zeros((2, 4, 3))), ValueError,
     r"delta = dC/d\(output\) must have the shape of conv2d's output, \(2, 4, 3, 3\), "
     r"got \(2, 4, 3\)"),
    (lambda: conv.conv2d_gradients(X, K3, B, np.zeros((1, 4, 3, 3))), ValueError,
     r"\(2, 4, 3, 3\), got \(1, 4, 3, 3\); .*nothing broadcast"),
    (lambda: conv.conv2d_gradients(X, K3, B, np.full((2, 4, 3, 3), np.nan)), ValueError,
     r"delta contains NaN or inf"),
    (lambda: conv.max_pool2d(np.zeros((1, 1, 5, 4)), 2), ValueError,
     r"size must divide h and w, but the input is 5x4"),
    (lambda: conv.avg_pool2d(np.zeros((1, 1, 4, 4)), 0), ValueError,
     r"size must be an int >= 1, got 0"),
    (lambda: conv.avg_pool2d(np.zeros((4, 4)), 2), ValueError, r"must be 4-D"),
    (lambda: conv.max_pool2d_gradients(np.zeros((1, 1, 4, 4)), 2, np.zeros((1, 1, 4, 4))),
     ValueError, r"shape of max_pool2d's output, \(1, 1, 2, 2\), got \(1, 1, 4, 4\)"),
    (lambda: conv.avg_pool2d_gradients(np.zeros((1, 1, 4, 4)), 2, np.zeros((1, 1, 2))),
     ValueError, r"shape of avg_pool2d's output, \(1, 1, 2, 2\), got \(1, 1, 2\)"),
    (lambda: conv.max_pool2d_gradients(np.zeros((1, 1, 4, 4)), 2, np.full((1, 1, 2, 2), np.inf)),
     ValueError, r"delta contains NaN or inf"),
    (lambda: conv.conv_matrix(K3, (2, 5, 5)), ValueError,
     r"image_shape has 2 channels but the kernels expect c_in = 3"),
    (lambda: conv.conv_matrix(K3, (3, 5)), ValueError, r"image_shape must be \(c_in, h, w\)"),
    (lambda: conv.conv_matrix(K3, (3, 5, 5)).tie(np.zeros((3, 3))), ValueError,
     r"grad_matrix must have the shape of M, \(36, 75\), got \(3, 3\)"),
    (lambda: conv.conv_matrix(np.zeros((16, 8, 3, 3)), (8, 28, 28)), ValueError,
     r"more than 4,000,000; it is for small cases"),
])
def test_refusals(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_tie_keeps_kernel_weights_that_only_meet_padding():
    # a 3x3 kernel with padding 2 on a 1x1 image: only the centre weight meets the pixel at
    # the centre position; corner weights meet it elsewhere, and tie still returns (1,1,3,3)
    K = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    cm = conv.conv_matrix(K, (1, 1, 1), padding=1)
    assert cm.matrix.shape == (1, 1) and cm.matrix[0, 0] == K[0, 0, 1, 1]
    tied = cm.tie(np.array([[2.0]]))
    assert tied.shape == K.shape and tied[0, 0, 1, 1] == 2.0 and tied.sum() == 2.0


@pytest.mark.parametrize("chunk_bytes, threads", [(1, 1), (1, 2), (1, 3), (16000, 2), (10**9, 2)])
def test_chunks_and_threads_give_the_same_results(monkeypatch, chunk_bytes, threads):
    x, K, b, D, s, p = problem((5, 2, 7, 7, 3, 3, 3, 2, 1), seed=4)
    monkeypatch.setattr(conv, "THREADS", 1)
    monkeypatch.setattr(conv, "CHUNK_BYTES", 10**9)
    whole = [conv.conv2d(x, K, b, s, p), *conv.conv2d_gradients(x, K, b, D, s, p)]
    monkeypatch.setattr(conv, "CHUNK_BYTES", chunk_bytes)
    monkeypatch.setattr(conv, "THREADS", threads)
    monkeypatch.setattr(conv, "THREAD_MIN_BYTES", 1)
    runs = conv._runs(5, 8000)
    assert len(runs) == threads                                    # 5 samples, <= 3 threads
    assert [i for run in runs for part in run for i in range(5)[part]] == list(range(5))
    sizes = [part.stop - part.start for run in runs for part in run]
    assert max(sizes) <= max(1, chunk_bytes // 8000) and min(sizes) >= 1
    assert conv._in_threads(runs, lambda run: run) == runs         # results in order
    split = [conv.conv2d(x, K, b, s, p), *conv.conv2d_gradients(x, K, b, D, s, p)]
    for got, want in zip(split, whole):
        np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-13)


def test_small_batches_stay_on_one_thread():
    assert len(conv._runs(64, 1000)) == 1                          # 64 kB in all
    assert len(conv._runs(1, 10**8)) == 1                          # one sample
    assert len(conv._runs(64, 10**6)) == min(conv.THREADS, 64)


def test_an_error_in_a_thread_reaches_the_caller(monkeypatch):
    monkeypatch.setattr(conv, "THREADS", 2)

    def work(run):
        if run[0].start:
            raise RuntimeError("second run failed")
        return 1
    with pytest.raises(RuntimeError, match="second run failed"):
        conv._in_threads([[slice(0, 2)], [slice(2, 4)]], work)


@pytest.mark.parametrize("case", CASES)
def test_results_are_new_contiguous_arrays(case):
    x, K, b, D, s, p = problem(case, seed=5)
    results = [conv.conv2d(x, K, b, s, p), *conv.conv2d_gradients(x, K, b, D, s, p)]
    for got, like in zip(results, (D, x, K, b)):
        assert got.shape == like.shape and got.flags.c_contiguous and got.flags.writeable
    for i, a in enumerate(results):                    # no result is a view of another
        assert not any(np.shares_memory(a, other) for other in results[i + 1:] + [x, K, b, D])


def test_inputs_are_not_modified():
    x, K, b, D, s, p = problem(CASES[1], seed=0)
    copies = [a.copy() for a in (x, K, b, D)]
    conv.conv2d(x, K, b, s, p)
    conv.conv2d_gradients(x, K, b, D, s, p)
    conv.max_pool2d_gradients(x[:, :, :6, :6], 2, np.ones((1, 2, 3, 3)))
    for a, c in zip((x, K, b, D), copies):
        np.testing.assert_array_equal(a, c)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX only")
def test_a_forked_child_can_convolve_after_the_parent_used_threads(monkeypatch):
    # the pool's threads do not survive fork(); the child must make its own, not wait on
    # threads that do not exist (multiprocessing's default start method on Linux is fork)
    monkeypatch.setattr(conv, "THREADS", 2)
    monkeypatch.setattr(conv, "CHUNK_BYTES", 1)
    x, K, b, D, s, p = problem(CASES[2], seed=2)             # 3 samples: 3 chunks, 2 threads
    want = conv.conv2d_gradients(x, K, b, D, s, p)[1]
    assert conv._pool is not None
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:                                            # the child
        try:
            os.close(read)
            got = conv.conv2d_gradients(x, K, b, D, s, p)[1]
            os.write(write, b"ok" if np.allclose(got, want, rtol=1e-13) else b"wrong")
        finally:
            os._exit(0)
    os.close(write)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.05)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        pytest.fail("the forked child hung in conv2d_gradients")
    assert os.read(read, 16) == b"ok"
