"""bpcore.figures.gradient_cost: the multiply-add count against a direct count of the
products bpcore's backprop performs, and the timer against a fake clock."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

import bpcore
from bpcore.figures import gradient_cost


@pytest.mark.parametrize("sizes", [(2, 3, 2), (10, 400, 10), (4, 5, 6, 3)])
def test_multiply_adds_count_the_products_of_the_passes(sizes):
    """The count by formula against the sizes of the products bpcore.forward makes."""
    net = bpcore.Network.random(list(sizes), seed=0)
    x = np.ones((sizes[0], 1))
    fwd, bwd = gradient_cost.multiply_adds(sizes)
    # by hand: forward one product per layer; backward BP4 per layer and BP2 above layer 1
    pairs = [n * k for n, k in zip(sizes[1:], sizes[:-1])]
    assert fwd == sum(pairs)
    assert bwd == sum(pairs) + sum(pairs[1:])
    # and the forward count is what W^l @ a^{l-1} costs in bpcore.forward
    fp = bpcore.forward(net, x)
    assert fwd == sum(net.W(l).size * fp.a(l - 1).shape[1] for l in range(1, len(sizes)))


def test_multiply_adds_scale_with_the_batch_and_give_two_and_a_half_passes():
    fwd, bwd = gradient_cost.multiply_adds((10, 400, 10), m=10)
    assert (fwd, bwd) == (80_000, 120_000)
    assert (fwd + bwd) / fwd == 2.5
    deep = gradient_cost.multiply_adds((100,) * 21)
    assert (deep[0] + deep[1]) / deep[0] == pytest.approx(2.95)


def test_multiply_adds_refuses_bad_sizes():
    with pytest.raises(ValueError, match="at least two positive integers"):
        gradient_cost.multiply_adds((3,))


def test_time_gradients_reports_per_call_seconds_from_the_clock():
    ticks = itertools.count()                  # each clock() call advances by 1 second
    nets = [bpcore.Network.random([2, h, 2], seed=h) for h in (2, 3)]
    x, y = np.ones((2, 1)), np.full((2, 1), 0.5)
    times = gradient_cost.time_gradients(nets, x, y, repeats=2, calls=4,
                                         clock=lambda: float(next(ticks)))
    np.testing.assert_array_equal(times.P, [n.n_parameters for n in nets])
    # two clock reads around `calls` calls: 1 tick / 4 calls; numerical: 1 tick / 1 call
    np.testing.assert_allclose(times.cost, 0.25)
    np.testing.assert_allclose(times.backprop, 0.25)
    np.testing.assert_allclose(times.numerical, 1.0)
    np.testing.assert_allclose(times.ratio, 4.0)


def test_time_gradients_refuses_an_empty_list():
    with pytest.raises(ValueError, match="at least one network"):
        gradient_cost.time_gradients([], np.ones((2, 1)), np.ones((2, 1)))


# -- Chapter 15: the passes timed apart ------------------------------------------------------

@pytest.mark.parametrize("out_act,loss", bpcore.losses.pairs())
def test_backward_pass_is_backprop_without_its_forward_pass(out_act, loss):
    from _helpers import random_targets
    rng = np.random.default_rng(2)
    net = bpcore.Network.random([3, 4, 4, 2], ["tanh", "relu", out_act], seed=rng)
    x, y = rng.normal(size=(3, 5)), random_targets(rng, loss, out_act, 2, 5)
    g = gradient_cost.backward_pass(net, bpcore.forward(net, x), y, loss)
    reference = bpcore.backprop(net, x, y, loss)
    for a, b in zip(g.weights + g.biases, reference.weights + reference.biases):
        np.testing.assert_array_equal(a, b)


def test_time_calls_interleaves_and_keeps_the_fastest_repeat():
    order = []
    readings = iter([0.0, 1.0, 1.0, 4.0,      # repeat 1: f 1 s, g 3 s for 2 calls
                     4.0, 8.0, 8.0, 9.0])     # repeat 2: f 4 s, g 1 s
    fns = [lambda: order.append("f"), lambda: order.append("g")]
    best = gradient_cost.time_calls(fns, repeats=2, calls=2, clock=lambda: next(readings))
    np.testing.assert_allclose(best, [0.5, 0.5])
    assert order == ["f", "g"] + ["f", "f", "g", "g"] * 2     # warm-up, then interleaved


def test_time_calls_limits_the_blas_threads_while_timing():
    from threadpoolctl import threadpool_info
    seen = []
    gradient_cost.time_calls([lambda: seen.append(
        [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"])],
        repeats=1, calls=1, threads=1)
    assert seen and all(t == [1] * len(t) for t in seen)


def test_time_passes_reports_per_call_seconds_from_the_clock():
    ticks = itertools.count()
    nets = [bpcore.Network.random([2, h, 2], seed=h) for h in (2, 3)]
    x, y = np.ones((2, 1)), np.full((2, 1), 0.5)
    times = gradient_cost.time_passes(nets, x, y, repeats=2, calls=4,
                                      clock=lambda: float(next(ticks)))
    assert times.sizes == ((2, 2, 2), (2, 3, 2))
    for seconds in (times.forward, times.backward, times.gradient):
        np.testing.assert_allclose(seconds, 0.25)
    np.testing.assert_allclose(times.ratio, 1.0)


def test_the_timers_refuse_bad_input():
    with pytest.raises(ValueError, match="at least one function to time"):
        gradient_cost.time_calls([])
    with pytest.raises(TypeError, match="got int; wrap a call as lambda: f\\(x\\)"):
        gradient_cost.time_calls([lambda: None, 3])
    with pytest.raises(ValueError, match="threads must be a positive integer, got 0"):
        gradient_cost.time_calls([lambda: None], threads=0)
    with pytest.raises(ValueError, match="repeats must be a positive integer"):
        gradient_cost.time_calls([lambda: None], repeats=0)
    with pytest.raises(ValueError, match="at least one network"):
        gradient_cost.time_passes([], np.ones((2, 1)), np.ones((2, 1)))
