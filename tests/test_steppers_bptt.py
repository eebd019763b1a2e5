"""bpcore.steppers.bptt: each view's delta against BP2 across time written out by hand and
against rnn.bptt's deltas, the W_hh terms adding up to rnn.bptt's gradient (itself checked
against central differences in test_rnn.py), the page budget and the refusals."""
import re

import numpy as np
import pytest

from bpcore import rnn as R
from bpcore.steppers.bptt import MAX_HIDDEN, MAX_T, bptt_stepper
from bpcore.steppers.checks import embedded_size


def problem(T=4, n_h=3, seed=0):
    rng = np.random.default_rng(seed)
    net = R.RNN(rng.normal(size=(n_h, 2)), rng.normal(0, 0.7, (n_h, n_h)),
                rng.normal(0, 0.3, n_h), rng.normal(size=(1, n_h)), rng.normal(0, 0.3, 1))
    return net, rng.normal(size=(T, 2)), rng.normal(size=(T, 1)), rng.normal(0, 0.5, n_h)


def test_views_walk_back_from_the_last_step():
    net, x, y, h0 = problem()
    s = bptt_stepper(net, x, y, h0=h0)
    assert [st.title for st in s.steps] == ["What the forward pass stored", "Step 4", "Step 3",
                                            "Step 2", "Step 1", "Every step added"]
    assert s.kind == "bptt" and s.widget._dom_classes == ("bp-stepper", "bp-stepper-bptt")
    assert all(st.png[:4] == b"\x89PNG" and st.alt for st in s.steps)


def test_each_delta_is_bp2_across_time_by_hand_and_the_terms_add_up():
    net, x, y, h0 = problem(T=5, seed=2)
    s = bptt_stepper(net, x, y, h0=h0)
    run = R.forward(net, x[:, :, None], h0[:, None])
    g = R.bptt(net, x[:, :, None], y[:, :, None], h0=h0[:, None])
    after, total = np.zeros(3), np.zeros((3, 3))
    for view, t in zip(s.steps[1:-1], range(5, 0, -1)):
        h_t, h_prev = run.h(t)[:, 0], run.h(t - 1)[:, 0]
        e_t = run.a(t)[:, 0] - y[t - 1]                      # identity output, mse
        delta = (net.W_hy.T @ e_t + net.W_hh.T @ after) * (1 - h_t ** 2)
        np.testing.assert_allclose(view.values["delta_t"], delta, rtol=1e-13)
        np.testing.assert_allclose(view.values["delta_t"], g.deltas[t - 1, :, 0], rtol=1e-12)
        np.testing.assert_allclose(view.values["W_hh term"], np.outer(delta, h_prev),
                                   rtol=1e-13)
        total += np.outer(delta, h_prev)
        np.testing.assert_allclose(view.values["dC/dW_hh so far"], total, rtol=1e-12)
        after = delta
    np.testing.assert_allclose(s.steps[-1].values["dC/dW_hh"], g.W_hh, rtol=1e-13)
    np.testing.assert_allclose(total, g.W_hh, rtol=1e-12)


def test_the_last_step_has_nothing_after_it_and_the_text_says_so():
    net, x, y, h0 = problem(T=3)
    s = bptt_stepper(net, x[:, :, None], y[:, :, None], h0=h0[:, None])
    assert "only the output of step 3" in s.steps[1].latex
    assert "$z_{3}$" in s.steps[2].latex


def test_fits_the_page_budget_at_the_limits():
    rng = np.random.default_rng(0)
    net = R.RNN.random(2, MAX_HIDDEN, 2, seed=0)
    s = bptt_stepper(net, rng.normal(size=(MAX_T, 2)), rng.normal(size=(MAX_T, 2)))
    assert len(s.steps) == MAX_T + 2
    assert embedded_size(s.steps) < 600_000


@pytest.mark.parametrize("args,error,message", [
    (("net", np.zeros((3, 2)), np.zeros((3, 1))), TypeError, r"needs a bpcore.rnn.RNN"),
    ((None, np.zeros((3, 2, 2)), np.zeros((3, 1, 2))), ValueError,
     r"follows one sequence: expected x of shape \(T, 2\) or \(T, 2, 1\).*fix"),
    ((None, np.zeros((MAX_T + 1, 2)), np.zeros((MAX_T + 1, 1))), ValueError,
     rf"at most {MAX_T} time steps, got T = {MAX_T + 1}; fix"),
    ((None, np.zeros((0, 2)), np.zeros((0, 1))), ValueError, r"length 0"),
    ((None, np.zeros((3, 2)), np.full((3, 1), np.nan)), ValueError, r"y contains NaN"),
])
def test_refusals(args, error, message):
    net, *_ = problem()
    args = tuple(net if a is None else a for a in args)
    with pytest.raises(error, match=message):
        bptt_stepper(*args)


def test_refuses_too_many_hidden_units():
    net = R.RNN.random(1, MAX_HIDDEN + 1, 1, seed=0)
    with pytest.raises(ValueError, match=rf"at most {MAX_HIDDEN} hidden units.*fix"):
        bptt_stepper(net, np.zeros((2, 1)), np.zeros((2, 1)))


def test_numbers_in_the_text_are_inside_math():
    net, x, y, h0 = problem(T=3, seed=5)
    last = bptt_stepper(net, x, y, h0=h0).steps[-1].latex
    outside_math = re.sub(r"\$\$.*?\$\$|\$.*?\$", "", last, flags=re.S)
    assert "differ by at most $" in last
    assert "\\" not in outside_math                # no TeX command outside $...$
