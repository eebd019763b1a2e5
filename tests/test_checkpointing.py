"""bpcore.checkpointing against independent oracles: bpcore.backprop (bitwise), central
differences, the schedule worked out by hand, and tracemalloc for the memory it holds."""
from __future__ import annotations

import math
import zlib

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import bpcore
from _helpers import extrapolated_differences, random_targets
from bpcore import activations, checkpointing
from bpcore.checkpointing import backprop_checkpointed
from bpcore.figures.backprop_memory import peak_bytes

HIDDEN = [n for n in activations.names() if not activations.get(n).output_only]
PAIRS = bpcore.losses.pairs()


def _problem(rng, L, hidden, out_act, loss, m):
    sizes = [int(n) for n in rng.integers(1, 5, size=L + 1)]
    if out_act == "softmax":                    # softmax needs two or more outputs
        sizes[-1] = max(sizes[-1], 2)
    net = bpcore.Network.random(sizes, [hidden] * (L - 1) + [out_act], seed=rng)
    net = net.replace(biases=[rng.normal(size=b.shape) for b in net.biases])
    x = rng.normal(size=(sizes[0], m))
    return net, x, random_targets(rng, loss, out_act, sizes[-1], m)


def _identical(g, h):
    return all(a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b)
               for a, b in zip(g.weights + g.biases, h.weights + h.biases))


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("out_act,loss", PAIRS)
def test_gradients_are_bitwise_those_of_backprop_for_every_spacing(hidden, out_act, loss):
    rng = np.random.default_rng(zlib.crc32(f"{hidden} {out_act} {loss}".encode()))
    for L in (1, 2, 3, 5, 7):
        net, x, y = _problem(rng, L, hidden, out_act, loss, m=int(rng.integers(1, 6)))
        reference = bpcore.backprop(net, x, y, loss)
        for every in range(1, L + 2):
            g = backprop_checkpointed(net, x, y, loss, every=every)
            assert _identical(g, reference), (hidden, out_act, loss, L, every)


@st.composite
def problems(draw):
    L = draw(st.integers(1, 4))
    hidden = draw(st.sampled_from(HIDDEN))
    out_act, loss = draw(st.sampled_from(PAIRS))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    net, x, y = _problem(rng, L, hidden, out_act, loss, m=draw(st.integers(1, 4)))
    return net, x, y, loss, draw(st.integers(1, L + 1))


@settings(max_examples=80, deadline=None)
@given(problems())
def test_gradients_match_central_differences(problem):
    net, x, y, loss, every = problem
    g = backprop_checkpointed(net, x, y, loss, every=every)
    assert bpcore.relative_error(g, extrapolated_differences(net, x, y, loss)) < 1e-4


def test_one_sample_and_float32_and_the_default_spacing():
    rng = np.random.default_rng(5)
    net = bpcore.Network.random([3, 4, 4, 4, 4, 2], ["tanh"] * 4 + ["sigmoid"], seed=1)
    x1, y1 = rng.normal(size=3), rng.uniform(size=2)
    assert _identical(backprop_checkpointed(net, x1, y1, every=2), bpcore.backprop(net, x1, y1))
    net32 = bpcore.Network(net.weights, net.biases, net.activations, dtype="float32")
    x, y = rng.normal(size=(3, 6)), rng.uniform(size=(2, 6))
    g32 = backprop_checkpointed(net32, x, y, every=2)
    assert g32.weights[0].dtype == np.float32
    assert _identical(g32, bpcore.backprop(net32, x, y))
    assert _identical(backprop_checkpointed(net, x, y), bpcore.backprop(net, x, y))


def test_the_callers_arrays_are_not_changed():
    rng = np.random.default_rng(6)
    net = bpcore.Network.random([3, 5, 5, 5, 2], "relu", seed=2)
    x, y = rng.normal(size=(3, 4)), rng.normal(size=(2, 4))
    x0, y0 = x.copy(), y.copy()
    backprop_checkpointed(net, x, y, every=1)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(y, y0)


# -- The schedule ------------------------------------------------------------------------

def test_the_schedule_for_eight_layers_by_hand():
    assert checkpointing.checkpoints(8, every=3) == (0, 3, 6)
    assert checkpointing.segments(8, every=3) == ((6, 8), (3, 6), (0, 3))
    assert checkpointing.recomputed_layers(8, every=3) == 6
    assert checkpointing.segments(8, every=1) == tuple((l - 1, l) for l in range(8, 0, -1))
    assert checkpointing.segments(8, every=8) == ((0, 8),)
    assert checkpointing.segments(8, every=100) == ((0, 8),)
    assert checkpointing.recomputed_layers(8, every=100) == 0


@pytest.mark.parametrize("L", range(1, 40))
def test_the_segments_cover_every_layer_once_and_the_default_is_the_square_root(L):
    for every in range(1, L + 2):
        plan = checkpointing.segments(L, every)
        layers = [l for s, e in plan for l in range(s + 1, e + 1)]
        assert sorted(layers) == list(range(1, L + 1))
        assert all(e - s <= every for s, e in plan)
    assert checkpointing.default_every(L) == math.ceil(math.sqrt(L))


