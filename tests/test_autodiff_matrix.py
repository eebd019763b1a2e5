"""bpcore.autodiff's matrix engine against independent oracles: central differences and
bpcore.backprop on random networks over every registered activation and loss, the
chapter-5 deltas at the z^l nodes (delta^l / m), forward mode, and the refusals."""
import numpy as np
import pytest
import sympy
from hypothesis import given, settings, strategies as st

import bpcore
from _helpers import extrapolated_differences, random_targets
from bpcore import activations, autodiff, losses
from bpcore.autodiff import Tensor, activate, add_bias, cost, matmul
from bpcore.jacobians import numerical_jacobian


def hidden_names():
    return [n for n, r in activations.ACTIVATIONS.items() if not r.output_only]


@st.composite
def problems(draw, sizes_max=4):
    """A random network over the registered activations and an accepted (output, loss)
    pair (read from the registries when drawn), a batch and targets in the loss's domain."""
    sizes = draw(st.lists(st.integers(1, sizes_max), min_size=2, max_size=4))
    hidden = [draw(st.sampled_from(hidden_names())) for _ in sizes[2:]]
    out_act, loss = draw(st.sampled_from(losses.pairs()))
    sizes[-1] = max(sizes[-1], activations.get(out_act).min_outputs)
    m = draw(st.integers(1, 5))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    net = bpcore.Network.random(sizes, hidden + [out_act], seed=rng)
    net = net.replace(biases=[rng.normal(size=b.shape) for b in net.biases])
    x = rng.normal(size=(sizes[0], m))
    return net, x, random_targets(rng, loss, out_act, sizes[-1], m), loss


@settings(max_examples=150, deadline=None)
@given(problems())
def test_gradients_equal_backprop_and_central_differences(problem):
    net, x, y, loss = problem
    g = autodiff.gradients(net, x, y, loss)
    assert isinstance(g, bpcore.Gradients)
    bp = bpcore.backprop(net, x, y, loss)
    for ours, theirs, W in zip(g.weights + g.biases, bp.weights + bp.biases,
                               net.weights + net.biases):
        assert ours.shape == W.shape
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-13)
    assert bpcore.relative_error(g, extrapolated_differences(net, x, y, loss)) < 1e-4


def test_every_activation_and_every_loss_pair_is_covered():
    rng = np.random.default_rng(3)
    for out_act, loss in losses.pairs():
        for hidden in hidden_names():
            net = bpcore.Network.random([3, 4, 3], [hidden, out_act], seed=rng)
            net = net.replace(biases=[rng.normal(size=b.shape) for b in net.biases])
            x, y = rng.normal(size=(3, 6)), random_targets(rng, loss, out_act, 3, 6)
            g, bp = autodiff.gradients(net, x, y, loss), bpcore.backprop(net, x, y, loss)
            assert bpcore.relative_error(g, bp) < 1e-12, (hidden, out_act, loss)


