"""bpcore.steppers.autodiff_backward: the backward pass of one neuron of the running example
with its cost, node by node, against bpcore.backprop, central differences and
Value.backward(), with the shares of the node used twice adding up."""
import numpy as np
import pytest

import bpcore
from bpcore import dom, steppers
from bpcore.autodiff import Value, topological_order
from bpcore.steppers.checks import embedded_size

EX = bpcore.examples.running_example()


def neuron():
    """Output neuron 1 of the running example with its share of the cost,
    C_1 = 1/2 (a^2_1 - y_1)^2, written as 0.5 * d * d so that d is used twice."""
    fp = bpcore.forward(EX.net, EX.x)
    w = [Value(EX.net.w(2, 1, k), label=f"w^2_{{1{k}}}") for k in (1, 2, 3)]
    a1 = [Value(float(fp.a(1)[k, 0]), label=f"a^1_{k + 1}") for k in range(3)]
    b = Value(EX.net.b(2)[0], label="b^2_1")
    z = w[0] * a1[0] + w[1] * a1[1] + w[2] * a1[2] + b
    a = z.sigmoid()
    d = a - Value(EX.y[0, 0], label="y_1")
    C = 0.5 * d * d
    z.label, a.label, d.label, C.label = "z^2_1", "a^2_1", "d", "C_1"
    return dict(w=w, a1=a1, b=b, z=z, a=a, d=d, C=C)


@pytest.fixture(scope="module")
def built():
    """One graph and its stepper, drawn once for the tests that only read them."""
    g = neuron()
    return g, steppers.autodiff_backward_stepper(g["C"])


def test_the_gradients_are_backprops_and_central_differences(built):
    _, s = built
    last = s.steps[-1].values
    bp = bpcore.backprop(EX.net, EX.x, EX.y)
    fp = bpcore.forward(EX.net, EX.x)
    delta2 = bpcore.output_delta(EX.net, fp, EX.y)
    h = 1e-6
    for k in (1, 2, 3):
        w = EX.net.w(2, 1, k)
        fd = (bpcore.cost(EX.net.with_weight(2, 1, k, w + h), EX.x, EX.y)
              - bpcore.cost(EX.net.with_weight(2, 1, k, w - h), EX.x, EX.y)) / (2 * h)
        # w^2_1k reaches the cost through output 1 only, so dC/dw = dC_1/dw
        assert last[f"dC/dw^2_1{k}"] == pytest.approx(bp.W(2)[0, k - 1], rel=1e-12)
        assert last[f"dC/dw^2_1{k}"] == pytest.approx(fd, rel=1e-7)
        # this neuron's share of BP2's sum: w^2_1k delta^2_1
        assert last[f"dC/da^1_{k}"] == pytest.approx(w * delta2[0, 0], rel=1e-12)
    assert last["dC/db^2_1"] == pytest.approx(bp.b(2)[0], rel=1e-12)
    assert last["dC/dz^2_1"] == pytest.approx(delta2[0, 0], rel=1e-12)
    assert last["dC/dC_1"] == 1.0


def test_every_step_agrees_with_value_backward_and_leaves_grad_alone():
    g = neuron()
    C = g["C"]
    s = steppers.autodiff_backward_stepper(C)
    order = topological_order(C)
    assert all(node.grad == 0.0 for node in order)          # the stepper only reads
    C.backward()
    ops = [n for n in order if n.parents]
    assert len(s.steps) == len(ops) + 2
    for step, node in zip(s.steps[1:-1], reversed(ops)):
        complete = {k: v for k, v in step.values.items()
                    if k.startswith("dC/d") and not k.endswith("so far")}
        assert list(complete.values()) == [pytest.approx(node.grad, rel=1e-14)]
        for parent, local in zip(node.parents, node.local_grads):
            assert local in step.values.values()
    final = s.steps[-1].values
    for node in order:
        if node.label:
            key = node.label.replace("{", "").replace("}", "")
            assert final[f"dC/d{key}"] == pytest.approx(node.grad, rel=1e-14)


def test_the_node_used_twice_collects_two_shares_that_add(built):
    g, s = built
    d, C = g["d"], g["C"]
    h = C.parents[0]                                        # h = 0.5 * d, C = h * d
    first, second = s.steps[1], s.steps[2]
    # from C = h d: d's first share is dC/dC * h = h
    assert first.values["dC/dd so far"] == pytest.approx(h.data, rel=1e-14)
    assert "not yet all of them" in first.latex and "used 2 times" in first.latex
    # from h = 0.5 d: the second share 0.5 * dC/dh = 0.5 d; together d = a - y
    assert second.values["dC/dd so far"] == pytest.approx(h.data + 0.5 * d.data, rel=1e-14)
    assert second.values["dC/dd so far"] == pytest.approx(d.data, rel=1e-14)
    assert "all of them" in second.latex and "not yet" not in second.latex
    step_d = next(st for st in s.steps if st.title.startswith("d = "))
    assert step_d.values["dC/dd"] == pytest.approx(d.data, rel=1e-14)


def test_the_walk_is_in_reverse_topological_order_with_titles_and_formulas(built):
    _, s = built
    titles = [st.title for st in s.steps]
    assert titles[:5] == ["The forward pass recorded the graph", "C_1 = v_6 × d",
                          "v_6 = 0.5000 × d", "d = a^2_1 − y_1", "a^2_1 = σ(z^2_1)"]
    assert titles[-1] == "Every gradient"
    a_step = s.steps[4]
    assert r"a^2_1 = \sigma(z^2_1)" in a_step.latex
    sigma_prime = a_step.values["da^2_1/dz^2_1"]
    a = bpcore.forward(EX.net, EX.x).a(2)[0, 0]
    assert sigma_prime == pytest.approx(a * (1 - a), rel=1e-14)


def test_it_works_in_a_static_page_within_the_budget(built):
    _, s = built
    assert s.widget._dom_classes == (dom.STEPPER, dom.kind_class("autodiff-backward"))
    assert all(st.png[:4] == b"\x89PNG" and st.alt.startswith("Computational graph of 19 nodes")
               for st in s.steps)
    assert embedded_size(s.steps) < steppers.MAX_EMBED_BYTES


def test_refusals():
    with pytest.raises(TypeError, match="graph of a bpcore.autodiff.Value, the cost, got float"):
        steppers.autodiff_backward_stepper(1.0)
    x = Value(0.5)
    y = x
    for _ in range(30):
        y = y * 1.0
    with pytest.raises(ValueError, match="at most 30, but this graph has 61"):
        steppers.autodiff_backward_stepper(y)
