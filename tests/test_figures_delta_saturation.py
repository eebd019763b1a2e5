"""bpcore.figures.delta_saturation: |delta| of the one-neuron probe against the closed forms
|(sigma(z) - y) sigma'(z)| (quadratic cost) and |sigma(z) - y| (binary cross-entropy)."""
import matplotlib
import numpy as np
import pytest

from bpcore.figures import delta_saturation as ds

matplotlib.use("Agg")


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


@pytest.mark.parametrize("y", [1.0, 0.0, 0.3])
def test_deltas_match_the_closed_forms(y):
    z = np.linspace(-8, 8, 33)
    d = ds.deltas(z, y)
    s = sigmoid(z)
    np.testing.assert_allclose(d["mse"], np.abs((s - y) * s * (1 - s)), rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(d["binary_cross_entropy"], np.abs(s - y), rtol=1e-10,
                               atol=1e-15)


def test_the_quadratic_cost_is_about_400_times_slower_at_minus_6():
    d = ds.deltas(np.array([-6.0]))
    s = sigmoid(-6.0)
    assert d["binary_cross_entropy"][0] / d["mse"][0] == pytest.approx(1 / (s * (1 - s)))
    assert 400 < d["binary_cross_entropy"][0] / d["mse"][0] < 410


def test_plot_draws_both_curves():
    fig = ds.plot()
    ax = fig.axes[0]
    d = ds.deltas()
    curves = [line for line in ax.lines if len(line.get_xdata()) == ds.Z.size]
    np.testing.assert_allclose(curves[0].get_ydata(), d["mse"])
    np.testing.assert_allclose(curves[1].get_ydata(), d["binary_cross_entropy"])
    assert ax.get_yscale() == "log"
    matplotlib.pyplot.close(fig)


def test_a_2d_z_is_refused():
    with pytest.raises(ValueError, match=r"1-D array of weighted inputs, got shape \(2, 3\)"):
        ds.deltas(np.zeros((2, 3)))