@settings(max_examples=60, deadline=None)
@given(problems())
def test_the_gradient_at_each_z_node_is_the_chapter_5_delta_over_m(problem):
    net, x, y, loss = problem
    graph = autodiff.network_graph(net, x, y, loss)
    graph.cost.backward()
    fp = bpcore.forward(net, x)
    deltas = bpcore.hidden_deltas(net, fp, bpcore.output_delta(net, fp, y, loss))
    m, L = x.shape[1], net.n_layers
    for l in range(1, L + 1):
        np.testing.assert_allclose(graph.z(l).grad, deltas.at(l) / m, rtol=1e-10, atol=1e-14)
        # BP4 and BP3 from those deltas, and BP2's product at the a^{l-1} node
        np.testing.assert_allclose(graph.W(l).grad, deltas.at(l) @ fp.a(l - 1).T / m,
                                   rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(graph.b(l).grad, deltas.at(l).mean(axis=1), rtol=1e-10,
                                   atol=1e-14)
        if l > 1:
            np.testing.assert_allclose(graph.a(l - 1).grad, net.W(l).T @ deltas.at(l) / m,
                                       rtol=1e-10, atol=1e-14)
    assert graph.a(0).grad is None                   # x is a constant: nothing flows into it


def test_the_recorded_operations_are_exactly_the_four_equations():
    net = bpcore.Network.random([2, 3, 3, 2], ["relu", "tanh", "sigmoid"], seed=0)
    x, y = np.ones((2, 4)), np.full((2, 4), 0.5)
    for loss, last in [("mse", ["sigmoid"]), ("binary_cross_entropy", [])]:
        graph = autodiff.network_graph(net, x, y, loss)
        ops = [n.op for n in autodiff.topological_order(graph.cost) if n.op]
        # per layer: W a (BP4's and BP2's product), + b (BP3), f (the Hadamard of BP1/BP2)
        assert ops == ["@", "+b", "relu", "@", "+b", "tanh", "@", "+b"] + last + [loss]


def test_dz_of_the_cost_by_central_differences_on_the_z_node():
    ex = bpcore.examples.running_example()
    rng = np.random.default_rng(1)
    x, y = rng.uniform(0, 1, (2, 4)), rng.uniform(0.1, 0.9, (2, 4))
    graph = autodiff.network_graph(ex.net, x, y)
    graph.cost.backward()
    W2, b2 = ex.net.W(2), ex.net.b(2)

    def cost_of_z1(z1_flat):
        a2 = activations.sigmoid(W2 @ activations.sigmoid(z1_flat.reshape(3, 4)) + b2[:, None])
        return [0.5 * np.sum((y - a2) ** 2) / 4]

    fd = numerical_jacobian(cost_of_z1, graph.z(1).data.ravel()).reshape(3, 4)
    np.testing.assert_allclose(graph.z(1).grad, fd, rtol=1e-6, atol=1e-12)


def test_a_newly_registered_activation_works_unchanged():
    alpha = 0.1
    activations.register(activations.Activation(
        name="leaky_relu", f=lambda z: np.where(z > 0, z, alpha * z),
        prime=lambda z: np.where(z > 0, 1.0, alpha), tex=r"\operatorname{lrelu}",
        sympy=lambda u: sympy.Piecewise((u, u > 0), (alpha * u, True))))
    try:
        rng = np.random.default_rng(5)
        net = bpcore.Network.random([2, 3, 2], ["leaky_relu", "sigmoid"], seed=rng)
        net = net.replace(biases=[rng.normal(size=b.shape) for b in net.biases])
        x, y = rng.normal(size=(2, 4)), rng.uniform(0.1, 0.9, size=(2, 4))
        g = autodiff.gradients(net, x, y, "mse")
        assert bpcore.relative_error(g, bpcore.backprop(net, x, y, "mse")) < 1e-13
        assert bpcore.relative_error(g, bpcore.numerical_gradients(net, x, y, "mse")) < 1e-7
        assert bpcore.relative_error(autodiff.forward_gradients(net, x, y, "mse"), g) < 1e-13
    finally:
        del activations.ACTIVATIONS["leaky_relu"]


def test_saturated_matched_pairs_stay_exact():
    net = bpcore.Network([np.array([[60.0], [-60.0]])], [np.zeros(2)], "sigmoid")
    x, y = np.array([[1.0]]), np.array([[0.0], [1.0]])
    g = autodiff.gradients(net, x, y, "binary_cross_entropy")   # a = (1, 0): delta = a - y
    np.testing.assert_allclose(g.b(1), [1.0, -1.0])
    np.testing.assert_allclose(g.b(1), bpcore.backprop(net, x, y, "binary_cross_entropy").b(1))


def test_single_samples_and_float32_networks_behave_like_backprop():
    net = bpcore.Network.random([3, 2, 2], ["tanh", "softmax"], seed=2)
    x, y = np.array([0.1, -0.2, 0.3]), np.array([0.0, 1.0])
    g, bp = autodiff.gradients(net, x, y, "cross_entropy"), bpcore.backprop(net, x, y,
                                                                          "cross_entropy")
    assert bpcore.relative_error(g, bp) < 1e-14
    net32 = bpcore.Network(net.weights, net.biases, net.activations, dtype="float32")
    g32 = autodiff.gradients(net32, x, y, "cross_entropy")
    assert g32.W(1).dtype == np.float32 and bpcore.relative_error(g32, bp) < 1e-6


# --------------------------------------------------------------------------------------
# The engine's operations, accumulation and seeds.

def test_elementwise_operations_sum_and_mean_against_central_differences():
    rng = np.random.default_rng(0)
    A0, B0 = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))

    def f(a_flat, b_flat):
        A, B = Tensor(a_flat.reshape(2, 3), True), Tensor(b_flat.reshape(2, 3), True)
        out = ((A * B - A) * 2.0 + 1.0 - B / 4.0).sum() + (3.0 - A).mean() + (-B).sum()
        return A, B, out

    A, B, out = f(A0.ravel(), B0.ravel())
    out.backward()
    fd_A = numerical_jacobian(lambda a: [f(a, B0.ravel())[2].data], A0.ravel()).reshape(2, 3)
    fd_B = numerical_jacobian(lambda b: [f(A0.ravel(), b)[2].data], B0.ravel()).reshape(2, 3)
    np.testing.assert_allclose(A.grad, fd_A, rtol=1e-7)
    np.testing.assert_allclose(B.grad, fd_B, rtol=1e-7)


