"""bpcore.rnn against independent oracles: central differences of the cost, and the same
unrolled network recorded in bpcore.autodiff's matrix engine, on random sizes, outputs,
losses, scored steps and truncation lengths; the truncated gradient against the cost with
the hidden state held fixed K steps back; and every refusal's message."""
import numpy as np
import pytest

from bpcore import losses, rnn as R, rnn_training as RT
from bpcore.autodiff import Tensor, activate, add_bias, cost, matmul

PAIRS = [("identity", "mse"), ("tanh", "mse"), ("sigmoid", "binary_cross_entropy"),
         ("softmax", "cross_entropy"), ("sigmoid", "cross_entropy")]


def random_problem(seed, T=None, truncation=None):
    """A random RNN (nonzero biases), sequences, targets in the loss's domain, h0."""
    rng = np.random.default_rng(seed)
    out, loss = PAIRS[seed % len(PAIRS)]
    n_in, n_h, m = (int(v) for v in rng.integers(1, 5, size=3))
    n_out = int(rng.integers(2, 4))
    T = int(rng.integers(1, 7)) if T is None else T
    rnn = R.RNN(rng.normal(0, 0.8, (n_h, n_in)), rng.normal(0, 0.7, (n_h, n_h)),
                rng.normal(0, 0.3, n_h), rng.normal(0, 0.8, (n_out, n_h)),
                rng.normal(0, 0.3, n_out), out)
    x = rng.normal(size=(T, n_in, m))
    if out == "softmax":
        y = rng.dirichlet(np.ones(n_out), size=(T, m)).transpose(0, 2, 1)
    elif losses.get(loss).unit_targets:
        y = rng.uniform(0.05, 0.95, size=(T, n_out, m))
    else:
        y = rng.normal(size=(T, n_out, m))
    h0 = rng.normal(0, 0.5, (n_h, m))
    loss_from = int(rng.integers(1, T + 1))
    return rnn, x, y, loss, h0, loss_from


def with_flat(rnn, theta):
    """The RNN whose parameters are the vector theta (in PARAMETERS order)."""
    params, at = {}, 0
    for name, arr in rnn.params().items():
        params[name] = theta[at:at + arr.size].reshape(arr.shape)
        at += arr.size
    return rnn.replace(**params)


def central_differences(f, theta, eps=1e-5):
    g = np.empty_like(theta)
    for i in range(theta.size):
        up, down = theta.copy(), theta.copy()
        up[i] += eps
        down[i] -= eps
        g[i] = (f(up) - f(down)) / (2 * eps)
    return g


def tensor_cost(params, x, y, loss, output, h_start, first, last, scored):
    """The cost of the unrolled network in the autodiff engine: steps first..last (1-based)
    from the hidden state h_start, scoring the steps in ``scored``; the sum over steps of
    the batch-mean loss.  Returns (cost, {t: z_t node})."""
    h, total, zs = h_start, None, {}
    for t in range(first, last + 1):
        z = add_bias(matmul(params["W_xh"], x[t - 1]) + matmul(params["W_hh"], h),
                     params["b_h"])
        zs[t] = z
        h = activate(z, "tanh")
        if t in scored:
            a = activate(add_bias(matmul(params["W_hy"], h), params["b_y"]), output)
            c = cost(a, y[t - 1], loss)
            total = c if total is None else total + c
    return total, zs


def leaves(rnn):
    return {name: Tensor(arr, requires_grad=True, label=name)
            for name, arr in rnn.params().items()}


def truncated_cost(rnn, x, y, loss, h0, loss_from, K, frozen):
    """sum over scored t of C_t computed from h_{t-K} held at the values ``frozen`` (the
    forward pass of the unperturbed network): the function whose gradient truncated BPTT
    is."""
    T, total = x.shape[0], 0.0
    for t in range(loss_from, T + 1):
        start = max(t - K, 0)
        h = frozen[start] if start > 0 else h0
        sub = R.cost(rnn, x[start:t], np.concatenate([y[start:t]]), loss, h0=h,
                     loss_from=t - start)
        total += sub
    return total


