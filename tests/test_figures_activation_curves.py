"""bpcore.figures.activation_curves: each dashed curve is the derivative of its solid curve
(checked by central differences), and ReLU's jump is drawn with the value bpcore uses."""
import matplotlib
import numpy as np
import pytest

from bpcore.figures import activation_curves as ac

matplotlib.use("Agg")


@pytest.mark.parametrize("name", ac.NAMES)
def test_the_derivative_curve_is_the_slope_of_the_function(name):
    z = np.array([-3.1, -1.2, -0.4, 0.3, 0.9, 2.5])   # away from ReLU's kink
    _, f, f_prime = ac.curves(name, z)
    h = 1e-6
    _, f_up, _ = ac.curves(name, z + h)
    _, f_down, _ = ac.curves(name, z - h)
    np.testing.assert_allclose(f_prime, (f_up - f_down) / (2 * h), atol=1e-8)


def test_known_values():
    _, f, f_prime = ac.curves("sigmoid", np.array([0.0]))
    assert (f[0], f_prime[0]) == (0.5, 0.25)
    _, f, f_prime = ac.curves("tanh", np.array([0.0]))
    assert (f[0], f_prime[0]) == (0.0, 1.0)


def test_plot_draws_each_panel_and_the_relu_jump():
    fig = ac.plot()
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == list(ac.NAMES)
    relu = fig.axes[2]
    dots = [(line.get_xdata()[0], line.get_ydata()[0], line.get_markerfacecolor())
            for line in relu.lines if line.get_marker() == "o"]
    assert dots[0][:2] == (0, 0.0) and dots[1][:2] == (0, 1) and dots[1][2] == "white"
    dashed = [line for line in relu.lines if line.get_linestyle() == "--"]
    assert len(dashed) == 2 and max(dashed[0].get_xdata()) < 0 < min(dashed[1].get_xdata())
    sigmoid_curve = fig.axes[0].lines[2]          # after the two axis lines
    np.testing.assert_allclose(sigmoid_curve.get_ydata(), 1 / (1 + np.exp(-ac.Z)))
    matplotlib.pyplot.close(fig)


def test_softmax_and_unknown_names_are_refused():
    with pytest.raises(ValueError, match="element-wise activation.*got 'softmax'"):
        ac.curves("softmax")
    with pytest.raises(ValueError, match="sigmoidd"):
        ac.curves("sigmoidd")