def test_backward_twice_accumulates_and_zero_grad_resets():
    W = Tensor([[1.0, -2.0]], requires_grad=True)
    x = np.array([[3.0], [1.0]])
    C = (W @ x).sum() * 2.0
    C.backward()
    np.testing.assert_array_equal(W.grad, [[6.0, 2.0]])
    C.backward()
    np.testing.assert_array_equal(W.grad, [[12.0, 4.0]])
    C.zero_grad()
    assert W.grad is None and C.grad is None
    C.backward()
    np.testing.assert_array_equal(W.grad, [[6.0, 2.0]])


def test_a_seed_gives_one_row_of_the_jacobian_per_backward_pass():
    net = bpcore.Network.random([3, 4, 5], ["tanh", "identity"], seed=4)
    x = np.array([[0.2], [-0.4], [0.9]])
    graph = autodiff.network_graph(net, x, input_grad=True)
    jac = numerical_jacobian(lambda u: bpcore.forward(net, u).output, x.ravel())   # (5, 3)
    for j in range(5):
        graph.output.zero_grad()
        seed = np.zeros((5, 1))
        seed[j] = 1.0
        graph.output.backward(seed)
        np.testing.assert_allclose(graph.a(0).grad.ravel(), jac[j], rtol=1e-7, atol=1e-10)


# --------------------------------------------------------------------------------------
# Forward mode.

def test_forward_mode_jvps_equal_reverse_mode_and_differences():
    rng = np.random.default_rng(7)
    net = bpcore.Network.random([3, 4, 3], ["sigmoid", "softmax"], seed=rng)
    x, y = rng.normal(size=(3, 5)), rng.dirichlet(np.ones(3), size=5).T
    dW = [rng.normal(size=W.shape) for W in net.weights]
    db = [rng.normal(size=b.shape) for b in net.biases]
    C, dC = autodiff.cost_jvp(net, x, y, "cross_entropy", dW, db)
    g = autodiff.gradients(net, x, y, "cross_entropy")
    assert C == pytest.approx(bpcore.cost(net, x, y, "cross_entropy"), rel=1e-14)
    assert dC == pytest.approx(sum(np.sum(a * b) for a, b in zip(g.weights + g.biases, dW + db)),
                               rel=1e-12)
    h = 1e-6
    moved = [net.replace(weights=[W + s * h * d for W, d in zip(net.weights, dW)],
                         biases=[b + s * h * d for b, d in zip(net.biases, db)]) for s in (1, -1)]
    fd = (bpcore.cost(moved[0], x, y, "cross_entropy")
          - bpcore.cost(moved[1], x, y, "cross_entropy")) / (2 * h)
    assert dC == pytest.approx(fd, rel=1e-6)
    # one forward pass along the input direction e_k: column k of da^L/dx
    a, da = autodiff.jvp(net, x[:, [0]], dx=[[0.0], [1.0], [0.0]])
    jac = numerical_jacobian(lambda u: bpcore.forward(net, u).output, x[:, 0])
    np.testing.assert_allclose(da.ravel(), jac[:, 1], rtol=1e-7)


def test_dual_numbers_give_the_derivative_value_gives():
    for t in (-1.2, 0.3, 2.0):
        d = autodiff.Dual(t, 1.0)
        f = ((d * d).sigmoid() * 3.0 - d).tanh() + (d * 0.5).exp()
        v = autodiff.Value(t)
        g = ((v * v).sigmoid() * 3.0 - v).tanh() + (v * 0.5).exp()
        g.backward()
        assert f.value == pytest.approx(g.data, rel=1e-14)
        assert f.tangent == pytest.approx(v.grad, rel=1e-12)


# --------------------------------------------------------------------------------------
# Refusals: what the engine cannot differentiate, and shapes numpy would broadcast.

def test_backward_from_an_array_needs_a_seed_of_its_shape():
    W = Tensor(np.ones((2, 3)), requires_grad=True)
    out = W @ np.ones((3, 4))
    with pytest.raises(ValueError, match=r"without a seed starts from a cost.*shape \(2, 4\).*"
                                         r"\.sum\(\).*backward\(seed\)"):
        out.backward()
    with pytest.raises(ValueError, match=r"seed must have this Tensor's shape \(2, 4\), got "
                                         r"\(4, 2\)"):
        out.backward(np.ones((4, 2)))
    with pytest.raises(ValueError, match="depends on no Tensor with requires_grad=True"):
        Tensor(np.ones(3)).sum().backward()


