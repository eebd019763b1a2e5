"""bpcore.figures.initialisation: the three initialisations against Network.random, the
Gaussian averages against sympy's integrals and scipy's quadrature, the variance recursion
against its closed forms and against deep networks, the norms against central differences
and BP2 by hand, and the figures."""
import matplotlib
import numpy as np
import pytest
import sympy
from scipy.integrate import quad

import bpcore
from bpcore import activations as act
from bpcore.figures import initialisation as init

matplotlib.use("Agg")


# --------------------------------------------------------------------------------------
# The initialisations.

def test_weight_variances_are_the_published_rules():
    assert init.weight_variance("naive", 30, 70) == 1.0
    assert init.weight_variance("xavier", 30, 70) == pytest.approx(2 / 100)   # Glorot & Bengio
    assert init.weight_variance("he", 30, 70) == pytest.approx(2 / 30)        # He et al.


def test_an_unknown_scheme_or_size_is_refused_with_the_choices():
    with pytest.raises(ValueError, match=r"unknown initialisation scheme 'glorot'; expected "
                                         r"one of 'naive', 'xavier', 'he'"):
        init.weight_variance("glorot", 3, 3)
    with pytest.raises(ValueError, match=r"n_in must be a positive integer, got 0"):
        init.weight_variance("he", 0, 3)
    with pytest.raises(ValueError, match=r"at least two layer sizes .* got \[5\]"):
        init.network([5], "relu", "he")


@pytest.mark.parametrize("name,scheme", [("relu", "he"), ("tanh", "xavier"),
                                         ("sigmoid", "xavier")])
def test_network_random_is_the_he_or_xavier_rule_on_equal_widths(name, scheme):
    sizes = [12, 12, 12, 12]
    ours, book = init.network(sizes, name, scheme, seed=5), bpcore.Network.random(sizes, name,
                                                                                    seed=5)
    assert ours.activations == book.activations
    for l in range(1, 4):
        np.testing.assert_array_equal(ours.W(l), book.W(l))
        np.testing.assert_array_equal(ours.b(l), np.zeros(12))


def test_the_drawn_variances_match_the_rules_on_a_wide_layer():
    for scheme in init.SCHEMES:
        net = init.network([800, 600], "tanh", scheme, seed=1)
        want = init.weight_variance(scheme, 800, 600)
        assert net.W(1).var() == pytest.approx(want, rel=0.01)
        assert abs(net.W(1).mean()) < 4 * np.sqrt(want / net.W(1).size)


def test_xavier_differs_from_network_random_when_fans_differ():
    xavier = init.network([10, 30], "tanh", "xavier", seed=2)
    book = bpcore.Network.random([10, 30], "tanh", seed=2)
    np.testing.assert_allclose(xavier.W(1) / book.W(1), np.sqrt((2 / 40) / (1 / 10)))


# --------------------------------------------------------------------------------------
# The Gaussian averages and the recursion.

def test_gaussian_mean_agrees_with_sympys_integrals():
    z = sympy.Symbol("z", real=True)
    for q in (0.3, 1.0, 4.7):
        density = sympy.exp(-z ** 2 / (2 * q)) / sympy.sqrt(2 * sympy.pi * q)
        relu_sq = float(sympy.integrate(z ** 2 * density, (z, 0, sympy.oo)))
        fourth = float(sympy.integrate(z ** 4 * density, (z, -sympy.oo, sympy.oo)))
        assert init.gaussian_mean(lambda t: act.relu(t) ** 2, q) == pytest.approx(relu_sq,
                                                                                  rel=1e-12)
        assert init.gaussian_mean(lambda t: act.relu_prime(t) ** 2, q) == pytest.approx(0.5)
        assert init.gaussian_mean(lambda t: t ** 4, q) == pytest.approx(fourth, rel=1e-12)


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
@pytest.mark.parametrize("q", [0.05, 1.0, 30.0])
def test_gaussian_mean_agrees_with_scipy_quad(name, q):
    f = act.get(name).f
    density = lambda t: np.exp(-t * t / (2 * q)) / np.sqrt(2 * np.pi * q)  # noqa: E731
    want = quad(lambda t: float(f(np.array(t))) ** 2 * density(t), -np.inf, np.inf)[0]
    assert init.gaussian_mean(lambda t: f(t) ** 2, q) == pytest.approx(want, rel=1e-9)