# --------------------------------------------------------------------------------------
# The gradients.

@pytest.mark.parametrize("seed", range(20))
def test_bptt_equals_central_differences(seed):
    rnn, x, y, loss, h0, s = random_problem(seed)
    g = R.bptt(rnn, x, y, loss, h0=h0, loss_from=s)
    numeric = central_differences(
        lambda th: R.cost(with_flat(rnn, th), x, y, loss, h0=h0, loss_from=s), rnn.flat())
    np.testing.assert_allclose(g.flat(), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("seed", range(20))
def test_bptt_equals_autodiff_and_deltas_are_the_z_node_gradients(seed):
    rnn, x, y, loss, h0, s = random_problem(seed)
    g = R.bptt(rnn, x, y, loss, h0=h0, loss_from=s)
    params = leaves(rnn)
    T = x.shape[0]
    C, zs = tensor_cost(params, x, y, loss, rnn.output, h0, 1, T, range(s, T + 1))
    C.backward()
    for name in R.PARAMETERS:
        np.testing.assert_allclose(getattr(g, name), params[name].grad, rtol=1e-10,
                                   atol=1e-13)
    m = x.shape[2]
    for t in range(1, T + 1):   # the engine's z_t gradient is delta_t / m
        np.testing.assert_allclose(g.deltas[t - 1] / m, zs[t].grad, rtol=1e-10, atol=1e-13)
    assert R.cost(rnn, x, y, loss, h0=h0, loss_from=s) == pytest.approx(float(C.data),
                                                                          rel=1e-12)


@pytest.mark.parametrize("seed", range(24))
def test_truncated_bptt_is_the_gradient_with_the_state_held_k_steps_back(seed):
    rng = np.random.default_rng(100 + seed)
    T = int(rng.integers(2, 8))
    K = int(rng.integers(1, T + 2))
    rnn, x, y, loss, h0, s = random_problem(seed, T=T)
    g = R.bptt(rnn, x, y, loss, h0=h0, truncation=K, loss_from=s)
    frozen = R.forward(rnn, x, h0).hs
    numeric = central_differences(
        lambda th: truncated_cost(with_flat(rnn, th), x, y, loss, h0, s, K, frozen),
        rnn.flat())
    np.testing.assert_allclose(g.flat(), numeric, rtol=1e-6, atol=1e-8)
    # the same with autodiff: one graph per scored step, h_{t-K} a constant
    params = leaves(rnn)
    for t in range(s, T + 1):
        start = max(t - K, 0)
        C, _ = tensor_cost(params, x, y, loss, rnn.output, frozen[start], start + 1, t, {t})
        C.backward()
    for name in R.PARAMETERS:
        np.testing.assert_allclose(getattr(g, name), params[name].grad, rtol=1e-10,
                                   atol=1e-13)


def test_truncation_at_least_T_is_full_bptt_and_one_keeps_each_steps_own_error():
    rnn, x, y, loss, h0, s = random_problem(3, T=5)
    full = R.bptt(rnn, x, y, loss, h0=h0).flat()
    for K in (5, 9):
        np.testing.assert_allclose(R.bptt(rnn, x, y, loss, h0=h0, truncation=K).flat(), full,
                                   rtol=1e-13, atol=1e-15)
    one = R.bptt(rnn, x, y, loss, h0=h0, truncation=1)
    e, hs = one.output_deltas, one.run.hs
    by_hand = np.matmul(rnn.W_hy.T, e) * (1 - hs[1:] ** 2)
    np.testing.assert_allclose(one.deltas, by_hand, rtol=1e-13)


def test_w_hh_gradient_is_bp4_summed_over_the_time_steps():
    rnn, x, y, loss, h0, s = random_problem(7, T=6)
    g = R.bptt(rnn, x, y, loss, h0=h0)
    m = x.shape[2]
    terms = [g.deltas[t] @ g.run.hs[t].T / m for t in range(6)]   # delta_t h_{t-1}^T / m
    np.testing.assert_allclose(g.W_hh_terms(), terms, rtol=1e-13)
    np.testing.assert_allclose(sum(terms), g.W_hh, rtol=1e-12)


def test_bp2_across_time_by_hand_on_the_last_two_steps():
    rnn, x, y, loss, h0, s = random_problem(0, T=4)    # identity output, mse
    g = R.bptt(rnn, x, y, loss, h0=h0)
    run = R.forward(rnn, x, h0)
    e4, e3 = run.a(4) - y[3], run.a(3) - y[2]
    d4 = (rnn.W_hy.T @ e4) * (1 - run.h(4) ** 2)
    d3 = (rnn.W_hy.T @ e3 + rnn.W_hh.T @ d4) * (1 - run.h(3) ** 2)
    np.testing.assert_allclose(g.deltas[3], d4, rtol=1e-13)
    np.testing.assert_allclose(g.deltas[2], d3, rtol=1e-13)


@pytest.mark.parametrize("seed", range(6))
def test_deltas_from_step_are_the_gradients_of_that_steps_loss(seed):
    rnn, x, y, loss, h0, _ = random_problem(seed, T=5)
    t = 2 + seed % 4
    got = R.deltas_from_step(rnn, x, y, t, loss, h0=h0)
    params = leaves(rnn)
    C, zs = tensor_cost(params, x, y, loss, rnn.output, h0, 1, t, {t})
    C.backward()
    m = x.shape[2]
    assert got.shape == (t, rnn.n_h, m)
    for k in range(t):
        np.testing.assert_allclose(got[k] / m, zs[t - k].grad, rtol=1e-10, atol=1e-14)


def test_the_lag_norm_is_bounded_by_sigma_max_to_the_k():
    rnn = R.RNN.random(2, 6, 1, seed=3, sigma_max=1.3)
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(12, 2, 4)), rng.normal(size=(12, 1, 4))
    d = R.deltas_from_step(rnn, x, y, 12)
    norms = np.linalg.norm(d, axis=(1, 2))
    assert np.all(norms <= norms[0] * 1.3 ** np.arange(12) * (1 + 1e-12))


