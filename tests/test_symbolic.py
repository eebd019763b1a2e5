"""bpcore.symbolic against the engine and against hand-worked numbers.

sympy differentiates the whole cost formula, so its gradients and deltas are an oracle that
shares no code with BP1-BP4 in bpcore.engine.  Central differences are a second oracle."""
from functools import lru_cache

import numpy as np
import pytest
import sympy
from hypothesis import given, settings, strategies as st

import bpcore
from _helpers import random_targets
from bpcore import symbolic as S
from bpcore.losses import pairs
from bpcore.symbolic import SymbolicNetwork, _unfold

HIDDEN = ["sigmoid", "tanh", "identity", "relu"]
PAIRS = pairs()


@lru_cache(maxsize=None)
def symbolic_network(sizes, activations, loss):
    return SymbolicNetwork(sizes, list(activations), loss)


def random_problem(sizes, activations, loss, seed, m):
    rng = np.random.default_rng(seed)
    net = bpcore.Network.random(list(sizes), list(activations), seed=rng)
    net = net.replace(biases=[rng.normal(size=b.shape) for b in net.biases])
    x = rng.normal(size=(sizes[0], m))
    y = random_targets(rng, loss, activations[-1], sizes[-1], m)
    return net, x, y


def assert_agrees_with_engine(sym, net, x, y, loss):
    ev = sym.numeric(net, x, y)
    g = bpcore.backprop(net, x, y, loss)
    for l in range(1, net.n_layers + 1):
        assert ev.gradients.weights[l - 1].shape == net.weights[l - 1].shape
        assert ev.gradients.biases[l - 1].shape == net.biases[l - 1].shape
        np.testing.assert_allclose(ev.gradients.weights[l - 1], g.weights[l - 1],
                                   rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(ev.gradients.biases[l - 1], g.biases[l - 1],
                                   rtol=1e-9, atol=1e-12)
    fp = bpcore.forward(net, x)
    deltas = bpcore.hidden_deltas(net, fp, bpcore.output_delta(net, fp, y, loss))
    assert len(ev.deltas) == len(deltas)
    for d_sym, d_eng in zip(ev.deltas, deltas):
        assert d_sym.shape == d_eng.shape
        np.testing.assert_allclose(d_sym, d_eng, rtol=1e-9, atol=1e-12)
    assert ev.cost == pytest.approx(bpcore.cost(net, x, y, loss), rel=1e-10, abs=1e-13)


# ---------------------------------------------------------------------------------------
# Agreement with the engine.

@st.composite
def architectures(draw):
    out_act, loss = draw(st.sampled_from(PAIRS))
    n_0 = draw(st.integers(1, 3))
    hidden = draw(st.lists(st.integers(1, 3), min_size=0, max_size=1))
    # a one-neuron softmax is always 1 and is refused by the engine
    n_L = draw(st.integers(2 if out_act == "softmax" else 1, 2))
    sizes = (n_0, *hidden, n_L)
    acts = tuple(draw(st.sampled_from(HIDDEN)) for _ in hidden) + (out_act,)
    return sizes, acts, loss


@settings(max_examples=40, deadline=None)
@given(architectures(), st.integers(0, 2**32 - 1), st.integers(1, 4))
def test_random_networks_agree_with_backprop(arch, seed, m):
    sizes, acts, loss = arch
    net, x, y = random_problem(sizes, acts, loss, seed, m)
    assert_agrees_with_engine(symbolic_network(sizes, acts, loss), net, x, y, loss)


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("out_act, loss", PAIRS)
def test_every_hidden_activation_and_output_pair_on_3_3_2(hidden, out_act, loss):
    sizes, acts = (3, 3, 2), (hidden, out_act)
    sym = symbolic_network(sizes, acts, loss)
    for seed in (0, 1):
        net, x, y = random_problem(sizes, acts, loss, seed, m=3)
        assert_agrees_with_engine(sym, net, x, y, loss)


@pytest.mark.parametrize("sizes, acts, loss", [
    ((2, 3, 2, 2), ("sigmoid", "tanh", "softmax"), "cross_entropy"),
    ((1, 2, 2, 1), ("tanh", "identity", "sigmoid"), "binary_cross_entropy"),
    ((2, 2), ("identity",), "mse"),
])
def test_deeper_and_shallower_networks_agree_with_backprop(sizes, acts, loss):
    net, x, y = random_problem(sizes, acts, loss, seed=7, m=2)
    assert_agrees_with_engine(symbolic_network(sizes, acts, loss), net, x, y, loss)


def test_running_example_agrees_with_central_differences():
    ex = bpcore.examples.running_example()
    ev = SymbolicNetwork(ex.net.sizes, "sigmoid", ex.loss).numeric(ex.net, ex.x, ex.y)
    numeric = bpcore.numerical_gradients(ex.net, ex.x, ex.y, ex.loss, eps=1e-6)
    assert bpcore.relative_error(ev.gradients, numeric) < 1e-9


def test_running_example_hand_worked_numbers():
    # Mazur's worked example shares W^1's first two rows, b^1 and x: z^1_1 = 0.3775,
    # out_h1 = 0.593269992 and out_h2 = 0.596884378.
    ex = bpcore.examples.running_example()
    sym = SymbolicNetwork((2, 3, 2))
    vals = sym.values(ex.net, ex.x, ex.y)
    z1, a1 = sym.z_symbols(1), sym.a_symbols(1)
    assert float(vals[z1[0]]) == pytest.approx(0.15 * 0.05 + 0.20 * 0.10 + 0.35)
    assert float(vals[z1[0]]) == pytest.approx(0.3775)
    assert float(vals[a1[0]]) == pytest.approx(0.593269992, abs=1e-9)
    assert float(vals[a1[1]]) == pytest.approx(0.596884378, abs=1e-9)
    assert float(vals[sym.W(2)[0, 2]]) == -0.30


def test_one_dimensional_sample_gives_one_dimensional_deltas():
    ex = bpcore.examples.running_example()
    sym = SymbolicNetwork((2, 3, 2))
    ev = sym.numeric(ex.net, ex.x.ravel(), ex.y.ravel())
    assert [d.shape for d in ev.deltas] == [(3,), (2,)]
    fp = bpcore.forward(ex.net, ex.x.ravel())
    np.testing.assert_allclose(ev.deltas[1], bpcore.output_delta(ex.net, fp, ex.y.ravel()))


# ---------------------------------------------------------------------------------------
# The four equations hold between sympy's own results.

@pytest.mark.parametrize("sizes, acts, loss", [
    ((2, 3, 2), ("sigmoid", "sigmoid"), "mse"),
    ((3, 3, 2), ("tanh", "softmax"), "cross_entropy"),
    ((2, 2, 2), ("relu", "sigmoid"), "binary_cross_entropy"),
])
def test_bp3_and_bp4_hold_symbolically(sizes, acts, loss):
    sym = symbolic_network(sizes, acts, loss)
    for l in range(1, sym.n_layers + 1):
        # BP3: dC/db^l = delta^l, exactly, for one sample
        assert (sym.grad_b(l) - sym.delta(l)).is_zero_matrix
        # BP4: dC/dW^l = delta^l (a^{l-1})^T
        bp4 = sym.grad_W(l) - sym.delta(l) * sym.a(l - 1).T
        assert bp4.applyfunc(sympy.expand).is_zero_matrix


def test_compact_form_is_exact_and_reads_like_the_book():
    sym = SymbolicNetwork((2, 3, 2), "sigmoid", "mse")
    for l in (1, 2):
        for expr in (sym.grad_W(l), sym.grad_b(l), sym.delta(l)):
            assert _unfold(sym.compact(expr), sym.definitions) == expr
    a2, y = sym.a_symbols(2), sym.y
    # BP1 for mse and sigmoid: delta^2_j = (a^2_j - y_j) a^2_j (1 - a^2_j)
    expected = sympy.Matrix([(a2[j] - y[j]) * a2[j] * (1 - a2[j]) for j in range(2)])
    assert (sym.compact(sym.delta(2)) - expected).applyfunc(sympy.expand).is_zero_matrix
    # BP4 entry: dC/dw^2_13 = a^1_3 delta^2_1
    assert sympy.expand(sym.compact(sym.grad_W(2))[0, 2]
                        - sym.a_symbols(1)[2] * expected[0]) == 0


def test_compact_formula_evaluates_to_the_engine_numbers():
    ex = bpcore.examples.running_example()
    sym = SymbolicNetwork((2, 3, 2))
    vals = sym.values(ex.net, ex.x, ex.y)
    got = np.array(sym.compact(sym.grad_W(1)).subs(vals), dtype=float)
    np.testing.assert_allclose(got, bpcore.backprop(ex.net, ex.x, ex.y).weights[0], rtol=1e-12)


def test_softmax_cross_entropy_delta_needs_targets_summing_to_one():
    sym = SymbolicNetwork((2, 2), "softmax", "cross_entropy")
    a, y = sym.a_symbols(1), sym.y
    delta = sym.compact(sym.delta(1))
    # delta_j = a_j (y_1 + y_2) - y_j, which is a_j - y_j only when y_1 + y_2 = 1
    for j in range(2):
        assert sympy.expand(delta[j] - (a[j] * (y[0] + y[1]) - y[j])) == 0


# ---------------------------------------------------------------------------------------
# Shapes, names and the parameter order.

def test_shapes_follow_the_book():
    sym = SymbolicNetwork((2, 3, 2))
    assert sym.n_layers == 2 and sym.n_parameters == 17
    assert sym.x.shape == (2, 1) and sym.y.shape == (2, 1)
    assert sym.a(0) == sym.x
    for l, (n_out, n_in) in enumerate([(3, 2), (2, 3)], start=1):
        assert sym.W(l).shape == (n_out, n_in)
        assert sym.grad_W(l).shape == (n_out, n_in)
        for column in (sym.b(l), sym.grad_b(l), sym.delta(l), sym.z(l), sym.a(l),
                       sym.z_symbols(l), sym.a_symbols(l)):
            assert column.shape == (n_out, 1)


def test_symbol_names_are_the_books_latex():
    sym = SymbolicNetwork((2, 3, 2))
    assert sym.W(2)[0, 2].name == "w^{2}_{13}"  # to neuron 1 of layer 2 from neuron 3
    assert sym.b(1)[2].name == "b^{1}_{3}"
    assert [s.name for s in sym.x] == ["x_{1}", "x_{2}"]
    assert [s.name for s in sym.y] == ["y_{1}", "y_{2}"]
    assert sym.z_symbols(2)[1].name == "z^{2}_{2}"
    assert SymbolicNetwork((1, 12, 1)).W(1)[9, 0].name == "w^{1}_{10,1}"


def test_parameters_are_ordered_like_gradients_flat():
    ex = bpcore.examples.running_example()
    sym = SymbolicNetwork((2, 3, 2))
    flat = bpcore.backprop(ex.net, ex.x, ex.y).flat()
    assert len(sym.parameters) == flat.size == 17
    vals = sym.values(ex.net, ex.x, ex.y)
    params = np.concatenate([np.ravel(p) for W, b in zip(ex.net.weights, ex.net.biases)
                             for p in (W, b)])
    np.testing.assert_array_equal([float(vals[p]) for p in sym.parameters], params)
    grads = [sym.grad_W(1), sym.grad_b(1), sym.grad_W(2), sym.grad_b(2)]
    by_symbol = dict(zip(sym.parameters, [g for G in grads for g in G]))
    assert by_symbol[sym.W(2)[1, 0]] == sym.grad_W(2)[1, 0]


# ---------------------------------------------------------------------------------------
# Helpers for the chapters.

def test_sigmoid_derivative_identity():
    ident = S.sigmoid_prime_identity()
    z = ident.variables[0]
    assert ident.holds
    assert ident.lhs == sympy.diff(1 / (1 + sympy.exp(-z)), z)
    assert ident.rhs == S.sigma(z) * (1 - S.sigma(z))
    assert S.sigma(z).diff(z) == ident.rhs
    grid = np.linspace(-6.0, 6.0, 25)
    np.testing.assert_allclose(ident.evaluate(grid), bpcore.activations.sigmoid_prime(grid),
                               rtol=1e-12)


def test_a_wrong_identity_is_not_proved():
    z = sympy.Symbol("z", real=True)
    lhs = sympy.diff(1 / (1 + sympy.exp(-z)), z)
    assert not S._proved(lhs, S.sigma(z) * (1 + S.sigma(z)), {})


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_softmax_jacobian_matches_engine(n):
    J = S.softmax_jacobian(n)
    assert J.holds
    assert J.lhs.shape == J.rhs.shape == (n, n)
    z = np.random.default_rng(n).normal(size=n)
    np.testing.assert_allclose(J.evaluate(*z), bpcore.activations.softmax_jacobian(z),
                               rtol=1e-12, atol=1e-15)


def test_softmax_function_derivative_rule_matches_the_exp_form():
    z = sympy.symbols("z_1:4", real=True)
    for j in range(1, 4):
        for i in range(3):
            rule = S.softmax(j, *z).diff(z[i])
            direct = sympy.diff(S.to_exp(S.softmax(j, *z)), z[i])
            assert sympy.simplify(S.to_exp(rule) - direct) == 0


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "identity"])
def test_chain_rule_product_equals_sympy_diff(activation):
    ex = S.chain_rule_example(activation)
    assert ex.holds
    assert len(ex.factors) == 5
    assert sympy.Mul(*[f for _, f in ex.factors]) == ex.rhs
    rng = np.random.default_rng(3)
    point = dict(zip(ex.variables, rng.normal(size=len(ex.variables))))
    product = float(S.to_exp(ex.unfolded_rhs()).subs(point))
    assert product == pytest.approx(ex.evaluate(*point.values()), rel=1e-12)


