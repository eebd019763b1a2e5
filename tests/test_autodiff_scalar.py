"""bpcore.autodiff.Value against independent oracles: sympy differentiates the same random
expressions, central differences check every operation, and the accumulation rule, the
topological order without recursion and the refusals are pinned down."""
import math
import sys

import numpy as np
import pytest
import sympy
from hypothesis import given, settings, strategies as st

from bpcore import activations
from bpcore.autodiff import Value, topological_order

# (name, Value operation, sympy operation, inputs where both are defined)
UNARY = [
    ("exp", lambda u: u.exp(), sympy.exp),
    ("log", lambda u: u.log(), sympy.log),
    ("tanh", lambda u: u.tanh(), sympy.tanh),
    ("sigmoid", lambda u: u.sigmoid(), lambda u: 1 / (1 + sympy.exp(-u))),
    ("neg", lambda u: -u, lambda u: -u),
    ("square", lambda u: u ** 2, lambda u: u ** 2),
    ("cube", lambda u: u ** 3, lambda u: u ** 3),
    ("inverse", lambda u: u ** -1, lambda u: u ** -1),
    ("sqrt", lambda u: u ** 0.5, lambda u: u ** sympy.Rational(1, 2)),
]
BINARY = [
    ("+", lambda u, w: u + w, lambda u, w: u + w),
    ("-", lambda u, w: u - w, lambda u, w: u - w),
    ("*", lambda u, w: u * w, lambda u, w: u * w),
    ("/", lambda u, w: u / w, lambda u, w: u / w),
]
SYMBOLS = sympy.symbols("x0 x1 x2")


def central(f, values, i, h=1e-6):
    up, down = list(values), list(values)
    up[i] += h
    down[i] -= h
    return (f(*up) - f(*down)) / (2 * h)


@st.composite
def expressions(draw):
    """A random expression in three inputs, built in Value and in sympy alike, with inputs
    chosen so that log, sqrt and division stay defined (every intermediate kept in (0.2, 5)
    by squashing with sigmoid where needed)."""
    values = [draw(st.floats(0.3, 2.0)) for _ in SYMBOLS]
    leaves = [Value(v) for v in values]
    nodes = list(zip(leaves, SYMBOLS))
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.booleans()):
            name, op, sop = draw(st.sampled_from(UNARY))
            u, su = nodes[draw(st.integers(0, len(nodes) - 1))]
            if name in ("log", "sqrt", "inverse") or (name == "exp" and abs(u.data) > 5):
                u, su = u.sigmoid() + 0.5, 1 / (1 + sympy.exp(-su)) + sympy.Rational(1, 2)
            nodes.append((op(u), sop(su)))
        else:
            name, op, sop = draw(st.sampled_from(BINARY))
            (u, su), (w, sw) = (nodes[draw(st.integers(0, len(nodes) - 1))] for _ in range(2))
            if name == "/":
                w, sw = w.sigmoid() + 0.5, 1 / (1 + sympy.exp(-sw)) + sympy.Rational(1, 2)
            nodes.append((op(u, w), sop(su, sw)))
    out, sym = nodes[-1]
    return leaves, values, out, sym


