"""bpcore.figures.vanishing_deltas: the networks it compares and the sizes it reports,
against BP2 written out by hand."""
import matplotlib
import numpy as np
import pytest

import bpcore
from bpcore.figures import vanishing_deltas as vd

matplotlib.use("Agg")


def test_the_three_activations_share_the_sigmoid_networks_weights():
    nets = vd.networks([2, 5, 5, 1], seed=4)
    base = bpcore.Network.random([2, 5, 5, 1], "sigmoid", seed=4)
    for name in ("sigmoid", "tanh", "relu"):
        assert nets[name].activations == (name, name, "sigmoid")
        for l in (1, 2, 3):
            np.testing.assert_array_equal(nets[name].W(l), base.W(l))


def test_the_he_row_has_weights_sqrt2_larger_in_the_relu_layers():
    nets = vd.networks([2, 5, 5, 1], seed=4)
    ratio = [nets["relu, 2/n"].W(l) / nets["relu"].W(l) for l in (1, 2, 3)]
    np.testing.assert_allclose(ratio[0], np.sqrt(2))
    np.testing.assert_allclose(ratio[1], np.sqrt(2))
    np.testing.assert_allclose(ratio[2], 1.0)


def test_mean_abs_deltas_follow_bp1_and_bp2_by_hand():
    net = bpcore.Network.random([2, 3, 2], ["tanh", "sigmoid"], seed=1)
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(2, 4)), rng.uniform(size=(2, 4))
    a1 = np.tanh(net.W(1) @ x + net.b(1)[:, None])
    a2 = 1 / (1 + np.exp(-(net.W(2) @ a1 + net.b(2)[:, None])))
    d2 = (a2 - y) * a2 * (1 - a2)
    d1 = (net.W(2).T @ d2) * (1 - a1 ** 2)
    assert vd.mean_abs_deltas(net, x, y) == pytest.approx([np.abs(d1).mean(),
                                                           np.abs(d2).mean()])


def test_step_factors_divide_each_layer_by_the_next():
    np.testing.assert_allclose(vd.step_factors([1.0, 4.0, 8.0]), [0.25, 0.5])


def test_sigmoid_shrinks_the_error_most_on_the_same_weights():
    rng = np.random.default_rng(0)
    x, y = rng.uniform(-1, 1, size=(2, 50)), rng.uniform(0.1, 0.9, size=(2, 50))
    table = {k: vd.mean_abs_deltas(n, x, y)
             for k, n in vd.networks([2, 32, 32, 32, 32, 2]).items()}
    steps = {k: np.exp(np.log(vd.step_factors(v)[:3]).mean()) for k, v in table.items()}
    assert steps["sigmoid"] < 0.3 < steps["relu"] < steps["relu, 2/n"]
    assert steps["tanh"] > 0.7


def test_plot_draws_one_line_per_row():
    fig = vd.plot({"sigmoid": [1e-3, 1e-2], "tanh": [5e-3, 1e-2]})
    assert len(fig.axes[0].get_lines()) == 2
