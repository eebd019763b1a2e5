"""The engine's work buffers: backprop keeps z^l and delta^l between calls (per thread), so
these tests check that nothing a caller holds ever shares memory with them, that the
caller's own arrays are never written, that threads do not disturb each other, and that
the buffers kept stay few.  The oracle throughout is the four public step functions,
which compute without buffers and compose exactly to backprop."""
import threading

import numpy as np
import pytest

import bpcore
from bpcore import engine


def problem(seed, sizes=(5, 4, 3, 3), m=6, acts=("sigmoid", "relu", "softmax")):
    rng = np.random.default_rng(seed)
    net = bpcore.Network.random(list(sizes), list(acts), seed=rng)
    net = net.replace(biases=[rng.normal(size=b.shape) for b in net.biases])
    x = rng.normal(size=(sizes[0], m))
    y = bpcore.datasets.one_hot(rng.integers(0, sizes[-1], size=m), sizes[-1])
    return net, x, y


def by_steps(net, x, y, loss="cross_entropy"):
    """The gradients from forward, BP1, BP2, BP4 and BP3 called one by one."""
    fp = bpcore.forward(net, x)
    deltas = bpcore.hidden_deltas(net, fp, bpcore.output_delta(net, fp, y, loss))
    return bpcore.weight_gradients(fp, deltas), bpcore.bias_gradients(deltas)


def assert_gradients_equal(grads, expected):
    for got, want in zip(grads.weights + grads.biases, list(expected[0]) + list(expected[1])):
        np.testing.assert_array_equal(got, want)


def test_earlier_gradients_do_not_change_when_backprop_is_called_again():
    net, x1, y1 = problem(1)
    _, x2, y2 = problem(2)
    first = bpcore.backprop(net, x1, y1, "cross_entropy")
    kept = [np.array(g) for g in first.weights + first.biases]
    second = bpcore.backprop(net, x2, y2, "cross_entropy")   # same shapes: same buffers
    for g, g0 in zip(first.weights + first.biases, kept):
        np.testing.assert_array_equal(g, g0)
    for g1 in first.weights + first.biases:
        for g2 in second.weights + second.biases:
            assert not np.shares_memory(g1, g2)
    assert_gradients_equal(second, by_steps(net, x2, y2))


def test_forward_passes_and_deltas_held_by_the_caller_do_not_change():
    net, x1, y1 = problem(3)
    _, x2, y2 = problem(4)
    fp = bpcore.forward(net, x1)
    deltas = bpcore.hidden_deltas(net, fp, bpcore.output_delta(net, fp, y1, "cross_entropy"))
    kept = [np.array(a) for a in fp.zs + fp.activations + tuple(deltas)]
    bpcore.backprop(net, x2, y2, "cross_entropy")
    bpcore.backprop(net, x1, y1, "cross_entropy")
    for a, a0 in zip(fp.zs + fp.activations + tuple(deltas), kept):
        np.testing.assert_array_equal(a, a0)


def test_the_callers_arrays_are_only_read():
    net, x, y = problem(5)
    expected = by_steps(net, x, y)
    for arr in (x, y):
        arr.flags.writeable = False   # any write into them would raise
    assert_gradients_equal(bpcore.backprop(net, x, y, "cross_entropy"), expected)


def test_alternating_shapes_and_batch_sizes_give_the_unbuffered_answer():
    nets = [problem(6)[0], bpcore.Network.random([5, 8, 3], ["tanh", "softmax"], seed=7)]
    rng = np.random.default_rng(8)
    for step in range(12):   # more (shape, m) pairs than the engine keeps buffers for
        net, m = nets[step % 2], 1 + step % 5
        x = rng.normal(size=(5, m))
        y = bpcore.datasets.one_hot(rng.integers(0, 3, size=m), 3)
        assert_gradients_equal(bpcore.backprop(net, x, y, "cross_entropy"),
                               by_steps(net, x, y))


def test_threads_computing_at_once_each_get_their_own_answer():
    cases = [problem(10 + k, sizes=(30, 40, 40, 10), m=32) for k in range(4)]
    expected = [bpcore.backprop(net, x, y, "cross_entropy") for net, x, y in cases]
    failures = []
    start = threading.Barrier(len(cases))

    def work(k):
        net, x, y = cases[k]
        start.wait()
        for _ in range(40):
            g = bpcore.backprop(net, x, y, "cross_entropy")
            if not all(np.array_equal(a, b) for a, b in zip(g.flat(), expected[k].flat())):
                failures.append(k)
                return

    threads = [threading.Thread(target=work, args=(k,)) for k in range(len(cases))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []


def test_a_thread_keeps_buffers_for_two_problem_shapes_and_none_for_huge_ones():
    net = bpcore.Network.random([4, 3, 2], seed=0)
    rng = np.random.default_rng(0)
    for m in (1, 2, 3, 4, 5):
        bpcore.backprop(net, rng.normal(size=(4, m)), rng.uniform(size=(2, m)))
    assert [key[1] for key in engine._local.kept] == [4, 5]
    # z^l and delta^l of this batch would take 2 * (3 + 2) * m * 8 bytes > _MAX_BYTES
    m = engine._MAX_BYTES // 80 + 1
    x, y = rng.normal(size=(4, m)), rng.uniform(size=(2, m))
    grads = bpcore.backprop(net, x, y)
    assert [key[1] for key in engine._local.kept] == [4, 5]
    assert_gradients_equal(grads, by_steps(net, x, y, "mse"))


@pytest.mark.parametrize("shapes", [[(3, 2), (1, 3)], [(512, 784), (512, 512), (10, 512)]])
def test_new_arrays_are_separate_contiguous_and_writable(shapes):
    arrays = engine._new_arrays(shapes, np.float64)
    assert [a.shape for a in arrays] == shapes
    assert all(a.flags.c_contiguous and a.flags.writeable for a in arrays)
    for i, a in enumerate(arrays):  # writing one array leaves the others alone
        for other in arrays:
            other[...] = 0.0
        a[...] = i + 1.0
        assert [float(b.sum()) for b in arrays] == [(j == i) * (i + 1.0) * b.size
                                                    for j, b in enumerate(arrays)]
    total = sum(a.nbytes for a in arrays)
    if total >= 2 * engine._HUGE_PAGE:  # big blocks start on a huge-page boundary
        assert arrays[0].ctypes.data % engine._HUGE_PAGE == 0
