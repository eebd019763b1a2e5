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
