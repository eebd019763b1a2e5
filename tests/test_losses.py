"""Each loss record against independent oracles: central differences of its value, its
sympy form, and the two factors of BP1 where a record writes delta^L as a shortcut."""
import numpy as np
import pytest
import sympy

from _helpers import random_targets
from bpcore import activations, losses


def _sample(out_act, loss, seed, m):
    """The records and a random (z, a, y) of 3 outputs and m samples inside the loss's domain."""
    rng = np.random.default_rng(seed)
    act, record = activations.get(out_act), losses.get(loss)
    z = rng.normal(size=(3, m))
    return act, record, z, act.f(z), random_targets(rng, loss, out_act, 3, m)


@pytest.mark.parametrize("out_act, loss", losses.pairs())
def test_gradient_matches_central_differences(out_act, loss):
    act, record, z, a, y = _sample(out_act, loss, 1, 2)
    eps = 1e-6
    fd = np.zeros_like(a)
    for idx in np.ndindex(a.shape):
        up, down = a.copy(), a.copy()
        up[idx] += eps
        down[idx] -= eps
        # the loss as a function of a alone (z=None makes it use ln a)
        fd[idx] = (record.per_sample(y, up, None, activations.get("identity")).sum()
                   - record.per_sample(y, down, None, activations.get("identity")).sum()) / (2 * eps)
    np.testing.assert_allclose(record.gradient(y, a), fd, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("out_act, loss", losses.pairs())
def test_sympy_form_is_the_value(out_act, loss):
    act, record, z, a, y = _sample(out_act, loss, 2, 1)
    expr = record.sympy([sympy.Float(v) for v in y[:, 0]], [sympy.Float(v) for v in a[:, 0]])
    assert float(expr) == pytest.approx(record.per_sample(y, a, z, act)[0], rel=1e-12)


@pytest.mark.parametrize("loss", losses.names())
def test_shortcuts_equal_the_two_factors_of_bp1(loss):
    for out_act, shortcut in losses.get(loss).shortcuts.items():
        act, record, z, a, y = _sample(out_act, loss, 3, 4)
        two_factors = act.backward(z, a, record.gradient(y, a))
        np.testing.assert_allclose(shortcut(a, y), two_factors, rtol=1e-10, atol=1e-12)


def test_matched_pairs_are_the_a_minus_y_shortcuts():
    assert losses.MATCHED_PAIRS == {("softmax", "cross_entropy"),
                                    ("sigmoid", "binary_cross_entropy")}
    assert losses.get("cross_entropy").matched == ("softmax",)


def test_outputs_follow_the_activation_records():
    assert losses.get("mse").outputs() == activations.names()
    assert set(losses.get("cross_entropy").outputs()) == {"sigmoid", "softmax"}


def test_saturated_log_losses_stay_finite():
    z = np.array([[-800.0, 800.0]])
    sigmoid = activations.get("sigmoid")
    a, y = sigmoid.f(z), np.array([[1.0, 0.0]])
    value = losses.get("binary_cross_entropy").per_sample(y, a, z, sigmoid)
    np.testing.assert_allclose(value, [800.0, 800.0])
    assert np.all(np.isfinite(losses.get("binary_cross_entropy").gradient(y, a)))


def test_unknown_loss_is_refused():
    with pytest.raises(ValueError, match="unknown loss 'l2'; valid names are 'mse'"):
        losses.get("l2")
    with pytest.raises(TypeError, match="expected a Loss record"):
        losses.register("mse")