def test_chain_rule_factors_are_the_textbook_ones():
    ex = S.chain_rule_example()
    names = {s.name: s for s in ex.rhs.free_symbols}
    a1, a2, w2, x1, y1 = (names[k] for k in ("a^{1}_{1}", "a^{2}_{1}", "w^{2}_{11}",
                                             "x_{1}", "y_{1}"))
    assert [f for _, f in ex.factors] == [a2 - y1, a2 * (1 - a2), w2, a1 * (1 - a1), x1]


# ---------------------------------------------------------------------------------------
# LaTeX.

def test_latex_uses_sigma_and_can_expand():
    z = sympy.Symbol("z")
    assert S.latex(S.sigma(z)) == r"\sigma\left(z\right)"
    assert S.latex(S.sigma(z) ** 2) == r"\sigma^{2}\left(z\right)"
    assert S.latex(S.sigma(z), expand=True) == r"\frac{1}{1 + e^{- z}}"
    assert S.latex(S.softmax(2, z, 2 * z)) == r"\operatorname{softmax}_{2}\left(z, 2 z\right)"
    assert S.latex(S.relu(z)) == r"\operatorname{relu}\left(z\right)"


def test_latex_of_the_running_example_delta():
    sym = SymbolicNetwork((2, 3, 2))
    assert sym.latex(sym.delta(2)[0], compact=True) == (
        r"a^{2}_{1} \left(1 - a^{2}_{1}\right) \left(a^{2}_{1} - y_{1}\right)")
    assert r"w^{2}_{13}" in sym.latex(sym.W(2))
    assert r"\sigma\left(b^{1}_{1} + w^{1}_{11} x_{1} + w^{1}_{12} x_{2}\right)" in \
        sym.latex(sym.cost)
    assert r"\sigma" not in sym.latex(sym.cost, expand=True)