def test_gaussian_mean_refuses_a_non_positive_variance():
    with pytest.raises(ValueError, match=r"q \(the variance of z\) must be a positive number"):
        init.gaussian_mean(np.abs, 0.0)


def test_mean_field_closed_forms():
    q, chi = init.mean_field("relu", 2.0, 6, 1.7)           # He: both factors exactly 1
    np.testing.assert_allclose(q, 1.7, rtol=1e-12)
    np.testing.assert_allclose(chi, 1.0, rtol=1e-12)
    q, chi = init.mean_field("relu", 3.0, 4, 1.0)           # forward and backward g/2 = 1.5
    np.testing.assert_allclose(q, [1.0, 1.5, 2.25], rtol=1e-12)
    np.testing.assert_allclose(chi, 1.5, rtol=1e-12)
    q, chi = init.mean_field("identity", 0.8, 4, 2.0)       # a linear network: factor g
    np.testing.assert_allclose(q, [2.0, 1.6, 1.28], rtol=1e-12)
    np.testing.assert_allclose(chi, 0.8, rtol=1e-12)


def test_mean_field_sigmoid_fixed_point_is_near_the_linearised_four_fifteenths():
    q, chi = init.mean_field("sigmoid", 1.0, 40, 1.0)
    assert q[-1] == pytest.approx(q[-2], rel=1e-10)             # converged
    assert q[-1] == pytest.approx(4 / 15, rel=0.02)
    assert chi[-1] == pytest.approx(1 / 16, rel=0.15)
    assert chi[-1] < 1 / 16                                     # sigma' < 1/4 away from 0


def test_mean_field_refuses_softmax():
    with pytest.raises(ValueError, match=r"element-wise activation, got 'softmax'"):
        init.mean_field("softmax", 1.0, 3, 1.0)


def test_anchored_prediction_multiplies_back_by_the_square_roots():
    assert init.anchored_prediction([4.0, 9.0, 1.0], 1.0) == pytest.approx([6.0, 3.0, 1.0])
    assert init.anchored_prediction([0.25] * 5, 2.0) == pytest.approx(
        [2.0 * 0.5 ** 4, 2.0 * 0.5 ** 3, 2.0 * 0.5 ** 2, 1.0, 2.0])


# --------------------------------------------------------------------------------------
# The measurements.

def test_gradient_norms_agree_with_central_differences():
    net = init.network([3, 4, 4, 2], ["tanh", "relu", "identity"], "xavier", seed=4)
    rng = np.random.default_rng(4)
    x, y = rng.normal(size=(3, 5)), rng.normal(size=(2, 5))
    numeric = bpcore.numerical_gradients(net, x, y)
    assert init.gradient_norms(net, x, y) == pytest.approx(
        [np.linalg.norm(numeric.W(l)) for l in (1, 2, 3)], rel=1e-6)


def test_delta_rms_follows_bp1_and_bp2_by_hand():
    net = init.network([2, 3, 2], ["tanh", "identity"], "naive", seed=6)
    rng = np.random.default_rng(6)
    x, y = rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
    a1 = np.tanh(net.W(1) @ x)
    d2 = net.W(2) @ a1 - y                              # identity output, quadratic cost
    d1 = (net.W(2).T @ d2) * (1 - a1 ** 2)
    assert init.delta_rms(net, x, y) == pytest.approx([np.sqrt(np.mean(d1 ** 2)),
                                                       np.sqrt(np.mean(d2 ** 2))])


