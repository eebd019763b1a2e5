"""bpcore.figures.autodiff_graph: the layout keeps every node left of its users, the boxes
hold the graph's values, the arrows carry the local derivatives whose products along the
paths, added over the paths, give the gradient by central differences."""
import math

import matplotlib
import pytest

from bpcore.autodiff import Value, topological_order
from bpcore.figures import autodiff_graph as ag

matplotlib.use("Agg")


def small():
    x, w = Value(0.7, label="x"), Value(-1.2, label="w")
    u = w * x
    C = (u.tanh() * x + 2.0) ** 2       # x is used twice
    C.label = "C"
    return x, w, C


def test_layout_puts_every_node_left_of_its_users_and_one_unit_apart():
    _, _, C = small()
    pos = ag.layout(C)
    order = topological_order(C)
    assert set(pos) == set(order) and pos[C] == (max(c for c, _ in pos.values()), 0.0)
    for node in order:
        for parent in node.parents:
            assert pos[parent][0] < pos[node][0]
    for c in {c for c, _ in pos.values()}:
        ys = sorted(y for cc, y in pos.values() if cc == c)
        assert all(b - a >= 1.0 - 1e-9 for a, b in zip(ys, ys[1:]))


def test_names_labels_operations_and_constants():
    x, w, C = small()
    named = ag.names(C)
    assert named[x] == ("x", "x") and named[C] == ("C", "C")
    assert sorted(k for _, k in named.values() if k.startswith("v_")) == ["v_1", "v_2", "v_3",
                                                                          "v_4"]
    assert ("2.0000", "2.0000") in named.values()


def test_the_figure_has_a_box_per_node_and_its_arrows_the_local_derivatives():
    x, w, C = small()
    fig = ag.plot_graph(C)
    ax = fig.axes[0]
    arrows = [t for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
    boxes = [t for t in ax.texts if t not in arrows and t.get_zorder() == 3]
    order = topological_order(C)
    assert len(boxes) == len(order)
    assert len(arrows) == sum(len(set(n.parents)) for n in order)
    labels = [t.get_text() for t in ax.texts if t not in boxes and t not in arrows]
    locals_ = [g for n in order for g in n.local_grads]
    assert len(labels) == len(locals_)
    assert {float(s.replace("\u2212", "-")) for s in labels} == {
        float(f"{g:.4f}") for g in locals_}
    matplotlib.pyplot.close(fig)


def test_products_of_local_derivatives_along_paths_give_the_gradient():
    x, w, C = small()
    by_paths = 0.0
    stack = [(C, 1.0)]
    while stack:                          # every path from C back to w, multiplied out
        node, product = stack.pop()
        if node is w:
            by_paths += product
        for parent, local in zip(node.parents, node.local_grads):
            stack.append((parent, product * local))
    h = 1e-6
    f = lambda wv: (math.tanh(wv * 0.7) * 0.7 + 2.0) ** 2  # noqa: E731
    assert by_paths == pytest.approx((f(-1.2 + h) - f(-1.2 - h)) / (2 * h), rel=1e-8)


def test_png_and_words_show_the_backward_state():
    x, w, C = small()
    png = ag.graph_png(C, grads={C: 1.0, x: 0.5}, complete={C}, current=C)
    assert png[:4] == b"\x89PNG"
    words = ag.describe_graph(C, grads={C: 1.0, x: 0.5}, complete={C}, current=C)
    assert words.startswith("Computational graph of 8 nodes")
    assert "x = 0.7000, gradient so far 0.5000" in words
    assert "C = " in words and "gradient 1.0000 (current)" in words
    assert "the constant 2.0000" in words