def test_forward_matches_the_recurrence_written_out():
    rnn, x, y, loss, h0, s = random_problem(2, T=3)
    run = R.forward(rnn, x, h0)
    h = h0
    for t in range(1, 4):
        z = rnn.W_xh @ x[t - 1] + rnn.W_hh @ h + rnn.b_h[:, None]
        h = np.tanh(z)
        np.testing.assert_allclose(run.z(t), z, rtol=1e-14)
        np.testing.assert_allclose(run.h(t), h, rtol=1e-14)
    np.testing.assert_array_equal(run.h(0), h0)
    assert run.a(3).shape == (rnn.n_out, x.shape[2])


def test_cost_sums_over_scored_steps_and_averages_over_sequences():
    rnn = R.RNN.random(1, 3, 1, seed=0)
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(4, 1, 5)), rng.normal(size=(4, 1, 5))
    a = R.forward(rnn, x).outputs
    want = np.mean(np.sum(0.5 * (a[1:] - y[1:]) ** 2, axis=(0, 1)))
    assert R.cost(rnn, x, y, loss_from=2) == pytest.approx(want, rel=1e-13)


def test_inputs_are_not_modified_and_parameters_are_read_only():
    rnn, x, y, loss, h0, s = random_problem(1)
    copies = [a.copy() for a in (x, y, h0)]
    R.bptt(rnn, x, y, loss, h0=h0, truncation=1)
    for a, b in zip((x, y, h0), copies):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="read-only"):
        rnn.W_hh[0, 0] = 1.0


# --------------------------------------------------------------------------------------
# The task, training and accuracy.

def test_recall_task_targets_are_the_bits_delay_steps_back():
    x, y, s = RT.recall_task(10, 3, 7, seed=2)
    assert s == 4 and x.shape == y.shape == (10, 1, 7)
    assert set(np.unique(x)) <= {-1.0, 1.0}
    np.testing.assert_array_equal(y[3:], (x[:7] + 1) / 2)
    np.testing.assert_array_equal(y[:3], 0.0)


