"""bpcore.steppers.nudge: measured changes of the cost against a second network built
here, and the gap to the prediction shrinking like (Delta w)^2."""
import numpy as np
import pytest

import bpcore
from bpcore import steppers
from test_steppers_forward import EX


def test_nudge_grid_measured_and_predicted():
    names = ["w^2_13", "w^1_21"]
    nudges = (0.5, -0.1, 0.01, -0.5)
    e = steppers.nudge_explorer(EX.net, EX.x, EX.y, weights=names, nudges=nudges)
    assert e.weight_names == tuple(names)
    assert e.nudges == (-0.5, -0.1, 0.01, 0.5)
    C0 = bpcore.cost(EX.net, EX.x, EX.y)
    g = bpcore.backprop(EX.net, EX.x, EX.y)
    for name, (l, j, k) in zip(names, [(2, 0, 2), (1, 1, 0)]):
        for dw in e.nudges:
            W = [np.array(M) for M in EX.net.weights]
            W[l - 1][j, k] += dw
            measured = bpcore.cost(bpcore.Network(W, EX.net.biases, "sigmoid"), EX.x, EX.y) - C0
            cell = e.grid[(name, dw)]
            assert cell["measured"] == pytest.approx(measured, rel=1e-12, abs=1e-15)
            assert cell["predicted"] == pytest.approx(g.weights[l - 1][j, k] * dw, rel=1e-12)
    assert len(e.steps) == len(names) * len(nudges)


def test_nudge_prediction_error_shrinks_quadratically():
    e = steppers.nudge_explorer(EX.net, EX.x, EX.y, weights=["w^2_11"],
                                nudges=(0.1, 0.01, 0.001))
    gaps = [abs(e.grid[("w^2_11", d)]["measured"] - e.grid[("w^2_11", d)]["predicted"])
            for d in (0.1, 0.01, 0.001)]
    # second order: ten times smaller nudge, about a hundred times smaller gap
    assert 50 < gaps[0] / gaps[1] < 200 and 50 < gaps[1] / gaps[2] < 200


def test_one_weight_on_its_own_and_every_weight_by_default():
    e = steppers.nudge_explorer(EX.net, EX.x, EX.y, weights=(2, 1, 3), nudges=[0.1])
    assert e.weight_names == ("w^2_13",)
    e = steppers.nudge_explorer(EX.net, EX.x, EX.y, nudges=[0.1])
    assert len(e.weight_names) == sum(W.size for W in EX.net.weights) == len(e.steps)
    assert e.nudges == (0.1,) and steppers.DEFAULT_NUDGES == (-0.5, -0.1, -0.01, 0.01, 0.1, 0.5)
