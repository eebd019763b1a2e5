"""bpcore.figures.stopping: the recorded norms are ||grad C|| of the network after each
epoch (checked by retraining for that many epochs and by finite differences), the recording
does not change the run, and the figure draws exactly those numbers."""
import matplotlib
import numpy as np
import pytest

import bpcore
from bpcore.figures import stopping

matplotlib.use("Agg")

X, Y = bpcore.datasets.xor()
START = bpcore.Network.random([2, 2, 1], "sigmoid", seed=5)
OPTIONS = dict(learning_rate=0.5, momentum=0.9, progress=False)


def test_norms_are_the_gradient_norm_after_each_epoch():
    run, norms = stopping.gradient_norms(START, X, Y, epochs=4, **OPTIONS)
    assert len(norms) == run.epochs_run == 4
    for epoch in (1, 2, 4):
        after = bpcore.train(START, X, Y, epochs=epoch, **OPTIONS).network
        # an independent oracle: the norm of the finite-difference gradient
        numeric = bpcore.numerical_gradients(after, X, Y)
        assert norms[epoch - 1] == pytest.approx(np.linalg.norm(numeric.flat()), rel=1e-6)


def test_recording_does_not_change_the_run():
    run, _ = stopping.gradient_norms(START, X, Y, epochs=20, **OPTIONS)
    plain = bpcore.train(START, X, Y, epochs=20, **OPTIONS)
    assert run.loss == plain.loss
    assert not run.stopped_early
    for W, W_plain in zip(run.network.weights, plain.network.weights):
        np.testing.assert_array_equal(W, W_plain)


def test_loss_other_than_mse_is_used_for_the_norm():
    x, y = X, Y
    run, norms = stopping.gradient_norms(START, x, y, loss="binary_cross_entropy", epochs=1,
                                         **OPTIONS)
    g = bpcore.backprop(run.network, x, y, "binary_cross_entropy")
    assert norms[0] == pytest.approx(np.linalg.norm(g.flat()), rel=1e-12)


def test_until_is_refused():
    with pytest.raises(TypeError, match="records the norm with its own until= rule"):
        stopping.gradient_norms(START, X, Y, epochs=1, until=lambda net: True, **OPTIONS)


def test_plot_draws_the_costs_the_norms_eps_and_the_stop():
    loss = np.geomspace(0.2, 0.01, 200)
    norms = np.geomspace(1e-2, 1e-5, 200)
    fig = stopping.plot_gradient_norm(loss, norms, eps=1e-4, stop_epoch=120)
    top, bottom = fig.axes
    np.testing.assert_array_equal(top.lines[0].get_xdata(), np.arange(1, 201))
    np.testing.assert_array_equal(top.lines[0].get_ydata(), loss)
    np.testing.assert_array_equal(bottom.lines[0].get_ydata(), norms)
    assert bottom.lines[1].get_ydata()[0] == 1e-4                 # the tolerance
    for ax in (top, bottom):                                      # the red stop line
        assert ax.lines[-1].get_xdata()[0] == 120
    texts = [t.get_text() for t in bottom.texts]
    assert texts == ["ε = 1e-4"]
    assert top.texts[0].get_text() == "Feng's rule\nstops here"
    assert top.get_yscale() == bottom.get_yscale() == "log"
    matplotlib.pyplot.close(fig)


def test_plot_refuses_mismatched_lengths():
    with pytest.raises(ValueError, match="got 2 costs and 3 norms"):
        stopping.plot_gradient_norm([1.0, 0.5], [1.0, 0.5, 0.2], eps=1e-4, stop_epoch=1)


def test_norms_at_reads_the_run_at_the_given_epochs():
    rows = stopping.norms_at(START, X, Y, [5, 2], **OPTIONS)
    assert [row[0] for row in rows] == [2, 5]
    for epoch, cost, theta_norm, grad_norm in rows:
        after = bpcore.train(START, X, Y, epochs=epoch, **OPTIONS).network
        assert cost == pytest.approx(bpcore.cost(after, X, Y))
        params = np.concatenate([p.ravel() for p in after.weights + after.biases])
        assert theta_norm == pytest.approx(np.sqrt(np.sum(params ** 2)))
        numeric = bpcore.numerical_gradients(after, X, Y)
        assert grad_norm == pytest.approx(np.linalg.norm(numeric.flat()), rel=1e-6)


def test_norms_at_refuses_epochs_it_sets_itself():
    with pytest.raises(ValueError, match="counted from 1"):
        stopping.norms_at(START, X, Y, [0, 3], **OPTIONS)
    with pytest.raises(TypeError, match="sets epochs= and until="):
        stopping.norms_at(START, X, Y, [3], epochs=3, **OPTIONS)