def test_training_lowers_the_cost_and_learns_a_one_step_delay():
    x, y, s = RT.recall_task(8, 1, 64, seed=0)
    rnn = R.RNN.random(1, 8, 1, output="sigmoid", seed=0)
    trained, costs = RT.train(rnn, x, y, steps=150, learning_rate=0.1,
                             loss="binary_cross_entropy", loss_from=s, clip=1.0)
    assert costs.shape == (151,)
    assert costs[-1] < 0.1 * costs[0]
    assert costs[-1] == pytest.approx(R.cost(trained, x, y, "binary_cross_entropy",
                                             loss_from=s), rel=1e-12)
    x2, y2, _ = RT.recall_task(8, 1, 200, seed=1)
    assert RT.accuracy(trained, x2, y2, loss_from=s) > 0.95


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning",
                            "ignore:invalid value:RuntimeWarning")
def test_training_reports_divergence():
    x, y, _ = RT.recall_task(5, 0, 4, seed=0)
    rnn = R.RNN.random(1, 3, 1, seed=0)
    with pytest.raises(ValueError, match="diverged.*lower learning_rate"):
        RT.train(rnn, x, 1e150 * y, steps=5, learning_rate=1e150)


# --------------------------------------------------------------------------------------
# Bad input: expected / got / fix.

def small():
    rnn = R.RNN.random(2, 3, 1, seed=0)
    return rnn, np.zeros((4, 2, 5)), np.zeros((4, 1, 5))


@pytest.mark.parametrize("kwargs,error,message", [
    ({"truncation": 0}, ValueError, r"expected truncation >= 1.*got 0.*fix: truncation=None"),
    ({"truncation": -2}, ValueError, r"expected truncation >= 1.*got -2"),
    ({"truncation": 2.5}, TypeError, r"expected truncation to be None or an int.*got float"),
    ({"truncation": True}, TypeError, r"got bool"),
    ({"loss_from": 0}, ValueError, r"expected loss_from between 1 and T = 4.*got 0"),
    ({"loss_from": 5}, ValueError, r"got 5; fix: loss_from=1"),
    ({"loss_from": 1.0}, TypeError, r"loss_from to be an int"),
    ({"h0": np.zeros(3)}, ValueError, r"expected h0 of shape \(3, 5\).*got \(3,\).*fix"),
    ({"h0": np.zeros((3, 5)) + np.nan}, ValueError, r"h0 contains NaN or inf"),
    ({"loss": 3}, TypeError, r"expected loss to be a loss name.*got int"),
    ({"loss": "hinge"}, ValueError, r"hinge"),
    ({"loss": "binary_cross_entropy"}, ValueError, r"needs outputs in \(0, 1\)"),
])
def test_bptt_refuses_bad_options(kwargs, error, message):
    rnn, x, y = small()
    with pytest.raises(error, match=message):
        R.bptt(rnn, x, y, **kwargs)


@pytest.mark.parametrize("x,y,message", [
    (np.zeros((0, 2, 5)), np.zeros((0, 1, 5)),
     r"expected a sequence of at least one time step, got x of length 0.*fix: pass T >= 1"),
    (np.zeros((4, 2)), np.zeros((4, 1, 5)), r"expected x of shape \(T, 2, m\).*got 2-D"),
    (np.zeros((4, 2)), np.zeros((4, 1, 5)), r"fix: for one sequence use x\[:, :, None\]"),
    (np.zeros((4, 5, 2)), np.zeros((4, 1, 5)), r"got \(4, 5, 2\); fix: samples are columns"),
    (np.zeros((4, 3, 5)), np.zeros((4, 1, 5)), r"expected x of shape \(T, 2, m\), got"),
    (np.zeros((4, 2, 0)), np.zeros((4, 1, 0)), r"expected at least one sequence"),
    (np.zeros((4, 2, 5)), np.zeros((3, 1, 5)),
     r"expected y of shape \(4, 1, 5\), got \(3, 1, 5\); fix: y needs one entry per time"),
    (np.zeros((4, 2, 5)), np.zeros((4, 1, 4)), r"expected y of shape \(4, 1, 5\)"),
    (np.full((4, 2, 5), np.inf), np.zeros((4, 1, 5)), r"x contains NaN or inf"),
    (np.zeros((4, 2, 5)), np.full((4, 1, 5), np.nan), r"y contains NaN or inf"),
    ("abc", np.zeros((4, 1, 5)), r"x must be a numeric array, got str"),
])
def test_bptt_refuses_bad_sequences(x, y, message):
    rnn, _, _ = small()
    with pytest.raises((ValueError, TypeError), match=message):
        R.bptt(rnn, x, y)