@pytest.mark.parametrize("make, error, match", [
    (lambda: Tensor(np.ones((3, 4))) + Tensor(np.ones(3)), ValueError,
     r"same shape, got \(3, 4\) and \(3,\).*never broadcasts.*add_bias"),
    (lambda: Tensor(np.ones((3, 4))) * np.ones((1, 4)), ValueError, "never broadcasts"),
    (lambda: add_bias(Tensor(np.ones((3, 4))), Tensor(np.ones((3, 1)))), ValueError,
     r"b of shape \(n,\), got u \(3, 4\) and b \(3, 1\); use b.ravel\(\)"),
    (lambda: add_bias(Tensor(np.ones((3, 4))), Tensor(np.ones(4))), ValueError,
     "one entry per row"),
    (lambda: matmul(np.ones((2, 3)), np.ones((2, 3))), ValueError,
     r"A of shape \(2, 3\) and B of shape \(2, 3\).*transposed"),
    (lambda: Tensor("abc"), TypeError, "numeric array"),
    (lambda: Tensor([1.0, np.nan]), ValueError, "NaN or inf"),
    (lambda: Tensor(np.ones((2, 2, 2))), ValueError, "3-D array"),
    (lambda: Tensor(np.ones(2)) / 0, ValueError, "by zero"),
    (lambda: Tensor(np.ones(2)) / "2", TypeError, "divided by a number only"),
    (lambda: Tensor(np.ones(2)) @ 3.0, TypeError, "Tensor or a numpy array, got float"),
    (lambda: activate(Tensor(np.ones(3)), "tanh"), ValueError, r"z of shape \(n, m\)"),
    (lambda: activate(Tensor(np.ones((2, 1))), "swish"), ValueError, "unknown activation"),
    (lambda: cost(Tensor(np.ones((2, 1))), np.ones((2, 1))), TypeError,
     "output a\\^L made by activate"),
    (lambda: cost(activate(Tensor(np.ones((2, 3))), "sigmoid"), np.ones((3, 2))), ValueError,
     r"y must have the shape of a\^L, \(2, 3\), got \(3, 2\); .*use y.T"),
    (lambda: cost(activate(Tensor(np.ones((2, 3))), "relu"), np.ones((2, 3)),
                  "cross_entropy"), ValueError, "needs outputs in \\(0, 1\\)"),
    (lambda: cost(activate(Tensor(np.ones((2, 3))), "sigmoid"), np.full((2, 3), 2.0),
                  "binary_cross_entropy"), ValueError, "targets in \\[0, 1\\]"),
])
def test_what_cannot_be_differentiated_is_refused(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_gradients_refuses_what_backprop_refuses():
    net = bpcore.Network.random([2, 3, 1], seed=0)
    with pytest.raises(TypeError, match="expected a bpcore.Network"):
        autodiff.gradients("net", np.ones((2, 1)), np.ones((1, 1)))
    with pytest.raises(ValueError, match="did you pass samples as rows"):
        autodiff.gradients(net, np.ones((5, 2)), np.ones((1, 5)))
    with pytest.raises(ValueError, match="unknown loss"):
        autodiff.gradients(net, np.ones((2, 1)), np.ones((1, 1)), loss="hinge")
    with pytest.raises(ValueError, match=r"dW\[0\] must have the shape \(3, 2\)"):
        autodiff.jvp(net, np.ones((2, 1)), dW=[np.ones((2, 3)), np.ones((1, 3))])


# --------------------------------------------------------------------------------------
# Chapter 13's exercises: their references against independent oracles.

def test_exercise_references_against_central_differences():
    from bpcore import exercises
    from bpcore.exercises.catalog.ch13 import logsumexp_vjp, pow_backward
    h = 1e-6
    x, y, g = np.array([0.7, 2.0]), np.array([-1.3, 0.4]), np.array([0.5, -2.0])
    share_x, share_y = pow_backward(x, y, g)
    np.testing.assert_allclose(share_x, g * ((x + h) ** y - (x - h) ** y) / (2 * h), rtol=1e-7)
    np.testing.assert_allclose(share_y, g * (x ** (y + h) - x ** (y - h)) / (2 * h), rtol=1e-7)
    z, g = np.array([[0.3, -2.0], [1.1, 0.0], [-0.4, 5.0]]), np.array([[0.7, -1.5]])
    lse = lambda u: np.log(np.exp(u).sum(axis=0))  # noqa: E731
    fd = np.zeros_like(z)
    for idx in np.ndindex(z.shape):
        up, down = z.copy(), z.copy()
        up[idx] += h
        down[idx] -= h
        fd[idx] = np.sum(g[0] * (lse(up) - lse(down))) / (2 * h)
    np.testing.assert_allclose(logsumexp_vjp(z, g), fd, rtol=1e-7)
    assert exercises.reference("ch13-backward-twice") == pytest.approx(2 * (0.5 + 1))
    d = bpcore.examples.running_batch()
    np.testing.assert_allclose(exercises.reference("ch13-half-batches"), 2 * d.grad_W[2],
                               rtol=1e-12)
    assert exercises.reference("ch13-forward-mode-passes") == 784 * 30 + 30 + 30 * 10 + 10