@settings(max_examples=80, deadline=None)
@given(expressions())
def test_gradients_equal_sympy_on_random_expressions(problem):
    leaves, values, out, sym = problem
    out.backward()
    value = sympy.lambdify(SYMBOLS, sym, "mpmath")
    assert out.data == pytest.approx(float(value(*values)), rel=1e-12, abs=1e-12)
    for leaf, s in zip(leaves, SYMBOLS):
        exact = float(sympy.lambdify(SYMBOLS, sympy.diff(sym, s), "mpmath")(*values))
        assert leaf.grad == pytest.approx(exact, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("name, op, _", UNARY, ids=[u[0] for u in UNARY])
def test_each_unary_operation_against_central_differences(name, op, _):
    for x0 in (0.3, 0.9, 1.7):
        x = Value(x0)
        y = op(x)
        y.backward()
        assert x.grad == pytest.approx(central(lambda t: op(Value(t)).data, [x0], 0), rel=1e-7)


@pytest.mark.parametrize("name, op, _", BINARY, ids=[b[0] for b in BINARY])
def test_each_binary_operation_against_central_differences(name, op, _):
    values = [1.3, -0.7]
    u, w = Value(values[0]), Value(values[1])
    op(u, w).backward()
    f = lambda a, b: op(Value(a), Value(b)).data  # noqa: E731
    assert u.grad == pytest.approx(central(f, values, 0), rel=1e-8)
    assert w.grad == pytest.approx(central(f, values, 1), rel=1e-8)


def test_numbers_mix_with_values_on_either_side():
    x = Value(2.0)
    y = 1.0 - 3.0 * x / 4.0 + x * 0.5 + 2 / x - (x + 1)
    y.backward()
    assert y.data == pytest.approx(1 - 1.5 + 1 + 1 - 3)
    assert x.grad == pytest.approx(-0.75 + 0.5 - 2 / 4 - 1)
    z = np.float64(2.0) * x                      # numpy numbers defer to Value
    assert isinstance(z, Value) and z.data == 4.0


def test_activations_agree_with_the_registry_and_relu_prime_at_zero_is_zero():
    for z0 in (-3.0, -0.5, 0.0, 0.5, 3.0):
        for name, method in [("sigmoid", Value.sigmoid), ("tanh", Value.tanh),
                             ("relu", Value.relu)]:
            x = Value(z0)
            out = method(x)
            out.backward()
            record = activations.get(name)
            assert out.data == pytest.approx(float(record.f(np.array(z0))), rel=1e-14)
            assert x.grad == pytest.approx(float(record.prime(np.array(z0))), rel=1e-14)
    assert Value(-800.0).sigmoid().data == 0.0 and Value(800.0).sigmoid().data == 1.0


# --------------------------------------------------------------------------------------
# Accumulation: a value used twice, and backward() called twice.

def test_a_value_used_twice_gets_both_shares():
    x, y = Value(1.5), Value(0.5)
    f = x * y + x                    # x reaches f along two paths
    f.backward()
    assert x.grad == pytest.approx(y.data + 1.0) and y.grad == pytest.approx(1.5)
    s = Value(3.0)
    (s * s).backward()               # one operation using s twice
    assert s.grad == 6.0


def test_backward_twice_doubles_every_gradient_and_zero_grad_resets_the_graph():
    x, y = Value(1.5), Value(0.5)
    t = x * y
    f = t + x
    f.backward()
    first = {n: n.grad for n in (x, y, t, f)}
    f.backward()
    for node, g in first.items():
        assert node.grad == 2 * g    # not 3y + 2 for x, as an engine reusing stale grads gives
    assert x.grad == 2 * (y.data + 1)
    f.zero_grad()
    assert [n.grad for n in (x, y, t, f)] == [0.0] * 4
    f.backward()
    assert {n: n.grad for n in (x, y, t, f)} == first


def test_a_new_graph_on_old_inputs_adds_to_their_gradients():
    w = Value(2.0)
    (w * 3.0).backward()
    (w * w).backward()
    assert w.grad == 3.0 + 4.0


# --------------------------------------------------------------------------------------
# Topological order, without recursion.

def test_topological_order_puts_every_node_after_its_parents_once():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    c = a * b
    d = c + a
    e = d * c + b.tanh()
    order = topological_order(e)
    position = {node: i for i, node in enumerate(order)}
    assert len(order) == len(position) == 7 and order[-1] is e
    for node in order:
        assert all(position[p] < position[node] for p in node.parents)


def test_a_chain_of_ten_thousand_operations_runs_backward():
    assert sys.getrecursionlimit() < 10_000
    x = Value(0.3)
    y = x
    for _ in range(5_000):
        y = (y * 1.0001) + 0.0
    y.backward()                     # 10,000 operations deep
    assert x.grad == pytest.approx(1.0001 ** 5_000, rel=1e-9)
    y.zero_grad()
    assert x.grad == 0.0


def test_a_deep_chain_of_functions_matches_the_product_of_local_derivatives():
    x = Value(0.1)
    y, slopes = x, []
    for _ in range(10_000):
        slopes.append(1 - math.tanh(y.data) ** 2)
        y = y.tanh()
    y.backward()
    assert x.grad == pytest.approx(math.prod(slopes), rel=1e-9)


# --------------------------------------------------------------------------------------
# Refusals.

@pytest.mark.parametrize("bad, error, match", [
    ("0.5", TypeError, r"needs a real number \(int or float\), got str"),
    (True, TypeError, "got bool"),
    ([1.0], TypeError, "got list"),
    (np.array([1.0, 2.0]), TypeError, "got ndarray.*Tensor"),
    (float("nan"), ValueError, "finite number"),
    (float("inf"), ValueError, "finite number"),
])
def test_values_hold_real_numbers_only(bad, error, match):
    with pytest.raises(error, match=match):
        Value(bad)


def test_operations_with_non_numbers_are_refused():
    with pytest.raises(TypeError, match=r"cannot apply '\+' to a Value and a str"):
        Value(1.0) + "1"
    with pytest.raises(TypeError, match=r"cannot apply '\*' to a Value and a ndarray"):
        np.array([1.0, 2.0]) * Value(1.0)
    with pytest.raises(TypeError, match="cannot apply '/' to a Value and a list"):
        Value(1.0) / [2.0]


def test_a_power_by_a_value_is_refused_with_the_way_around_it():
    x, k = Value(2.0), Value(3.0)
    with pytest.raises(TypeError, match=r"power by a Value.*\(y \* x\.log\(\)\)\.exp\(\)"):
        x ** k
    with pytest.raises(TypeError, match="power by a Value"):
        2.0 ** k
    # the suggested route works and gives both derivatives
    out = (k * x.log()).exp()
    out.backward()
    assert out.data == pytest.approx(8.0)
    assert x.grad == pytest.approx(3 * 2.0 ** 2) and k.grad == pytest.approx(8 * math.log(2))


@pytest.mark.parametrize("make, match", [
    (lambda: Value(-1.0).log(), r"log\(x\) needs x > 0, got x = -1"),
    (lambda: Value(0.0).log(), r"log\(x\) needs x > 0, got x = 0"),
    (lambda: Value(1.0) / Value(0.0), "division by zero in x / y"),
    (lambda: 1.0 / Value(0.0), "division by zero"),
    (lambda: Value(710.0).exp(), r"exp\(x\) with x = 710 overflows"),
    (lambda: Value(-8.0) ** 0.5, r"x \*\* k with x = -8 and k = 0.5"),
    (lambda: Value(0.0) ** -1, r"x \*\* k with x = 0 and k = -1"),
    (lambda: Value(0.0) ** 0.5, r"no real value or no finite derivative"),
    (lambda: Value(1e200) * Value(1e200), r"\* gave inf.*overflow"),
    (lambda: Value(10.0) ** 400, "overflows float64"),
])
def test_domain_errors_name_the_operation(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_the_exponent_must_be_a_number():
    with pytest.raises(TypeError, match="exponent k of x \\*\\* k needs a real number"):
        Value(2.0) ** "2"


def test_repr_shows_data_grad_and_label():
    assert repr(Value(0.5, label="w")) == "Value(data=0.5, grad=0, label='w')"