def test_bptt_needs_an_rnn_and_targets_in_the_domain():
    _, x, y = small()
    with pytest.raises(TypeError, match=r"expected a bpcore.rnn.RNN, got dict.*fix"):
        R.bptt({}, x, y)
    rnn = R.RNN.random(2, 3, 1, output="sigmoid", seed=0)
    with pytest.raises(ValueError, match=r"needs targets in \[0, 1\]"):
        R.bptt(rnn, x, y - 2.0, "binary_cross_entropy")


@pytest.mark.parametrize("change,message", [
    ({"W_hh": np.zeros((3, 2))}, r"expected W_hh of shape \(n_h, n_h\) = \(3, 3\).*got "
                                 r"\(3, 2\); fix"),
    ({"b_h": np.zeros((3, 1))}, r"expected b_h of shape \(n_h,\) = \(3,\).*b_h.ravel"),
    ({"W_hy": np.zeros((1, 4))}, r"expected W_hy of shape \(n_out, n_h\) = \(1, 3\)"),
    ({"b_y": np.zeros(2)}, r"expected b_y of shape \(1,\).*got \(2,\)"),
    ({"W_xh": np.zeros(3)}, r"expected W_xh of shape \(n_h, n_in\), got \(3,\)"),
    ({"W_xh": np.full((3, 2), np.nan)}, r"W_xh contains NaN or inf"),
    ({"output": "swish"}, r"expected output to be a registered activation.*'swish'"),
])
def test_rnn_refuses_parameters_that_do_not_fit(change, message):
    rnn, _, _ = small()
    with pytest.raises(ValueError, match=message):
        rnn.replace(**change)


def test_helpers_refuse_steps_outside_the_sequence():
    rnn, x, y = small()
    run = R.forward(rnn, x)
    with pytest.raises(ValueError, match=r"expected a time step from 1 to T = 4, got 0"):
        run.z(0)
    with pytest.raises(TypeError, match=r"expected a time step t.*got float"):
        run.h(1.0)
    with pytest.raises(ValueError, match=r"from 1 to T = 4, got 5"):
        R.deltas_from_step(rnn, x, y, 5)
    with pytest.raises(ValueError, match=r"expected delay an int from 0 to T - 1 = 4"):
        RT.recall_task(5, 5, 3)
    with pytest.raises(ValueError, match=r"steps must be a positive integer"):
        RT.train(rnn, x, y, steps=0, learning_rate=0.1)


@pytest.mark.parametrize("seed", range(8))
def test_numerical_gradients_is_the_central_difference_of_cost_or_truncated_cost(seed):
    rng = np.random.default_rng(300 + seed)
    T = int(rng.integers(1, 6))
    K = [None, int(rng.integers(1, T + 2))][seed % 2]
    rnn, x, y, loss, h0, s = random_problem(seed, T=T)
    got = R.numerical_gradients(rnn, x, y, loss, h0=h0, truncation=K, loss_from=s, eps=1e-5)
    if K is None:
        f = lambda th: R.cost(with_flat(rnn, th), x, y, loss, h0=h0, loss_from=s)   # noqa: E731
    else:
        frozen = R.forward(rnn, x, h0).hs
        f = lambda th: truncated_cost(with_flat(rnn, th), x, y, loss, h0, s, K,   # noqa: E731
                                      frozen)
    np.testing.assert_allclose(got, central_differences(f, rnn.flat()), rtol=1e-9,
                               atol=1e-11)
    np.testing.assert_allclose(got, R.bptt(rnn, x, y, loss, h0=h0, truncation=K,
                                           loss_from=s).flat(), rtol=1e-6, atol=1e-8)
