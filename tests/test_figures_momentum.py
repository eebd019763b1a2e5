"""bpcore.figures.momentum: the valley run follows the momentum rule (checked against
bpcore.train on a one-layer identity network whose cost is the same quadratic), the
contraction factor matches the closed forms and the measured decay, and the figure draws
exactly the numbers given."""
import matplotlib
import numpy as np
import pytest

import bpcore
from bpcore.figures import momentum

matplotlib.use("Agg")


def test_plain_descent_multiplies_each_coordinate_by_one_minus_eta_lambda():
    costs = momentum.valley_costs(0.1, 0.0, (1, 5), start=(2.0, -1.0), steps=4)
    t = np.arange(5)
    by_hand = 0.5 * (1 * (2.0 * 0.9 ** t) ** 2 + 5 * (-1.0 * 0.5 ** t) ** 2)
    np.testing.assert_allclose(costs, by_hand, rtol=1e-12)


def test_momentum_run_is_bpcore_trains_momentum_rule():
    # One sample x = 1, target y = 0, identity output with weight w and bias b: the quadratic
    # cost is ½ (w + b)², a valley in the single direction w + b with curvature 2 along
    # (1, 1)/√2.  Start w = 1, b = 0: p = (w + b)/√2 along that direction.
    net = bpcore.Network([np.array([[1.0]])], [np.array([0.0])], "identity")
    x, y = np.array([[1.0]]), np.array([[0.0]])
    run = bpcore.train(net, x, y, epochs=6, learning_rate=0.1, momentum=0.9,
                       progress=False)
    costs = momentum.valley_costs(0.1, 0.9, (2.0,), start=(1 / np.sqrt(2),), steps=6)
    np.testing.assert_allclose(run.loss, costs[1:], rtol=1e-10)


@pytest.mark.parametrize("eta", [0.05, 0.3, 0.5])
def test_contraction_without_momentum_is_the_worst_factor(eta):
    assert momentum.contraction(eta, 0.0, (1, 5)) == pytest.approx(
        max(abs(1 - eta), abs(1 - 5 * eta)))


def test_contraction_is_the_measured_decay_per_step():
    costs = momentum.valley_costs(0.02, 0.9, (1, 100), steps=400)
    measured = (costs[400] / costs[200]) ** (1 / 400)      # cost ~ distance², 200 steps
    assert measured == pytest.approx(momentum.contraction(0.02, 0.9, (1, 100)), rel=0.02)
    assert momentum.contraction(0.02, 0.9, (1, 100)) == pytest.approx(np.sqrt(0.9))


def test_momentum_is_stable_where_plain_descent_at_the_same_effective_step_is_not():
    assert momentum.contraction(0.2, 0.0, (1, 100)) > 1
    assert momentum.contraction(0.02, 0.9, (1, 100)) < 1


def test_bad_curvatures_and_start_are_refused():
    with pytest.raises(ValueError, match="positive curvatures"):
        momentum.valley_costs(0.1, 0.0, (1, -5))
    with pytest.raises(ValueError, match="one entry per curvature"):
        momentum.valley_costs(0.1, 0.0, (1, 5), start=(1.0,))


def test_figure_draws_the_given_costs():
    xor = {"a": [0.2, 0.1, 0.05], "b": [0.2, 0.2, 0.1]}
    valley = {"a": momentum.valley_costs(0.1, 0.0, (1, 5), steps=5)}
    fig = momentum.plot(xor, valley, valley_label="valley")
    left, right = fig.axes
    np.testing.assert_array_equal(left.lines[1].get_ydata(), xor["b"])
    np.testing.assert_array_equal(right.lines[0].get_ydata(), valley["a"])
    assert [t.get_text() for t in left.get_legend().get_texts()] == ["a", "b"]