def test_identity_renders_in_notebooks():
    ident = S.sigmoid_prime_identity()
    assert ident.latex() == (r"\frac{e^{- z}}{\left(1 + e^{- z}\right)^{2}} = "
                             r"\left(1 - \sigma\left(z\right)\right) \sigma\left(z\right)")
    assert ident._repr_latex_().startswith("$\\displaystyle ")


# ---------------------------------------------------------------------------------------
# Errors.

def test_refuses_networks_too_large_for_sympy():
    with pytest.raises(ValueError, match=r"4-5-3 network has 43 weights and biases, more "
                                         r"than max_parameters=40"):
        SymbolicNetwork((4, 5, 3))
    assert SymbolicNetwork((4, 5, 3), max_parameters=50).n_parameters == 43


def test_invalid_arguments_are_refused_with_the_engines_messages():
    with pytest.raises(ValueError, match="needs outputs in"):
        SymbolicNetwork((2, 2), "tanh", "cross_entropy")
    with pytest.raises(ValueError, match="unknown loss 'hinge'"):
        SymbolicNetwork((2, 2), "sigmoid", "hinge")
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        SymbolicNetwork((2, 2), "swish")
    with pytest.raises(ValueError, match="softmax is allowed only in the output layer"):
        SymbolicNetwork((2, 2, 2), "softmax", "cross_entropy")
    with pytest.raises(ValueError, match="sizes must list at least two layer sizes"):
        SymbolicNetwork((2,))
    with pytest.raises(ValueError, match="softmax over a single output neuron is always 1"):
        SymbolicNetwork((2, 1), "softmax", "binary_cross_entropy")
    with pytest.raises(ValueError, match="max_parameters must be a positive integer"):
        SymbolicNetwork((2, 2), max_parameters=0)