def test_depth_experiment_builds_nine_networks_sharing_one_draw():
    exp = init.depth_experiment(width=8, depth=5, batch=3, seed=2)
    assert exp.x.shape == exp.y.shape == (8, 3)
    assert set(exp.nets) == {(f, s) for f in init.ACTIVATIONS for s in init.SCHEMES}
    for (f, s), net in exp.nets.items():
        assert net.sizes == (8,) * 6 and net.activations == (f,) * 4 + ("identity",)
    for l in range(1, 6):
        np.testing.assert_allclose(exp.nets["relu", "he"].W(l) / exp.nets["relu", "xavier"].W(l),
                                   np.sqrt(2))
        np.testing.assert_allclose(exp.nets["relu", "naive"].W(l) / exp.nets["relu", "xavier"].W(l),
                                   np.sqrt(8))


@pytest.mark.parametrize("f,scheme", [("relu", "he"), ("relu", "xavier"), ("tanh", "naive"),
                                      ("sigmoid", "xavier")])
def test_the_recursion_predicts_the_deltas_of_deep_networks(f, scheme):
    # The recursion assumes delta^{l+1} independent of the weights that carry it back, and
    # describes the average over random weights: an output delta drawn at random (not
    # a^L - y, which carries the forward signal), a width of 200 and three draws.
    gain = 200 * init.weight_variance(scheme, 200, 200)
    _, chi = init.mean_field(f, gain, 12, gain)
    predicted = np.prod(np.sqrt(chi[:10])) ** (1 / 10)        # per layer, delta^1 .. delta^11
    logs = []
    for seed in range(3):
        exp = init.depth_experiment(width=200, depth=12, batch=100, seed=seed)
        net = exp.nets[f, scheme]
        delta_L = np.random.default_rng(seed).normal(size=exp.y.shape)
        deltas = bpcore.hidden_deltas(net, bpcore.forward(net, exp.x), delta_L)
        logs.append(np.log(np.sqrt(np.mean(deltas.at(1) ** 2) / np.mean(deltas.at(11) ** 2))) / 10)
    assert np.exp(np.mean(logs)) == pytest.approx(predicted, rel=0.03)


def test_in_the_chapters_networks_the_deltas_follow_the_recursion_within_a_few_percent():
    exp = init.depth_experiment()
    for (f, scheme), net in exp.nets.items():
        measured = init.delta_rms(net, exp.x, exp.y)
        gain = 100 * init.weight_variance(scheme, 100, 100)
        predicted = init.anchored_prediction(init.mean_field(f, gain, 20, gain)[1], measured[18])
        assert predicted[18] == measured[18]
        per_layer = [(v[0] / v[18]) ** (1 / 18) for v in (measured, predicted)]
        assert per_layer[0] == pytest.approx(per_layer[1], rel=0.05), (f, scheme)


# --------------------------------------------------------------------------------------
# The figures.

def test_plot_layers_draws_one_panel_per_activation_and_the_predictions():
    values = {(f, s): [1.0, 2.0, 4.0] for f in init.ACTIVATIONS for s in init.SCHEMES}
    fig = init.plot_layers(values, "y")
    assert len(fig.axes) == 3
    assert all(len(ax.get_lines()) == 3 and ax.get_yscale() == "log" for ax in fig.axes)
    fig2 = init.plot_layers(values, "y", predicted={k: [1.0, 2.0] for k in values})
    assert len(fig2.axes[1].get_lines()) == 6                       # markers and lines
    np.testing.assert_allclose(fig2.axes[1].get_lines()[1].get_ydata(), [1.0, 2.0])
    matplotlib.pyplot.close("all")


def test_plot_rate_scan_and_curves():
    fig = init.plot_rate_scan({"mse": {0.1: 3, 1.6: 17}, "binary_cross_entropy": {0.1: 5}}, 17)
    ax = fig.axes[0]
    assert [list(line.get_ydata()) for line in ax.get_lines()] == [[3, 17], [5]]
    assert ax.get_xscale() == "log"
    assert all(float(t).is_integer() for t in ax.get_yticks())  # counts of seeds
    fig = init.plot_curves({"a": [3.0, 2.0, 1.0], "b": [1.0, 1.0]}, "E", hline=(4.0, "four"),
                           ylim=(0.5, 5.0))
    assert [len(line.get_xdata()) for line in fig.axes[0].get_lines()][:2] == [3, 2]
    assert fig.axes[0].get_ylim() == (0.5, 5.0)
    matplotlib.pyplot.close("all")