def _held_by_hand(sizes, m, every):
    """Floats held: for each segment (s, e], the kept a^c (0 < c <= s, c a multiple of
    every) and z, a of layers s+1..e; the largest over the segments."""
    L = len(sizes) - 1
    best = 0
    for s in range(0, L, every):
        e = min(s + every, L)
        kept = sum(sizes[c] for c in range(every, s + 1, every))
        best = max(best, kept + 2 * sum(sizes[s + 1:e + 1]))
    return m * best


@pytest.mark.parametrize("sizes", [(10,) * 9, (3, 7, 2, 9, 4, 4, 1), (5, 50, 5, 50, 5)])
def test_stored_floats_counts_the_arrays_of_the_schedule(sizes):
    L = len(sizes) - 1
    assert checkpointing.stored_floats(sizes, 4, every=L) == 4 * 2 * sum(sizes[1:])
    for every in range(1, L + 1):
        assert checkpointing.stored_floats(sizes, 4, every) == _held_by_hand(sizes, 4, every)
    if len(set(sizes)) == 1:        # equal widths n: every = 1 keeps a^1..a^{L-1}, z^L, a^L
        assert checkpointing.stored_floats(sizes, 1, every=1) == (L + 1) * sizes[0]


def test_the_measured_peak_lies_between_the_count_and_the_count_plus_gradients():
    """tracemalloc: the checkpointed pass holds the counted arrays, and besides them only
    its gradients and a few layer-sized temporaries."""
    rng = np.random.default_rng(7)
    L, n, m = 12, 32, 256
    net = bpcore.Network.random([n] * (L + 1), "sigmoid", seed=3)
    x, y = rng.normal(size=(n, m)), rng.uniform(size=(n, m))
    peaks = {}
    for every in (1, 2, 3, 4, 6, 12):
        _, peak = peak_bytes(backprop_checkpointed, net, x, y, every=every)
        count = 8 * checkpointing.stored_floats(net.sizes, m, every)
        assert count <= peak <= count + 8 * (net.n_parameters + 4 * n * m), every
        peaks[every] = peak
    assert peaks[3] < 0.5 * peaks[12]


# -- Bad input -----------------------------------------------------------------------------

@pytest.fixture
def small():
    net = bpcore.Network.random([2, 3, 3, 1], seed=0)
    return net, np.ones((2, 4)), np.full((1, 4), 0.5)


@pytest.mark.parametrize("every,error,message", [
    (0, ValueError, "at least 1 layer, got 0; every=1 keeps every a\\^l, every=3"),
    (-2, ValueError, "at least 1 layer, got -2"),
    (2.5, TypeError, "a whole number of layers such as 2, got float 2.5"),
    (True, TypeError, "got bool True"),
    ("2", TypeError, "got str '2'"),
])
def test_bad_spacing_is_refused(small, every, error, message):
    net, x, y = small
    with pytest.raises(error, match=message):
        backprop_checkpointed(net, x, y, every=every)


def test_bad_network_and_data_are_refused_with_the_engines_messages(small):
    net, x, y = small
    with pytest.raises(TypeError, match="expected a bpcore.Network, got list"):
        backprop_checkpointed([net], x, y)
    with pytest.raises(ValueError, match=r"x has shape \(4, 2\) but should be \(2, 4\).*use x.T"):
        backprop_checkpointed(net, x.T, y)
    with pytest.raises(ValueError, match=r"y has shape \(1, 3\) but should be \(1, 4\)"):
        backprop_checkpointed(net, x, y[:, :3])
    with pytest.raises(ValueError, match="x contains NaN or inf"):
        backprop_checkpointed(net, np.full((2, 4), np.nan), y)
    with pytest.raises(ValueError, match="unknown loss 'mae'"):
        backprop_checkpointed(net, x, y, loss="mae")
    relu_out = bpcore.Network.random([2, 3, 1], "relu", seed=0)
    with pytest.raises(ValueError, match="needs outputs in \\(0, 1\\).*uses 'relu'"):
        backprop_checkpointed(relu_out, x, y, loss="binary_cross_entropy")
    with pytest.raises(ValueError, match="needs targets in \\[0, 1\\]"):
        backprop_checkpointed(net, x, np.full((1, 4), 2.0), loss="binary_cross_entropy")


@pytest.mark.parametrize("call,message", [
    (lambda: checkpointing.checkpoints(0, every=1), "positive integer, got 0"),
    (lambda: checkpointing.segments(2.0, every=1), "positive integer, got 2.0"),
    (lambda: checkpointing.stored_floats((3,), 1, every=1), "at least two positive integers"),
    (lambda: checkpointing.stored_floats((3, 0, 2), 1, every=1), "got \\(3, 0, 2\\)"),
    (lambda: checkpointing.stored_floats((3, 2), 0, every=1), "m must be a positive integer"),
    (lambda: checkpointing.recomputed_layers(4, every=0), "at least 1 layer"),
])
def test_the_schedule_functions_refuse_bad_sizes(call, message):
    with pytest.raises(ValueError, match=message):
        call()