@pytest.mark.parametrize("bad", [0, 3, -1, 1.0, True])
def test_layer_index_is_checked(bad):
    sym = SymbolicNetwork((2, 3, 2))
    with pytest.raises(ValueError, match=r"layer l must be an integer from 1 to L = 2"):
        sym.grad_W(bad)


def test_a_of_layer_zero_is_allowed_but_not_below():
    sym = SymbolicNetwork((2, 3, 2))
    with pytest.raises(ValueError, match=r"from 0 to L = 2"):
        sym.a(-1)


def test_numeric_checks_the_network_and_the_data():
    ex = bpcore.examples.running_example()
    sym = SymbolicNetwork((2, 3, 2))
    with pytest.raises(TypeError, match="expected a bpcore.Network, got list"):
        sym.numeric(list(ex.net.weights), ex.x, ex.y)
    other = bpcore.Network.random((2, 3, 2), "tanh", seed=0)
    with pytest.raises(ValueError, match=r"build SymbolicNetwork\(\(2, 3, 2\), \['tanh', "):
        sym.numeric(other, ex.x, ex.y)
    with pytest.raises(ValueError, match="did you pass samples as rows"):
        sym.numeric(ex.net, np.zeros((5, 2)), np.zeros((2, 5)))
    with pytest.raises(ValueError, match="contains NaN or inf"):
        sym.numeric(ex.net, np.array([np.nan, 0.0]), ex.y)
    with pytest.raises(ValueError, match="values\\(\\) takes one sample"):
        sym.values(ex.net, np.zeros((2, 2)), np.zeros((2, 2)))
    sym_ce = SymbolicNetwork((2, 2), "softmax", "cross_entropy")
    net_ce = bpcore.Network.random((2, 2), "softmax", seed=0)
    with pytest.raises(ValueError, match="summing to 1"):
        sym_ce.numeric(net_ce, np.zeros(2), np.array([0.5, 0.2]))


def test_helper_errors():
    with pytest.raises(ValueError, match="at most 6"):
        S.softmax_jacobian(7)
    with pytest.raises(ValueError, match="n must be a positive integer"):
        S.softmax_jacobian(0)
    with pytest.raises(ValueError, match="element-wise activation"):
        S.chain_rule_example("softmax")
    with pytest.raises(ValueError, match=r"expected 1 values, one for each of z; got 2"):
        S.sigmoid_prime_identity().evaluate(0.0, 1.0)
